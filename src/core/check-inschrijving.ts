import type { Inschrijving, IsoDate, Signal } from "./model.js";

/** Controleren, the enrolment's part (domain.md "Rules: checking"): required fields and date order. */

type Add = (code: string, ernst: Signal["ernst"], tekst: string, field: string) => void;

export function checkInschrijving(ins: Inschrijving, aanleverpunt: string, today: IsoDate, add: Add): void {
  if (ins.uitschrijfdatum !== null) {
    if (ins.uitschrijfdatum < ins.inschrijfdatum) add("DATUMVOLGORDE", "AFKEUR", "Uitschrijfdatum ligt voor de inschrijfdatum", "uitschrijfdatum");
    if (ins.redenUitschrijving === null || ins.redenUitschrijving.trim() === "") add("REDEN_UITSCHRIJVING_ONTBREEKT", "AFKEUR", "Reden uitschrijving ontbreekt", "redenUitschrijving");
  }
  if (ins.inschrijfdatum > today) add("INSCHRIJFDATUM_TOEKOMST", "ATTENTIE", "Inschrijfdatum ligt in de toekomst", "inschrijfdatum");
  if (ins.vestiging.slice(0, 4) !== aanleverpunt.slice(0, 4)) add("VESTIGING_ANDER_BRIN", "AFKEUR", `Vestiging ${ins.vestiging} hoort niet bij BRIN ${aanleverpunt.slice(0, 4)}`, "vestiging");
  if (ins.leerjaar === null) add("LEERJAAR_ONTBREEKT", "AFKEUR", "Leerjaar/groep ontbreekt", "leerjaar");
  const ambulant = ins.ambulanteBegeleiding !== null;
  if (ambulant !== (ins.leerjaar === 0)) add("AMBULANT_ONVOLLEDIG", "AFKEUR", "Ambulante begeleiding vraagt groep 0 en de ondersteunende en ontvangende vestiging", ambulant ? "leerjaar" : "ambulanteBegeleiding");
  if ((ins.schoolsoort === "SO" || ins.schoolsoort === "VSO") && (ins.onderwijssoort === null || ins.onderwijssoort.trim() === "")) {
    add("ONDERWIJSSOORT_ONTBREEKT", "AFKEUR", "Onderwijssoort (cluster) ontbreekt bij SO/VSO", "onderwijssoort");
  }
  for (const ind of ins.indicaties) {
    if (ind.einddatum !== null && ind.einddatum < ind.begindatum) add("INDICATIE_DATUMVOLGORDE", "AFKEUR", `Einddatum van indicatie ${ind.soort} ligt voor de begindatum`, "indicaties");
    if (ind.soort === "TLV" && ind.categorie === null) add("TLV_CATEGORIE_ONTBREEKT", "ATTENTIE", "Bekostigingscategorie van de TLV ontbreekt", "indicaties");
  }
}
