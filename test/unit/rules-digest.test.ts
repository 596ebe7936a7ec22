import { describe, expect, it } from "vitest";
import { buildDigest, type AanleverpuntFacts, type DigestFacts } from "../../src/core/digest.js";

/**
 * The daily e-mail digest of a school (issue 10): what the administrator reads, word for word, and when
 * something is worth a line. It holds counts and codes only, never a pupil.
 */

const NU = "2026-11-29T07:00:00.000Z";
const ap = (over: Partial<AanleverpuntFacts> = {}): AanleverpuntFacts => ({ code: "12AB00", afgekeurd: 0, verlopen: 0, bijnaVerlopen: 0, certificaat: { soort: "geldig", dagen: 200 }, runMislukt: false, ...over });
const facts = (over: Partial<DigestFacts> = {}): DigestFacts => ({ school: { id: "school-a", naam: "De Klimop" }, nu: NU, relayOnbereikbaarSinds: null, aanleverpunten: [ap()], beheerUrl: "https://bronsync.example/beheer/", ...over });

describe("rule: the digest says what needs attention, in Dutch, word for word", () => {
  it("the whole e-mail: subject, text and HTML, aanleverpunten in order of code, one line per point", () => {
    const d = buildDigest(
      facts({
        relayOnbereikbaarSinds: "2026-11-28T07:00:00.000Z",
        aanleverpunten: [ap({ code: "12AB01", afgekeurd: 1, verlopen: 2, bijnaVerlopen: 1, certificaat: { soort: "geldig", dagen: 1 } }), ap({ runMislukt: true, bijnaVerlopen: 2, certificaat: { soort: "onbruikbaar" } })],
      }),
    );
    const lines = [
      "School: De relay van de school is al 1 dag niet bereikbaar (sinds 2026-11-28). Controleer of de relay op school draait en uitgaand verbinding kan maken.",
      "Aanleverpunt 12AB00: De laatste synchronisatie is mislukt.",
      "Aanleverpunt 12AB00: 2 meldingen moeten binnen 3 dagen worden verzonden.",
      "Aanleverpunt 12AB00: Het certificaat is niet bruikbaar (verlopen, ontbrekend of ongeldig): verzenden naar BRON lukt niet.",
      "Aanleverpunt 12AB01: 1 melding is afgekeurd door BRON.",
      "Aanleverpunt 12AB01: 2 meldingen zijn over de termijn.",
      "Aanleverpunt 12AB01: 1 melding moet binnen 3 dagen worden verzonden.",
      "Aanleverpunt 12AB01: Het certificaat verloopt over 1 dag. Vraag tijdig een nieuw certificaat aan.",
    ];
    expect(d?.onderwerp).toBe("BRON Sync: 8 aandachtspunten voor De Klimop (2026-11-29)");
    expect(d?.tekst).toBe(
      [
        "Dagelijks overzicht van BRON Sync voor De Klimop (2026-11-29).",
        "",
        ...lines.map((l) => `- ${l}`),
        "",
        "Bekijk en behandel de details op de beheerpagina: https://bronsync.example/beheer/",
        "",
        "Dit bericht bevat bewust geen namen of BSN's, alleen aantallen.",
      ].join("\n"),
    );
    expect(d?.html).toBe(
      [
        '<!doctype html><html lang="nl"><body>',
        "<p>Dagelijks overzicht van BRON Sync voor <strong>De Klimop</strong> (2026-11-29).</p>",
        "<ul>",
        ...lines.map((l) => {
          const [label, ...rest] = l.split(": ");
          return `<li><strong>${label}</strong>: ${rest.join(": ")}</li>`;
        }),
        "</ul>",
        '<p>Bekijk en behandel de details op de <a href="https://bronsync.example/beheer/">beheerpagina</a>.</p>',
        "<p>Dit bericht bevat bewust geen namen of BSN's, alleen aantallen.</p>",
        "</body></html>",
      ].join("\n"),
    );
    expect(d?.tellingen).toEqual({ afgekeurd: 1, verlopen: 2, bijnaVerlopen: 3, certificaatVerlooptBinnenkort: 1, certificaatOnbruikbaar: 1, relayOnbereikbaar: true, mislukteRuns: 1 });
  });

  it("one point: the subject says 'aandachtspunt'; a relay that answers is counted as reachable", () => {
    const d = buildDigest(facts({ aanleverpunten: [ap({ afgekeurd: 3 })] }));
    expect(d?.onderwerp).toBe("BRON Sync: 1 aandachtspunt voor De Klimop (2026-11-29)");
    expect(d?.tellingen).toEqual({ afgekeurd: 3, verlopen: 0, bijnaVerlopen: 0, certificaatVerlooptBinnenkort: 0, certificaatOnbruikbaar: 0, relayOnbereikbaar: false, mislukteRuns: 0 });
  });
});

describe("rule: a relay is mentioned once it has been unreachable for a whole day", () => {
  it("exactly 24 hours: mentioned; a millisecond less: not", () => {
    expect(buildDigest(facts({ relayOnbereikbaarSinds: "2026-11-28T07:00:00.000Z" }))?.tellingen.relayOnbereikbaar).toBe(true);
    expect(buildDigest(facts({ relayOnbereikbaarSinds: "2026-11-28T07:00:00.001Z" }))).toBeNull();
  });
});

describe("rule: HTML in the digest is escaped", () => {
  it("quotes and apostrophes in the link and the school's name cannot break out of the markup", () => {
    const d = buildDigest(facts({ school: { id: "s", naam: `'t "Kompas"` }, beheerUrl: `https://x.example/?a="b"&c='d'`, aanleverpunten: [ap({ runMislukt: true })] }));
    expect(d?.html).toContain("<strong>&#39;t &quot;Kompas&quot;</strong>");
    expect(d?.html).toContain('<a href="https://x.example/?a=&quot;b&quot;&amp;c=&#39;d&#39;">');
  });
});
