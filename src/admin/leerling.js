// Overzicht leerlingen (masked) and the detail view of one pupil (in full, audited as inzage): LVS2000
// and BRON side by side (LvsNaam / BronNaam / Pgn), current and historical enrolments, the pupil's
// actions, signals and feedback history, and handmatige acties (manual ch. 5 "Acties handmatig bepalen").
import { ap, api } from "./api.js";
import { address, date, dateTime, el, fillTable, value } from "./dom.js";
import { $, attempt, showInfo, state } from "./ui.js";

const SOORTEN = {
  IDENTIFICATIEVERZOEK: "Versturen Identificatieverzoek",
  NIEUWE_INSCHRIJVING: "Versturen Nieuwe Melding Inschrijving",
  CORRECTIE_INSCHRIJFDATUM: "Versturen Correctie Inschrijfdatum",
  WIJZIGING_SLEUTELGEGEVENS: "Versturen Wijziging Sleutelgegevens",
  WIJZIGING_ONDERWIJSGEGEVENS: "Versturen Wijziging Onderwijsgegevens",
  UITSCHRIJVING: "Versturen Uitschrijving",
  VERWIJDERING_INSCHRIJVING: "Versturen Verwijdering Inschrijving",
  OVERNEMEN_ADRES_IN_LVS: "Overnemen adresgegevens in LVS2000",
};
const GESLACHT = { M: "man", V: "vrouw", O: "onbekend" };

export async function loadPupils() {
  const { leerlingen } = await api(ap(state.code, `leerlingen?toon=${encodeURIComponent($("toon-leerlingen").value)}`));
  fillTable(
    $("leerlingen"),
    leerlingen.map((l) =>
      el(
        "tr",
        {},
        el("td", {}, l.leerlingId),
        el("td", {}, l.lvsNaam),
        el("td", {}, l.bronNaam ?? "nog niet gekoppeld met BRON"),
        el("td", {}, l.pgn ? `${l.pgn.soort} ${l.pgn.nummer}` : "—"),
        el("td", {}, el("button", { type: "button", class: "klein-knop", "data-leerling": l.leerlingId, "aria-label": `Bekijk leerling ${l.leerlingId}` }, "Bekijk")),
      ),
    ),
  );
}

const table = (caption, head, rows, empty) =>
  rows.length === 0
    ? el("p", { class: "leeg" }, empty)
    : el("div", { class: "tabel-houder" }, el("table", { class: "kaarten" }, el("caption", { class: "sr" }, caption), el("thead", {}, el("tr", {}, ...head.map((h) => el("th", { scope: "col" }, h)))), el("tbody", {}, ...rows.map((r) => el("tr", {}, ...r.map((c, i) => el("td", { "data-label": head[i] }, c)))))));

const enrolmentRow = (i) => [i.id ?? i.inschrijvingId, i.vestiging, i.schoolsoort, i.leerjaar === null ? "—" : String(i.leerjaar), date(i.inschrijfdatum), date(i.uitschrijfdatum)];
const ENROLMENT_HEAD = ["Inschrijving", "Vestiging", "Schoolsoort", "Groep", "Inschrijfdatum", "Uitschrijfdatum"];

function sideBySide(d) {
  const row = (label, f) => el("tr", {}, el("th", { scope: "row" }, label), el("td", { "data-label": "LVS2000" }, d.lvs ? f(d.lvs) : "—"), el("td", { "data-label": "BRON" }, d.bron ? f(d.bron) : "niet bekend bij BRON"));
  return el(
    "table",
    { class: "naast", id: "leerling-naast" },
    el("caption", {}, "LVS2000 en BRON naast elkaar"),
    el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "Gegeven"), el("th", { scope: "col" }, "LVS2000"), el("th", { scope: "col" }, "BRON"))),
    el(
      "tbody",
      {},
      row("Naam (LvsNaam / BronNaam)", (p) => p.naam),
      row("Voornamen", (p) => p.voornamen || "—"),
      row("Voorvoegsels", (p) => p.voorvoegsels ?? "—"),
      row("Achternaam", (p) => p.achternaam),
      row("Geslacht", (p) => GESLACHT[p.geslacht] ?? p.geslacht),
      row("Geboortedatum", (p) => date(p.geboortedatum)),
      row("Pgn", (p) => value(p.pgn)),
      row("Adres", (p) => address(p.adres)),
      row("Nationaliteiten", (p) => (p.nationaliteiten.length ? p.nationaliteiten.join(", ") : "—")),
      row("Onderwijs Sinds", (p) => ("onderwijsSinds" in p ? date(p.onderwijsSinds) : "—")),
    ),
  );
}

function manualForm(d) {
  const lvsEnrolments = d.inschrijvingen.map((i) => ({ id: i.id, text: `${i.id} (${i.vestiging}, ${date(i.inschrijfdatum)})` }));
  const bronOnly = [...d.bronInschrijvingen, ...d.historischeInschrijvingen].filter((b) => !d.inschrijvingen.some((i) => i.id === b.inschrijvingId)).map((b) => ({ id: b.inschrijvingId, text: `${b.inschrijvingId} (alleen in BRON)` }));
  const options = [...lvsEnrolments, ...bronOnly];
  if (options.length === 0) return el("p", { class: "leeg" }, "Deze leerling heeft geen inschrijving: een handmatige actie kan niet bepaald worden.");
  return el(
    "form",
    { id: "handmatig", class: "formulier" },
    el("h3", {}, "Handmatige actie"),
    el("p", { class: "uitleg" }, "Normaal worden acties automatisch bepaald. Een identificatieverzoek wordt nooit automatisch bepaald: daarmee vraagt u BRON of de leerling bekend is (BSN of onderwijsnummer). De actie wordt gecontroleerd en bij de volgende ronde van de synchronisatie verzonden."),
    el(
      "div",
      { class: "veld-rij" },
      el("label", { for: "handmatig-soort" }, "Actie"),
      el("select", { id: "handmatig-soort", name: "type" }, ...Object.entries(SOORTEN).map(([k, v]) => el("option", { value: k }, v))),
    ),
    el("div", { class: "veld-rij" }, el("label", { for: "handmatig-inschrijving" }, "Inschrijving"), el("select", { id: "handmatig-inschrijving", name: "inschrijvingId" }, ...options.map((o) => el("option", { value: o.id }, o.text)))),
    el("div", { class: "knoppen" }, el("button", { type: "submit", class: "hoofd" }, "Actie maken")),
    el("div", { id: "handmatig-uitkomst", role: "status" }),
  );
}

function render(d) {
  $("leerling-kop").textContent = `Leerling ${d.leerlingId}${d.lvsNaam ? ` — ${d.lvsNaam}` : ""}`;
  const actions = d.acties.map((a) => [a.typeLabel, a.wachtOpBeslissing ? "Wacht op beslissing" : a.statusLabel + (a.geblokkeerd ? " (geblokkeerd door afkeur)" : ""), a.reden, el("span", {}, ...a.velden.map((f) => el("div", {}, `${f.field}: LVS2000 ${value(f.lvs)} · BRON ${value(f.bron)}`)))]);
  const signals = d.signalen.map((s) => [s.ernst === "AFKEUR" ? "Afkeur" : "Attentie", s.code, s.tekst]);
  const feedback = d.terugkoppeling.map((f) => [dateTime(f.ontvangenOp), f.soortLabel, f.status === "VERWERKT" ? "verwerkt" : f.status === "MISLUKT" ? `mislukt: ${f.fout ?? ""}` : "ontvangen", f.mutatieId ?? "—"]);
  $("leerling-inhoud").replaceChildren(
    el("p", { class: "klein" }, "Deze gegevens worden volledig getoond omdat u namens de school mag handelen; het openen is als inzage in het logboek vastgelegd."),
    el("div", { class: "tabel-houder" }, sideBySide(d)),
    el("h3", {}, "Inschrijvingen in LVS2000"),
    table("Inschrijvingen in LVS2000", ENROLMENT_HEAD, d.inschrijvingen.map(enrolmentRow), "Geen inschrijvingen in LVS2000."),
    el("h3", {}, "Inschrijvingen volgens BRON"),
    table("Inschrijvingen volgens BRON", ENROLMENT_HEAD, d.bronInschrijvingen.map(enrolmentRow), "BRON kent geen actuele inschrijving."),
    el("h3", {}, "Historische inschrijvingen BRON"),
    table("Historische inschrijvingen BRON", ENROLMENT_HEAD, d.historischeInschrijvingen.map(enrolmentRow), "Geen historische inschrijvingen."),
    el("h3", {}, "Acties"),
    table("Acties van de leerling", ["Actie", "Status", "Reden", "Verschillen"], actions, "Geen acties."),
    el("h3", {}, "Signalen"),
    table("Signalen van de leerling", ["Ernst", "Code", "Tekst"], signals, "Geen signalen."),
    el("h3", {}, "Terugkoppeling van BRON"),
    table("Terugkoppeling over de leerling", ["Ontvangen", "Soort", "Verwerking", "Mutatie"], feedback, "Nog geen terugkoppeling over deze leerling."),
    manualForm(d),
  );
}

let current = "";

/** Opens the detail view of one pupil (the API records the inzage). */
export async function openPupil(leerlingId) {
  const dialog = $("leerling");
  await attempt(async () => {
    const d = await api(ap(state.code, `leerlingen/${encodeURIComponent(leerlingId)}`));
    current = leerlingId;
    render(d);
    if (!dialog.open) dialog.showModal();
    $("leerling-sluit").focus();
  });
}

async function makeManual(form) {
  const type = form.elements.namedItem("type").value;
  const inschrijvingId = form.elements.namedItem("inschrijvingId").value;
  await attempt(async () => {
    const r = await api(ap(state.code, "handmatige-acties"), { method: "POST", body: { type, inschrijvingId } });
    const controle = r.controle.length === 0 ? "De controle vond niets." : `Controle: ${r.controle.map((s) => `${s.ernst === "AFKEUR" ? "afkeur" : "attentie"} — ${s.tekst}`).join("; ")}`;
    showInfo(`${r.actie.typeLabel} gemaakt voor leerling ${r.actie.leerlingId} (${r.actie.id}).`);
    const id = current;
    await openPupil(id);
    $("handmatig-uitkomst").textContent = `${r.actie.typeLabel} is gemaakt en wordt bij de volgende ronde gecontroleerd en verzonden. ${controle}`;
  });
}

export function wirePupils() {
  $("toon-leerlingen").addEventListener("change", () => void attempt(loadPupils));
  $("leerlingen").addEventListener("click", (e) => {
    const b = e.target.closest("button[data-leerling]");
    if (b) void openPupil(b.dataset.leerling);
  });
  $("leerling-sluit").addEventListener("click", () => $("leerling").close());
  $("leerling").addEventListener("submit", (e) => {
    if (e.target.id !== "handmatig") return;
    e.preventDefault();
    void makeManual(e.target);
  });
  // the pupil's data leaves the page when the dialog closes
  $("leerling").addEventListener("close", () => {
    $("leerling-inhoud").replaceChildren();
    current = "";
  });
}
