import { randomUUID } from "node:crypto";
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from "@azure/functions";
import * as df from "durable-functions";
import { z } from "zod";
import { listAanleverpunten, loadActionList, loadDuplicateEnrolments, loadFailedFeedback, loadLvsProblems, loadPupilOverview } from "../src/activities/admin-views.js";
import { decide } from "../src/activities/decide.js";
import { runtimeDeps } from "../src/activities/runtime.js";
import { config } from "../src/config.js";
import { deleteAction, deleteUnexecutedActions } from "../src/core/action-list.js";
import { ACTIE_FILTERS } from "../src/core/action-view.js";
import { maskAction } from "../src/core/masking.js";
import { Aanleverpunt, Keuze, type Action } from "../src/core/model.js";
import { LEERLING_FILTERS } from "../src/core/pupil-overview.js";
import { ensureError, TransientError } from "../src/errors.js";
import { refuseBadWrite, refuseCrossSite } from "./http-guards.js";
import { DECISIONS_EVENT, syncInstanceId } from "../src/orchestrations/names.js";
import { startSync, type StartOutcome } from "../src/orchestrations/start-sync.js";
import { runStatusView } from "../src/orchestrations/status-view.js";
import { failureOf } from "../src/activities/failures.js";

// The admin API, used by the beheerpagina (functions/admin-page.ts). In Azure the Function App sits
// behind App Service Authentication (Entra ID): only signed-in administrators reach it, and their name
// comes in x-ms-client-principal-name. Errors answer with a Dutch `melding` (or `meldingen`).

const json = (status: number, body: unknown): HttpResponseInit => ({ status, jsonBody: body, headers: { "Cache-Control": "no-store" } });
const who = (req: HttpRequest) => req.headers.get("x-ms-client-principal-name") ?? "lokale beheerder";

type Parsed<T> = { ok: true; value: T } | { ok: false; response: HttpResponseInit };

/** Parses a route parameter or body with zod; a bad value gives a 400 naming the field. */
function parse<T>(schema: z.ZodType<T>, value: unknown, melding = "De invoer is ongeldig."): Parsed<T> {
  const r = schema.safeParse(value);
  if (r.success) return { ok: true, value: r.data };
  return { ok: false, response: json(400, { fout: "ONGELDIGE_INVOER", melding, meldingen: r.error.issues.map((i) => `${i.path.join(".") || "invoer"}: ${i.message}`) }) };
}

const parseAp = (req: HttpRequest) =>
  parse(Aanleverpunt, req.params.aanleverpunt, "Ongeldig aanleverpunt: verwacht het BRIN-nummer gevolgd door twee cijfers, bijvoorbeeld 00AA00.");

/** Cross-site writes are refused (see functions/http-guards.ts); every write also passes it in `guarded`. */
const crossSite = refuseCrossSite;

/** An unexpected failure answers with a Dutch melding; the log gets the error's kind only (no personal data). */
function guarded(what: string, handler: (req: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit>) {
  return async (req: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    try {
      const refused = refuseBadWrite(req);
      if (refused) return refused;
      return await handler(req, context);
    } catch (e) {
      const err = ensureError(e);
      context.error(`${what} mislukt: ${err.name}`);
      if (err instanceof TransientError) return json(503, { fout: "NIET_BEREIKBAAR", melding: `${what} lukt nu niet: een gekoppelde dienst (LVS2000-relay, BRON of Key Vault) is niet bereikbaar. Probeer het zo opnieuw.` });
      return json(500, { fout: "INTERNE_FOUT", melding: `${what} is mislukt door een fout in de dienst. Probeer het later opnieuw of neem contact op met de beheerder.` });
    }
  };
}

const route = (path: string) => `aanleverpunten/{aanleverpunt}/${path}`;
const durable = [df.input.durableClient()];

app.http("aanleverpunten", {
  methods: ["GET"],
  route: "aanleverpunten",
  authLevel: "anonymous",
  handler: guarded("Aanleverpunten ophalen", async () => json(200, { aanleverpunten: await listAanleverpunten(runtimeDeps()) })),
});

const LOOPT_AL = "Er loopt al een synchronisatie voor dit aanleverpunt.";

/**
 * Durable's start is not atomic. Starts of one instance id at the same moment can all be accepted
 * (Azure Storage runs one and drops the others' start messages), and a start while a run is active
 * fails with a bare HTTP 500 from the extension. So a manual start carries its own `aanvraag` id in
 * the run's input (the orchestration ignores it), and the run's input then tells whose start won: a
 * start that lost, or failed while a run of someone else is active, is answered "loopt al" (409).
 */
async function startManual(client: df.DurableClient, ap: string): Promise<StartOutcome> {
  const aanvraag = randomUUID();
  const instanceId = syncInstanceId(ap);
  const input = { aanleverpunt: ap, aanleiding: "HANDMATIG" as const, overzichtWachttijdSeconden: config().OVERZICHT_WACHTTIJD_SECONDEN, aanvraag };
  const otherRun = async (activeOnly: boolean) => {
    const s = await client.getStatus(instanceId).catch(() => undefined);
    if (!s || (activeOnly && !["Pending", "Running", "Suspended", "ContinuedAsNew"].includes(String(s.runtimeStatus)))) return false;
    return (s.input as { aanvraag?: unknown } | null)?.aanvraag !== aanvraag;
  };
  let outcome: StartOutcome;
  try {
    outcome = await startSync(client, input);
  } catch (e) {
    if (await otherRun(true)) return { gestart: false, instanceId, reden: LOOPT_AL };
    throw e;
  }
  if (outcome.gestart && (await otherRun(false))) return { gestart: false, instanceId, reden: LOOPT_AL };
  return outcome;
}

app.http("startSyncHandmatig", {
  methods: ["POST"],
  route: route("sync"),
  authLevel: "anonymous",
  extraInputs: durable,
  handler: guarded("Synchronisatie starten", async (req, context) => {
    const ap = parseAp(req);
    if (!ap.ok) return ap.response;
    const refused = crossSite(req);
    if (refused) return refused;
    const outcome = await startManual(df.getClient(context), ap.value);
    await runtimeDeps().state.audit(ap.value, new Date(), { op: "RUN", door: who(req), wat: outcome.gestart ? "handmatige sync gestart" : "handmatige sync geweigerd", details: { instanceId: outcome.instanceId } });
    return outcome.gestart ? json(202, outcome) : json(409, { ...outcome, fout: "SYNC_LOOPT_AL", melding: outcome.reden });
  }),
});

app.http("syncStatus", {
  methods: ["GET"],
  route: route("status"),
  authLevel: "anonymous",
  extraInputs: durable,
  handler: guarded("Status ophalen", async (req, context) => {
    const ap = parseAp(req);
    if (!ap.ok) return ap.response;
    const status = await df.getClient(context).getStatus(syncInstanceId(ap.value)).catch(() => undefined);
    if (!status) return json(404, { fout: "GEEN_SYNC", melding: "Voor dit aanleverpunt heeft nog geen synchronisatie gelopen." });
    const view = runStatusView(status);
    if (status.runtimeStatus === "Failed") context.warn(`sync ${status.instanceId} mislukt: ${failureOf(status.output)?.code ?? "onbekende fout"}`);
    return json(200, view);
  }),
});

app.http("acties", {
  methods: ["GET"],
  route: route("acties"),
  authLevel: "anonymous",
  handler: guarded("Acties ophalen", async (req) => {
    const ap = parseAp(req);
    if (!ap.ok) return ap.response;
    const [actions, signals] = await Promise.all([runtimeDeps().state.loadActions(ap.value), runtimeDeps().state.loadSignals(ap.value)]);
    return json(200, { acties: actions.map(maskAction), signalen: signals });
  }),
});

const ActieToon = z.enum(ACTIE_FILTERS).default("WACHT_OP_BESLISSING");

/** The action list as the beheerpagina shows it: labels, deadline status, signals, applicable decisions; masked. */
app.http("actielijst", {
  methods: ["GET"],
  route: route("actielijst"),
  authLevel: "anonymous",
  handler: guarded("Acties ophalen", async (req) => {
    const ap = parseAp(req);
    if (!ap.ok) return ap.response;
    const toon = parse(ActieToon, req.query.get("toon") ?? undefined, `Onbekend filter 'Toon': kies uit ${ACTIE_FILTERS.join(", ")}.`);
    if (!toon.ok) return toon.response;
    return json(200, await loadActionList(runtimeDeps(), ap.value, toon.value));
  }),
});

app.http("terugkoppelingMislukt", {
  methods: ["GET"],
  route: route("terugkoppeling/mislukt"),
  authLevel: "anonymous",
  handler: guarded("Terugkoppeling ophalen", async (req) => {
    const ap = parseAp(req);
    if (!ap.ok) return ap.response;
    return json(200, { berichten: await loadFailedFeedback(runtimeDeps(), ap.value) });
  }),
});

/** The LVS2000 rows the relay could not read cleanly: what the school must fix in LVS2000 (ids, fields, reasons). */
app.http("lvsProblemen", {
  methods: ["GET"],
  route: route("lvs-problemen"),
  authLevel: "anonymous",
  handler: guarded("Problemen in LVS2000 ophalen", async (req) => {
    const ap = parseAp(req);
    if (!ap.ok) return ap.response;
    return json(200, { problemen: await loadLvsProblems(runtimeDeps(), ap.value) });
  }),
});

app.http("dubbeleInschrijvingen", {
  methods: ["GET"],
  route: route("dubbele-inschrijvingen"),
  authLevel: "anonymous",
  handler: guarded("Dubbele inschrijvingen ophalen", async (req) => {
    const ap = parseAp(req);
    if (!ap.ok) return ap.response;
    return json(200, { dubbeleInschrijvingen: await loadDuplicateEnrolments(runtimeDeps(), ap.value) });
  }),
});

const LeerlingToon = z.enum(LEERLING_FILTERS).default("ALLE");

app.http("leerlingen", {
  methods: ["GET"],
  route: route("leerlingen"),
  authLevel: "anonymous",
  handler: guarded("Overzicht leerlingen ophalen", async (req) => {
    const ap = parseAp(req);
    if (!ap.ok) return ap.response;
    const toon = parse(LeerlingToon, req.query.get("toon") ?? undefined, `Onbekend filter 'Toon': kies uit ${LEERLING_FILTERS.join(", ")}.`);
    if (!toon.ok) return toon.response;
    return json(200, { leerlingen: await loadPupilOverview(runtimeDeps(), ap.value, toon.value) });
  }),
});

const BeslissingBody = z.object({ keuze: Keuze });

app.http("beslissing", {
  methods: ["POST"],
  route: route("acties/{actionId}/beslissing"),
  authLevel: "anonymous",
  extraInputs: durable,
  handler: guarded("Beslissing vastleggen", async (req, context) => {
    const ap = parseAp(req);
    if (!ap.ok) return ap.response;
    const body = parse(BeslissingBody, await req.json().catch(() => undefined), "Kies een beslissing: NEGEREN, NAAR_BRON of NAAR_LVS.");
    if (!body.ok) return body.response;
    const outcome = await decide(runtimeDeps(), ap.value, req.params.actionId ?? "", body.value.keuze, who(req));
    if (!outcome.ok) return json(outcome.status, { fout: "BESLISSING_GEWEIGERD", melding: outcome.reden });
    // Wake the waiting run; when none waits, the decision is picked up by the next run.
    await df.getClient(context).raiseEvent(syncInstanceId(ap.value), DECISIONS_EVENT, { door: who(req) }).catch(() => undefined);
    return json(200, { ok: true });
  }),
});

/** A person removes actions; only the rows that change are written, and who did it is audited. */
async function removeActions(ap: string, door: string, wat: string, keep: (actions: readonly Action[]) => Action[]): Promise<number> {
  const deps = runtimeDeps();
  const actions = await deps.state.loadActions(ap);
  const kept = keep(actions);
  // an action that changed meanwhile (e.g. just taken by a send) is not removed: only count what really went
  const { conflicts } = await deps.state.updateActions(ap, actions, kept);
  const after = new Map(kept.map((a) => [a.id, a]));
  // removed, or left as a hidden tombstone (a sent action keeps one until BRON's answer arrived)
  const verwijderd = actions.filter((a) => after.get(a.id) !== a).length - conflicts.length;
  await deps.state.audit(ap, new Date(), { op: "VERWIJDEREN", door, wat, details: { verwijderd, gewijzigd: conflicts.length } });
  return verwijderd;
}

app.http("verwijderActie", {
  methods: ["DELETE"],
  route: route("acties/{actionId}"),
  authLevel: "anonymous",
  handler: guarded("Actie verwijderen", async (req) => {
    const ap = parseAp(req);
    if (!ap.ok) return ap.response;
    const id = req.params.actionId ?? "";
    const current = await runtimeDeps().state.loadActions(ap.value);
    const deleted = deleteAction(current, id);
    if (!deleted.ok) return json(deleted.notFound ? 404 : 409, { fout: deleted.notFound ? "ONBEKENDE_ACTIE" : "VERWIJDEREN_GEWEIGERD", melding: deleted.reason });
    const removed = await removeActions(ap.value, who(req), "actie verwijderd", (actions) => {
      const again = deleteAction(actions, id);
      return again.ok ? again.actions : [...actions];
    });
    return removed === 0 ? json(409, { fout: "VERWIJDEREN_GEWEIGERD", melding: "De actie is intussen gewijzigd; bekijk haar opnieuw." }) : json(200, { verwijderd: removed });
  }),
});

app.http("verwijderNietUitgevoerd", {
  methods: ["POST"],
  route: route("acties/verwijder-niet-uitgevoerd"),
  authLevel: "anonymous",
  handler: guarded("Niet uitgevoerde acties verwijderen", async (req) => {
    const ap = parseAp(req);
    if (!ap.ok) return ap.response;
    return json(200, { verwijderd: await removeActions(ap.value, who(req), "niet uitgevoerde acties verwijderd", deleteUnexecutedActions) });
  }),
});
