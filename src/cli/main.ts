import { check, determine, feedback, validate, type Out } from "./commands.js";
import { InputError } from "./input-error.js";
import { USAGE } from "./usage.js";

/**
 * The `bronsync` command-line tool (bin/bronsync.js calls this). Returns the exit code: 0 done,
 * 1 invalid value (validate), 2 bad input or a refusal — one clear line on stderr, never a stack
 * trace — and 3 for an internal error.
 */
export async function main(argv: string[], stdout: Out, stderr: Out): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === "--help" || command === "-h" || command === "help" || rest.includes("--help")) {
      stdout.write(USAGE);
      return 0;
    }
    switch (command) {
      case "determine":
        return await determine(rest, stdout);
      case "check":
        return await check(rest, stdout);
      case "feedback":
        return await feedback(rest, stdout);
      case "validate":
        return validate(rest, stdout);
      case undefined:
        stderr.write(USAGE);
        return 2;
      default:
        throw new InputError(`onbekende opdracht "${command}" (zie bronsync --help)`);
    }
  } catch (e) {
    if (e instanceof InputError) {
      stderr.write(`bronsync: ${e.message}\n`);
      return 2;
    }
    stderr.write(`bronsync: interne fout: ${e instanceof Error ? e.message : String(e)}\n`);
    return 3;
  }
}
