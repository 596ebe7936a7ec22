import { describe, expect, it } from "vitest";
import { aanleverpuntFacts, buildDigest, type AanleverpuntFacts, type DigestFacts } from "../../src/core/digest.js";
import type { Action } from "../../src/core/model.js";

const NU = "2026-11-29T07:00:00.000Z";
const ap = (over: Partial<AanleverpuntFacts> = {}): AanleverpuntFacts => ({ code: "12AB00", afgekeurd: 0, verlopen: 0, bijnaVerlopen: 0, certificaat: { soort: "geldig", dagen: 200 }, runMislukt: false, ...over });
const facts = (over: Partial<DigestFacts> = {}): DigestFacts => ({
  school: { id: "school-a", naam: "De Klimop" },
  nu: NU,
  relayOnbereikbaarSinds: null,
  aanleverpunten: [ap()],
  beheerUrl: "https://bronsync.example/beheer/",
  ...over,
});
const action = (over: Partial<Action>): Action =>
  ({
    id: "a1", type: "WIJZIGING_ONDERWIJSGEGEVENS", direction: "BRON", needsDecision: false, decision: null, manual: false, aanleverpunt: "12AB00", leerlingId: "L1", inschrijvingId: "I1",
    fields: [], fingerprint: "f", deadline: null, reason: "r", status: "OPEN", ...over,
  }) as Action;

describe("daily digest: when to send", () => {
  it("sends nothing when all is well (a certificate with 30 days left, a relay down for less than a day)", () => {
    expect(buildDigest(facts())).toBeNull();
    expect(buildDigest(facts({ aanleverpunten: [ap({ certificaat: { soort: "geldig", dagen: 30 } })] }))).toBeNull();
    expect(buildDigest(facts({ relayOnbereikbaarSinds: "2026-11-28T07:00:00.001Z" }))).toBeNull();
    expect(buildDigest(facts({ aanleverpunten: [ap({ certificaat: { soort: "onbekend" } })] }))).toBeNull();
  });

  it.each([
    ["afkeuren", { afgekeurd: 2 }, "afgekeurd", "2 meldingen zijn afgekeurd door BRON"],
    ["overdue deadlines", { verlopen: 1 }, "verlopen", "1 melding is over de termijn"],
    ["deadlines within 3 days", { bijnaVerlopen: 3 }, "bijnaVerlopen", "3 meldingen moeten binnen 3 dagen"],
    ["a certificate expiring within 30 days", { certificaat: { soort: "geldig", dagen: 29 } }, "certificaatVerlooptBinnenkort", "Het certificaat verloopt over 29 dagen"],
    ["an unusable certificate", { certificaat: { soort: "onbruikbaar" } }, "certificaatOnbruikbaar", "Het certificaat is niet bruikbaar"],
    ["a failed run", { runMislukt: true }, "mislukteRuns", "De laatste synchronisatie is mislukt"],
  ] as const)("reports %s", (_name, over, key, text) => {
    const d = buildDigest(facts({ aanleverpunten: [ap(over as Partial<AanleverpuntFacts>)] }))!;
    expect(d).not.toBeNull();
    expect(d.tekst).toContain(`Aanleverpunt 12AB00: ${text}`);
    expect(d.html).toContain(text);
    expect(d.tellingen[key]).toBeGreaterThan(0);
    expect(d.onderwerp).toBe("BRON Sync: 1 aandachtspunt voor De Klimop (2026-11-29)");
  });

  it("reports a relay unreachable for a day or more", () => {
    const d = buildDigest(facts({ relayOnbereikbaarSinds: "2026-11-27T06:00:00.000Z" }))!;
    expect(d.tellingen.relayOnbereikbaar).toBe(true);
    expect(d.tekst).toContain("School: De relay van de school is al 2 dagen niet bereikbaar (sinds 2026-11-27)");
  });

  it("adds up over aanleverpunten and links to the beheerpagina", () => {
    const d = buildDigest(facts({ aanleverpunten: [ap({ code: "12AB01", afgekeurd: 1 }), ap({ afgekeurd: 2, verlopen: 1 })] }))!;
    expect(d.tellingen).toMatchObject({ afgekeurd: 3, verlopen: 1 });
    expect(d.onderwerp).toContain("3 aandachtspunten");
    expect(d.tekst.indexOf("12AB00")).toBeLessThan(d.tekst.indexOf("12AB01"));
    expect(d.tekst).toContain("https://bronsync.example/beheer/");
    expect(d.html).toContain('<a href="https://bronsync.example/beheer/">beheerpagina</a>');
  });

  it("escapes the school's name in HTML", () => {
    const d = buildDigest(facts({ school: { id: "school-a", naam: "<b>A&B</b>" }, aanleverpunten: [ap({ runMislukt: true })] }))!;
    expect(d.html).toContain("&lt;b&gt;A&amp;B&lt;/b&gt;");
    expect(d.html).not.toContain("<b>A&B");
  });
});

describe("daily digest: facts from stored actions", () => {
  it("counts afkeuren and deadlines of outstanding actions only; no pupil field reaches the digest", () => {
    const late = { windowDays: 7 as const, since: "2026-11-01", due: "2026-11-08", daysLeft: 0 };
    const soon = { windowDays: 7 as const, since: "2026-11-24", due: "2026-12-01", daysLeft: 0 };
    const fields = [{ field: "pgn", lvs: { soort: "BSN", nummer: "123456782" }, bron: null }, { field: "achternaam", lvs: "Jansen", bron: "Janssen" }];
    const actions = [
      action({ id: "a", status: "AFGEKEURD", fields, leerlingId: "L77" }),
      action({ id: "b", deadline: late, fields }),
      action({ id: "c", deadline: soon }),
      action({ id: "d", deadline: late, status: "GEACCEPTEERD" }),
    ];
    const f = aanleverpuntFacts("12AB00", actions, "2026-11-29", { soort: "geldig", dagen: 100 }, false);
    expect(f).toEqual({ code: "12AB00", afgekeurd: 1, verlopen: 1, bijnaVerlopen: 1, certificaat: { soort: "geldig", dagen: 100 }, runMislukt: false });
    const d = buildDigest(facts({ aanleverpunten: [f] }))!;
    const all = `${d.onderwerp}\n${d.tekst}\n${d.html}`;
    for (const secret of ["123456782", "Jansen", "Janssen", "L77", "I1"]) expect(all).not.toContain(secret);
  });
});
