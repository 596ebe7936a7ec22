import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { IsoDate } from "../src/core/model.js";
import { generateDemoData } from "./demo-data/generate.js";

/**
 * `npm run demo-data -- --out DIR [--seed 1] [--leerlingen 300] [--aanleverpunten 4] [--today YYYY-MM-DD]`
 * writes the demo data set as JSON files into DIR: aanleverpunten.json, per aanleverpunt
 * lvs-<code>.json and bron-<code>.json (inputs for `bronsync determine`), bevolking.json and
 * andere-scholen.json (for the BRON simulator).
 */
function run(argv: string[]): number {
  const { values } = parseArgs({
    args: argv,
    options: {
      out: { type: "string" },
      seed: { type: "string", default: "1" },
      leerlingen: { type: "string", default: "300" },
      aanleverpunten: { type: "string", default: "4" },
      today: { type: "string" },
    },
  });
  if (!values.out) {
    console.error("gebruik: npm run demo-data -- --out MAP [--seed 1] [--leerlingen 300] [--aanleverpunten 4] [--today JJJJ-MM-DD]");
    return 2;
  }
  const today = values.today ?? new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Amsterdam" }).format(new Date());
  const numbers = { seed: Number(values.seed), leerlingen: Number(values.leerlingen), aanleverpunten: Number(values.aanleverpunten) };
  if (!IsoDate.safeParse(today).success || Object.values(numbers).some((n) => !Number.isInteger(n) || n < 0)) {
    console.error("--today moet JJJJ-MM-DD zijn; --seed, --leerlingen en --aanleverpunten gehele getallen");
    return 2;
  }
  const data = generateDemoData({ ...numbers, today });
  mkdirSync(values.out, { recursive: true });
  const write = (name: string, value: unknown) => writeFileSync(join(values.out!, name), `${JSON.stringify(value, null, 1)}\n`);
  write("aanleverpunten.json", { today: data.today, aanleverpunten: data.aanleverpunten });
  data.aanleverpunten.forEach((a, i) => {
    write(`lvs-${a.code}.json`, data.lvs[i]);
    write(`bron-${a.code}.json`, data.bron[i]);
  });
  write("bevolking.json", data.bevolking);
  write("andere-scholen.json", data.andereScholen);
  console.log(`demo data (seed ${numbers.seed}, ${numbers.leerlingen} leerlingen, ${data.aanleverpunten.length} aanleverpunten) geschreven naar ${values.out}`);
  return 0;
}

try {
  process.exitCode = run(process.argv.slice(2));
} catch (e) {
  console.error(e instanceof Error ? e.message : String(e));
  process.exitCode = 2;
}
