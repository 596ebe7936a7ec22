import type { HttpRequest, HttpResponseInit } from "@azure/functions";
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
import { loadCertificaat } from "../src/activities/admin-views.js";
import { decide } from "../src/activities/decide.js";
import { runtimeDeps } from "../src/activities/runtime.js";
import { config } from "../src/config.js";
import { covers } from "../src/core/access.js";
import { isVisible } from "../src/core/action-lifecycle.js";
import { actionCounts, blockedIds } from "../src/core/action-view.js";
import { AUDIT_SOORTEN } from "../src/core/beheer-views.js";
import { dutchDay } from "../src/core/dates.js";
import { Instellingen } from "../src/core/instellingen.js";
import { ActionType, IsoDate, Keuze } from "../src/core/model.js";
import { SEND_EVENT, syncInstanceId } from "../src/orchestrations/names.js";
import { runStatusView } from "../src/orchestrations/status-view.js";
import { endpoint, type Access } from "./access.js";
import { durable, json, parse, readBody, route, startManual, wake } from "./api.js";

// The beheerpagina's further endpoints (issue 11): inzage of personal data in full (audited), the pupil
// detail view, handmatige acties, Onderwijs Sinds, the registratieoverzicht on demand, instellingen,
// run progress, 'Verwerken en verzenden', bulk decisions, the deadline overview, the audit trail and CSV
// exports. Every endpoint is registered through functions/access.ts: an endpoint on an aanleverpunt is
// only for a person who may act for its school (the only people who see personal data in full), an
// overview across aanleverpunten shows only those the person may see. Every refusal answers with a Dutch
// `melding` the page shows as is; every status change of an action goes through the lifecycle
// (src/core/action-lifecycle.ts) in the activities called here.

const today = () => dutchDay(new Date());

const csv = (name: string, text: string): HttpResponseInit => ({
  status: 200,
  body: text,
  headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="${name}"`, "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" },
});

// ── inzage ───────────────────────────────────────────────────────────────────────────────────────────

endpoint("beslissingInzage", {
  methods: ["GET"],
  route: route("acties/{actionId}/inzage"),
  toegang: "aanleverpunt",
  wat: "Gegevens bij de beslissing ophalen",
  handler: async (req, _context, access) => {
    const r = await decisionInzage(runtimeDeps(), access.aanleverpunt, req.params.actionId ?? "", access.door);
    return r.ok ? json(200, r.detail) : json(r.status, { fout: "ONBEKENDE_ACTIE", melding: r.reden });
  },
});

const LeerlingId = z.string().min(1).max(64).regex(/^[\w.-]+$/, "een leerlingnummer bestaat uit letters, cijfers, '.', '-' en '_'");

endpoint("leerlingDetail", {
  methods: ["GET"],
  route: route("leerlingen/{leerlingId}"),
  toegang: "aanleverpunt",
  wat: "Leerling ophalen",
  handler: async (req, _context, access) => {
    const id = parse(LeerlingId, req.params.leerlingId, "Ongeldig leerlingnummer.");
    if (!id.ok) return id.response;
    const r = await pupilInzage(runtimeDeps(), access.aanleverpunt, id.value, access.door);
    return r.ok ? json(200, r.detail) : json(r.status, { fout: "ONBEKENDE_LEERLING", melding: r.reden });
  },
});

// ── handmatige acties ────────────────────────────────────────────────────────────────────────────────

const HandmatigeActie = z.object({
  type: ActionType,
  inschrijvingId: z.string().min(1, "kies een inschrijving").max(64),
});

endpoint("handmatigeActie", {
  methods: ["POST"],
  route: route("handmatige-acties"),
  toegang: "aanleverpunt",
  wat: "Handmatige actie maken",
  extraInputs: durable,
  handler: async (req, context, access) => {
    const b = parse(HandmatigeActie, await readBody(req), `Kies een soort actie (${ActionType.options.join(", ")}) en een inschrijving.`);
    if (!b.ok) return b.response;
    const r = await createManual(runtimeDeps(), access.aanleverpunt, b.value, access.door);
    if (!r.ok) return json(r.status, { fout: "ACTIE_GEWEIGERD", melding: r.reden });
    // a run that waits picks it up in its next round; otherwise the next run does
    await wake(df.getClient(context), access.aanleverpunt, access.door);
    return json(201, { actie: r.actie, controle: r.controle });
  },
});

// ── Onderwijs Sinds ──────────────────────────────────────────────────────────────────────────────────

endpoint("onderwijsSindsLijst", {
  methods: ["GET"],
  route: route("onderwijs-sinds"),
  toegang: "aanleverpunt",
  wat: "Leerlingen zonder Onderwijs Sinds ophalen",
  handler: async (_req, _context, access) => json(200, { leerlingen: await listOnderwijsSinds(runtimeDeps(), access.aanleverpunt) }),
});

const OnderwijsSindsBody = z.object({
  leerlingen: z
    .array(z.object({ leerlingId: LeerlingId, onderwijsSinds: IsoDate, rowVersion: z.string().max(200) }))
    .min(1, "kies ten minste één leerling")
    .max(2000, "hooguit 2000 leerlingen per keer")
    .refine((xs) => new Set(xs.map((x) => x.leerlingId)).size === xs.length, "elke leerling één keer"),
});

endpoint("onderwijsSindsVullen", {
  methods: ["POST"],
  route: route("onderwijs-sinds"),
  toegang: "aanleverpunt",
  wat: "Onderwijs Sinds vullen",
  extraInputs: durable,
  handler: async (req, context, access) => {
    const b = parse(OnderwijsSindsBody, await readBody(req), "Ongeldige invoer: geef per leerling het leerlingnummer, de datum Onderwijs Sinds (JJJJ-MM-DD) en de rijversie uit de lijst.");
    if (!b.ok) return b.response;
    const resultaten = await fillOnderwijsSinds(runtimeDeps(), access.aanleverpunt, b.value.leerlingen, access.door);
    if (resultaten.some((r) => r.resultaat === "TOEGEPAST")) await wake(df.getClient(context), access.aanleverpunt, access.door);
    return json(200, { resultaten });
  },
});

// ── registratieoverzicht ─────────────────────────────────────────────────────────────────────────────

endpoint("registratieoverzicht", {
  methods: ["GET"],
  route: route("registratieoverzicht"),
  toegang: "aanleverpunt",
  wat: "Registratieoverzicht ophalen",
  handler: async (_req, _context, access) => json(200, await loadOverzicht(runtimeDeps(), access.aanleverpunt)),
});

const OverzichtAanvraag = z.object({ peildatum: IsoDate });

endpoint("registratieoverzichtAanvragen", {
  methods: ["POST"],
  route: route("registratieoverzicht"),
  toegang: "aanleverpunt",
  wat: "Registratieoverzicht aanvragen",
  extraInputs: durable,
  handler: async (req, context, access) => {
    const ap = access.aanleverpunt;
    const b = parse(OverzichtAanvraag, await readBody(req), "Kies een peildatum (JJJJ-MM-DD).");
    if (!b.ok) return b.response;
    const vandaag = today();
    if (b.value.peildatum > vandaag) return json(400, { fout: "ONGELDIGE_PEILDATUM", melding: "De peildatum mag niet in de toekomst liggen." });
    // 'Ophalen Registratieoverzicht BRON' (manual ch. 4): a run asks it, waits, fetches it; a run that only waits is replaced (its decisions are stored)
    const outcome = await startManual(df.getClient(context), ap, { peildatum: b.value.peildatum }, { vervangWachtend: true });
    await runtimeDeps().state.audit(ap, new Date(), { op: "OVERZICHT", door: access.door, wat: outcome.gestart ? "registratieoverzicht aangevraagd" : "aanvraag registratieoverzicht geweigerd", details: { peildatum: b.value.peildatum } });
    if (!outcome.gestart) return json(409, { ...outcome, fout: "SYNC_LOOPT_AL", melding: `${outcome.reden} Vraag het registratieoverzicht aan als die klaar is.` });
    return json(202, { ...outcome, peildatum: b.value.peildatum, historisch: b.value.peildatum < vandaag });
  },
});

// ── instellingen ─────────────────────────────────────────────────────────────────────────────────────

endpoint("instellingen", {
  methods: ["GET"],
  route: route("instellingen"),
  toegang: "aanleverpunt",
  wat: "Instellingen ophalen",
  handler: async (_req, _context, access) => {
    const deps = runtimeDeps();
    const [instellingen, relay, certificaat] = await Promise.all([loadInstellingen(deps, access.aanleverpunt), relayStatus(deps, access.aanleverpunt), loadCertificaat(deps, access.aanleverpunt).catch(() => null)]);
    return json(200, { instellingen, bronUrl: config().BRON_ENDPOINT, relay, certificaat });
  },
});

endpoint("instellingenWijzigen", {
  methods: ["PUT"],
  route: route("instellingen"),
  toegang: "aanleverpunt",
  wat: "Instellingen opslaan",
  handler: async (req, _context, access) => {
    const b = parse(Instellingen, await readBody(req), "De instellingen zijn ongeldig.");
    if (!b.ok) return b.response;
    await saveInstellingen(runtimeDeps(), access.aanleverpunt, b.value, access.door);
    return json(200, { instellingen: b.value });
  },
});

// ── run progress, 'Verwerken en verzenden' ───────────────────────────────────────────────────────────

endpoint("voortgang", {
  methods: ["GET"],
  route: route("voortgang"),
  toegang: "aanleverpunt",
  wat: "Voortgang ophalen",
  extraInputs: durable,
  handler: async (_req, context, access) => {
    const ap = access.aanleverpunt;
    const deps = runtimeDeps();
    const [status, actions, signals] = await Promise.all([df.getClient(context).getStatus(syncInstanceId(ap)).catch(() => undefined), deps.state.loadActions(ap), deps.state.loadSignals(ap)]);
    const visible = actions.filter(isVisible);
    const tellingen = actionCounts(visible, blockedIds(visible, signals));
    return json(200, { run: status ? runStatusView(status) : null, tellingen });
  },
});

endpoint("verzendenNaBevestiging", {
  methods: ["POST"],
  route: route("verzenden"),
  toegang: "aanleverpunt",
  wat: "Verwerken en verzenden",
  extraInputs: durable,
  handler: async (_req, context, access) => {
    const ap = access.aanleverpunt;
    const client = df.getClient(context);
    const s = await client.getStatus(syncInstanceId(ap)).catch(() => undefined);
    const fase = (s?.customStatus as { fase?: string } | null | undefined)?.fase;
    if (!s || fase !== "WACHT_OP_VERZENDEN" || !["Running", "Pending"].includes(String(s.runtimeStatus))) {
      return json(409, { fout: "NIETS_TE_VERZENDEN", melding: "Er wacht geen synchronisatie op 'Verwerken en verzenden'. Start eerst 'Synchroniseren'; na het controleren kunt u verzenden." });
    }
    await client.raiseEvent(syncInstanceId(ap), SEND_EVENT, { door: access.door });
    await runtimeDeps().state.audit(ap, new Date(), { op: "VERZENDEN", door: access.door, wat: "verwerken en verzenden gestart", details: { instanceId: s.instanceId } });
    return json(202, { ok: true });
  },
});

// ── bulk decisions ───────────────────────────────────────────────────────────────────────────────────

const BulkBeslissing = z.object({
  keuze: Keuze,
  acties: z.array(z.string().min(1).max(200)).min(1, "kies ten minste één actie").max(1000, "hooguit 1000 acties per keer"),
});

endpoint("beslissingen", {
  methods: ["POST"],
  route: route("beslissingen"),
  toegang: "aanleverpunt",
  wat: "Beslissingen vastleggen",
  extraInputs: durable,
  handler: async (req, context, access) => {
    const ap = access.aanleverpunt;
    const b = parse(BulkBeslissing, await readBody(req), "Kies een beslissing (NEGEREN, NAAR_BRON of NAAR_LVS) en de acties waarvoor die geldt.");
    if (!b.ok) return b.response;
    const deps = runtimeDeps();
    const resultaten: { actie: string; ok: boolean; melding: string | null }[] = [];
    for (const id of new Set(b.value.acties)) {
      const r = await decide(deps, ap, id, b.value.keuze, access.door);
      resultaten.push({ actie: id, ok: r.ok, melding: r.ok ? null : r.reden });
    }
    if (resultaten.some((r) => r.ok)) await wake(df.getClient(context), ap, access.door);
    const vastgelegd = resultaten.filter((r) => r.ok).length;
    const geweigerd = resultaten.length - vastgelegd;
    const melding = geweigerd === 0 ? undefined : `${geweigerd} van ${resultaten.length} beslissingen geweigerd: ${[...new Set(resultaten.filter((r) => !r.ok).map((r) => r.melding))].join(" ")}`;
    return json(geweigerd === 0 ? 200 : vastgelegd === 0 ? 409 : 207, { vastgelegd, geweigerd, resultaten, ...(melding ? { fout: "BESLISSING_GEWEIGERD", melding } : {}) });
  },
});

// ── across aanleverpunten: deadlines, audit trail ────────────────────────────────────────────────────

/** Every aanleverpunt of the registered schools that this person may see. */
async function allVisible(access: Access): Promise<string[]> {
  const schools = await runtimeDeps().schools.list();
  // the schools are at hand: filtered by the scope here, not looked up again by access.zichtbaar
  return schools.filter((s) => covers(access.scope, s.id)).flatMap((s) => s.aanleverpunten.map((a) => a.code));
}

endpoint("termijnen", {
  methods: ["GET"],
  route: "termijnen",
  toegang: "rol",
  wat: "Termijnen ophalen",
  handler: async (_req, _context, access) => {
    const deps = runtimeDeps();
    return json(200, { vandaag: dutchDay(deps.now()), termijnen: await loadDeadlines(deps, await allVisible(access)) });
  },
});

const LogboekFilter = z.object({
  aanleverpunt: z.string().regex(/^\d{2}[A-Z]{2}\d{2}$/, "verwacht een aanleverpunt zoals 00AA00").optional(),
  leerling: z.string().max(64).optional(),
  door: z.string().max(200).optional(),
  soort: z.enum(Object.keys(AUDIT_SOORTEN) as [string, ...string[]]).optional(),
  van: IsoDate.optional(),
  tot: IsoDate.optional(),
});

/** The logboek under the request's filters: the aanleverpunten the person may see; a Beheerder also the access entries. */
async function logboek(req: HttpRequest, access: Access) {
  const q = Object.fromEntries([...req.query.entries()].filter(([, v]) => v !== ""));
  const f = parse(LogboekFilter, q, "Ongeldig filter voor het logboek.");
  if (!f.ok) return f;
  const visible = await allVisible(access);
  if (f.value.aanleverpunt !== undefined && !visible.includes(f.value.aanleverpunt)) {
    return { ok: false as const, response: json(404, { fout: "ONBEKEND_AANLEVERPUNT", melding: `Aanleverpunt ${f.value.aanleverpunt} is onbekend of niet zichtbaar voor u.` }) };
  }
  const partitions = f.value.aanleverpunt !== undefined ? [f.value.aanleverpunt] : access.scope.rol === "Beheerder" ? [...visible, "toegang"] : visible;
  return { ok: true as const, rows: await loadAuditRows(runtimeDeps(), partitions, f.value) };
}

endpoint("logboek", {
  methods: ["GET"],
  route: "logboek",
  toegang: "rol",
  wat: "Logboek ophalen",
  handler: async (req, _context, access) => {
    const r = await logboek(req, access);
    if (!r.ok) return r.response;
    const max = 1000;
    return json(200, { regels: r.rows.slice(0, max), totaal: r.rows.length, soorten: AUDIT_SOORTEN });
  },
});

endpoint("logboekExport", {
  methods: ["GET"],
  route: "logboek/export",
  toegang: "rol",
  wat: "Logboek exporteren",
  handler: async (req, _context, access) => {
    const r = await logboek(req, access);
    if (!r.ok) return r.response;
    return csv(`logboek-${today()}.csv`, auditCsv(r.rows));
  },
});

const EXPORTS = { acties: actionsCsv, signalen: signalsCsv } as const;

endpoint("export", {
  methods: ["GET"],
  route: route("export/{soort}"),
  toegang: "aanleverpunt",
  wat: "Exporteren",
  handler: async (req, _context, access) => {
    const ap = access.aanleverpunt;
    const soort = parse(z.enum(["acties", "signalen"]), req.params.soort, "Onbekende export: kies 'acties' of 'signalen'.");
    if (!soort.ok) return soort.response;
    const deps = runtimeDeps();
    const text = await EXPORTS[soort.value](deps, ap);
    await deps.state.audit(ap, deps.now(), { op: "EXPORT", door: access.door, wat: `${soort.value} geëxporteerd`, details: { soort: soort.value } });
    return csv(`${soort.value}-${ap}-${today()}.csv`, text);
  },
});
