// Who is signed in (header: name, role, schools, "Afmelden"), and for a Beheerder the assignment
// table: which schools a Schooladministratie person or Entra group may see (docs/access.md).
import { api } from "./api.js";
import { startAansluiten } from "./aansluiten.js";
import { dateTime, el, fillTable } from "./dom.js";
import { $, attempt } from "./ui.js";

const SOORT = { persoon: "Persoon", groep: "Groep" };

async function loadToewijzingen() {
  const { toewijzingen, scholen } = await api("toewijzingen");
  const naam = new Map(scholen.map((s) => [s.id, s.naam]));
  const select = $("toewijzing-school");
  const chosen = select.value;
  select.replaceChildren(...scholen.map((s) => el("option", { value: s.id }, `${s.naam} (${s.aanleverpunten.join(", ")})`)));
  if (chosen) select.value = chosen;
  fillTable(
    $("toewijzingen"),
    toewijzingen.map((t) =>
      el(
        "tr",
        { "data-school": t.school, "data-wie": t.wie },
        el("td", {}, naam.get(t.school) ?? t.school),
        el("td", {}, SOORT[t.soort] ?? t.soort),
        el("td", {}, t.wie),
        el("td", {}, t.door),
        el("td", {}, dateTime(t.op)),
        el("td", {}, el("button", { type: "button", class: "gevaar klein-knop", "data-soort": t.soort, "data-wie": t.wie, "data-school": t.school, "aria-label": `Toewijzing verwijderen: ${t.wie} voor ${naam.get(t.school) ?? t.school}` }, "Verwijderen")),
      ),
    ),
  );
}

/** Shows who is signed in; for a Beheerder also the assignment table. */
export async function startToegang() {
  const ik = await api("ik");
  const scholen = ik.rol === "Beheerder" ? "alle scholen" : ik.rol === null ? "geen rol in BRON Sync" : ik.scholen.length === 0 ? "nog geen school toegewezen" : ik.scholen.map((s) => s.naam).join(", ");
  $("aangemeld").textContent = `Aangemeld als ${ik.naam} — ${ik.rol ?? "geen rol"} (${scholen})`;
  $("afmelden").setAttribute("href", ik.afmelden);
  if (ik.rol !== "Beheerder") return;
  startAansluiten();
  const sectie = $("toegang-sectie");
  sectie.hidden = false;
  sectie.addEventListener("toggle", () => sectie.open && void attempt(loadToewijzingen));
  $("toewijzing-form").addEventListener("submit", (e) => {
    e.preventDefault();
    void attempt(async () => {
      const body = { soort: $("toewijzing-soort").value, wie: $("toewijzing-wie").value.trim(), school: $("toewijzing-school").value };
      const r = await api("toewijzingen", { method: "POST", body });
      $("info").textContent = r.nieuw ? `Toegewezen: ${r.toewijzing.wie}.` : `${r.toewijzing.wie} had deze school al.`;
      $("toewijzing-wie").value = "";
      await loadToewijzingen();
    });
  });
  $("toewijzingen").addEventListener("click", (e) => {
    const b = e.target.closest("button[data-wie]");
    if (!b) return;
    void attempt(async () => {
      await api("toewijzingen/verwijderen", { method: "POST", body: { soort: b.dataset.soort, wie: b.dataset.wie, school: b.dataset.school } });
      $("info").textContent = `Toewijzing van ${b.dataset.wie} verwijderd.`;
      await loadToewijzingen();
    });
  });
}
