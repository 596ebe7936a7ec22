/* global FileReader */
// Scholen aansluiten (Beheerder only; docs/onboarding.md): add a school with its aanleverpunten and relay
// channel, import its certificate per aanleverpunt, test relay and certificates, take it into the daily run.
import { api, ApiError } from "./api.js";
import { dateTime, el, fillTable } from "./dom.js";
import { $, attempt } from "./ui.js";

async function loadScholen() {
  const { scholen } = await api("aansluitingen");
  const select = $("aansluiting-school");
  const chosen = select.value;
  select.replaceChildren(...scholen.map((s) => el("option", { value: s.id }, `${s.naam} (${s.aanleverpunten.map((a) => a.code).join(", ")})`)));
  if (chosen) select.value = chosen;
  fillTable(
    $("aansluitingen"),
    scholen.map((s) =>
      el(
        "tr",
        { "data-school": s.id },
        el("td", {}, s.naam),
        el("td", {}, s.aanleverpunten.map((a) => a.code).join(", ")),
        el("td", {}, s.dagelijkseSync ? "Ja" : "Nog niet"),
        el("td", {}, s.registratieGebruiktOp ? `gebruikt ${dateTime(s.registratieGebruiktOp)}${s.registratieGebruiktDoor ? ` (${s.registratieGebruiktDoor})` : ""}` : s.registratieGeldigTot ? `geldig tot ${dateTime(s.registratieGeldigTot)}` : "—"),
        el("td", {}, s.nieuweSleutelInAfwachting ? "Nieuwe sleutel klaargezet (de relay haalt hem op)" : "—"),
      ),
    ),
  );
}

/** "12AB00 Naam, 12AB01" → [{ code, naam }] */
function parseAanleverpunten(text) {
  return text
    .split(/[,\n]/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => {
      const [code, ...naam] = p.split(/\s+/);
      return { code: code.toUpperCase(), naam: naam.join(" ") };
    });
}

const readBase64 = (file) =>
  new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result).replace(/^data:[^,]*,/, ""));
    r.onerror = () => reject(new ApiError("Het bestand kan niet gelezen worden.", 0));
    r.readAsDataURL(file);
  });

function showControle(c) {
  const regels = [c.relay.melding, ...c.certificaten.map((x) => `${x.aanleverpunt}: ${x.melding}`)];
  $("aansluiting-controle").replaceChildren(...regels.map((t, i) => el("li", { class: (i === 0 ? c.relay.ok : c.certificaten[i - 1].ok) ? "goed" : "fout" }, t)));
  $("aansluiting-controle").hidden = false;
}

/** The command school IT types on the relay's server (shown once; the code works once, for 24 hours). */
function showOpdracht(r) {
  $("aansluiting-resultaat").textContent =
    `Geef de ICT van de school deze opdracht (eenmalig te gebruiken, geldig tot ${dateTime(r.registratieGeldigTot)}). ` +
    `Op de server van de school, na bronsync-relay configure:\n\n${r.registratieOpdracht}\n\nDe code wordt niet opnieuw getoond; maak zo nodig een nieuwe.`;
  $("aansluiting-resultaat").hidden = false;
}

const gekozen = () => encodeURIComponent($("aansluiting-school").value);

/** Shows the Scholen aansluiten section for a Beheerder. */
export function startAansluiten() {
  const sectie = $("aansluiten-sectie");
  sectie.hidden = false;
  sectie.addEventListener("toggle", () => sectie.open && void attempt(loadScholen));
  $("aansluiting-form").addEventListener("submit", (e) => {
    e.preventDefault();
    void attempt(async () => {
      const body = {
        id: $("aansluiting-id").value.trim(),
        naam: $("aansluiting-naam").value.trim(),
        brins: $("aansluiting-brins").value.split(/[,\s]+/).filter(Boolean).map((b) => b.toUpperCase()),
        aanleverpunten: parseAanleverpunten($("aansluiting-aanleverpunten").value),
        contact: { emails: $("aansluiting-emails").value.split(/[,\s]+/).filter(Boolean) },
      };
      const r = await api("aansluitingen", { method: "POST", body });
      $("info").textContent = r.melding;
      showOpdracht(r);
      await loadScholen();
      $("aansluiting-school").value = r.school.id;
    });
  });
  $("certificaat-form").addEventListener("submit", (e) => {
    e.preventDefault();
    void attempt(async () => {
      const file = $("certificaat-bestand").files[0];
      if (!file) throw new ApiError("Kies eerst het PFX-bestand.", 0);
      const body = { aanleverpunt: $("certificaat-aanleverpunt").value.trim().toUpperCase(), pfx: await readBase64(file), wachtwoord: $("certificaat-wachtwoord").value || undefined };
      const r = await api(`aansluitingen/${encodeURIComponent($("aansluiting-school").value)}/certificaat`, { method: "POST", body });
      $("info").textContent = r.certificaat.melding;
      $("certificaat-wachtwoord").value = "";
    });
  });
  $("aansluiting-testen").addEventListener("click", () =>
    void attempt(async () => {
      $("info").textContent = "Bezig met testen van relay en certificaten…";
      showControle(await api(`aansluitingen/${encodeURIComponent($("aansluiting-school").value)}/controle`, { method: "POST" }));
      $("info").textContent = "";
    }),
  );
  $("aansluiting-nieuwe-code").addEventListener("click", () =>
    void attempt(async () => {
      const r = await api(`aansluitingen/${gekozen()}/registratiecode`, { method: "POST" });
      $("info").textContent = r.melding;
      showOpdracht(r);
      await loadScholen();
    }),
  );
  $("aansluiting-nieuwe-sleutel").addEventListener("click", () =>
    void attempt(async () => {
      const r = await api(`aansluitingen/${gekozen()}/relay-sleutel`, { method: "POST" });
      $("info").textContent = r.melding;
      await loadScholen();
    }),
  );
  $("aansluiting-activeren").addEventListener("click", () =>
    void attempt(async () => {
      const r = await api(`aansluitingen/${encodeURIComponent($("aansluiting-school").value)}/activeren`, { method: "POST" });
      showControle(r.controle);
      $("info").textContent = r.melding;
      await loadScholen();
    }),
  );
}
