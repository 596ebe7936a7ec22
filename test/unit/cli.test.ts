import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { Action, Signal } from "../../src/core/model.js";

const EX = "docs/examples";
const TODAY = "2026-11-28";
const dir = mkdtempSync(join(tmpdir(), "bronsync-cli-"));

function tmpFile(name: string, content: unknown): string {
  const p = join(dir, name);
  writeFileSync(p, typeof content === "string" ? content : JSON.stringify(content));
  return p;
}

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(argv, { write: (s: string) => (out += s) }, { write: (s: string) => (err += s) });
  return { code, out, err };
}

const determineExample = () => run("determine", "--lvs", `${EX}/lvs.json`, "--bron", `${EX}/bron.json`, "--today", TODAY);

describe("bronsync determine", () => {
  it("prints the actions as a JSON array (type, leerlingId, direction, needsDecision, fields) for the example pair", async () => {
    const r = await determineExample();
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const actions = JSON.parse(r.out) as Action[];
    for (const a of actions) expect(Action.safeParse(a).success).toBe(true);
    expect(actions.map((a) => `${a.type}:${a.leerlingId}:${a.direction}:${!a.needsDecision}`).sort()).toEqual([
      "NIEUWE_INSCHRIJVING:100002:BRON:true",
      "NIEUWE_INSCHRIJVING:100006:BRON:true",
      "OVERNEMEN_ADRES_IN_LVS:100004:LVS:false",
      "UITSCHRIJVING:100003:BRON:true",
      "VERWIJDERING_INSCHRIJVING:100005:BRON:false",
      "WIJZIGING_ONDERWIJSGEGEVENS:100004:BRON:false",
      "WIJZIGING_SLEUTELGEGEVENS:100004:BRON:false",
    ]);
    expect(actions.find((a) => a.type === "WIJZIGING_SLEUTELGEGEVENS")?.fields).toEqual([{ field: "achternaam", lvs: "Berg", bron: "Bergh" }]);
  });

  it("rule: a refusal (registratieoverzicht older than 4 weeks) exits 2 with the reason, prints no actions", async () => {
    const r = await run("determine", "--lvs", `${EX}/lvs.json`, "--bron", `${EX}/bron.json`, "--today", "2027-01-28");
    expect(r.code).toBe(2);
    expect(r.out).toBe("");
    expect(r.err).toMatch(/^bronsync: acties bepalen geweigerd: .*4 weken/);
  });

  it("rule: an ignored difference (memory file) is not determined again", async () => {
    const all = JSON.parse((await determineExample()).out) as Action[];
    const ignored = all.find((a) => a.type === "WIJZIGING_SLEUTELGEGEVENS")!;
    const memory = tmpFile("memory.json", { ignored: [ignored.fingerprint], pending: [], firstSeen: {} });
    const r = await run("determine", "--lvs", `${EX}/lvs.json`, "--bron", `${EX}/bron.json`, "--memory", memory, "--today", TODAY);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.out) as Action[]).map((a) => a.id)).toEqual(all.filter((a) => a.id !== ignored.id).map((a) => a.id));
  });
});

describe("rule: incomplete LVS2000 data never becomes a deletion (on the command line too)", () => {
  it("one pupil without a geboortedatum never blocks the file: determine proposes no deletion for it, check gives an AFKEUR naming the field", async () => {
    const lvs = JSON.parse(readFileSync(`${EX}/lvs.json`, "utf8")) as { leerlingen: Record<string, unknown>[] };
    const bron = JSON.parse(readFileSync(`${EX}/bron.json`, "utf8")) as { inschrijvingen: { leerlingId: string }[] };
    const known = bron.inschrijvingen[0]!.leerlingId;
    const pupil = lvs.leerlingen.find((l) => l.id === known)!;
    delete pupil.geboortedatum;
    const file = tmpFile("lvs-incomplete.json", lvs);
    const determined = await run("determine", "--lvs", file, "--bron", `${EX}/bron.json`, "--today", TODAY);
    expect(determined.err).toBe("");
    expect(determined.code).toBe(0);
    const actions = JSON.parse(determined.out) as Action[];
    expect(actions.filter((a) => a.type === "VERWIJDERING_INSCHRIJVING" && a.leerlingId === known)).toEqual([]);
    const manual = { ...actions.find((a) => a.type === "NIEUWE_INSCHRIJVING")!, leerlingId: known };
    const checked = await run("check", "--lvs", file, "--actions", tmpFile("acts-incomplete.json", [manual]), "--today", TODAY);
    expect(checked.code).toBe(0);
    expect(JSON.parse(checked.out)).toContainEqual(expect.objectContaining({ code: "LEERLING_ONVOLLEDIG", ernst: "AFKEUR", field: "geboortedatum", tekst: "Geboortedatum ontbreekt in LVS2000" }));
  });
});

describe("bronsync check and feedback", () => {
  it("check prints the signals of the determined actions: the invalid BSN and missing Onderwijs Sinds are afkeur", async () => {
    const actions = tmpFile("actions.json", (await determineExample()).out);
    const r = await run("check", "--lvs", `${EX}/lvs.json`, "--actions", actions, "--today", TODAY);
    expect(r.code).toBe(0);
    const signals = JSON.parse(r.out) as Signal[];
    for (const s of signals) expect(Signal.safeParse(s).success).toBe(true);
    expect(signals.map((s) => `${s.ernst}:${s.code}`).sort()).toEqual(["AFKEUR:BSN_ONGELDIG", "AFKEUR:LEERJAAR_NIET_BEREKENBAAR", "ATTENTIE:PGN_ONTBREEKT"]);
  });

  it("feedback applies BRON's messages and prints the outcome, unprocessable messages under failed", async () => {
    const actions = JSON.parse((await determineExample()).out) as Action[];
    const ni = actions.find((a) => a.leerlingId === "100002")!;
    const messages = [
      { id: "m1", aanleverpunt: "12AB00", ontvangenOp: `${TODAY}T09:00:00Z`, soort: "AFKEUR", mutatieId: ni.id, signalen: [{ code: "X1", ernst: "AFKEUR", tekst: "Postcode onbekend in BRP", actionId: null, field: "adres.postcode" }] },
      { id: "m2", aanleverpunt: "12AB00", ontvangenOp: `${TODAY}T09:01:00Z`, soort: "AFKEUR", mutatieId: "ONBEKEND", signalen: [{ code: "X1", ernst: "AFKEUR", tekst: "t", actionId: null, field: null }] },
    ];
    const r = await run("feedback", "--bron", `${EX}/bron.json`, "--actions", tmpFile("a.json", actions), "--messages", tmpFile("m.json", messages), "--today", TODAY);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out) as { actionUpdates: { actionId: string; status: string }[]; failed: { messageId: string }[] };
    expect(out.actionUpdates.map((u) => [u.actionId, u.status])).toEqual([[ni.id, "AFGEKEURD"]]);
    expect(out.failed.map((f) => f.messageId)).toEqual(["m2"]);
  });
});

describe("bronsync validate", () => {
  it.each([
    ["bsn", "123456782", 0, "geldig bsn"],
    ["bsn", "123456789", 1, "ongeldig bsn: BSN voldoet niet aan de elfproef"],
    ["onderwijsnummer", "100310303", 0, "geldig onderwijsnummer"],
    ["onderwijsnummer", "123456782", 1, "ongeldig onderwijsnummer: Onderwijsnummer moet met 10 beginnen"],
    ["postcode", "3511 AB", 0, "geldig postcode"],
    ["postcode", "3511SA", 1, "ongeldig postcode: Postcode met letters SA wordt niet uitgegeven"],
  ])("rule: validate %s %s exits %i with a one-line answer", async (kind, value, code, line) => {
    const r = await run("validate", kind, value);
    expect(r.code).toBe(code);
    expect(r.out).toBe(`${line}\n`);
  });
});

describe("bronsync bad input: one clear line naming file, record and field, exit 2, no stack trace", () => {
  const lvs = JSON.parse(readFileSync(`${EX}/lvs.json`, "utf8")) as { inschrijvingen: Record<string, unknown>[] };

  it.each<[string, () => string[], RegExp]>([
    ["bad JSON", () => ["determine", "--lvs", tmpFile("bad.json", '{"aanleverpunt": '), "--bron", `${EX}/bron.json`], /^bronsync: bad\.json: geen geldige JSON \(.+\)\n$/],
    [
      "a schema failure names the record and field",
      () => {
        const broken = structuredClone(lvs);
        broken.inschrijvingen[1]!.inschrijfdatum = "10-11-2026";
        return ["determine", "--lvs", tmpFile("lvs-broken.json", broken), "--bron", `${EX}/bron.json`];
      },
      /^bronsync: lvs-broken\.json: record inschrijvingen\[1\] \(id I2\), veld inschrijfdatum: verwacht een datum als JJJJ-MM-DD\n$/,
    ],
    [
      "a missing field is named as missing",
      () => ["check", "--lvs", `${EX}/lvs.json`, "--actions", tmpFile("acts.json", [{ id: "x" }])],
      /^bronsync: acts\.json: record \[0\] \(id x\), veld type: ontbreekt \(verwacht een van: NIEUWE_INSCHRIJVING, .*\)\n$/,
    ],
    ["a missing file", () => ["determine", "--lvs", join(dir, "nope.json"), "--bron", `${EX}/bron.json`], /^bronsync: .*nope\.json: bestand niet te lezen \(bestaat niet\)\n$/],
    ["a missing option", () => ["determine", "--lvs", `${EX}/lvs.json`], /^bronsync: determine: --bron ontbreekt/],
    ["an unknown option", () => ["check", "--lvs", `${EX}/lvs.json`, "--actions", "a.json", "--verbose", "x"], /^bronsync: check: onbekende optie --verbose/],
    ["a bad --today", () => ["determine", "--lvs", `${EX}/lvs.json`, "--bron", `${EX}/bron.json`, "--today", "2026-02-30"], /^bronsync: --today 2026-02-30: Datum bestaat niet\n$/],
    ["an unknown command", () => ["bepaal"], /^bronsync: onbekende opdracht "bepaal"/],
    ["validate without a value", () => ["validate", "bsn"], /^bronsync: validate: gebruik/],
  ])("%s", async (_name, argv, expected) => {
    const r = await run(...argv());
    expect(r.code).toBe(2);
    expect(r.out).toBe("");
    expect(r.err).toMatch(expected);
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it("--help prints the usage and exits 0; no arguments prints it on stderr and exits 2", async () => {
    const help = await run("--help");
    expect(help.code).toBe(0);
    expect(help.out).toContain("bronsync determine --lvs BESTAND --bron BESTAND");
    const none = await run();
    expect(none.code).toBe(2);
    expect(none.err).toContain("bronsync validate");
  });
});

describe("the installed bin", () => {
  it("bin/bronsync.js runs the compiled CLI and sets the exit code", () => {
    expect(existsSync("dist/src/cli/main.js"), "run `npm run build` first (npm test does)").toBe(true);
    const ok = spawnSync(process.execPath, ["bin/bronsync.js", "validate", "bsn", "123456782"], { encoding: "utf8" });
    expect([ok.status, ok.stdout]).toEqual([0, "geldig bsn\n"]);
    const bad = spawnSync(process.execPath, ["bin/bronsync.js", "determine", "--lvs", "nope.json", "--bron", "nope.json"], { encoding: "utf8" });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe("bronsync: nope.json: bestand niet te lezen (bestaat niet)\n");
  });
});
