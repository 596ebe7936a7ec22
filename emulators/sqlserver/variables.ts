import type { SqliteValue } from "./params.js";
import { SqlError, ThrowError } from "./sql-error.js";
import type { Tok } from "./tsql/tokenize.js";

/**
 * The named-parameter object for the @variables a statement uses (SQLite binds `@name` from key `name`).
 * Like SQL Server, a variable that was never declared (nor passed as a parameter) is error 137.
 */
export function bindVariables(tokens: Tok[], vars: ReadonlyMap<string, SqliteValue>): unknown[] {
  const names = new Set(tokens.filter((t) => t.kind === "param" && !t.text.startsWith("@@")).map((t) => t.text.slice(1).toLowerCase()));
  if (names.size === 0) return [];
  const bound: Record<string, SqliteValue> = {};
  for (const n of names) {
    if (!vars.has(n)) throw new SqlError(137, `Must declare the scalar variable "@${n}".`, 15, 2);
    bound[n] = vars.get(n) ?? null;
  }
  return [bound];
}

/** THROW n, 'msg' | @msg, state — or, in a CATCH block, THROW; which re-raises the caught error. */
export function throwError(args: Tok[], vars: ReadonlyMap<string, SqliteValue>, caught: SqlError | undefined): ThrowError {
  const parts = args.filter((t) => t.kind !== "punct");
  if (parts.length === 0) {
    return new ThrowError(caught?.number ?? 50000, caught?.message ?? "THROW without arguments outside a CATCH block.", caught?.severity ?? 16, caught?.state ?? 1);
  }
  const message = parts[1]?.kind === "param" ? String(vars.get(parts[1].text.slice(1).toLowerCase()) ?? "") : (parts[1]?.text ?? "");
  return new ThrowError(Number(parts[0]?.text ?? 50000), message, 16, Number(parts[2]?.text ?? 1));
}
