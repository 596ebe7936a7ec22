import { describe, expect, it } from "vitest";
import { sampleFeedback } from "../../emulators/bron/samples.js";
import { generateDemoData } from "../../scripts/demo-data/generate.js";
import { feedbackFromWire } from "../../src/adapters/bron/wire-mapping.js";
import { inschrijvingFromWire, leerlingFromWire, writeToWire } from "../../src/adapters/lvs/wire-mapping.js";
import * as bronWire from "../../src/contracts/bron/messages.js";
import * as relayWire from "../../src/contracts/relay/api.js";
import { FeedbackMessage, Inschrijving, Leerling, type LvsWrite } from "../../src/core/model.js";

// The adapters map the wire contracts to the domain model field by field. Today the shapes agree, so
// the mapping must carry every field unchanged and give values the domain schemas accept.

describe("relay wire ↔ domain (src/adapters/lvs/wire-mapping.ts)", () => {
  const data = generateDemoData({ seed: 5, leerlingen: 40, today: "2026-11-28" });
  const lvs = data.lvs.flatMap((s) => s.leerlingen);
  const ins = data.lvs.flatMap((s) => s.inschrijvingen);

  it("pupils and enrolments read from the relay become the same domain values", () => {
    expect(lvs.length).toBeGreaterThan(0);
    for (const l of lvs) {
      const onWire = relayWire.Leerling.parse({ ...l, rowVersion: "7.1" });
      expect(Leerling.parse(leerlingFromWire(onWire))).toEqual({ ...l, rowVersion: "7.1" });
    }
    for (const i of ins) {
      const onWire = relayWire.Inschrijving.parse(i);
      expect(Inschrijving.parse(inschrijvingFromWire(onWire))).toEqual(i);
    }
  });

  it("a value without a row version stays without one", () => {
    const { rowVersion: _r, ...l } = relayWire.Leerling.parse(lvs[0]!);
    expect("rowVersion" in leerlingFromWire(l)).toBe(false);
  });

  it("every kind of write goes onto the wire unchanged", () => {
    const l = lvs.find((x) => x.adres !== null)!;
    const writes: LvsWrite[] = [
      { soort: "SET_PGN", leerlingId: l.id, pgn: { soort: "ONDERWIJSNUMMER", nummer: "100000005" } },
      { soort: "NAAM_CORRECTIE", leerlingId: l.id, voornamen: l.voornamen, voorvoegsels: l.voorvoegsels, achternaam: l.achternaam, geslacht: l.geslacht, geboortedatum: l.geboortedatum },
      { soort: "GBA_ADRES", leerlingId: l.id, adres: l.adres! },
      { soort: "ONDERWIJS_SINDS", leerlingId: l.id, onderwijsSinds: "2019-08-01" },
    ];
    for (const w of writes) expect(relayWire.LvsWrite.parse(writeToWire(w))).toEqual(w);
  });
});

describe("BRON wire → domain (src/adapters/bron/wire-mapping.ts)", () => {
  it("every kind of feedback becomes the same domain message", () => {
    const samples = sampleFeedback();
    expect(new Set(samples.map((f) => f.soort)).size).toBe(6);
    for (const f of samples) {
      const onWire = bronWire.FeedbackMessage.parse(f);
      expect(FeedbackMessage.parse(feedbackFromWire(onWire))).toEqual(f);
    }
  });
});
