/* global document, window */
// The beheerpagina of BRON Sync Cloud: choose an aanleverpunt, follow and start its synchronisation
// live (phase, round, counts), decide the actions that wait (one by one or many at once), look at a
// pupil in full, make handmatige acties, fill Onderwijs Sinds, view and ask the registratieoverzicht,
// see every deadline, read and export the logboek, and set the aanleverpunt's instellingen. Words
// are the manual's. No framework: small modules, text nodes only.
import { loadActions, resetActions, whenCounted, whenDecided, wireActions } from "./acties.js";
import { ap, api, ApiError } from "./api.js";
import { dateTime, el, fillTable, date } from "./dom.js";
import { loadPupils, wirePupils } from "./leerling.js";
import { $, attempt, plural, showError, showInfo, state } from "./ui.js";
import { startToegang } from "./toegang.js";
import { LOADERS, whenStarted, wireViews } from "./views.js";

const FASEN = {
  TERUGKOPPELING_OPHALEN: "Ophalen terugkoppeling",
  REGISTRATIEOVERZICHT: "Ophalen registratieoverzicht",
  ACTIES_BEPALEN: "Acties bepalen",
  CONTROLEREN: "Controleren",
  WACHT_OP_VERZENDEN: "Wacht op 'Verwerken en verzenden'",
  VERZENDEN: "Verwerken en verzenden",
  WACHT_OP_BESLISSING: "Wacht op beslissing",
  KLAAR: "Klaar",
  GEWEIGERD: "Geweigerd",
};
const STAP = { WACHT_OP_VERZENDEN: "WACHT", WACHT_OP_BESLISSING: "WACHT", GEWEIGERD: null };
const BUSY = new Set(["Running", "Pending", "ContinuingAsNew"]);
const WAITING = new Set(["WACHT_OP_BESLISSING", "WACHT_OP_VERZENDEN"]);

// ---- aanleverpunt --------------------------------------------------------------------------------

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
  const [kind, short] = r.teOud
    ? ["slecht", "Relay te oud"]
    : r.stil
      ? ["slecht", "Relay stil"]
      : r.bereikbaar === true
        ? ["goed", "Bereikbaar"]
        : r.bereikbaar === false
          ? ["slecht", "Niet bereikbaar"]
          : ["let-op", "Nog geen contact"];
  const versies = r.relayVersie ? ` Relay ${r.relayVersie}, LVS2000 ${r.lvs2000Versie ?? "onbekend"}; laatste hartslag ${dateTime(r.laatsteHartslag)}.` : "";
  dd.replaceChildren(
    el("span", { class: `label ${kind}` }, short),
    el("span", { class: "klein" }, ` ${r.melding}${versies}`),
    ...(r.advies ? [el("div", { class: "klein advies" }, `Wat te doen: ${r.advies}`)] : []),
  );
}

// ---- synchronisation: live progress --------------------------------------------------------------

function renderSteps(fase, runtimeStatus) {
  const order = [...$("stappen").children].map((li) => li.dataset.fase);
  const step = fase in STAP ? STAP[fase] : fase;
  const at = step === null ? -1 : order.indexOf(step);
  for (const [i, li] of [...$("stappen").children].entries()) {
    const ended = runtimeStatus === "Completed" && fase === "KLAAR";
    // a run that waits skipped nothing, but 'verzenden' has not happened yet when it waits for that button
    const skipped = fase === "WACHT_OP_VERZENDEN" && li.dataset.fase === "VERZENDEN";
    li.classList.toggle("klaar", ended || (i < at && !skipped));
    li.classList.toggle("bezig", i === at && !ended);
    if (i === at) li.setAttribute("aria-current", "step");
    else li.removeAttribute("aria-current");
  }
}

function renderCounts(t, custom) {
  const parts = [plural(t.acties, "actie", "acties")];
  if (t.wachtOpBeslissing) parts.push(`${t.wachtOpBeslissing} wacht${t.wachtOpBeslissing === 1 ? "" : "en"} op beslissing`);
  if (t.geblokkeerd) parts.push(`${t.geblokkeerd} geblokkeerd door afkeur`);
  if (t.gecontroleerd) parts.push(`${t.gecontroleerd} gecontroleerd`);
  if (t.inVerzending) parts.push(`${t.inVerzending} worden verzonden`);
  if (t.inBehandeling) parts.push(`${t.inBehandeling} in behandeling bij BRON`);
  if (t.geaccepteerd) parts.push(`${t.geaccepteerd} geaccepteerd`);
  if (t.afgekeurd) parts.push(`${t.afgekeurd} afgekeurd`);
  if (t.verwerkt) parts.push(`${t.verwerkt} verwerkt in LVS2000`);
  const ronde = custom?.ronde ? `Ronde ${custom.ronde} · ` : "";
  $("tellingen").textContent = `${ronde}${parts.join(", ")}.`;
}

/** The run's status alone (cheap); null when none ran yet. */
async function runStatus() {
  try {
    return await api(ap(state.code, "status"));
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return null;
    throw e;
  }
}

/**
 * Shows where the run stands; true while it works (not waiting, not ended). While following a run the
 * counts come with it (voortgang); otherwise the action list brings them (no second read of every action).
 */
async function loadProgress(withCounts = false) {
  let s;
  if (withCounts) {
    const v = await api(ap(state.code, "voortgang"));
    s = v.run;
    renderCounts(v.tellingen, s?.customStatus);
  } else s = await runStatus();
  state.custom = s?.customStatus ?? null;
  if (!s) {
    $("fase").textContent = "Voor dit aanleverpunt heeft nog geen synchronisatie gelopen.";
    $("fase").dataset.fase = "";
    $("laatste-run").textContent = "—";
    $("synchroniseren").disabled = false;
    $("verzenden").hidden = true;
    renderSteps("", "");
    return false;
  }
  const fase = s.customStatus?.fase;
  let text = FASEN[fase] ?? s.runtimeStatus;
  if (fase === "WACHT_OP_BESLISSING") text += ` (${plural(s.customStatus.wachtOpBeslissing ?? 0, "actie", "acties")})`;
  if (fase === "WACHT_OP_VERZENDEN") text += ` (${plural(s.customStatus.teVerzenden ?? 0, "actie", "acties")} klaar om te verzenden)`;
  if (s.customStatus?.reden) text += ` — ${s.customStatus.reden}`;
  if (s.runtimeStatus === "Failed") text = `Mislukt — ${s.reden ?? "de synchronisatie is afgebroken door een fout."}`;
  if (s.runtimeStatus === "Terminated") text = "Beëindigd (vervangen door een nieuwe synchronisatie).";
  if (s.customStatus?.storingen) text += ` (${s.customStatus.storingen})`;
  $("fase").textContent = text;
  $("fase").dataset.fase = fase ?? s.runtimeStatus;
  $("laatste-run").textContent = `${dateTime(s.lastUpdatedTime)}${s.createdTime ? ` (gestart ${dateTime(s.createdTime)})` : ""}`;
  renderSteps(fase ?? "", s.runtimeStatus);
  const running = BUSY.has(s.runtimeStatus);
  $("synchroniseren").disabled = running;
  $("verzenden").hidden = !(running && fase === "WACHT_OP_VERZENDEN");
  return running && !WAITING.has(fase);
}

/** Follows a running synchronisation until it waits or ends, without reloading; then refreshes the lists. */
function follow() {
  clearTimeout(state.poll);
  const code = state.code;
  const tick = async () => {
    if (code !== state.code) return;
    try {
      const busy = await loadProgress(true);
      if (busy) state.poll = setTimeout(tick, 1000);
      else await refreshView();
    } catch (e) {
      showError(e);
    }
  };
  state.poll = setTimeout(tick, 300);
}

async function synchronise() {
  await attempt(async () => {
    await api(ap(state.code, "sync"), { method: "POST" });
    showInfo(`Synchronisatie van ${state.code} is gestart.`);
    $("synchroniseren").disabled = true;
    follow();
  });
}

async function send() {
  await attempt(async () => {
    await api(ap(state.code, "verzenden"), { method: "POST" });
    showInfo("Verwerken en verzenden is gestart: de acties worden nog één keer gecontroleerd en dan verzonden.");
    $("verzenden").hidden = true;
    follow();
  });
}

// ---- the smaller sections of the Acties view -------------------------------------------------------

const SECTIONS = {
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
};

async function refreshView() {
  if (state.view === "acties") {
    await loadActions();
    for (const [id, load] of Object.entries(SECTIONS)) if ($(id).open) await load();
  } else if (state.view === "leerlingen") await loadPupils();
  else await LOADERS[state.view]?.();
}

// ---- navigation ------------------------------------------------------------------------------------

async function show(view) {
  state.view = view;
  for (const b of document.querySelectorAll("nav.tabs button")) {
    if (b.dataset.view === view) b.setAttribute("aria-current", "page");
    else b.removeAttribute("aria-current");
  }
  for (const v of document.querySelectorAll(".view")) v.hidden = v.id !== `view-${view}`;
  await attempt(refreshView);
}

async function selectAanleverpunt(code) {
  state.code = code;
  clearTimeout(state.poll);
  window.history.replaceState(null, "", `#${code}`);
  renderCertificate();
  renderRelay();
  resetActions();
  $("info").textContent = "";
  await attempt(async () => {
    // side by side: the run's progress and the view's data do not wait for each other
    const [busy] = await Promise.all([loadProgress(), refreshView()]);
    if (busy) follow();
  });
}

async function start() {
  $("aanleverpunt").addEventListener("change", (e) => void selectAanleverpunt(e.target.value));
  $("synchroniseren").addEventListener("click", () => void synchronise());
  $("verzenden").addEventListener("click", () => void send());
  $("vernieuwen").addEventListener("click", () => void selectAanleverpunt(state.code));
  for (const b of document.querySelectorAll("nav.tabs button")) b.addEventListener("click", () => void show(b.dataset.view));
  for (const [id, load] of Object.entries(SECTIONS)) $(id).addEventListener("toggle", () => $(id).open && void attempt(load));
  wireActions();
  wirePupils();
  wireViews();
  whenDecided(follow);
  whenCounted((tellingen) => renderCounts(tellingen, state.custom));
  whenStarted(() => {
    void show("acties");
    follow();
  });
  await Promise.all([attempt(startToegang), attempt(loadAanleverpunten)]);
  if (state.code) await selectAanleverpunt(state.code);
  document.body.dataset.klaar = "ja";
  performance.mark("pagina-klaar");
}

window.addEventListener("unhandledrejection", (e) => {
  if (e.reason instanceof ApiError) showError(e.reason);
});

void start();
