import { describe, expect, it } from "vitest";
import { checkCertificate } from "../../src/core/check-certificate.js";
import { maskAction, maskNaam, maskNummer } from "../../src/core/masking.js";
import { signal } from "../../src/core/signal-text.js";
import { act } from "./rules-fixtures.js";

/** Privacy in lists (masking), the certificate rule, and the 100-character limit of a signal text. */

describe("privacy: a list never shows a BSN or a name whole", () => {
  it("a number keeps at most its last four digits; one of four digits or fewer is masked entirely", () => {
    expect(maskNummer("123456782")).toBe("•••••6782");
    expect(maskNummer("12345")).toBe("•2345");
    expect(maskNummer("1234")).toBe("••••");
    expect(maskNummer("123")).toBe("•••");
    expect(maskNummer("")).toBe("");
  });

  it("a name keeps its initials only, whatever the spacing", () => {
    expect(maskNaam(" Jan  Pieter ")).toBe("J. P.");
    expect(maskNaam("de")).toBe("d.");
    expect(maskNaam("")).toBe("");
    expect(maskNaam("   ")).toBe("");
  });

  it("in an action: the PGN keeps its kind with a masked number; names become initials; birth date and address parts '•••'; the country and other fields stay", () => {
    const a = act("WS-1", {
      type: "WIJZIGING_SLEUTELGEGEVENS",
      fields: [
        { field: "pgn", lvs: { soort: "BSN", nummer: "123456782" }, bron: null },
        { field: "voornamen", lvs: "Emma Sophie", bron: "Emma" },
        { field: "voorvoegsels", lvs: "van der", bron: null },
        { field: "geboortedatum", lvs: "2015-03-14", bron: "2015-03-15" },
        { field: "adres", lvs: null, bron: { straat: "Kerkstraat", huisnummer: 1, toevoeging: null, postcode: "3511AB", plaats: "Utrecht", land: "6030" } },
        { field: "adres.huisnummer", lvs: 12, bron: 13 },
        { field: "adres.land", lvs: "6030", bron: "5010" },
        { field: "leerjaar", lvs: 6, bron: null },
      ],
    });
    expect(maskAction(a).fields).toEqual([
      { field: "pgn", lvs: { soort: "BSN", nummer: "•••••6782" }, bron: null },
      { field: "voornamen", lvs: "E. S.", bron: "E." },
      { field: "voorvoegsels", lvs: "v. d.", bron: null },
      { field: "geboortedatum", lvs: "•••", bron: "•••" },
      { field: "adres", lvs: null, bron: "•••" },
      { field: "adres.huisnummer", lvs: "•••", bron: "•••" },
      { field: "adres.land", lvs: "6030", bron: "5010" },
      { field: "leerjaar", lvs: 6, bron: null },
    ]);
    expect(maskAction(a).id).toBe("WS-1");
  });

  it("a value that is missing stays missing: masking never invents one", () => {
    // a stored row lost its undefined values on the way through JSON
    const a = { ...act("OA-1", { type: "OVERNEMEN_ADRES_IN_LVS" }), fields: [{ field: "adres", lvs: undefined, bron: null }, { field: "geboortedatum", lvs: undefined, bron: "2015-03-14" }] };
    expect(maskAction(a).fields).toEqual([
      { field: "adres", lvs: undefined, bron: null },
      { field: "geboortedatum", lvs: undefined, bron: "•••" },
    ]);
  });
});

describe("rule: sending requires the aanleverpunt's certificate to be present and valid", () => {
  const NOW = "2026-11-28T12:00:00Z";

  it("missing: an afkeur for the whole delivery", () => {
    expect(checkCertificate(null, NOW)).toEqual([{ code: "CERTIFICAAT_ONTBREEKT", ernst: "AFKEUR", tekst: "Geen certificaat voor dit aanleverpunt: verzenden is niet mogelijk", actionId: null, field: "certificaat" }]);
  });

  it("unreadable dates: an afkeur", () => {
    const onleesbaar = [{ code: "CERTIFICAAT_ONGELDIG", ernst: "AFKEUR", tekst: "Geldigheid van het certificaat is onleesbaar", actionId: null, field: "certificaat" }];
    expect(checkCertificate({ notAfter: "morgen" }, NOW)).toEqual(onleesbaar);
    expect(checkCertificate({ notAfter: "2027-01-01T00:00:00Z", notBefore: "gisteren" }, NOW)).toEqual(onleesbaar);
    expect(checkCertificate({ notAfter: "2027-01-01T00:00:00Z" }, "vandaag")).toEqual(onleesbaar);
  });

  it("expired at this very moment is expired; the text gives the day", () => {
    expect(checkCertificate({ notAfter: NOW }, NOW)).toEqual([{ code: "CERTIFICAAT_VERLOPEN", ernst: "AFKEUR", tekst: "Certificaat is verlopen op 2026-11-28", actionId: null, field: "certificaat" }]);
    expect(checkCertificate({ notAfter: "2026-11-28T12:00:01Z" }, NOW)[0]?.code).toBe("CERTIFICAAT_VERLOOPT_BINNENKORT");
  });

  it("valid from this very moment is valid; a second later than now is not yet valid, the text gives the day", () => {
    expect(checkCertificate({ notAfter: "2028-01-01T00:00:00Z", notBefore: NOW }, NOW)).toEqual([]);
    expect(checkCertificate({ notAfter: "2028-01-01T00:00:00Z", notBefore: "2026-11-28T12:00:01Z" }, NOW)).toEqual([
      { code: "CERTIFICAAT_NOG_NIET_GELDIG", ernst: "AFKEUR", tekst: "Certificaat is pas geldig vanaf 2026-11-28", actionId: null, field: "certificaat" },
    ]);
  });

  it("expiring within 30 days (30 days exactly included) is an attentie; a second more is nothing", () => {
    expect(checkCertificate({ notAfter: "2026-12-28T12:00:00Z" }, NOW)).toEqual([
      { code: "CERTIFICAAT_VERLOOPT_BINNENKORT", ernst: "ATTENTIE", tekst: "Certificaat verloopt op 2026-12-28: vraag tijdig een nieuw aan", actionId: null, field: "certificaat" },
    ]);
    expect(checkCertificate({ notAfter: "2026-12-28T12:00:01Z" }, NOW)).toEqual([]);
  });

  it("a day given as 'now' counts from its start (UTC)", () => {
    expect(checkCertificate({ notAfter: "2026-11-28T00:00:01Z" }, "2026-11-28")[0]?.code).toBe("CERTIFICAAT_VERLOOPT_BINNENKORT");
    expect(checkCertificate({ notAfter: "2026-11-28T00:00:00Z" }, "2026-11-28")[0]?.code).toBe("CERTIFICAAT_VERLOPEN");
  });
});

describe("rule: a signal text holds at most 100 characters, as BRON's omschrijving", () => {
  it("a text of 100 characters is kept whole; a longer one is cut to 99 and '…'", () => {
    const t100 = "x".repeat(100);
    expect(signal("C", "ATTENTIE", t100, "a", "f")).toEqual({ code: "C", ernst: "ATTENTIE", tekst: t100, actionId: "a", field: "f" });
    const cut = signal("C", "AFKEUR", `${"y".repeat(100)}z`, null, null).tekst;
    expect(cut).toBe(`${"y".repeat(99)}…`);
    expect(cut).toHaveLength(100);
  });
});
