import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { planDeliveries } from "../../src/adapters/bron/batches.js";
import { createBronClient } from "../../src/adapters/bron/client.js";
import { deliveryMessageId } from "../../src/contracts/bron/message-id.js";
import { buildRequest, buildResponse, parseRequest, parseResponse } from "../../src/contracts/bron/codec.js";
import { DUO_OIN } from "../../src/contracts/bron/constants.js";
import type { FeedbackMessage, Mutatie } from "../../src/contracts/bron/messages.js";
import { schoolOin } from "../../src/core/validation.js";
import { sampleBronInschrijving, sampleBronLeerling, sampleInschrijving, sampleLeerling, validBsns } from "../../emulators/bron/samples.js";
import { startBronSimulator } from "../../emulators/bron/simulator.js";
import { createTestPki } from "../../emulators/pki/test-pki.js";

/**
 * BRON: (1) mutations built + parsed per second through the contract codecs (SOAP envelope,
 * fast-xml-parser, zod both ways); (2) a first delivery of 2,000 pupils to the simulator over mutual
 * TLS (XSD validation on, as the simulator runs by default), then fetching and acknowledging all
 * feedback and the registratieoverzicht. Counts and bytes do not depend on machine speed.
 */
const PUPILS = Number(process.env.BENCH_BRON_PUPILS ?? 2000);
const BATCH = 500;
const AP = "00AA00";

const bsns = validBsns(PUPILS);
const mutaties: Mutatie[] = bsns.map((bsn, i) => ({
  soort: "NIEUWE_INSCHRIJVING",
  mutatieId: `ACT-${String(i).padStart(6, "0")}`,
  leerling: sampleLeerling({ id: `L${i}`, pgn: { soort: "BSN", nummer: bsn }, achternaam: `Achternaam${i}` }),
  inschrijving: sampleInschrijving({ id: `I${i}`, leerlingId: `L${i}` }),
}));
const batches = planDeliveries(mutaties, BATCH);
const addressing = { messageId: "urn:uuid:00000000-0000-5000-8000-000000000000", to: `https://bron.test/bron?oin=${DUO_OIN}`, fromOin: schoolOin("00AA") };
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(2)} MiB`;
const timed = async <T>(fn: () => T | Promise<T>) => {
  const t0 = performance.now();
  const result = await fn();
  return { ms: performance.now() - t0, result };
};

// (1) codecs
for (let i = 0; i < 2; i++) batches.forEach((b) => parseRequest(buildRequest("aanleverenMutaties", { aanleverpunt: AP, mutaties: b }, addressing))); // warm-up
const built = await timed(() => batches.map((b) => buildRequest("aanleverenMutaties", { aanleverpunt: AP, mutaties: b }, addressing)));
const parsed = await timed(() => built.result.map((xml) => parseRequest(xml)));
const reqBytes = built.result.reduce((n, x) => n + Buffer.byteLength(x), 0);
const rate = (ms: number) => Math.round((PUPILS * 1000) / ms);
console.log(`codec: ${PUPILS} mutations (nieuwe inschrijving) in ${batches.length} messages, ${mb(reqBytes)} (${Math.round(reqBytes / PUPILS)} B/mutation)`);
console.log(`  build ${built.ms.toFixed(0)} ms (${rate(built.ms)}/s), parse+zod ${parsed.ms.toFixed(0)} ms (${rate(parsed.ms)}/s), build+parse ${rate(built.ms + parsed.ms)} mutations/s`);

const feedback: FeedbackMessage[] = mutaties.map((m, i) => ({
  id: `TK-${i}`, aanleverpunt: AP, ontvangenOp: "2026-11-28T16:00:00.000Z", soort: "INSCHRIJVING_GEACCEPTEERD", mutatieId: m.mutatieId,
  leerling: sampleBronLeerling({ leerlingId: `L${i}` }), inschrijving: sampleBronInschrijving({ inschrijvingId: `I${i}`, leerlingId: `L${i}` }), toegekendOnderwijsnummer: null, signalen: [],
}));
const fbXml = await timed(() => buildResponse("ophalenTerugkoppeling", { aanleverpunt: AP, meerBeschikbaar: false, terugkoppelingen: feedback }, { ...addressing, relatesTo: addressing.messageId }));
const fbParsed = await timed(() => parseResponse("ophalenTerugkoppeling", fbXml.result));
console.log(`  feedback: ${PUPILS} 'inschrijving geaccepteerd' ${mb(Buffer.byteLength(fbXml.result))}: build ${fbXml.ms.toFixed(0)} ms, parse+zod ${fbParsed.ms.toFixed(0)} ms (${rate(fbParsed.ms)}/s), unreadable ${fbParsed.result.onleesbaar.length}`);

// (2) first delivery to the simulator over mutual TLS
const dir = mkdtempSync(join(tmpdir(), "bench-bron-"));
try {
  const pki = await createTestPki(join(dir, "pki"), [AP]);
  const bevolking = mutaties.map((m) => {
    const l = (m as Extract<Mutatie, { soort: "NIEUWE_INSCHRIJVING" }>).leerling;
    return { bsn: l.pgn!.nummer, voornamen: l.voornamen, voorvoegsels: l.voorvoegsels, achternaam: l.achternaam, geslacht: l.geslacht, geboortedatum: l.geboortedatum, adres: l.adres, nationaliteiten: l.nationaliteiten };
  });
  const sim = await startBronSimulator({ dataDir: join(dir, "sim"), tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert }, seed: { bevolking } });
  const c = pki.clients[AP]!;
  const client = createBronClient({ endpoint: sim.url, aanleverpunt: AP, certificate: { cert: c.cert, key: c.key }, serverCa: pki.ca.cert });
  const delivery = await timed(async () => {
    for (const b of batches) await client.deliver(b);
  });
  const sentBytes = batches.reduce((n, b) => n + Buffer.byteLength(buildRequest("aanleverenMutaties", { aanleverpunt: AP, mutaties: b }, { ...addressing, messageId: deliveryMessageId(AP, b.map((m) => m.mutatieId)) })), 0);
  console.log(`first delivery: ${PUPILS} pupils in ${batches.length} deliveries of ≤${BATCH}, ${mb(sentBytes)} sent, ${delivery.ms.toFixed(0)} ms (${rate(delivery.ms)} mutations/s incl. XSD check and register)`);

  let fetched = 0;
  let fetches = 0;
  const soorten: Record<string, number> = {};
  const fb = await timed(async () => {
    for (;;) {
      const r = await client.fetchFeedback(1000);
      fetches++;
      if (r.terugkoppelingen.length === 0) break;
      fetched += r.terugkoppelingen.length;
      for (const f of r.terugkoppelingen) soorten[f.soort] = (soorten[f.soort] ?? 0) + 1;
      await client.acknowledge(r.terugkoppelingen.map((f) => f.id));
    }
  });
  console.log(`feedback: ${fetched} messages in ${fetches} fetches (+acks), ${fb.ms.toFixed(0)} ms; kinds ${JSON.stringify(soorten)}`);

  const overzicht = await timed(async () => {
    await client.requestRegistratieoverzicht("2026-11-28");
    const r = await client.fetchFeedback(1);
    await client.acknowledge(r.terugkoppelingen.map((f) => f.id));
    return r.terugkoppelingen[0];
  });
  const o = overzicht.result as Extract<FeedbackMessage, { soort: "REGISTRATIEOVERZICHT" }> | undefined;
  console.log(`registratieoverzicht: ${o?.leerlingen.length ?? 0} leerlingen, ${o?.inschrijvingen.length ?? 0} inschrijvingen, request + fetch ${overzicht.ms.toFixed(0)} ms`);
  console.log(`simulator counters: ${JSON.stringify(sim.counters())}`);
  client.close();
  await sim.stop();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
