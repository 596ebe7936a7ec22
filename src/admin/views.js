/* global HTMLInputElement, CSS, URLSearchParams */
// The other views of the beheerpagina: Onderwijs Sinds, the registratieoverzicht, the deadlines of
// every aanleverpunt, the logboek (audit trail) and the instellingen of the aanleverpunt.
import { TERMIJN } from "./acties.js";
import { ap, api } from "./api.js";
import { date, dateTime, el, fillTable, todayIso } from "./dom.js";
import { openPupil } from "./leerling.js";
import { $, attempt, confirmDialog, plural, showInfo, state } from "./ui.js";

// ── Onderwijs Sinds ──────────────────────────────────────────────────────────────────────────────────

const os = { rows: [], results: new Map() };
const RESULTAAT = { TOEGEPAST: "Gevuld", CONFLICT: "Niet geschreven: gewijzigd in LVS2000", AL_GEVULD: "Niet geschreven: al gevuld", ONBEKEND: "Niet geschreven: onbekend", ONGELDIG: "Niet geschreven: ongeldig" };

async function loadOnderwijsSinds() {
  const { leerlingen } = await api(ap(state.code, "onderwijs-sinds"));
  os.rows = leerlingen;
  renderOnderwijsSinds();
}

function renderOnderwijsSinds() {
  fillTable(
    $("onderwijs-sinds"),
    os.rows.map((r) => {
      const result = os.results.get(r.leerlingId);
      return el(
        "tr",
        { "data-leerling-rij": r.leerlingId },
        el("td", { class: "kies-cel" }, el("input", { type: "checkbox", "data-os": r.leerlingId, "aria-label": `Selecteer leerling ${r.leerlingId}` })),
        el("td", {}, el("button", { type: "button", class: "link", "data-leerling": r.leerlingId, "aria-label": `Bekijk leerling ${r.leerlingId}` }, r.leerlingId)),
        el("td", {}, r.naam),
        el("td", {}, el("input", { type: "date", value: r.voorstel, max: todayIso(), "data-voorstel": r.leerlingId, "aria-label": `Onderwijs Sinds voor leerling ${r.leerlingId}` })),
        el("td", { class: "klein" }, r.grond),
        el("td", {}, r.geblokkeerd ? el("span", { class: "label slecht" }, plural(r.geblokkeerd, "actie", "acties")) : "—"),
        el("td", { "data-resultaat": result?.resultaat ?? "" }, result ? `${RESULTAAT[result.resultaat] ?? result.resultaat}. ${result.melding}` : "—"),
      );
    }),
  );
  $("os-alle").checked = false;
}

async function fill(all) {
  const table = $("onderwijs-sinds");
  const chosen = os.rows.filter((r) => all || table.querySelector(`input[data-os="${CSS.escape(r.leerlingId)}"]`)?.checked);
  if (chosen.length === 0) return showInfo("Kies eerst een of meer leerlingen.");
  const items = chosen.map((r) => ({ leerlingId: r.leerlingId, rowVersion: r.rowVersion ?? "", onderwijsSinds: table.querySelector(`input[data-voorstel="${CSS.escape(r.leerlingId)}"]`)?.value || r.voorstel }));
  const ok = await confirmDialog(`Onderwijs Sinds in LVS2000 vullen voor ${plural(items.length, "leerling", "leerlingen")}? Een leerling die in LVS2000 intussen is gewijzigd, wordt overgeslagen.`, "Vullen in LVS2000", false);
  if (!ok) return;
  await attempt(async () => {
    const { resultaten } = await api(ap(state.code, "onderwijs-sinds"), { method: "POST", body: { leerlingen: items } });
    for (const r of resultaten) os.results.set(r.leerlingId, r);
    const done = resultaten.filter((r) => r.resultaat === "TOEGEPAST").length;
    showInfo(`${plural(done, "leerling", "leerlingen")} gevuld in LVS2000${done < resultaten.length ? `; ${resultaten.length - done} niet geschreven (zie Resultaat)` : ""}. De geblokkeerde acties worden bij de volgende ronde opnieuw gecontroleerd.`);
    // filled pupils leave the list; the others stay with their result
    os.rows = os.rows.filter((r) => os.results.get(r.leerlingId)?.resultaat !== "TOEGEPAST");
    renderOnderwijsSinds();
  });
}

// ── registratieoverzicht ─────────────────────────────────────────────────────────────────────────────

const overzichtRow = (i) =>
  el("tr", {}, el("td", {}, i.leerlingId), el("td", {}, i.naam ?? "—"), el("td", {}, i.pgn ? `${i.pgn.soort} ${i.pgn.nummer}` : "—"), el("td", {}, i.inschrijvingId), el("td", {}, i.vestiging), el("td", {}, i.schoolsoort), el("td", {}, i.leerjaar ?? "—"), el("td", {}, date(i.inschrijfdatum)), el("td", {}, date(i.uitschrijfdatum)));

async function loadOverzicht() {
  const o = await api(ap(state.code, "registratieoverzicht"));
  $("ov-peildatum").textContent = o.peildatum ? `${date(o.peildatum)}${o.historisch ? " (historisch overzicht)" : ""}` : "nog geen registratieoverzicht ontvangen";
  $("ov-ontvangen").textContent = date(o.overzichtDatum);
  $("ov-leeftijd").textContent = o.leeftijdDagen === null ? "—" : `${plural(o.leeftijdDagen, "dag", "dagen")} (niet ouder dan 4 weken om acties te bepalen)`;
  $("ov-leerlingen").textContent = String(o.leerlingen);
  $("ov-inschrijvingen").textContent = String(o.inschrijvingen.length);
  $("ov-historisch").textContent = String(o.historischeInschrijvingen.length);
  $("ov-reden").hidden = o.bruikbaar;
  $("ov-reden").textContent = o.bruikbaar ? "" : `Acties bepalen wacht: ${o.reden}`;
  if (!$("ov-peildatum-invoer").value) $("ov-peildatum-invoer").value = todayIso();
  $("ov-peildatum-invoer").max = todayIso();
  fillTable($("ov-tabel"), o.inschrijvingen.map(overzichtRow));
  fillTable($("ov-historisch-tabel"), o.historischeInschrijvingen.map(overzichtRow));
}

let onStarted = () => undefined;
/** Called when a request started a run (the page then follows it). */
export function whenStarted(fn) {
  onStarted = fn;
}

async function askOverzicht(event) {
  event.preventDefault();
  const peildatum = $("ov-peildatum-invoer").value;
  await attempt(async () => {
    const r = await api(ap(state.code, "registratieoverzicht"), { method: "POST", body: { peildatum } });
    showInfo(
      r.historisch
        ? `Historisch registratieoverzicht met peildatum ${date(peildatum)} aangevraagd. Het is alleen om in te zien: acties worden pas weer bepaald met een actueel registratieoverzicht.`
        : `Registratieoverzicht met peildatum ${date(peildatum)} aangevraagd; de synchronisatie haalt het over een minuut op.`,
    );
    onStarted();
  });
}

// ── termijnen ────────────────────────────────────────────────────────────────────────────────────────

async function loadDeadlines() {
  const { termijnen } = await api("termijnen");
  fillTable(
    $("termijnen"),
    termijnen.map((t) => {
      const kind = t.status === "VERLOPEN" ? "slecht" : t.status === "BIJNA_VERLOPEN" || t.status === "ACHTERSTALLIG" ? "let-op" : "goed";
      const days = t.status === "ACHTERSTALLIG" ? "eerste aanlevering" : t.daysLeft < 0 ? `${-t.daysLeft} dagen te laat` : `nog ${t.daysLeft} dagen`;
      return el("tr", { "data-termijn": t.due }, el("td", {}, date(t.due)), el("td", {}, el("span", { class: `label ${kind}` }, TERMIJN[t.status] ?? t.status), el("div", { class: "klein" }, days)), el("td", {}, t.aanleverpunt), el("td", {}, t.typeLabel), el("td", {}, t.statusLabel), el("td", {}, t.leerlingId));
    }),
  );
}

// ── logboek ──────────────────────────────────────────────────────────────────────────────────────────

let soorten = {};

function logboekQuery() {
  const form = $("logboek-filter");
  const q = new URLSearchParams();
  for (const name of ["aanleverpunt", "leerling", "door", "soort", "van", "tot"]) {
    const v = form.elements.namedItem(name).value.trim();
    if (v) q.set(name, v);
  }
  return q.toString();
}

async function loadLogboek() {
  const query = logboekQuery();
  const r = await api(`logboek${query ? `?${query}` : ""}`);
  soorten = r.soorten;
  const select = $("lb-soort");
  if (select.options.length === 1) select.append(...Object.entries(soorten).map(([k, v]) => el("option", { value: k }, v)));
  const aps = $("lb-aanleverpunt");
  if (aps.options.length === 1) aps.append(...state.aanleverpunten.map((a) => el("option", { value: a.code }, `${a.code} — ${a.naam}`)));
  $("logboek-aantal").textContent = r.totaal > r.regels.length ? `${r.regels.length} van ${r.totaal} regels getoond (de nieuwste); verfijn het filter of exporteer.` : plural(r.totaal, "regel", "regels");
  const details = (d) => Object.entries(d).map(([k, v]) => `${k}: ${v ?? "—"}`).join(", ");
  fillTable($("logboek"), r.regels.map((x) => el("tr", { "data-soort": x.op }, el("td", {}, dateTime(x.at)), el("td", {}, x.aanleverpunt), el("td", {}, soorten[x.op] ?? x.op), el("td", {}, x.door), el("td", {}, x.wat), el("td", { class: "klein" }, details(x.details)))));
  $("export-logboek").href = `/api/logboek/export${query ? `?${query}` : ""}`;
}

/** replaceChildren writes null as the text "null": leave absent parts out. */
const present = (...xs) => xs.filter((x) => x !== null && x !== undefined);

// ── instellingen ─────────────────────────────────────────────────────────────────────────────────────

const UPDATE_UITKOMST = { GESLAAGD: "geïnstalleerd", GEWEIGERD: "geweigerd", TERUGGEZET: "teruggedraaid" };

/** The relay's last self-update as its heartbeat reported it. */
function updateText(u) {
  return `Laatste update: relay ${u.versie} ${UPDATE_UITKOMST[u.resultaat] ?? u.resultaat.toLowerCase()} op ${dateTime(u.op)}${u.melding ? ` — ${u.melding}` : ""}`;
}

async function loadInstellingen() {
  const r = await api(ap(state.code, "instellingen"));
  const form = $("instellingen-form");
  const tijd = $("tijdstip");
  if (tijd.options.length === 0) tijd.append(...Array.from({ length: 24 }, (_, h) => `${String(h).padStart(2, "0")}:00`).map((t) => el("option", { value: t }, t)));
  for (const radio of form.querySelectorAll("input[name=verzendwijze]")) radio.checked = radio.value === r.instellingen.verzendwijze;
  tijd.value = r.instellingen.tijdstip;
  $("wachttijd").value = String(r.instellingen.wachttijdUren);
  $("bron-url").textContent = `${r.bronUrl} (kunt u niet aanpassen)`;
  const relay = r.relay;
  $("relay-status").replaceChildren(
    ...present(
      el("span", { class: `label ${relay.bereikbaar && !relay.teOud ? "goed" : "slecht"}` }, relay.teOud ? "Relay te oud" : relay.bereikbaar ? "Bereikbaar" : "Niet bereikbaar"),
      el("div", { class: "klein" }, `versie ${relay.relayVersion ?? "?"} (API ${relay.apiVersion ?? "?"}), LVS2000-database ${relay.databaseVersion ?? "onbekend"}; laatste contact ${dateTime(relay.laatsteContact)}; laatste hartslag ${relay.laatsteHartslag ? dateTime(relay.laatsteHartslag) : "nog geen"}${relay.hostnaam ? ` (server ${relay.hostnaam})` : ""}`),
      relay.melding ? el("div", { class: "klein" }, relay.melding) : null,
      relay.advies ? el("div", { class: "klein advies" }, `Wat te doen: ${relay.advies}`) : null,
      relay.laatsteUpdate ? el("div", { class: "klein", id: "relay-update" }, updateText(relay.laatsteUpdate)) : null,
    ),
  );
  const c = r.certificaat;
  $("cert-status").replaceChildren(
    ...present(
      c ? el("span", { class: `label ${c.state === "valid" ? "goed" : c.state === "expiring" ? "let-op" : "slecht"}` }, c.daysUntilExpiry === null ? "Niet bruikbaar" : c.daysUntilExpiry < 0 ? "Verlopen" : `Verloopt over ${c.daysUntilExpiry} dagen`) : "—",
      c ? el("div", { class: "klein" }, `${c.melding}${c.notAfter ? ` Geldig tot ${dateTime(c.notAfter)}.` : ""}`) : null,
    ),
  );
}

async function saveInstellingen(event) {
  event.preventDefault();
  const form = $("instellingen-form");
  const verzendwijze = form.querySelector("input[name=verzendwijze]:checked")?.value;
  await attempt(async () => {
    await api(ap(state.code, "instellingen"), { method: "PUT", body: { verzendwijze, tijdstip: $("tijdstip").value, wachttijdUren: Number($("wachttijd").value) } });
    showInfo(`Instellingen van ${state.code} opgeslagen.`);
  });
}

// ── wiring ───────────────────────────────────────────────────────────────────────────────────────────

export const LOADERS = { "onderwijs-sinds": loadOnderwijsSinds, overzicht: loadOverzicht, termijnen: loadDeadlines, logboek: loadLogboek, instellingen: loadInstellingen };

export function wireViews() {
  $("os-vul-geselecteerd").addEventListener("click", () => void fill(false));
  $("os-vul-alle").addEventListener("click", () => void fill(true));
  $("os-vernieuwen").addEventListener("click", () => void attempt(async () => (os.results.clear(), await loadOnderwijsSinds())));
  $("os-alle").addEventListener("change", (e) => {
    for (const box of $("onderwijs-sinds").querySelectorAll("input[data-os]")) if (box instanceof HTMLInputElement) box.checked = e.target.checked;
  });
  $("onderwijs-sinds").addEventListener("click", (e) => {
    const b = e.target.closest("button[data-leerling]");
    if (b) void openPupil(b.dataset.leerling);
  });
  $("ov-aanvragen").addEventListener("submit", (e) => void askOverzicht(e));
  $("logboek-filter").addEventListener("submit", (e) => {
    e.preventDefault();
    void attempt(loadLogboek);
  });
  $("instellingen-form").addEventListener("submit", (e) => void saveInstellingen(e));
}
