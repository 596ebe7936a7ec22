/* global document, window */
// The beheerpagina of BRON Sync Cloud: choose an aanleverpunt, follow and start its synchronisation,
// decide the actions that wait, remove actions, and look at signals, failed feedback, dubbele
// inschrijvingen and the pupil overview. Words are the manual's.
import { ap, api, ApiError } from "./api.js";
import { date, dateTime, el, fillTable, value } from "./dom.js";
import { startToegang } from "./toegang.js";

const $ = (id) => document.getElementById(id);
const acties = (n) => `${n} ${n === 1 ? "actie" : "acties"}`;

const FASEN = {
  TERUGKOPPELING_OPHALEN: "Ophalen terugkoppeling",
  REGISTRATIEOVERZICHT: "Ophalen registratieoverzicht",
  ACTIES_BEPALEN: "Acties bepalen",
  CONTROLEREN: "Controleren",
  VERZENDEN: "Verwerken en verzenden",
  WACHT_OP_BESLISSING: "Wacht op beslissing",
  KLAAR: "Klaar",
  GEWEIGERD: "Geweigerd",
};
const KEUZES = { NEGEREN: "Negeren", NAAR_BRON: "Naar BRON", NAAR_LVS: "Naar LVS2000" };
const TOON = { WACHT_OP_BESLISSING: "Wacht op beslissing", AFGEKEURD: "Afgekeurd", IN_BEHANDELING: "In behandeling", ALLE: "Alle acties" };
const TERMIJN = { VERLOPEN: "Verlopen", ACHTERSTALLIG: "Achterstallig", BIJNA_VERLOPEN: "Bijna verlopen", OP_TIJD: "Op tijd" };
const BUSY = new Set(["Running", "Pending", "ContinuingAsNew"]);

/** @type {{ code: string, aanleverpunten: any[], poll: any }} */
const state = { code: "", aanleverpunten: [], poll: undefined };

function showError(e) {
  const box = $("fout");
  box.textContent = e instanceof ApiError ? e.message : "Er ging iets mis in de pagina. Vernieuw de pagina en probeer het opnieuw.";
  box.hidden = false;
}
function showInfo(text) {
  $("fout").hidden = true;
  $("info").textContent = text;
}

/** Runs a user action: clears old messages, shows the Dutch error when it fails. */
async function attempt(fn) {
  $("fout").hidden = true;
  try {
    await fn();
  } catch (e) {
    showError(e);
  }
}

// ---- aanleverpunt and synchronisation -------------------------------------------------------

async function loadAanleverpunten() {
  const { aanleverpunten } = await api("aanleverpunten");
  state.aanleverpunten = aanleverpunten;
  const select = $("aanleverpunt");
  select.replaceChildren(...aanleverpunten.map((a) => el("option", { value: a.code }, `${a.code} — ${a.naam}`)));
  select.disabled = aanleverpunten.length === 0;
  const wanted = window.location.hash.slice(1);
  state.code = aanleverpunten.some((a) => a.code === wanted) ? wanted : (aanleverpunten[0]?.code ?? "");
  select.value = state.code;
  if (!state.code) showInfo("Er zijn nog geen scholen met aanleverpunten aangemeld.");
}

function renderCertificate() {
  const c = state.aanleverpunten.find((a) => a.code === state.code)?.certificaat;
  const dd = $("certificaat");
  if (!c) return void dd.replaceChildren("—");
  const kind = c.state === "valid" ? "goed" : c.state === "expiring" ? "let-op" : "slecht";
  const short = c.daysUntilExpiry === null ? "Niet bruikbaar" : c.daysUntilExpiry < 0 ? "Verlopen" : `Verloopt over ${c.daysUntilExpiry} dagen`;
  dd.replaceChildren(el("span", { class: `label ${kind}` }, short), el("span", { class: "klein" }, ` ${c.melding}`));
}

/** Whether the school's relay answered lately (from the service's record: the page asks no relay). */
function renderRelay() {
  const r = state.aanleverpunten.find((a) => a.code === state.code)?.relay;
  const dd = $("relay");
  if (!r) return void dd.replaceChildren("—");
  const [kind, short] = r.bereikbaar === true ? ["goed", "Bereikbaar"] : r.bereikbaar === false ? ["slecht", "Niet bereikbaar"] : ["let-op", "Nog geen contact"];
  dd.replaceChildren(el("span", { class: `label ${kind}` }, short), el("span", { class: "klein" }, ` ${r.melding}`));
}

async function loadStatus() {
  let s;
  try {
    s = await api(ap(state.code, "status"));
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) {
      $("fase").textContent = e.message;
      $("laatste-run").textContent = "—";
      $("synchroniseren").disabled = false;
      return false;
    }
    throw e;
  }
  const fase = s.customStatus?.fase;
  let text = FASEN[fase] ?? s.runtimeStatus;
  if (fase === "WACHT_OP_BESLISSING") text += ` (${acties(s.customStatus.wachtOpBeslissing ?? 0)})`;
  if (s.customStatus?.reden) text += ` — ${s.customStatus.reden}`;
  if (s.runtimeStatus === "Failed") text = `Mislukt — ${s.reden ?? "de synchronisatie is afgebroken door een fout."}`;
  if (s.customStatus?.storingen) text += ` (${s.customStatus.storingen})`;
  $("fase").textContent = text;
  $("fase").dataset.fase = fase ?? s.runtimeStatus;
  $("laatste-run").textContent = `${dateTime(s.lastUpdatedTime)}${s.createdTime ? ` (gestart ${dateTime(s.createdTime)})` : ""}`;
  const busy = BUSY.has(s.runtimeStatus) && fase !== "WACHT_OP_BESLISSING";
  $("synchroniseren").disabled = BUSY.has(s.runtimeStatus);
  return busy;
}

/** Follows a running synchronisation until it waits for decisions or ends; then refreshes the lists. */
function follow() {
  clearTimeout(state.poll);
  const code = state.code;
  const tick = async () => {
    if (code !== state.code) return;
    try {
      const busy = await loadStatus();
      if (busy) state.poll = setTimeout(tick, 1000);
      else await loadActions();
    } catch (e) {
      showError(e);
    }
  };
  state.poll = setTimeout(tick, 500);
}

async function synchronise() {
  await attempt(async () => {
    await api(ap(state.code, "sync"), { method: "POST" });
    showInfo(`Synchronisatie van ${state.code} is gestart.`);
    $("synchroniseren").disabled = true;
    follow();
  });
}

// ---- actions ----------------------------------------------------------------------------------

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

function decisionButtons(a) {
  const who = `${a.typeLabel}, leerling ${a.leerlingId}`;
  const buttons = a.keuzes.map((k) => el("button", { type: "button", "data-keuze": k, "data-id": a.id, "aria-label": `${KEUZES[k]}: ${who}` }, KEUZES[k]));
  buttons.push(el("button", { type: "button", class: "gevaar klein-knop", "data-verwijder": a.id, "aria-label": `Verwijder actie: ${who}` }, "Verwijder actie"));
  return el("td", {}, el("div", { class: "beslis" }, ...buttons));
}

function actionRow(a) {
  const signals = a.signalen.map((s) => el("li", { class: s.ernst === "AFKEUR" ? "afkeur" : "attentie" }, el("b", {}, s.ernst === "AFKEUR" ? "Afkeur" : "Attentie"), ` ${s.code}: ${s.tekst}`));
  const direction = a.direction === "BRON" ? "→ BRON" : "→ LVS2000";
  return el(
    "tr",
    { "data-actie": a.id, "data-status": a.status },
    el("td", {}, el("div", {}, a.typeLabel), el("div", { class: "klein" }, direction, a.handmatig ? " · handmatig" : "")),
    el("td", {}, el("span", { class: `status s-${a.status.toLowerCase()}` }, a.wachtOpBeslissing ? "Wacht op beslissing" : a.statusLabel)),
    deadlineCell(a.deadline),
    el("td", {}, a.leerlingId),
    el("td", {}, el("div", {}, a.reden), differences(a)),
    el("td", {}, signals.length ? el("ul", { class: "signalen" }, ...signals) : "—"),
    decisionButtons(a),
  );
}

async function loadActions() {
  const toon = $("toon").value;
  const list = await api(ap(state.code, `actielijst?toon=${encodeURIComponent(toon)}`));
  for (const option of $("toon").options) option.textContent = `${TOON[option.value]} (${list.telling[option.value] ?? 0})`;
  const d = list.deadlines;
  const late = [d.VERLOPEN ? el("span", { class: "label slecht" }, `${d.VERLOPEN} verlopen`) : "", d.BIJNA_VERLOPEN ? el("span", { class: "label let-op" }, `${d.BIJNA_VERLOPEN} bijna verlopen`) : ""];
  $("termijnen").replaceChildren(...(d.VERLOPEN || d.BIJNA_VERLOPEN ? ["Termijn van alle openstaande acties: ", ...late] : []));
  const focused = $("acties").contains(document.activeElement) ? buttonKey(document.activeElement) : null;
  fillTable($("acties"), list.acties.map(actionRow));
  $("acties-leeg").hidden = list.acties.length > 0;
  if (focused !== null) restoreFocus(focused);
}

const buttonKey = (b) => `${b.dataset?.keuze ?? ""}|${b.dataset?.id ?? b.dataset?.verwijder ?? ""}`;

/** Keyboard users keep their place: the same button again, or the first one when its row is gone. */
function restoreFocus(key) {
  const buttons = [...$("acties").querySelectorAll("tbody button")];
  (buttons.find((b) => buttonKey(b) === key) ?? buttons[0] ?? $("acties-kop")).focus();
}

/** Asks for confirmation in the page's dialog; resolves true on "Verwijderen". */
function confirmRemoval(text) {
  const dialog = $("bevestig");
  $("bevestig-tekst").textContent = text;
  dialog.returnValue = "";
  dialog.showModal();
  return new Promise((resolve) => dialog.addEventListener("close", () => resolve(dialog.returnValue === "ja"), { once: true }));
}

async function onActionClick(event) {
  const button = event.target.closest("button");
  if (!button || button.getAttribute("aria-disabled") === "true") return;
  const id = button.dataset.id ?? button.dataset.verwijder;
  if (button.dataset.keuze) {
    // aria-disabled rather than disabled: a disabled button would lose the keyboard focus.
    button.setAttribute("aria-disabled", "true");
    await attempt(async () => {
      await api(ap(state.code, `acties/${encodeURIComponent(id)}/beslissing`), { method: "POST", body: { keuze: button.dataset.keuze } });
      showInfo(`Beslissing vastgelegd: ${KEUZES[button.dataset.keuze]}.`);
      await loadActions();
      follow();
    });
    button.removeAttribute("aria-disabled");
  } else if (button.dataset.verwijder && (await confirmRemoval("Deze actie verwijderen? Ze kan daarna opnieuw bepaald worden."))) {
    await attempt(async () => {
      await api(ap(state.code, `acties/${encodeURIComponent(id)}`), { method: "DELETE" });
      showInfo("De actie is verwijderd.");
      await loadActions();
    });
  }
}

async function removeUnexecuted() {
  if (!(await confirmRemoval(`Alle niet uitgevoerde acties van ${state.code} verwijderen? Ze worden bij de volgende synchronisatie opnieuw bepaald.`))) return;
  await attempt(async () => {
    const r = await api(ap(state.code, "acties/verwijder-niet-uitgevoerd"), { method: "POST" });
    showInfo(`${r.verwijderd === 1 ? "1 niet uitgevoerde actie" : `${r.verwijderd} niet uitgevoerde acties`} verwijderd.`);
    await loadActions();
  });
}

// ---- the other views ---------------------------------------------------------------------------

const VIEWS = {
  "terugkoppeling-sectie": async () => {
    const { berichten } = await api(ap(state.code, "terugkoppeling/mislukt"));
    fillTable($("terugkoppeling"), berichten.map((b) => el("tr", {}, el("td", {}, b.id), el("td", {}, dateTime(b.ontvangenOp)), el("td", {}, b.fout ?? "—"))));
  },
  "lvs-problemen-sectie": async () => {
    const { problemen } = await api(ap(state.code, "lvs-problemen"));
    fillTable($("lvs-problemen"), problemen.map((p) => el("tr", {}, el("td", {}, p.tabel), el("td", {}, p.rijId), el("td", {}, p.veld), el("td", {}, p.reden), el("td", {}, p.uitgesloten ? "niet meegenomen" : "meegenomen, ter controle"))));
  },
  "dubbel-sectie": async () => {
    const { dubbeleInschrijvingen: rows } = await api(ap(state.code, "dubbele-inschrijvingen"));
    fillTable($("dubbel"), rows.map((d) => el("tr", {}, el("td", {}, d.leerlingId), el("td", {}, d.inschrijvingId), el("td", {}, d.andereVestiging), el("td", {}, date(d.inschrijfdatum)), el("td", {}, date(d.uitschrijfdatum)), el("td", {}, date(d.gemeldOp)))));
  },
  "leerlingen-sectie": async () => {
    const { leerlingen } = await api(ap(state.code, `leerlingen?toon=${encodeURIComponent($("toon-leerlingen").value)}`));
    fillTable($("leerlingen"), leerlingen.map((l) => el("tr", {}, el("td", {}, l.leerlingId), el("td", {}, l.lvsNaam), el("td", {}, l.bronNaam ?? "nog niet gekoppeld met BRON"), el("td", {}, l.pgn ? `${l.pgn.soort} ${l.pgn.nummer}` : "—"))));
  },
};

async function refreshOpenViews() {
  for (const [id, load] of Object.entries(VIEWS)) if ($(id).open) await load();
}

// ---- wiring --------------------------------------------------------------------------------

async function selectAanleverpunt(code) {
  state.code = code;
  clearTimeout(state.poll);
  window.history.replaceState(null, "", `#${code}`);
  renderCertificate();
  renderRelay();
  $("info").textContent = "";
  await attempt(async () => {
    const busy = await loadStatus();
    await loadActions();
    await refreshOpenViews();
    if (busy) follow();
  });
}

async function start() {
  $("aanleverpunt").addEventListener("change", (e) => void selectAanleverpunt(e.target.value));
  $("synchroniseren").addEventListener("click", () => void synchronise());
  $("vernieuwen").addEventListener("click", () => void selectAanleverpunt(state.code));
  $("toon").addEventListener("change", () => void attempt(loadActions));
  $("toon-leerlingen").addEventListener("change", () => void attempt(VIEWS["leerlingen-sectie"]));
  $("acties").addEventListener("click", (e) => void onActionClick(e));
  $("verwijder-niet-uitgevoerd").addEventListener("click", () => void removeUnexecuted());
  for (const [id, load] of Object.entries(VIEWS)) $(id).addEventListener("toggle", () => $(id).open && void attempt(load));
  await attempt(startToegang);
  await attempt(loadAanleverpunten);
  if (state.code) await selectAanleverpunt(state.code);
  document.body.dataset.klaar = "ja";
}

void start();
