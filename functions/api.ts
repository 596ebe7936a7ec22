import { isVisible } from "../src/core/action-lifecycle.js";
import { randomUUID } from "node:crypto";
import type { HttpRequest } from "@azure/functions";
import * as df from "durable-functions";
import { z } from "zod";
import { listAanleverpunten, loadActionList, loadDuplicateEnrolments, loadFailedFeedback, loadLvsProblems, loadPupilOverview } from "../src/activities/admin-views.js";
import { decide } from "../src/activities/decide.js";
import { runtimeDeps } from "../src/activities/runtime.js";
import { config } from "../src/config.js";
import { deleteAction, deleteUnexecutedActions, forgottenDecisions } from "../src/core/action-list.js";
import { ACTIE_FILTERS, DEFAULT_ACTIE_FILTER } from "../src/core/action-view.js";
import { maskAction } from "../src/core/masking.js";
import { Keuze, type Action } from "../src/core/model.js";
import { LEERLING_FILTERS } from "../src/core/pupil-overview.js";
import { endpoint } from "./access.js";
import { jsonResponse as json } from "./http-guards.js";
import { DECISIONS_EVENT, syncInstanceId } from "../src/orchestrations/names.js";
import { startSync, type StartOutcome } from "../src/orchestrations/start-sync.js";
import type { SyncInput } from "../src/orchestrations/sync-aanleverpunt.js";
import { loadInstellingen } from "../src/activities/beheer.js";
import { runStatusView } from "../src/orchestrations/status-view.js";
import { failureOf } from "../src/activities/failures.js";
import { safeRowKey } from "../src/adapters/state/tables.js";

// The admin API, used by the beheerpagina (functions/admin-page.ts). In Azure the Function App sits
// behind App Service Authentication (Entra ID); every endpoint is registered through
// functions/access.ts, which authorises the person for the aanleverpunt in the route before the
// handler runs (docs/access.md). Errors answer with a Dutch `melding` (or `meldingen`).

/** Shared with the other API files (functions/api-*.ts). */
export { json };

export type Parsed<T> = { ok: true; value: T } | { ok: false; response: ReturnType<typeof json> };

/** Parses a route parameter or body with zod; a bad value gives a 400 naming the field. */
export function parse<T>(schema: z.ZodType<T>, value: unknown, melding = "De invoer is ongeldig."): Parsed<T> {
  const r = schema.safeParse(value);
  if (r.success) return { ok: true, value: r.data };
  return { ok: false, response: json(400, { fout: "ONGELDIGE_INVOER", melding, meldingen: r.error.issues.map((i) => `${i.path.join(".") || "invoer"}: ${i.message}`) }) };
}

export const route = (path: string) => `aanleverpunten/{aanleverpunt}/${path}`;
export const durable = [df.input.durableClient()];

/** A request's JSON body; undefined when it has none or it is no JSON (parse then refuses it). */
export const readBody = async (req: HttpRequest): Promise<unknown> => req.json().catch(() => undefined);

/** Wakes a run that waits (for decisions or 'Verwerken en verzenden'): its next round reads LVS2000 again and checks. When none waits, the next run picks it up. */
export async function wake(client: df.DurableClient, ap: string, door: string): Promise<void> {
  await client.raiseEvent(syncInstanceId(ap), DECISIONS_EVENT, { door }).catch(() => undefined);
}

/** The aanleverpunten the person may see: a Beheerder all, a Schooladministratie person those of their schools. */
endpoint("aanleverpunten", {
  methods: ["GET"],
  route: "aanleverpunten",
  toegang: "rol",
  wat: "Aanleverpunten ophalen",
  handler: async (_req, _context, access) => json(200, { aanleverpunten: await access.zichtbaar(await listAanleverpunten(runtimeDeps()), (a) => a.code) }),
});

const LOOPT_AL = "Er loopt al een synchronisatie voor dit aanleverpunt.";

/**
 * Durable's start is not atomic. Starts of one instance id at the same moment can all be accepted
 * (Azure Storage runs one and drops the others' start messages), and a start while a run is active
 * fails with a bare HTTP 500 from the extension. So a manual start carries its own `aanvraag` id in
 * the run's input (the orchestration ignores it), and the run's input then tells whose start won: a
 * start that lost, or failed while a run of someone else is active, is answered "loopt al" (409).
 */
export async function startManual(client: df.DurableClient, ap: string, extra: Pick<SyncInput, "peildatum"> = {}, opts: { vervangWachtend?: boolean } = {}): Promise<StartOutcome> {
  const aanvraag = randomUUID();
  const instanceId = syncInstanceId(ap);
  // the aanleverpunt's instellingen: how long the run waits, and whether it sends without a person pressing 'Verwerken en verzenden'
  const { verzendwijze, wachttijdUren } = await loadInstellingen(runtimeDeps(), ap);
  const input: SyncInput = { aanleverpunt: ap, aanleiding: "HANDMATIG" as const, overzichtWachttijdSeconden: config().OVERZICHT_WACHTTIJD_SECONDEN, aanvraag, verzendwijze, wachttijdUren, ...extra };
  const otherRun = async (activeOnly: boolean) => {
    const s = await client.getStatus(instanceId).catch(() => undefined);
    if (!s || (activeOnly && !["Pending", "Running", "Suspended", "ContinuedAsNew"].includes(String(s.runtimeStatus)))) return false;
    return (s.input as { aanvraag?: unknown } | null)?.aanvraag !== aanvraag;
  };
  let outcome: StartOutcome;
  try {
    outcome = await startSync(client, input, opts);
  } catch (e) {
    if (await otherRun(true)) return { gestart: false, instanceId, reden: LOOPT_AL };
    throw e;
  }
  if (outcome.gestart && (await otherRun(false))) return { gestart: false, instanceId, reden: LOOPT_AL };
  return outcome;
}

endpoint("startSyncHandmatig", {
  methods: ["POST"],
  route: route("sync"),
  toegang: "aanleverpunt",
  wat: "Synchronisatie starten",
  extraInputs: durable,
  handler: async (_req, context, access) => {
    const ap = access.aanleverpunt;
    const outcome = await startManual(df.getClient(context), ap);
    await runtimeDeps().state.audit(ap, new Date(), { op: "RUN", door: access.door, wat: outcome.gestart ? "handmatige sync gestart" : "handmatige sync geweigerd", details: { instanceId: outcome.instanceId } });
    return outcome.gestart ? json(202, outcome) : json(409, { ...outcome, fout: "SYNC_LOOPT_AL", melding: outcome.reden });
  },
});

endpoint("syncStatus", {
  methods: ["GET"],
  route: route("status"),
  toegang: "aanleverpunt",
  wat: "Status ophalen",
  extraInputs: durable,
  handler: async (_req, context, access) => {
    const ap = access.aanleverpunt;
    const status = await df.getClient(context).getStatus(syncInstanceId(ap)).catch(() => undefined);
    if (!status) return json(404, { fout: "GEEN_SYNC", melding: "Voor dit aanleverpunt heeft nog geen synchronisatie gelopen." });
    const view = runStatusView(status);
    if (status.runtimeStatus === "Failed") context.warn(`sync ${status.instanceId} mislukt: ${failureOf(status.output)?.code ?? "onbekende fout"}`);
    return json(200, view);
  },
});

endpoint("acties", {
  methods: ["GET"],
  route: route("acties"),
  toegang: "aanleverpunt",
  wat: "Acties ophalen",
  handler: async (_req, _context, access) => {
    const ap = access.aanleverpunt;
    const [actions, signals] = await Promise.all([runtimeDeps().state.loadActions(ap), runtimeDeps().state.loadSignals(ap)]);
    // a deleted sent action's hidden tombstone is never listed
    return json(200, { acties: actions.filter(isVisible).map(maskAction), signalen: signals });
  },
});

const ActieToon = z.enum(ACTIE_FILTERS).default(DEFAULT_ACTIE_FILTER);
const ActieDeel = z.object({ vanaf: z.coerce.number().int().min(0).optional(), aantal: z.coerce.number().int().min(1).max(10_000).optional() });

/** The action list as the beheerpagina shows it: labels, deadline status, signals, applicable decisions; masked. */
endpoint("actielijst", {
  methods: ["GET"],
  route: route("actielijst"),
  toegang: "aanleverpunt",
  wat: "Acties ophalen",
  handler: async (req, _context, access) => {
    const ap = access.aanleverpunt;
    const toon = parse(ActieToon, req.query.get("toon") ?? undefined, `Onbekend filter 'Toon': kies uit ${ACTIE_FILTERS.join(", ")}.`);
    if (!toon.ok) return toon.response;
    // a page of the list (the beheerpagina shows a few hundred rows at a time); without them: all
    const deel = parse(ActieDeel, { vanaf: req.query.get("vanaf") ?? undefined, aantal: req.query.get("aantal") ?? undefined }, "Ongeldige 'vanaf' of 'aantal': geef hele getallen (vanaf 0 of meer, aantal 1 tot en met 10000).");
    if (!deel.ok) return deel.response;
    return json(200, await loadActionList(runtimeDeps(), ap, toon.value, deel.value));
  },
});

endpoint("terugkoppelingMislukt", {
  methods: ["GET"],
  route: route("terugkoppeling/mislukt"),
  toegang: "aanleverpunt",
  wat: "Terugkoppeling ophalen",
  handler: async (_req, _context, access) => {
    const ap = access.aanleverpunt;
    return json(200, { berichten: await loadFailedFeedback(runtimeDeps(), ap) });
  },
});

/** The LVS2000 rows the relay could not read cleanly: what the school must fix in LVS2000 (ids, fields, reasons). */
endpoint("lvsProblemen", {
  methods: ["GET"],
  route: route("lvs-problemen"),
  toegang: "aanleverpunt",
  wat: "Problemen in LVS2000 ophalen",
  handler: async (_req, _context, access) => {
    const ap = access.aanleverpunt;
    return json(200, { problemen: await loadLvsProblems(runtimeDeps(), ap) });
  },
});

endpoint("dubbeleInschrijvingen", {
  methods: ["GET"],
  route: route("dubbele-inschrijvingen"),
  toegang: "aanleverpunt",
  wat: "Dubbele inschrijvingen ophalen",
  handler: async (_req, _context, access) => {
    const ap = access.aanleverpunt;
    return json(200, { dubbeleInschrijvingen: await loadDuplicateEnrolments(runtimeDeps(), ap) });
  },
});

const LeerlingToon = z.enum(LEERLING_FILTERS).default("ALLE");

endpoint("leerlingen", {
  methods: ["GET"],
  route: route("leerlingen"),
  toegang: "aanleverpunt",
  wat: "Overzicht leerlingen ophalen",
  handler: async (req, _context, access) => {
    const ap = access.aanleverpunt;
    const toon = parse(LeerlingToon, req.query.get("toon") ?? undefined, `Onbekend filter 'Toon': kies uit ${LEERLING_FILTERS.join(", ")}.`);
    if (!toon.ok) return toon.response;
    return json(200, { leerlingen: await loadPupilOverview(runtimeDeps(), ap, toon.value) });
  },
});

const BeslissingBody = z.object({ keuze: Keuze });

endpoint("beslissing", {
  methods: ["POST"],
  route: route("acties/{actionId}/beslissing"),
  toegang: "aanleverpunt",
  wat: "Beslissing vastleggen",
  extraInputs: durable,
  handler: async (req, context, access) => {
    const ap = access.aanleverpunt;
    const body = parse(BeslissingBody, await readBody(req), "Kies een beslissing: NEGEREN, NAAR_BRON of NAAR_LVS.");
    if (!body.ok) return body.response;
    const outcome = await decide(runtimeDeps(), ap, req.params.actionId ?? "", body.value.keuze, access.door);
    if (!outcome.ok) return json(outcome.status, { fout: "BESLISSING_GEWEIGERD", melding: outcome.reden });
    await wake(df.getClient(context), ap, access.door);
    return json(200, { ok: true });
  },
});

/** A person removes actions; only the rows that change are written, and who did it is audited. */
async function removeActions(ap: string, door: string, wat: string, keep: (actions: readonly Action[]) => Action[]): Promise<number> {
  const deps = runtimeDeps();
  const actions = await deps.state.loadActions(ap);
  const kept = keep(actions);
  // an action that changed meanwhile (e.g. just taken by a send) is not removed: only count what really went
  const { conflicts } = await deps.state.updateActions(ap, actions, kept);
  // the choices on what went are forgotten with it: the next run asks about those differences again
  const untouched = new Set(conflicts);
  await deps.state.forgetDecisions(ap, forgottenDecisions(actions.filter((a) => !untouched.has(safeRowKey(a.id))), kept));
  const after = new Map(kept.map((a) => [a.id, a]));
  // removed, or left as a hidden tombstone (a sent action keeps one until BRON's answer arrived)
  const verwijderd = actions.filter((a) => after.get(a.id) !== a).length - conflicts.length;
  await deps.state.audit(ap, new Date(), { op: "VERWIJDEREN", door, wat, details: { verwijderd, gewijzigd: conflicts.length } });
  return verwijderd;
}

endpoint("verwijderActie", {
  methods: ["DELETE"],
  route: route("acties/{actionId}"),
  toegang: "aanleverpunt",
  wat: "Actie verwijderen",
  handler: async (req, _context, access) => {
    const ap = access.aanleverpunt;
    const id = req.params.actionId ?? "";
    const current = await runtimeDeps().state.loadActions(ap);
    const deleted = deleteAction(current, id);
    if (!deleted.ok) return json(deleted.notFound ? 404 : 409, { fout: deleted.notFound ? "ONBEKENDE_ACTIE" : "VERWIJDEREN_GEWEIGERD", melding: deleted.reason });
    const removed = await removeActions(ap, access.door, "actie verwijderd", (actions) => {
      const again = deleteAction(actions, id);
      return again.ok ? again.actions : [...actions];
    });
    return removed === 0 ? json(409, { fout: "VERWIJDEREN_GEWEIGERD", melding: "De actie is intussen gewijzigd; bekijk haar opnieuw." }) : json(200, { verwijderd: removed });
  },
});

endpoint("verwijderNietUitgevoerd", {
  methods: ["POST"],
  route: route("acties/verwijder-niet-uitgevoerd"),
  toegang: "aanleverpunt",
  wat: "Niet uitgevoerde acties verwijderen",
  handler: async (_req, _context, access) => {
    const ap = access.aanleverpunt;
    return json(200, { verwijderd: await removeActions(ap, access.door, "niet uitgevoerde acties verwijderd", deleteUnexecutedActions) });
  },
});
