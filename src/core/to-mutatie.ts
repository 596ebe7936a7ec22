import type { Result } from "./result.js";
import { InschrijvingGegevens, type LeerlingGegevens, type LeerlingVerwijzing, type Mutatie } from "../contracts/bron/messages.js";
import { samePgn, sameNationaliteiten } from "./compare.js";
import { naamCorrectie } from "./feedback-handlers.js";
import type { Action, BronInschrijving, BronLeerling, BronMirror, Inschrijving, Leerling, LvsSnapshot, LvsWrite } from "./model.js";

/**
 * From a decided action to what is sent: the BRON mutation (its id is the action id, so feedback finds
 * the action) or the LVS2000 writes. The content always comes from the current data — LVS2000 for what
 * goes to BRON, the mirror for what is taken into LVS2000 — never from the values stored in the action,
 * which may be days old.
 */

export type Outcome<T> = Result<{ value: T }>;

/** Lookups over one LVS snapshot and one mirror, built once per send. */
export interface SendIndex {
  leerlingen: Map<string, Leerling>;
  inschrijvingen: Map<string, Inschrijving>;
  bronLeerlingen: Map<string, BronLeerling>;
  bronInschrijvingen: Map<string, BronInschrijving>;
}

export function indexForSend(lvs: LvsSnapshot, mirror: BronMirror): SendIndex {
  return {
    leerlingen: new Map(lvs.leerlingen.map((l) => [l.id, l])),
    inschrijvingen: new Map(lvs.inschrijvingen.map((i) => [i.id, i])),
    bronLeerlingen: new Map(mirror.leerlingen.map((l) => [l.leerlingId, l])),
    bronInschrijvingen: new Map([...mirror.historisch, ...mirror.inschrijvingen].map((i) => [i.inschrijvingId, i])),
  };
}

const gegevens = ({ onderwijsSinds: _o, rowVersion: _r, ...l }: Leerling): LeerlingGegevens => l;

/**
 * The enrolment as the BRON contract carries it. The model takes any code (bad data is reported by
 * Controleren); the contract only its code lists (gewicht 0/0.3/1.2, advies codes, …), so an enrolment
 * that slipped past the checks with an unknown code is not sent.
 */
function inschrijvingGegevens({ aanleverpunt: _a, rowVersion: _r, ...i }: Inschrijving): Outcome<InschrijvingGegevens> {
  const parsed = InschrijvingGegevens.safeParse(i);
  if (parsed.success) return { ok: true, value: parsed.data };
  const veld = parsed.error.issues[0]?.path.join(".") ?? "";
  return { ok: false, reason: `De inschrijving heeft een waarde die BRON niet kent (${veld}); los de afkeur bij Controleren op.` };
}

/** The BRON mutation for an action in direction BRON. */
export function toMutatie(action: Action, ix: SendIndex): Outcome<Mutatie> {
  const mutatieId = action.id;
  const leerling = ix.leerlingen.get(action.leerlingId);
  const bronLeerling = ix.bronLeerlingen.get(action.leerlingId);
  const ins = action.inschrijvingId === null ? undefined : ix.inschrijvingen.get(action.inschrijvingId);
  const bronIns = action.inschrijvingId === null ? undefined : ix.bronInschrijvingen.get(action.inschrijvingId);
  const verwijzing = (): LeerlingVerwijzing => ({ leerlingId: action.leerlingId, pgn: leerling?.pgn ?? bronLeerling?.pgn ?? null });
  const missing = (what: string): Outcome<Mutatie> => ({ ok: false, reason: `${what} staat niet (meer) in LVS2000; bepaal de acties opnieuw.` });

  switch (action.type) {
    case "NIEUWE_INSCHRIJVING": {
      if (!leerling) return missing("De leerling");
      if (!ins) return missing("De inschrijving");
      const i = inschrijvingGegevens(ins);
      return i.ok ? { ok: true, value: { soort: "NIEUWE_INSCHRIJVING", mutatieId, leerling: gegevens(leerling), inschrijving: i.value } } : i;
    }
    case "UITSCHRIJVING": {
      if (!ins) return missing("De inschrijving");
      const uitschrijfdatum = ins.uitschrijfdatum;
      if (uitschrijfdatum === null) return { ok: false, reason: "De inschrijving heeft in LVS2000 geen uitschrijfdatum meer; bepaal de acties opnieuw." };
      const i = inschrijvingGegevens(ins);
      return i.ok ? { ok: true, value: { soort: "UITSCHRIJVING", mutatieId, leerling: verwijzing(), inschrijving: { ...i.value, uitschrijfdatum } } } : i;
    }
    case "WIJZIGING_SLEUTELGEGEVENS":
      if (!leerling) return missing("De leerling");
      return { ok: true, value: { soort: "WIJZIGING_SLEUTELGEGEVENS", mutatieId, leerling: gegevens(leerling) } };
    case "WIJZIGING_ONDERWIJSGEGEVENS": {
      if (!ins) return missing("De inschrijving");
      const i = inschrijvingGegevens(ins);
      return i.ok ? { ok: true, value: { soort: "WIJZIGING_ONDERWIJSGEGEVENS", mutatieId, leerling: verwijzing(), inschrijving: i.value } } : i;
    }
    case "VERWIJDERING_INSCHRIJVING":
      if (action.inschrijvingId === null) return { ok: false, reason: "Een verwijdering hoort bij een inschrijving." };
      return { ok: true, value: { soort: "VERWIJDERING_INSCHRIJVING", mutatieId, leerling: verwijzing(), inschrijvingId: action.inschrijvingId } };
    case "CORRECTIE_INSCHRIJFDATUM": {
      if (!ins) return missing("De inschrijving");
      if (!bronIns) return { ok: false, reason: "BRON kent deze inschrijving niet (meer); bepaal de acties opnieuw." };
      const i = inschrijvingGegevens(ins);
      return i.ok ? { ok: true, value: { soort: "CORRECTIE_INSCHRIJFDATUM", mutatieId, leerling: verwijzing(), oudeInschrijfdatum: bronIns.inschrijfdatum, inschrijving: i.value } } : i;
    }
    case "IDENTIFICATIEVERZOEK":
      if (!leerling) return missing("De leerling");
      return { ok: true, value: { soort: "IDENTIFICATIEVERZOEK", mutatieId, leerling: gegevens(leerling) } };
    case "OVERNEMEN_ADRES_IN_LVS":
      return { ok: false, reason: "Adresgegevens worden in LVS2000 overgenomen, niet naar BRON gestuurd." };
    // Stryker disable next-line ConditionalExpression,BlockStatement: exhaustive switch — the compiler proves every case is handled, so this branch never runs
    default: {
      const never: never = action;
      return never;
    }
  }
}

/** The LVS2000 writes for an action in direction LVS: BRON's key data or the GBA address. */
export function toLvsWrites(action: Action, ix: SendIndex): Outcome<LvsWrite[]> {
  const bron = ix.bronLeerlingen.get(action.leerlingId);
  if (!bron) return { ok: false, reason: "BRON kent deze leerling niet (meer); bepaal de acties opnieuw." };
  const leerlingId = action.leerlingId;
  if (action.type === "OVERNEMEN_ADRES_IN_LVS") {
    if (bron.gbaAdres === null) return { ok: false, reason: "BRON heeft geen GBA-adres voor deze leerling." };
    return { ok: true, value: [{ soort: "GBA_ADRES", leerlingId, adres: bron.gbaAdres }] };
  }
  if (action.type === "WIJZIGING_SLEUTELGEGEVENS") {
    // only what differs from LVS2000 is written: unchanged data is never rewritten
    const lvs = ix.leerlingen.get(leerlingId);
    if (lvs === undefined) return { ok: false, reason: "De leerling staat niet (meer) in LVS2000; bepaal de acties opnieuw." };
    const naam = naamCorrectie(leerlingId, lvs, bron);
    const writes: LvsWrite[] = naam === null ? [] : [naam];
    if (bron.pgn !== null && !samePgn(lvs.pgn, bron.pgn)) writes.push({ soort: "SET_PGN", leerlingId, pgn: bron.pgn });
    if (!sameNationaliteiten(lvs.nationaliteiten, bron.nationaliteiten)) {
      if (bron.nationaliteiten.some((n) => !/^\d{4}$/.test(n))) return { ok: false, reason: "BRON heeft een nationaliteitcode die geen GBA-code van 4 cijfers is; niet overgenomen." };
      writes.push({ soort: "NATIONALITEITEN", leerlingId, nationaliteiten: [...bron.nationaliteiten] });
    }
    if (writes.length === 0) return { ok: false, reason: "LVS2000 heeft de sleutelgegevens van BRON al; bepaal de acties opnieuw." };
    return { ok: true, value: writes };
  }
  return { ok: false, reason: `Een actie ${action.type} kan niet naar LVS2000 worden verwerkt.` };
}
