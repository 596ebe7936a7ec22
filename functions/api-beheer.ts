import { app, type HttpRequest, type HttpResponseInit } from "@azure/functions";
import * as df from "durable-functions";
import { z } from "zod";
import {
  actionsCsv,
  auditCsv,
  createManual,
  decisionInzage,
  fillOnderwijsSinds,
  listOnderwijsSinds,
  loadAuditRows,
  loadDeadlines,
  loadInstellingen,
  loadOverzicht,
  pupilInzage,
  relayStatus,
  saveInstellingen,
  signalsCsv,
} from "../src/activities/beheer.js";
import { listAanleverpunten } from "../src/activities/admin-views.js";
import { decide } from "../src/activities/decide.js";
import { runtimeDeps } from "../src/activities/runtime.js";
import { config } from "../src/config.js";
import { isVisible, waitsForDecision } from "../src/core/action-lifecycle.js";
import { blockedIds } from "../src/core/action-view.js";
import { AUDIT_SOORTEN } from "../src/core/beheer-views.js";
import { dutchDay } from "../src/core/dates.js";
import { Instellingen } from "../src/core/instellingen.js";
import { ActionType, IsoDate, Keuze, type ActionStatus } from "../src/core/model.js";
import { DECISIONS_EVENT, SEND_EVENT, syncInstanceId } from "../src/orchestrations/names.js";
import { runStatusView } from "../src/orchestrations/status-view.js";
import { durable, guarded, json, parse, parseAp, route, startManual, who } from "./api.js";
import { mayActFor, visibleAanleverpunten } from "./school-access.js";

// The beheerpagina's further endpoints (issue 11): inzage of personal data in full (audited), the pupil
// detail view, handmatige acties, Onderwijs Sinds, the registratieoverzicht on demand, instellingen,
// run progress, 'Verwerken en verzenden', bulk decisions, the deadline overview, the audit trail and CSV
// exports. Every refusal answers with a Dutch `melding` the page shows as is; every status change of an
// action goes through the lifecycle (src/core/action-lifecycle.ts) in the activities called here.

const GEEN_TOEGANG = () => json(403, { fout: "GEEN_TOEGANG", melding: "Alleen wie namens deze school mag handelen, ziet en wijzigt deze gegevens." });

/** The aanleverpunt of the route, when the person may act for its school. */
async function actingFor(req: HttpRequest): Promise<{ ok: true; value: string } | { ok: false; response: HttpResponseInit }> {
  const ap = parseAp(req);
  if (!ap.ok) return ap;
  if (!(await mayActFor(req, ap.value))) return { ok: false, response: GEEN_TOEGANG() };
  return ap;
}

const body = async (req: HttpRequest) => req.json().catch(() => undefined);

/** Wakes a run that waits (for decisions or 'Verwerken en verzenden'): its next round reads LVS2000 again and checks. */
async function wake(client: df.DurableClient, ap: string, door: string): Promise<void> {
  await client.raiseEvent(syncInstanceId(ap), DECISIONS_EVENT, { door }).catch(() => undefined);
}

const csv = (name: string, text: string): HttpResponseInit => ({
  status: 200,
  body: text,
  headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="${name}"`, "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" },
});

// ── inzage ───────────────────────────────────────────────────────────────────────────────────────────

app.http("beslissingInzage", {
  methods: ["GET"],
  route: route("acties/{actionId}/inzage"),
  authLevel: "anonymous",
  handler: guarded("Gegevens bij de beslissing ophalen", async (req) => {
    const ap = await actingFor(req);
    if (!ap.ok) return ap.response;
    const r = await decisionInzage(runtimeDeps(), ap.value, req.params.actionId ?? "", who(req));
    return r.ok ? json(200, r.detail) : json(r.status, { fout: "ONBEKENDE_ACTIE", melding: r.reden });
  }),
});

const LeerlingId = z.string().min(1).max(64).regex(/^[\w.-]+$/, "een leerlingnummer bestaat uit letters, cijfers, '.', '-' en '_'");

app.http("leerlingDetail", {
  methods: ["GET"],
  route: route("leerlingen/{leerlingId}"),
  authLevel: "anonymous",
  handler: guarded("Leerling ophalen", async (req) => {
    const ap = await actingFor(req);
    if (!ap.ok) return ap.response;
    const id = parse(LeerlingId, req.params.leerlingId, "Ongeldig leerlingnummer.");
    if (!id.ok) return id.response;
    const r = await pupilInzage(runtimeDeps(), ap.value, id.value, who(req));
    return r.ok ? json(200, r.detail) : json(r.status, { fout: "ONBEKENDE_LEERLING", melding: r.reden });
  }),
});

// ── handmatige acties ────────────────────────────────────────────────────────────────────────────────

const HandmatigeActie = z.object({
  type: ActionType,
  inschrijvingId: z.string().min(1, "kies een inschrijving").max(64),
});

app.http("handmatigeActie", {
  methods: ["POST"],
  route: route("handmatige-acties"),
  authLevel: "anonymous",
  extraInputs: durable,
  handler: guarded("Handmatige actie maken", async (req, context) => {
    const ap = await actingFor(req);
    if (!ap.ok) return ap.response;
    const b = parse(HandmatigeActie, await body(req), `Kies een soort actie (${ActionType.options.join(", ")}) en een inschrijving.`);
    if (!b.ok) return b.response;
    const r = await createManual(runtimeDeps(), ap.value, b.value, who(req));
    if (!r.ok) return json(r.status, { fout: "ACTIE_GEWEIGERD", melding: r.reden });
    // a run that waits picks it up in its next round; otherwise the next run does
    await wake(df.getClient(context), ap.value, who(req));
    return json(201, { actie: r.actie, controle: r.controle });
  }),
});

// ── Onderwijs Sinds ──────────────────────────────────────────────────────────────────────────────────

app.http("onderwijsSindsLijst", {
  methods: ["GET"],
  route: route("onderwijs-sinds"),
  authLevel: "anonymous",
  handler: guarded("Leerlingen zonder Onderwijs Sinds ophalen", async (req) => {
    const ap = parseAp(req);
    if (!ap.ok) return ap.response;
    return json(200, { leerlingen: await listOnderwijsSinds(runtimeDeps(), ap.value) });
  }),
});

const OnderwijsSindsBody = z.object({
  leerlingen: z
    .array(z.object({ leerlingId: LeerlingId, onderwijsSinds: IsoDate, rowVersion: z.string().max(200) }))
    .min(1, "kies ten minste één leerling")
    .max(2000, "hooguit 2000 leerlingen per keer")
    .refine((xs) => new Set(xs.map((x) => x.leerlingId)).size === xs.length, "elke leerling één keer"),
});

app.http("onderwijsSindsVullen", {
  methods: ["POST"],
  route: route("onderwijs-sinds"),
  authLevel: "anonymous",
  extraInputs: durable,
  handler: guarded("Onderwijs Sinds vullen", async (req, context) => {
    const ap = await actingFor(req);
    if (!ap.ok) return ap.response;
    const b = parse(OnderwijsSindsBody, await body(req), "Geef per leerling het leerlingnummer, de datum Onderwijs Sinds (JJJJ-MM-DD) en de rijversie uit de lijst.");
    if (!b.ok) return b.response;
    const resultaten = await fillOnderwijsSinds(runtimeDeps(), ap.value, b.value.leerlingen, who(req));
    if (resultaten.some((r) => r.resultaat === "TOEGEPAST")) await wake(df.getClient(context), ap.value, who(req));
    return json(200, { resultaten });
  }),
});

// ── registratieoverzicht ─────────────────────────────────────────────────────────────────────────────

app.http("registratieoverzicht", {
  methods: ["GET"],
  route: route("registratieoverzicht"),
  authLevel: "anonymous",
  handler: guarded("Registratieoverzicht ophalen", async (req) => {
    const ap = parseAp(req);
    if (!ap.ok) return ap.response;
    return json(200, await loadOverzicht(runtimeDeps(), ap.value));
  }),
});

const OverzichtAanvraag = z.object({ peildatum: IsoDate });

app.http("registratieoverzichtAanvragen", {
  methods: ["POST"],
  route: route("registratieoverzicht"),
  authLevel: "anonymous",
  extraInputs: durable,
  handler: guarded("Registratieoverzicht aanvragen", async (req, context) => {
    const ap = await actingFor(req);
    if (!ap.ok) return ap.response;
    const b = parse(OverzichtAanvraag, await body(req), "Kies een peildatum (JJJJ-MM-DD).");
    if (!b.ok) return b.response;
    const vandaag = dutchDay(new Date());
    if (b.value.peildatum > vandaag) return json(400, { fout: "ONGELDIGE_PEILDATUM", melding: "De peildatum mag niet in de toekomst liggen." });
    // 'Ophalen Registratieoverzicht BRON' (manual ch. 4): a run asks it, waits, fetches it; a run that only waits is replaced (its decisions are stored)
    const outcome = await startManual(df.getClient(context), ap.value, { peildatum: b.value.peildatum }, { vervangWachtend: true });
    await runtimeDeps().state.audit(ap.value, new Date(), { op: "OVERZICHT", door: who(req), wat: outcome.gestart ? "registratieoverzicht aangevraagd" : "aanvraag registratieoverzicht geweigerd", details: { peildatum: b.value.peildatum } });
    if (!outcome.gestart) return json(409, { ...outcome, fout: "SYNC_LOOPT_AL", melding: `${outcome.reden} Vraag het registratieoverzicht aan als die klaar is.` });
    const historisch = b.value.peildatum < vandaag;
    return json(202, { ...outcome, peildatum: b.value.peildatum, historisch });
  }),
});

// ── instellingen ─────────────────────────────────────────────────────────────────────────────────────

app.http("instellingen", {
  methods: ["GET"],
  route: route("instellingen"),
  authLevel: "anonymous",
  handler: guarded("Instellingen ophalen", async (req) => {
    const ap = parseAp(req);
    if (!ap.ok) return ap.response;
    const deps = runtimeDeps();
    const [instellingen, relay, aps] = await Promise.all([loadInstellingen(deps, ap.value), relayStatus(deps), listAanleverpunten(deps).catch(() => [])]);
    const certificaat = aps.find((a) => a.code === ap.value)?.certificaat ?? null;
    return json(200, { instellingen, bronUrl: config().BRON_ENDPOINT, relay, certificaat });
  }),
});

app.http("instellingenWijzigen", {
  methods: ["PUT"],
  route: route("instellingen"),
  authLevel: "anonymous",
  handler: guarded("Instellingen opslaan", async (req) => {
    const ap = await actingFor(req);
    if (!ap.ok) return ap.response;
    const b = parse(Instellingen, await body(req), "De instellingen zijn ongeldig.");
    if (!b.ok) return b.response;
    await saveInstellingen(runtimeDeps(), ap.value, b.value, who(req));
    return json(200, { instellingen: b.value });
  }),
});

// ── run progress, 'Verwerken en verzenden' ───────────────────────────────────────────────────────────

app.http("voortgang", {
  methods: ["GET"],
  route: route("voortgang"),
  authLevel: "anonymous",
  extraInputs: durable,
  handler: guarded("Voortgang ophalen", async (req, context) => {
    const ap = parseAp(req);
    if (!ap.ok) return ap.response;
    const deps = runtimeDeps();
    const [status, actions, signals] = await Promise.all([
      df.getClient(context).getStatus(syncInstanceId(ap.value)).catch(() => undefined),
      deps.state.loadActions(ap.value),
      deps.state.loadSignals(ap.value),
    ]);
    const visible = actions.filter(isVisible);
    const count = (s: ActionStatus) => visible.filter((a) => a.status === s).length;
    const tellingen = {
      acties: visible.length,
      wachtOpBeslissing: visible.filter(waitsForDecision).length,
      geblokkeerd: blockedIds(visible, signals).size,
      gecontroleerd: count("GECONTROLEERD"),
      inVerzending: count("IN_VERZENDING"),
      inBehandeling: count("IN_BEHANDELING"),
      geaccepteerd: count("GEACCEPTEERD"),
      afgekeurd: count("AFGEKEURD"),
      verwerkt: count("VERWERKT"),
      genegeerd: count("GENEGEERD"),
    };
    return json(200, { run: status ? runStatusView(status) : null, tellingen });
  }),
});

app.http("verzendenNaBevestiging", {
  methods: ["POST"],
  route: route("verzenden"),
  authLevel: "anonymous",
  extraInputs: durable,
  handler: guarded("Verwerken en verzenden", async (req, context) => {
    const ap = await actingFor(req);
    if (!ap.ok) return ap.response;
    const client = df.getClient(context);
    const s = await client.getStatus(syncInstanceId(ap.value)).catch(() => undefined);
    const fase = (s?.customStatus as { fase?: string } | null | undefined)?.fase;
    if (!s || fase !== "WACHT_OP_VERZENDEN" || !["Running", "Pending"].includes(String(s.runtimeStatus))) {
      return json(409, { fout: "NIETS_TE_VERZENDEN", melding: "Er wacht geen synchronisatie op 'Verwerken en verzenden'. Start eerst 'Synchroniseren'; na het controleren kunt u verzenden." });
    }
    await client.raiseEvent(syncInstanceId(ap.value), SEND_EVENT, { door: who(req) });
    await runtimeDeps().state.audit(ap.value, new Date(), { op: "VERZENDEN", door: who(req), wat: "verwerken en verzenden gestart", details: { instanceId: s.instanceId } });
    return json(202, { ok: true });
  }),
});

// ── bulk decisions ───────────────────────────────────────────────────────────────────────────────────

const BulkBeslissing = z.object({
  keuze: Keuze,
  acties: z.array(z.string().min(1).max(200)).min(1, "kies ten minste één actie").max(1000, "hooguit 1000 acties per keer"),
});

app.http("beslissingen", {
  methods: ["POST"],
  route: route("beslissingen"),
  authLevel: "anonymous",
  extraInputs: durable,
  handler: guarded("Beslissingen vastleggen", async (req, context) => {
    const ap = await actingFor(req);
    if (!ap.ok) return ap.response;
    const b = parse(BulkBeslissing, await body(req), "Kies een beslissing (NEGEREN, NAAR_BRON of NAAR_LVS) en de acties waarvoor die geldt.");
    if (!b.ok) return b.response;
    const deps = runtimeDeps();
    const resultaten: { actie: string; ok: boolean; melding: string | null }[] = [];
    for (const id of new Set(b.value.acties)) {
      const r = await decide(deps, ap.value, id, b.value.keuze, who(req));
      resultaten.push({ actie: id, ok: r.ok, melding: r.ok ? null : r.reden });
    }
    if (resultaten.some((r) => r.ok)) await wake(df.getClient(context), ap.value, who(req));
    const vastgelegd = resultaten.filter((r) => r.ok).length;
    return json(resultaten.length === vastgelegd ? 200 : vastgelegd === 0 ? 409 : 207, {
      vastgelegd,
      geweigerd: resultaten.length - vastgelegd,
      resultaten,
      ...(vastgelegd < resultaten.length ? { melding: `${resultaten.length - vastgelegd} van ${resultaten.length} beslissingen geweigerd: ${[...new Set(resultaten.filter((r) => !r.ok).map((r) => r.melding))].join(" ")}` } : {}),
    });
  }),
});

// ── across aanleverpunten: deadlines, audit trail ────────────────────────────────────────────────────

async function allVisible(req: HttpRequest): Promise<string[]> {
  const aps = await runtimeDeps().relay.aanleverpunten();
  return visibleAanleverpunten(req, aps.map((a) => a.code));
}

app.http("termijnen", {
  methods: ["GET"],
  route: "termijnen",
  authLevel: "anonymous",
  handler: guarded("Termijnen ophalen", async (req) => {
    const deps = runtimeDeps();
    return json(200, { vandaag: dutchDay(deps.now()), termijnen: await loadDeadlines(deps, await allVisible(req)) });
  }),
});

const Day = IsoDate.optional();
const LogboekFilter = z.object({
  aanleverpunt: z.string().regex(/^\d{2}[A-Z]{2}\d{2}$/, "verwacht een aanleverpunt zoals 00AA00").optional(),
  leerling: z.string().max(64).optional(),
  door: z.string().max(200).optional(),
  soort: z.enum(Object.keys(AUDIT_SOORTEN) as [string, ...string[]]).optional(),
  van: Day,
  tot: Day,
});

async function logboek(req: HttpRequest) {
  const q = Object.fromEntries([...req.query.entries()].filter(([, v]) => v !== ""));
  const f = parse(LogboekFilter, q, "Ongeldig filter voor het logboek.");
  if (!f.ok) return f;
  const visible = await allVisible(req);
  if (f.value.aanleverpunt !== undefined && !visible.includes(f.value.aanleverpunt)) return { ok: false as const, response: json(404, { fout: "ONBEKEND_AANLEVERPUNT", melding: `Aanleverpunt ${f.value.aanleverpunt} is onbekend of niet zichtbaar voor u.` }) };
  const aps = f.value.aanleverpunt === undefined ? visible : [f.value.aanleverpunt];
  return { ok: true as const, rows: await loadAuditRows(runtimeDeps(), aps, f.value) };
}

app.http("logboek", {
  methods: ["GET"],
  route: "logboek",
  authLevel: "anonymous",
  handler: guarded("Logboek ophalen", async (req) => {
    const r = await logboek(req);
    if (!r.ok) return r.response;
    const max = 1000;
    return json(200, { regels: r.rows.slice(0, max), totaal: r.rows.length, soorten: AUDIT_SOORTEN });
  }),
});

const today = () => dutchDay(new Date());

app.http("logboekExport", {
  methods: ["GET"],
  route: "logboek/export",
  authLevel: "anonymous",
  handler: guarded("Logboek exporteren", async (req) => {
    const r = await logboek(req);
    if (!r.ok) return r.response;
    return csv(`logboek-${today()}.csv`, auditCsv(r.rows));
  }),
});

const EXPORTS = { acties: actionsCsv, signalen: signalsCsv } as const;

app.http("export", {
  methods: ["GET"],
  route: route("export/{soort}"),
  authLevel: "anonymous",
  handler: guarded("Exporteren", async (req) => {
    const ap = parseAp(req);
    if (!ap.ok) return ap.response;
    const soort = parse(z.enum(["acties", "signalen"]), req.params.soort, "Exporteer 'acties' of 'signalen'.");
    if (!soort.ok) return soort.response;
    const deps = runtimeDeps();
    const text = await EXPORTS[soort.value](deps, ap.value);
    await deps.state.audit(ap.value, deps.now(), { op: "EXPORT", door: who(req), wat: `${soort.value} geëxporteerd`, details: { soort: soort.value } });
    return csv(`${soort.value}-${ap.value}-${today()}.csv`, text);
  }),
});
