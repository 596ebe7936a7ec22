/**
 * DEV/TEST ONLY. The simulator's admin API (plain HTTP on loopback, JSON):
 *   GET  /admin/tellers                 counters (berichten, mutaties, dubbeleBerichten, dubbeleMutaties, …)
 *   GET  /admin/storingen               fault knobs;  PUT: set some of them
 *   POST /admin/seed                    BRP, postcodes, other schools, existing register (BronSeed)
 *   POST /admin/brp-wijziging           a BrpPersoon: "population register changed" → spontane mutatie
 *   POST /admin/bsn-gevonden            {onderwijsnummer, bsn}: → wijziging sleutelgegevens
 *   PUT  /admin/andere-scholen          replace other schools' enrolments (e.g. the other school fixed it)
 *   GET  /admin/register/<aanleverpunt> what BRON holds, and every feedback message with its state
 *   POST /admin/terugkoppeling          fault injection: {aanleverpunt, bericht} queues one feedback message
 *                                       as given; `bericht.id` may break the contract (any length, blank) or be
 *                                       absent (no terugkoppelingId on the wire), as a broken BRON could send
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { FeedbackMessage } from "../../src/core/model.js";
import { Storingen, type FaultKnobs } from "./faults.js";
import { brpGewijzigd, bsnGevonden } from "./register-events.js";
import { AndereInschrijving, BronSeed, BrpPersoon } from "./seed.js";
import type { SimulatorStore } from "./store.js";

export interface AdminContext {
  store: SimulatorStore;
  knobs: FaultKnobs;
  feedbackDelayMs: number;
}

/** Loads seed data into the store in one transaction (adds; other schools' list is replaced when given). */
export function applySeed(store: SimulatorStore, input: unknown): { personen: number; leerlingen: number } {
  const seed = BronSeed.parse(input);
  return store.transaction(() => {
    for (const p of seed.bevolking) store.putPersoon(p);
    for (const pc of seed.postcodes) store.addPostcode(pc);
    if (seed.andereScholen.length > 0) store.replaceAndereInschrijvingen(seed.andereScholen);
    let leerlingen = 0;
    for (const r of seed.bron) {
      for (const l of r.leerlingen) store.putLeerling(r.aanleverpunt, l);
      for (const i of [...r.inschrijvingen, ...r.historisch]) store.putInschrijving(i);
      leerlingen += r.leerlingen.length;
    }
    return { personen: seed.bevolking.length, leerlingen };
  });
}

export async function handleAdmin(req: IncomingMessage, res: ServerResponse, ctx: AdminContext): Promise<void> {
  const url = new URL(req.url ?? "/", "http://admin");
  const route = `${req.method} ${url.pathname}`;
  try {
    const body = req.method === "GET" ? undefined : await readJson(req);
    const register = /^GET \/admin\/register\/(\w+)$/.exec(route);
    if (route === "GET /admin/tellers") return json(res, 200, ctx.store.counters());
    if (route === "GET /admin/storingen") return json(res, 200, ctx.knobs.current());
    if (route === "PUT /admin/storingen") return json(res, 200, ctx.knobs.set(Storingen.partial().parse(body)));
    if (route === "POST /admin/seed") return json(res, 200, applySeed(ctx.store, body));
    if (route === "POST /admin/brp-wijziging") {
      const persoon = BrpPersoon.parse(body);
      return json(res, 200, { spontaneMutaties: ctx.store.transaction(() => brpGewijzigd(ctx.store, persoon, ctx.feedbackDelayMs)) });
    }
    if (route === "POST /admin/bsn-gevonden") {
      const { onderwijsnummer, bsn } = z.object({ onderwijsnummer: z.string(), bsn: z.string() }).parse(body);
      return json(res, 200, { wijzigingen: ctx.store.transaction(() => bsnGevonden(ctx.store, onderwijsnummer, bsn, ctx.feedbackDelayMs)) });
    }
    if (route === "PUT /admin/andere-scholen") {
      const list = z.array(AndereInschrijving).parse(body);
      ctx.store.transaction(() => ctx.store.replaceAndereInschrijvingen(list));
      return json(res, 200, { aantal: list.length });
    }
    if (route === "POST /admin/terugkoppeling") {
      const { aanleverpunt, bericht } = z.object({ aanleverpunt: z.string(), bericht: z.looseObject({ id: z.string().optional() }) }).parse(body);
      // everything but the id must be a well-formed message of its kind
      const message = FeedbackMessage.parse({ ...bericht, id: "gecontroleerd", aanleverpunt });
      const { id: _ignored, ...rest } = message;
      ctx.store.injectFeedback(aanleverpunt, bericht.id ?? null, rest);
      return json(res, 200, { aantal: 1 });
    }
    if (register) {
      const ap = register[1]!;
      return json(res, 200, { leerlingen: ctx.store.leerlingen(ap), inschrijvingen: ctx.store.inschrijvingen(ap), terugkoppelingen: ctx.store.allFeedback(ap) });
    }
    if (route === "GET /health") return json(res, 200, { ok: true });
    return json(res, 404, { error: `no route ${route}` });
  } catch (e) {
    return json(res, e instanceof z.ZodError || e instanceof SyntaxError ? 400 : 500, { error: (e as Error).message });
  }
}

function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      try {
        const text = Buffer.concat(chunks).toString("utf8");
        resolve(text ? JSON.parse(text) : {});
      } catch (e) {
        reject(e);
      }
    });
    req.on("error", reject);
  });
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}
