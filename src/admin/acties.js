/* global document, HTMLInputElement */
// The action list: filters, deadlines, signals with what to fix in LVS2000, decisions (one or many),
// the details of a decision in full (inzage, audited), removing actions, CSV exports.
import { ap, api } from "./api.js";
import { address, date, el, fillTable, value } from "./dom.js";
import { openPupil } from "./leerling.js";
import { $, attempt, confirmDialog, plural, showInfo, state } from "./ui.js";

const KEUZES = { NEGEREN: "Negeren", NAAR_BRON: "Naar BRON", NAAR_LVS: "Naar LVS2000" };
const TOON = {
  AANDACHT: "Vraagt aandacht",
  WACHT_OP_BESLISSING: "Wacht op beslissing",
  GEBLOKKEERD: "Geblokkeerd door afkeur",
  AFGEKEURD: "Afgekeurd",
  TERMIJN: "Termijn (bijna) verlopen",
  IN_BEHANDELING: "In behandeling",
  ALLE: "Alle acties",
};
export const TERMIJN = { VERLOPEN: "Verlopen", ACHTERSTALLIG: "Achterstallig", BIJNA_VERLOPEN: "Bijna verlopen", OP_TIJD: "Op tijd" };
/** Rows shown at once; more on request (a list of thousands stays quick to use). */
const PAGE = 200;

/** the rows loaded so far (the first `shown` of `totaal`), and the waiting ones a person selected */
const list = { acties: [], shown: 0, totaal: 0, selected: new Set() };
let onDecided = () => undefined;
let onCounted = () => undefined;
/** Called with the counts per status each time the list is loaded (the progress line shows them). */
export function whenCounted(fn) {
  onCounted = fn;
}
/** Called after decisions were recorded (the page then follows the run it woke). */
export function whenDecided(fn) {
  onDecided = fn;
}

function deadlineCell(d) {
  if (!d) return el("td", {}, "—");
  if (d.status === "ACHTERSTALLIG") return el("td", {}, el("span", { class: "label let-op" }, TERMIJN.ACHTERSTALLIG), el("div", { class: "klein" }, "eerste aanlevering: zo snel mogelijk"));
  const kind = d.status === "VERLOPEN" ? "slecht" : d.status === "BIJNA_VERLOPEN" ? "let-op" : "goed";
  const days = d.daysLeft < 0 ? `${-d.daysLeft} dagen te laat` : `nog ${d.daysLeft} dagen`;
  return el("td", {}, el("span", { class: `label ${kind}` }, TERMIJN[d.status] ?? d.status), el("div", { class: "klein" }, `uiterlijk ${date(d.due)} (${days})`));
}

function differences(a) {
  if (a.velden.length === 0) return null;
  return el("ul", { class: "velden" }, ...a.velden.map((f) => el("li", {}, el("span", { class: "veld" }, f.field), ": LVS2000 ", el("b", {}, value(f.lvs)), " · BRON ", el("b", {}, value(f.bron)))));
}

function signalList(signalen) {
  if (signalen.length === 0) return "—";
  return el(
    "ul",
    { class: "signalen" },
    ...signalen.map((s) =>
      el("li", { class: s.ernst === "AFKEUR" ? "afkeur" : "attentie" }, el("b", {}, s.ernst === "AFKEUR" ? "Afkeur" : "Attentie"), ` ${s.code}: ${s.tekst}`, s.herstel ? el("div", { class: "herstel" }, `Herstel: ${s.herstel}`) : null),
    ),
  );
}

const who = (a) => `${a.typeLabel}, leerling ${a.leerlingId}`;

function decisionButtons(a) {
  const buttons = a.keuzes.map((k) => el("button", { type: "button", "data-keuze": k, "data-id": a.id, "aria-label": `${KEUZES[k]}: ${who(a)}` }, KEUZES[k]));
  buttons.push(el("button", { type: "button", class: "gevaar klein-knop", "data-verwijder": a.id, "aria-label": `Verwijder actie: ${who(a)}` }, "Verwijder actie"));
  return el("td", {}, el("div", { class: "beslis" }, ...buttons));
}

function statusCell(a) {
  return el(
    "td",
    {},
    el("span", { class: `status s-${a.status.toLowerCase()}` }, a.wachtOpBeslissing ? "Wacht op beslissing" : a.statusLabel),
    a.geblokkeerd ? el("div", {}, el("span", { class: "label slecht" }, "Geblokkeerd door afkeur")) : null,
  );
}

function actionRow(a) {
  const select = a.wachtOpBeslissing
    ? el("input", { type: "checkbox", "data-kies": a.id, "aria-label": `Selecteer: ${who(a)}`, ...(list.selected.has(a.id) ? { checked: true } : {}) })
    : "";
  return el(
    "tr",
    { "data-actie": a.id, "data-status": a.status, ...(a.geblokkeerd ? { "data-geblokkeerd": "ja" } : {}) },
    el("td", { class: "kies-cel" }, select),
    el("td", {}, el("div", {}, a.typeLabel), el("div", { class: "klein" }, a.direction === "BRON" ? "→ BRON" : "→ LVS2000", a.handmatig ? " · handmatig" : "")),
    statusCell(a),
    deadlineCell(a.deadline),
    el("td", {}, el("button", { type: "button", class: "link", "data-leerling": a.leerlingId, "aria-label": `Bekijk leerling ${a.leerlingId}` }, a.leerlingId)),
    el(
      "td",
      { class: "reden" },
      el("div", {}, a.reden),
      differences(a),
      a.wachtOpBeslissing ? el("button", { type: "button", class: "klein-knop", "data-inzage": a.id, "aria-label": `Bekijk gegevens: ${who(a)}`, "aria-expanded": "false" }, "Bekijk gegevens") : null,
    ),
    el("td", {}, signalList(a.signalen)),
    decisionButtons(a),
  );
}

function renderRows() {
  fillTable($("acties"), list.acties.map(actionRow));
  $("acties-leeg").hidden = list.totaal > 0;
  const rest = list.totaal - list.acties.length;
  const more = $("acties-meer");
  more.hidden = rest <= 0;
  more.replaceChildren(...(rest > 0 ? [`${plural(list.acties.length, "actie", "acties")} van ${list.totaal} getoond. `, el("button", { type: "button", id: "meer-acties" }, `Toon ${Math.min(PAGE, rest)} meer`)] : []));
  updateBulk();
}

const listPath = (vanaf, aantal) => ap(state.code, `actielijst?toon=${encodeURIComponent($("toon").value)}&vanaf=${vanaf}&aantal=${aantal}`);

/** Loads the list again (as many rows as were shown, at least one page), with its counts and deadlines. */
export async function loadActions() {
  const data = await api(listPath(0, Math.max(PAGE, list.shown)));
  performance.mark("actielijst-ontvangen");
  for (const option of $("toon").options) option.textContent = `${TOON[option.value]} (${data.telling[option.value] ?? 0})`;
  onCounted(data.tellingen);
  const d = data.deadlines;
  const badge = (n, kind, text) => (n ? el("button", { type: "button", class: `label ${kind}`, "data-toon": "TERMIJN", "aria-label": `${text}: toon deze acties` }, text) : "");
  $("termijnen-badges").replaceChildren(
    ...(d.VERLOPEN || d.BIJNA_VERLOPEN ? ["Termijn: ", badge(d.VERLOPEN, "slecht", `${d.VERLOPEN} verlopen`), " ", badge(d.BIJNA_VERLOPEN, "let-op", `${d.BIJNA_VERLOPEN} bijna verlopen`)] : []),
  );
  const focused = $("acties").contains(document.activeElement) ? buttonKey(document.activeElement) : null;
  const waiting = new Set(data.acties.filter((a) => a.wachtOpBeslissing).map((a) => a.id));
  for (const id of list.selected) if (!waiting.has(id)) list.selected.delete(id);
  list.acties = data.acties;
  list.totaal = data.totaal;
  list.shown = data.acties.length;
  renderRows();
  performance.mark("actielijst-getoond");
  if (focused !== null) restoreFocus(focused);
  $("export-acties").href = `/api/${ap(state.code, "export/acties")}`;
  $("export-signalen").href = `/api/${ap(state.code, "export/signalen")}`;
}

async function loadMore() {
  const data = await api(listPath(list.acties.length, PAGE));
  const first = list.acties.length;
  list.acties = [...list.acties, ...data.acties];
  list.totaal = data.totaal;
  list.shown = list.acties.length;
  renderRows();
  $("acties").querySelectorAll("tbody tr")[first]?.querySelector("button, input")?.focus();
}

export function resetActions() {
  list.shown = 0;
  list.selected.clear();
}

const buttonKey = (b) => `${b.dataset?.keuze ?? ""}|${b.dataset?.id ?? b.dataset?.verwijder ?? b.dataset?.inzage ?? b.dataset?.kies ?? ""}`;

/** Keyboard users keep their place: the same button again, or the first one when its row is gone. */
function restoreFocus(key) {
  const buttons = [...$("acties").querySelectorAll("tbody button, tbody input")];
  (buttons.find((b) => buttonKey(b) === key) ?? buttons[0] ?? $("acties-kop")).focus();
}

function updateBulk() {
  const n = list.selected.size;
  $("bulk").hidden = n === 0;
  $("bulk-aantal").textContent = `${plural(n, "actie", "acties")} geselecteerd:`;
  const waiting = list.acties.filter((a) => a.wachtOpBeslissing);
  $("alle-wachtende").checked = waiting.length > 0 && waiting.every((a) => list.selected.has(a.id));
  $("alle-wachtende").disabled = waiting.length === 0;
}

async function showDecisionDetails(button) {
  const cell = button.closest("td");
  const open = cell.querySelector(".inzage");
  if (open) {
    open.remove();
    button.setAttribute("aria-expanded", "false");
    button.textContent = "Bekijk gegevens";
    return;
  }
  const d = await api(ap(state.code, `acties/${encodeURIComponent(button.dataset.inzage)}/inzage`));
  const side = (label, f) => el("tr", {}, el("th", { scope: "row" }, label), el("td", {}, f(d.lvs)), el("td", {}, f(d.bron)));
  const box = el(
    "div",
    { class: "inzage", "data-inzage-van": button.dataset.inzage },
    el(
      "table",
      { class: "naast" },
      el("caption", {}, "Gegevens volledig (inzage wordt vastgelegd)"),
      el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "Gegeven"), el("th", { scope: "col" }, "LVS2000"), el("th", { scope: "col" }, "BRON (GBA)"))),
      el(
        "tbody",
        {},
        side("Naam", (p) => p?.naam ?? "—"),
        side("Geboortedatum", (p) => date(p?.geboortedatum)),
        side("Pgn", (p) => value(p?.pgn)),
        side("Adres", (p) => address(p?.adres)),
      ),
    ),
    differences(d.actie),
  );
  cell.append(box);
  button.setAttribute("aria-expanded", "true");
  button.textContent = "Verberg gegevens";
}

async function decideOne(button) {
  // aria-disabled rather than disabled: a disabled button would lose the keyboard focus.
  button.setAttribute("aria-disabled", "true");
  await attempt(async () => {
    await api(ap(state.code, `acties/${encodeURIComponent(button.dataset.id)}/beslissing`), { method: "POST", body: { keuze: button.dataset.keuze } });
    list.selected.delete(button.dataset.id);
    showInfo(`Beslissing vastgelegd: ${KEUZES[button.dataset.keuze]}.`);
    await loadActions();
    onDecided();
  });
  button.removeAttribute("aria-disabled");
}

async function decideMany(keuze) {
  const ids = [...list.selected];
  if (ids.length === 0) return;
  await attempt(async () => {
    const r = await api(ap(state.code, "beslissingen"), { method: "POST", body: { keuze, acties: ids } });
    list.selected.clear();
    showInfo(r.geweigerd ? `${plural(r.vastgelegd, "beslissing", "beslissingen")} vastgelegd (${KEUZES[keuze]}); ${r.melding}` : `${plural(r.vastgelegd, "beslissing", "beslissingen")} vastgelegd: ${KEUZES[keuze]}.`);
    await loadActions();
    onDecided();
  });
}

async function onClick(event) {
  const target = event.target;
  if (target instanceof HTMLInputElement && target.dataset.kies) {
    if (target.checked) list.selected.add(target.dataset.kies);
    else list.selected.delete(target.dataset.kies);
    updateBulk();
    return;
  }
  const button = target.closest("button");
  if (!button || button.getAttribute("aria-disabled") === "true") return;
  if (button.dataset.keuze) await decideOne(button);
  else if (button.dataset.inzage) await attempt(() => showDecisionDetails(button));
  else if (button.dataset.leerling) await openPupil(button.dataset.leerling);
  else if (button.dataset.verwijder && (await confirmDialog("Deze actie verwijderen? Ze kan daarna opnieuw bepaald worden."))) {
    await attempt(async () => {
      await api(ap(state.code, `acties/${encodeURIComponent(button.dataset.verwijder)}`), { method: "DELETE" });
      showInfo("De actie is verwijderd.");
      await loadActions();
    });
  }
}

async function removeUnexecuted() {
  if (!(await confirmDialog(`Alle niet uitgevoerde acties van ${state.code} verwijderen? Ze worden bij de volgende synchronisatie opnieuw bepaald.`))) return;
  await attempt(async () => {
    const r = await api(ap(state.code, "acties/verwijder-niet-uitgevoerd"), { method: "POST" });
    showInfo(`${r.verwijderd === 1 ? "1 niet uitgevoerde actie" : `${r.verwijderd} niet uitgevoerde acties`} verwijderd.`);
    await loadActions();
  });
}

export function wireActions() {
  $("toon").addEventListener("change", () => void attempt(async () => (resetActions(), await loadActions())));
  $("acties").addEventListener("click", (e) => void onClick(e));
  $("acties-meer").addEventListener("click", (e) => {
    if (e.target.closest("#meer-acties")) void attempt(loadMore);
  });
  $("termijnen-badges").addEventListener("click", (e) => {
    if (!e.target.closest("button[data-toon]")) return;
    $("toon").value = "TERMIJN";
    void attempt(async () => (resetActions(), await loadActions()));
  });
  $("alle-wachtende").addEventListener("change", (e) => {
    for (const a of list.acties) {
      if (!a.wachtOpBeslissing) continue;
      if (e.target.checked) list.selected.add(a.id);
      else list.selected.delete(a.id);
    }
    renderRows();
  });
  $("bulk").addEventListener("click", (e) => {
    const b = e.target.closest("button[data-bulk]");
    if (b) void decideMany(b.dataset.bulk);
  });
  $("verwijder-niet-uitgevoerd").addEventListener("click", () => void removeUnexecuted());
}
