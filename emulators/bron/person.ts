/**
 * DEV/TEST ONLY. How the simulator checks a person's key data against its BRP, and what BRON then
 * holds about them: for a BSN known in the BRP, BRON's names and address come from the BRP
 * (which is why BRON's name can differ from the school's); otherwise, the delivered data.
 */
import type { BronLeerling, LeerlingGegevens, Signal } from "../../src/contracts/bron/messages.js";
import { checkBsn, checkOnderwijsnummer } from "../../src/core/validation.js";
import type { BrpPersoon } from "./seed.js";
import { signaal } from "./signals.js";
import type { SimulatorStore } from "./store.js";

/** Afkeur signals for a person's key data: 11-test, onderwijsnummer check, BRP match, postcode. */
export function checkPersoon(store: SimulatorStore, l: LeerlingGegevens, mutatieId: string): Signal[] {
  const out: Signal[] = [];
  if (l.pgn?.soort === "BSN") {
    if (!checkBsn(l.pgn.nummer).ok) out.push(signaal("BSN_ELFPROEF", mutatieId));
    else {
      const p = store.persoon(l.pgn.nummer);
      if (!p && store.hasBrp()) out.push(signaal("BSN_ONBEKEND", mutatieId));
      else if (p && (p.geslacht !== l.geslacht || p.geboortedatum !== l.geboortedatum)) out.push(signaal("BSN_KOMT_NIET_OVEREEN", mutatieId));
    }
  }
  if (l.pgn?.soort === "ONDERWIJSNUMMER" && !checkOnderwijsnummer(l.pgn.nummer).ok) out.push(signaal("ONDERWIJSNUMMER_ONGELDIG", mutatieId));
  const pc = l.adres?.land === "6030" ? l.adres.postcode : null;
  if (pc && store.postcodeBekend(pc) === false) out.push(signaal("POSTCODE_ONBEKEND", mutatieId));
  return out;
}

/** BRON's view of the person after accepting `l` (with the PGN BRON settled on). */
export function bronView(store: SimulatorStore, l: LeerlingGegevens, pgn: BronLeerling["pgn"]): { leerling: BronLeerling; naamWijktAf: boolean } {
  const p = pgn?.soort === "BSN" ? store.persoon(pgn.nummer) : undefined;
  if (!p) {
    return {
      leerling: { leerlingId: l.id, pgn, voornamen: l.voornamen, voorvoegsels: l.voorvoegsels, achternaam: l.achternaam, geslacht: l.geslacht, geboortedatum: l.geboortedatum, gbaAdres: null, nationaliteiten: l.nationaliteiten },
      naamWijktAf: false,
    };
  }
  const naamWijktAf = p.achternaam !== l.achternaam || p.voornamen !== l.voornamen || (p.voorvoegsels ?? null) !== (l.voorvoegsels ?? null);
  return { leerling: fromBrp(l.id, p, l.nationaliteiten), naamWijktAf };
}

/** A pupil as BRON holds them when the BRP knows their BSN. */
export function fromBrp(leerlingId: string, p: BrpPersoon, fallbackNationaliteiten: string[] = []): BronLeerling {
  return {
    leerlingId,
    pgn: { soort: "BSN", nummer: p.bsn },
    voornamen: p.voornamen,
    voorvoegsels: p.voorvoegsels,
    achternaam: p.achternaam,
    geslacht: p.geslacht,
    geboortedatum: p.geboortedatum,
    gbaAdres: p.adres,
    nationaliteiten: p.nationaliteiten.length > 0 ? p.nationaliteiten : fallbackNationaliteiten,
  };
}

/** The one BRP person with these key data (identificatieverzoek without a BSN), if unique. */
export function identificeer(store: SimulatorStore, l: LeerlingGegevens): BrpPersoon | undefined {
  const found = store.zoekPersonen(l.achternaam, l.geboortedatum, l.geslacht);
  return found.length === 1 ? found[0] : undefined;
}
