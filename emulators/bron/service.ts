/**
 * DEV/TEST ONLY. The four operations as the simulator answers them, inside one transaction per
 * request: deliveries are registered mutation by mutation (each answered by feedback), an overzicht
 * request queues the registratieoverzicht, feedback is handed out until acknowledged.
 */
import type { ParsedRequest } from "../../src/contracts/bron/codec.js";
import type { Responses } from "../../src/contracts/bron/codec-operations.js";
import type { Mutatie } from "../../src/contracts/bron/messages.js";
import type { Operation } from "../../src/contracts/bron/constants.js";
import { findDubbele, queueDubbele, queueOverzicht } from "./register-events.js";
import { processMutatie } from "./rules.js";
import type { SimulatorStore } from "./store.js";

export interface ServiceOptions {
  /** how long feedback waits before it can be fetched (0 in tests) */
  feedbackDelayMs: number;
  /** most feedback messages per fetch when the request names no maximum */
  defaultFetchMax: number;
}

export type AnyResponse = { [Op in Operation]: Omit<Responses[Op], "onleesbaar"> }[Operation];

export function handleOperation(store: SimulatorStore, ap: string, parsed: ParsedRequest, messageId: string, o: ServiceOptions): AnyResponse {
  const now = new Date().toISOString();
  const today = now.slice(0, 10);
  switch (parsed.op) {
    case "aanleverenMutaties": {
      for (const m of parsed.request.mutaties) deliverOne(store, ap, m, messageId, today, o.feedbackDelayMs);
      store.count("mutaties", parsed.request.mutaties.length);
      return { aanleverpunt: ap, ontvangenOp: now, ontvangenMutatieIds: parsed.request.mutaties.map((m) => m.mutatieId) };
    }
    case "aanvragenRegistratieoverzicht":
      queueOverzicht(store, ap, parsed.request.peildatum, today, o.feedbackDelayMs);
      return { aanleverpunt: ap, peildatum: parsed.request.peildatum, ontvangenOp: now };
    case "ophalenTerugkoppeling": {
      const { berichten, meer } = store.openFeedback(ap, parsed.request.maximumAantal ?? o.defaultFetchMax);
      return { aanleverpunt: ap, meerBeschikbaar: meer, terugkoppelingen: berichten };
    }
    case "bevestigenOntvangst":
      return { aanleverpunt: ap, aantalBevestigd: store.acknowledge(ap, parsed.request.terugkoppelingIds) };
    default:
      return assertNever(parsed);
  }
}

/** One mutation: registered (counting it if its id was registered before), answered, overlaps reported. */
function deliverOne(store: SimulatorStore, ap: string, m: Mutatie, messageId: string, today: string, delayMs: number): void {
  if (!store.registerMutatie(ap, m.mutatieId, messageId)) store.count("dubbeleMutaties");
  const u = processMutatie(store, ap, m, today);
  if (u.soort === "AFKEUR") {
    store.count("afgekeurd");
    store.queueFeedback(ap, (id, ontvangenOp) => ({ id, aanleverpunt: ap, ontvangenOp, soort: "AFKEUR", mutatieId: m.mutatieId, signalen: u.signalen }), delayMs);
    return;
  }
  store.count("geaccepteerd");
  store.queueFeedback(
    ap,
    (id, ontvangenOp) => ({
      id,
      aanleverpunt: ap,
      ontvangenOp,
      soort: "INSCHRIJVING_GEACCEPTEERD",
      mutatieId: m.mutatieId,
      leerling: u.leerling,
      inschrijving: u.inschrijving,
      toegekendOnderwijsnummer: u.toegekend,
      signalen: u.signalen,
    }),
    delayMs,
  );
  if (u.inschrijving) queueDubbele(store, ap, findDubbele(store, ap, store.inschrijvingenVan(ap, u.leerling.leerlingId), today), delayMs);
}

function assertNever(x: never): never {
  throw new Error(`unhandled operation ${JSON.stringify(x)}`);
}
