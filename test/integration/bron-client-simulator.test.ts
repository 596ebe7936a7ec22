import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBronClient, type BronClient } from "../../src/adapters/bron/client.js";
import { ExternalRejection } from "../../src/adapters/bron/errors.js";
import type { FeedbackMessage } from "../../src/core/model.js";
import { checkBsn, checkOnderwijsnummer } from "../../src/core/validation.js";
import type { Mutatie } from "../../src/contracts/bron/messages.js";
import { createTestPki, type TestPki } from "../../emulators/pki/test-pki.js";
import { sampleInschrijving, sampleLeerling, validBsns } from "../../emulators/bron/samples.js";
import { startBronSimulator, type BronSimulator } from "../../emulators/bron/simulator.js";

/** Client ↔ simulator over real mutual TLS: every delivery and feedback kind, as BRON answers them. */
const AP = "00AA00";
const OTHER_AP = "00BB00";
const [bsnJan, bsnPiet, bsnKees, bsnOverlap] = validBsns(4) as [string, string, string, string];
let dir: string;
let pki: TestPki;
let sim: BronSimulator;
let client: BronClient;

const adres = (postcode: string) => ({ straat: "Dorpsstraat", huisnummer: 1, toevoeging: null, postcode, plaats: "Ons Dorp", land: "6030" });
const persoon = (bsn: string, achternaam: string, geslacht: "M" | "V", geboortedatum: string) => ({
  bsn, voornamen: "Test", voorvoegsels: null, achternaam, geslacht, geboortedatum, adres: adres("1234AB"), nationaliteiten: ["0001"],
});

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "bron-sim-"));
  pki = await createTestPki(join(dir, "pki"), [AP, OTHER_AP]);
  sim = await startBronSimulator({
    dataDir: join(dir, "data"),
    tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert },
    validateSchema: false,
    seed: {
      bevolking: [persoon(bsnJan, "Jansen", "M", "2014-03-09"), persoon(bsnPiet, "Pietersen", "M", "2015-01-01"), persoon(bsnKees, "Kok", "V", "2016-05-05"), persoon(bsnOverlap, "Dubbel", "V", "2013-02-02")],
      postcodes: ["1234AB", "5678CD"],
    },
  });
  client = clientFor(AP);
});

afterAll(async () => {
  client?.close();
  await sim?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function clientFor(ap: string, certFor = ap): BronClient {
  const c = pki.clients[certFor]!;
  return createBronClient({ endpoint: sim.url, aanleverpunt: ap, certificate: { cert: c.cert, key: c.key, ca: pki.ca.cert }, retry: { attempts: 3, baseDelayMs: 5, maxDelayMs: 20 }, timeoutMs: 10_000 });
}

/** Fetches all open feedback, acknowledges it, and returns it. */
async function drain(): Promise<FeedbackMessage[]> {
  const { terugkoppelingen, onleesbaar } = await client.fetchFeedback(1000);
  expect(onleesbaar).toEqual([]);
  if (terugkoppelingen.length > 0) await client.acknowledge(terugkoppelingen.map((f) => f.id));
  return terugkoppelingen;
}

const byMutatie = (fs: FeedbackMessage[], id: string) => fs.find((f) => "mutatieId" in f && f.mutatieId === id);

function enrol(n: string, bsn: string | null, over: { achternaam?: string; geslacht?: "M" | "V"; geboortedatum?: string; postcode?: string; inschrijfdatum?: string } = {}): Mutatie {
  return {
    soort: "NIEUWE_INSCHRIJVING",
    mutatieId: `M-${n}`,
    leerling: sampleLeerling({
      id: `L-${n}`, pgn: bsn ? { soort: "BSN", nummer: bsn } : null, voornamen: "Test", voorvoegsels: null,
      achternaam: over.achternaam ?? "Jansen", geslacht: over.geslacht ?? "M", geboortedatum: over.geboortedatum ?? "2014-03-09", adres: adres(over.postcode ?? "1234AB"),
    }),
    inschrijving: sampleInschrijving({ id: `I-${n}`, leerlingId: `L-${n}`, inschrijfdatum: over.inschrijfdatum ?? "2020-08-17" }),
  };
}

describe("BRON client ↔ simulator over mutual TLS", () => {
  it("every delivery kind is received and answered by feedback that refers to its mutation id", async () => {
    const ins = enrol("1", bsnJan);
    const ref = { leerlingId: "L-1", pgn: { soort: "BSN" as const, nummer: bsnJan } };
    const base = sampleInschrijving({ id: "I-1", leerlingId: "L-1" });
    // the corrected inschrijfdatum moves the first group period with it (a period before the enrolment is an afkeur)
    const gecorrigeerd = { ...base, leerjaar: 5, inschrijfdatum: "2020-08-18", klassenhistorie: [{ leerjaar: 5, groep: "5A", begindatum: "2020-08-18" }] };
    const mutaties: Mutatie[] = [
      ins,
      { soort: "WIJZIGING_ONDERWIJSGEGEVENS", mutatieId: "M-1b", leerling: ref, inschrijving: { ...base, leerjaar: 5 } },
      { soort: "CORRECTIE_INSCHRIJFDATUM", mutatieId: "M-1c", leerling: ref, oudeInschrijfdatum: "2020-08-17", inschrijving: gecorrigeerd },
      { soort: "UITSCHRIJVING", mutatieId: "M-1d", leerling: ref, inschrijving: { ...gecorrigeerd, uitschrijfdatum: "2026-07-31", redenUitschrijving: "VERHUIZING" } },
      { soort: "WIJZIGING_SLEUTELGEGEVENS", mutatieId: "M-1e", leerling: { ...(ins.leerling as object), achternaam: "Jansen" } as never },
      { soort: "IDENTIFICATIEVERZOEK", mutatieId: "M-1f", leerling: sampleLeerling({ id: "L-ID", pgn: null, achternaam: "Pietersen", geslacht: "M", geboortedatum: "2015-01-01", adres: adres("1234AB") }) },
    ];
    const res = await client.deliver(mutaties);
    expect(res.ontvangenMutatieIds).toEqual(mutaties.map((m) => m.mutatieId));

    const fb = await drain();
    for (const m of mutaties) expect(byMutatie(fb, m.mutatieId)?.soort, m.mutatieId).toBe("INSCHRIJVING_GEACCEPTEERD");
    const uit = byMutatie(fb, "M-1d") as Extract<FeedbackMessage, { soort: "INSCHRIJVING_GEACCEPTEERD" }>;
    expect(uit.inschrijving).toMatchObject({ inschrijvingId: "I-1", inschrijfdatum: "2020-08-18", uitschrijfdatum: "2026-07-31", leerjaar: 5, aanleverpunt: AP });
    const id = byMutatie(fb, "M-1f") as Extract<FeedbackMessage, { soort: "INSCHRIJVING_GEACCEPTEERD" }>;
    expect(id.leerling.pgn).toEqual({ soort: "BSN", nummer: bsnPiet }); // found in the BRP by key data

    await client.deliver([{ soort: "VERWIJDERING_INSCHRIJVING", mutatieId: "M-1g", leerling: ref, inschrijvingId: "I-1" }]);
    const del = byMutatie(await drain(), "M-1g");
    expect(del).toMatchObject({ soort: "INSCHRIJVING_GEACCEPTEERD", inschrijving: null });
    const reg = (await (await fetch(`${sim.adminUrl}/register/${AP}`)).json()) as { inschrijvingen: unknown[] };
    expect(reg.inschrijvingen).toEqual([]);
  });

  it("BRON refuses (afkeur) an 11-test failure, a BSN not matching geslacht + geboortedatum, an unknown postcode, a wrong date order and a change for an unknown enrolment", async () => {
    const cases: [Mutatie, string][] = [
      [enrol("2a", "123456789"), "1001"],
      [enrol("2b", bsnKees, { achternaam: "Kok", geslacht: "M", geboortedatum: "2016-05-05" }), "1003"],
      [enrol("2c", null, { postcode: "9999ZZ" }), "1010"],
      [enrol("2d", null, { geboortedatum: "2021-01-01", inschrijfdatum: "2020-08-17" }), "1021"],
      [{ soort: "WIJZIGING_ONDERWIJSGEGEVENS", mutatieId: "M-2e", leerling: { leerlingId: "L-none", pgn: null }, inschrijving: sampleInschrijving({ id: "I-none", leerlingId: "L-none" }) }, "1030"],
    ];
    await client.deliver(cases.map(([m]) => m));
    const fb = await drain();
    for (const [m, code] of cases) {
      const f = byMutatie(fb, m.mutatieId);
      expect(f?.soort, m.mutatieId).toBe("AFKEUR");
      expect((f as Extract<FeedbackMessage, { soort: "AFKEUR" }>).signalen.map((s) => s.code)).toContain(code);
      expect((f as Extract<FeedbackMessage, { soort: "AFKEUR" }>).signalen[0]!.actionId).toBe(m.mutatieId);
    }
  });

  it("an enrolment without a BSN is accepted with a newly assigned, valid onderwijsnummer; a name differing from the BRP gets an attentiesignaal", async () => {
    await client.deliver([enrol("3a", null, { postcode: "5678CD" }), enrol("3b", bsnKees, { achternaam: "Kokx", geslacht: "V", geboortedatum: "2016-05-05" })]);
    const fb = await drain();
    const a = byMutatie(fb, "M-3a") as Extract<FeedbackMessage, { soort: "INSCHRIJVING_GEACCEPTEERD" }>;
    expect(a.toegekendOnderwijsnummer).not.toBeNull();
    expect(checkOnderwijsnummer(a.toegekendOnderwijsnummer!).ok).toBe(true);
    expect(a.leerling.pgn).toEqual({ soort: "ONDERWIJSNUMMER", nummer: a.toegekendOnderwijsnummer });
    const b = byMutatie(fb, "M-3b") as Extract<FeedbackMessage, { soort: "INSCHRIJVING_GEACCEPTEERD" }>;
    expect(b.leerling.achternaam).toBe("Kok");
    expect(b.signalen).toMatchObject([{ code: "2001", ernst: "ATTENTIE" }]);
    expect(checkBsn(bsnKees).ok).toBe(true);
  });

  it("the admin endpoint's 'population register changed' gives a spontane mutatie and 'BSN found' a wijziging sleutelgegevens", async () => {
    await client.deliver([enrol("4a", bsnJan), enrol("4b", null)]);
    const fb = await drain();
    const onr = (byMutatie(fb, "M-4b") as Extract<FeedbackMessage, { soort: "INSCHRIJVING_GEACCEPTEERD" }>).toegekendOnderwijsnummer!;

    await post("brp-wijziging", { ...persoon(bsnJan, "Jansen-de Vries", "M", "2014-03-09") });
    await post("bsn-gevonden", { onderwijsnummer: onr, bsn: bsnPiet });
    const events = await drain();
    const spontaan = events.filter((f) => f.soort === "SPONTANE_MUTATIE");
    expect(spontaan.map((f) => (f as Extract<FeedbackMessage, { soort: "SPONTANE_MUTATIE" }>).leerling.achternaam)).toContain("Jansen-de Vries");
    const sleutel = events.find((f) => f.soort === "WIJZIGING_SLEUTELGEGEVENS") as Extract<FeedbackMessage, { soort: "WIJZIGING_SLEUTELGEGEVENS" }>;
    expect(sleutel.oudPgn).toEqual({ soort: "ONDERWIJSNUMMER", nummer: onr });
    expect(sleutel.leerling).toMatchObject({ leerlingId: "L-4b", pgn: { soort: "BSN", nummer: bsnPiet }, achternaam: "Pietersen" });
  });

  it("a dubbele inschrijving comes back on every delivery and overzicht until the other school fixes it", async () => {
    const other = { ...sampleInschrijving({ id: "X-1", leerlingId: "OTHER-1", inschrijfdatum: "2024-08-01", vestiging: "22CC01" }), inschrijvingId: "X-1", aanleverpunt: "22CC00", pgn: { soort: "BSN", nummer: bsnOverlap } };
    await put("andere-scholen", [other]);
    await client.deliver([enrol("5", bsnOverlap, { achternaam: "Dubbel", geslacht: "V", geboortedatum: "2013-02-02" })]);
    const first = (await drain()).filter((f) => f.soort === "DUBBELE_INSCHRIJVING");
    expect(first).toMatchObject([{ dubbel: { leerlingId: "L-5", inschrijvingId: "I-5", andereVestiging: "22CC01", inschrijfdatum: "2024-08-01" } }]);

    await client.requestRegistratieoverzicht("2026-11-28");
    expect((await drain()).filter((f) => f.soort === "DUBBELE_INSCHRIJVING")).toHaveLength(1);

    await put("andere-scholen", [{ ...other, uitschrijfdatum: "2020-08-16" }]);
    await client.requestRegistratieoverzicht("2026-11-28");
    expect((await drain()).filter((f) => f.soort === "DUBBELE_INSCHRIJVING")).toHaveLength(0);
  });

  it("the registratieoverzicht at a peildatum lists current enrolments and, as historisch, those ended before it", async () => {
    const ended = enrol("6a", null);
    const m = ended as Extract<Mutatie, { soort: "NIEUWE_INSCHRIJVING" }>;
    await client.deliver([{ ...m, inschrijving: { ...m.inschrijving, uitschrijfdatum: "2022-07-31", redenUitschrijving: "VERHUIZING" } }, enrol("6b", null)]);
    await drain();
    await client.requestRegistratieoverzicht("2023-01-01");
    const overzicht = (await drain()).find((f) => f.soort === "REGISTRATIEOVERZICHT") as Extract<FeedbackMessage, { soort: "REGISTRATIEOVERZICHT" }>;
    expect(overzicht.peildatum).toBe("2023-01-01");
    expect(overzicht.historisch.map((i) => i.inschrijvingId)).toContain("I-6a");
    expect(overzicht.inschrijvingen.map((i) => i.inschrijvingId)).toContain("I-6b");
    expect(overzicht.inschrijvingen.map((i) => i.inschrijvingId)).not.toContain("I-6a");
    expect(overzicht.leerlingen.map((l) => l.leerlingId)).toEqual(expect.arrayContaining(["L-6a", "L-6b"]));
  });

  it("feedback is handed out again on every fetch until it is acknowledged", async () => {
    await client.deliver([enrol("7", null)]);
    const once = await client.fetchFeedback();
    const again = await client.fetchFeedback();
    expect(again.terugkoppelingen.map((f) => f.id)).toEqual(once.terugkoppelingen.map((f) => f.id));
    expect((await client.acknowledge(once.terugkoppelingen.map((f) => f.id))).aantalBevestigd).toBe(once.terugkoppelingen.length);
    expect((await client.fetchFeedback()).terugkoppelingen).toEqual([]);
  });

  it("a PFX certificate handed out by a provider function (as from Key Vault) works the same", async () => {
    let asked = 0;
    const pfxClient = createBronClient({
      endpoint: sim.url, aanleverpunt: AP, serverCa: pki.ca.cert,
      certificate: async () => (asked++, { pfx: pki.clients[AP]!.pfx, passphrase: "" }),
    });
    await expect(pfxClient.fetchFeedback()).resolves.toMatchObject({ aanleverpunt: AP });
    expect(asked).toBe(1);
    pfxClient.close();
  });

  it("a certificate of another aanleverpunt is refused (ExternalRejection, not retried) and nothing is registered", async () => {
    const intruder = clientFor(AP, OTHER_AP);
    const before = sim.counters();
    await expect(intruder.deliver([enrol("8", null)])).rejects.toSatisfy((e) => e instanceof ExternalRejection && (e as ExternalRejection).code === "AANLEVERPUNT_NIET_TOEGESTAAN");
    intruder.close();
    expect(sim.counters().mutaties).toBe(before.mutaties);
    expect(sim.counters()["fout:AANLEVERPUNT_NIET_TOEGESTAAN"]).toBe((before["fout:AANLEVERPUNT_NIET_TOEGESTAAN"] ?? 0) + 1);
  });
});

async function post(path: string, body: unknown) {
  const r = await fetch(`${sim.adminUrl}/${path}`, { method: "POST", body: JSON.stringify(body) });
  expect(r.status).toBe(200);
  return r.json();
}
async function put(path: string, body: unknown) {
  const r = await fetch(`${sim.adminUrl}/${path}`, { method: "PUT", body: JSON.stringify(body) });
  expect(r.status, await r.clone().text()).toBe(200);
  return r.json();
}
