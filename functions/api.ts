import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from "@azure/functions";
import * as df from "durable-functions";
import { z } from "zod";
import { decide } from "../src/activities/decide.js";
import { runtimeDeps } from "../src/activities/runtime.js";
import { config } from "../src/config.js";
import { deleteAction, deleteUnexecutedActions } from "../src/core/action-list.js";
import { maskAction } from "../src/core/masking.js";
import { Aanleverpunt, Keuze, type Action } from "../src/core/model.js";
import { DECISIONS_EVENT, syncInstanceId } from "../src/orchestrations/names.js";
import { startSync } from "../src/orchestrations/start-sync.js";

// The admin API. In Azure the Function App sits behind App Service Authentication (Entra ID): only
// signed-in administrators reach it, and their name comes in x-ms-client-principal-name.

const json = (status: number, body: unknown): HttpResponseInit => ({ status, jsonBody: body });
const who = (req: HttpRequest) => req.headers.get("x-ms-client-principal-name") ?? "lokale beheerder";

/** Parses a route parameter or body with zod; a bad value gives a 400 naming the field. */
function parse<T>(schema: z.ZodType<T>, value: unknown): { ok: true; value: T } | { ok: false; response: HttpResponseInit } {
  const r = schema.safeParse(value);
  if (r.success) return { ok: true, value: r.data };
  return { ok: false, response: json(400, { fout: "ONGELDIGE_INVOER", meldingen: r.error.issues.map((i) => `${i.path.join(".") || "invoer"}: ${i.message}`) }) };
}

const route = (path: string) => `aanleverpunten/{aanleverpunt}/${path}`;
const durable = [df.input.durableClient()];

app.http("startSyncHandmatig", {
  methods: ["POST"],
  route: route("sync"),
  authLevel: "anonymous",
  extraInputs: durable,
  handler: async (req: HttpRequest, context: InvocationContext) => {
    const ap = parse(Aanleverpunt, req.params.aanleverpunt);
    if (!ap.ok) return ap.response;
    const outcome = await startSync(df.getClient(context), { aanleverpunt: ap.value, aanleiding: "HANDMATIG", overzichtWachttijdSeconden: config().OVERZICHT_WACHTTIJD_SECONDEN });
    await runtimeDeps().state.audit(ap.value, new Date(), { op: "RUN", door: who(req), wat: outcome.gestart ? "handmatige sync gestart" : "handmatige sync geweigerd", details: { instanceId: outcome.instanceId } });
    return outcome.gestart ? json(202, outcome) : json(409, outcome);
  },
});

app.http("syncStatus", {
  methods: ["GET"],
  route: route("status"),
  authLevel: "anonymous",
  extraInputs: durable,
  handler: async (req: HttpRequest, context: InvocationContext) => {
    const ap = parse(Aanleverpunt, req.params.aanleverpunt);
    if (!ap.ok) return ap.response;
    const status = await df.getClient(context).getStatus(syncInstanceId(ap.value)).catch(() => undefined);
    if (!status) return json(404, { fout: "GEEN_SYNC", melding: "Voor dit aanleverpunt heeft nog geen synchronisatie gelopen." });
    return json(200, { instanceId: status.instanceId, runtimeStatus: status.runtimeStatus, customStatus: status.customStatus, output: status.output, lastUpdatedTime: status.lastUpdatedTime });
  },
});

app.http("acties", {
  methods: ["GET"],
  route: route("acties"),
  authLevel: "anonymous",
  handler: async (req: HttpRequest) => {
    const ap = parse(Aanleverpunt, req.params.aanleverpunt);
    if (!ap.ok) return ap.response;
    const [actions, signals] = await Promise.all([runtimeDeps().state.loadActions(ap.value), runtimeDeps().state.loadSignals(ap.value)]);
    return json(200, { acties: actions.map(maskAction), signalen: signals });
  },
});

const BeslissingBody = z.object({ keuze: Keuze });

app.http("beslissing", {
  methods: ["POST"],
  route: route("acties/{actionId}/beslissing"),
  authLevel: "anonymous",
  extraInputs: durable,
  handler: async (req: HttpRequest, context: InvocationContext) => {
    const ap = parse(Aanleverpunt, req.params.aanleverpunt);
    if (!ap.ok) return ap.response;
    const body = parse(BeslissingBody, await req.json().catch(() => undefined));
    if (!body.ok) return body.response;
    const outcome = await decide(runtimeDeps(), ap.value, req.params.actionId ?? "", body.value.keuze, who(req));
    if (!outcome.ok) return json(outcome.status, { fout: "BESLISSING_GEWEIGERD", melding: outcome.reden });
    // Wake the waiting run; when none waits, the decision is picked up by the next run.
    await df.getClient(context).raiseEvent(syncInstanceId(ap.value), DECISIONS_EVENT, { door: who(req) }).catch(() => undefined);
    return json(200, { ok: true });
  },
});

/** A person removes actions; only the rows that change are written, and who did it is audited. */
async function removeActions(ap: string, door: string, wat: string, keep: (actions: readonly Action[]) => Action[]): Promise<number> {
  const deps = runtimeDeps();
  const actions = await deps.state.loadActions(ap);
  const kept = keep(actions);
  await deps.state.updateActions(ap, actions, kept);
  await deps.state.audit(ap, new Date(), { op: "VERWIJDEREN", door, wat, details: { verwijderd: actions.length - kept.length } });
  return actions.length - kept.length;
}

app.http("verwijderActie", {
  methods: ["DELETE"],
  route: route("acties/{actionId}"),
  authLevel: "anonymous",
  handler: async (req: HttpRequest) => {
    const ap = parse(Aanleverpunt, req.params.aanleverpunt);
    if (!ap.ok) return ap.response;
    const removed = await removeActions(ap.value, who(req), "actie verwijderd", (actions) => deleteAction(actions, req.params.actionId ?? ""));
    return removed === 0 ? json(404, { fout: "ONBEKENDE_ACTIE", melding: "Deze actie bestaat niet (meer)." }) : json(200, { verwijderd: removed });
  },
});

app.http("verwijderNietUitgevoerd", {
  methods: ["POST"],
  route: route("acties/verwijder-niet-uitgevoerd"),
  authLevel: "anonymous",
  handler: async (req: HttpRequest) => {
    const ap = parse(Aanleverpunt, req.params.aanleverpunt);
    if (!ap.ok) return ap.response;
    return json(200, { verwijderd: await removeActions(ap.value, who(req), "niet uitgevoerde acties verwijderd", deleteUnexecutedActions) });
  },
});
