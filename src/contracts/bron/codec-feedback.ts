import type { FeedbackMessage, Signal } from "./messages.js";
import {
  bronInschrijvingFromXml,
  bronInschrijvingToXml,
  bronLeerlingFromXml,
  bronLeerlingToXml,
  pgnFromXml,
  pgnToXml,
} from "./codec-common.js";
import { child, children, optChild, optText, text, XmlSyntaxError, type XmlNode } from "./xml.js";

/**
 * Feedback (terugkoppeling) ↔ XML. On the wire a feedback message carries `terugkoppelingId`
 * (→ FeedbackMessage.id), `aangemaaktOp` (when BRON queued it → ontvangenOp) and one element of its
 * kind. The aanleverpunt comes from the enclosing response. Signals refer to the mutation they are
 * about, so Signal.actionId = the mutatieId.
 */
export function feedbackToXml(f: FeedbackMessage): object {
  return { terugkoppelingId: f.id, aangemaaktOp: f.ontvangenOp, ...payloadToXml(f) };
}

function signaalToXml(s: Signal): object {
  return { signaalcode: s.code, ernst: s.ernst, omschrijving: s.tekst, veld: s.field ?? undefined };
}

function payloadToXml(f: FeedbackMessage): object {
  switch (f.soort) {
    case "AFKEUR":
      return { afkeur: { mutatieId: f.mutatieId, signaal: f.signalen.map(signaalToXml) } };
    case "INSCHRIJVING_GEACCEPTEERD":
      return {
        inschrijvingGeaccepteerd: {
          mutatieId: f.mutatieId,
          leerling: bronLeerlingToXml(f.leerling),
          inschrijving: f.inschrijving ? bronInschrijvingToXml(f.inschrijving) : undefined,
          toegekendOnderwijsnummer: f.toegekendOnderwijsnummer ?? undefined,
          signaal: f.signalen.map(signaalToXml),
        },
      };
    case "SPONTANE_MUTATIE":
      return { spontaneMutatie: { leerling: bronLeerlingToXml(f.leerling) } };
    case "WIJZIGING_SLEUTELGEGEVENS":
      return { wijzigingSleutelgegevens: { oudPersoonsgebondenNummer: pgnToXml(f.oudPgn), leerling: bronLeerlingToXml(f.leerling) } };
    case "DUBBELE_INSCHRIJVING": {
      const d = f.dubbel;
      return {
        dubbeleInschrijving: {
          leerlingId: d.leerlingId,
          inschrijvingId: d.inschrijvingId,
          andereVestiging: d.andereVestiging,
          inschrijfdatum: d.inschrijfdatum,
          uitschrijfdatum: d.uitschrijfdatum ?? undefined,
          gemeldOp: d.gemeldOp,
        },
      };
    }
    case "REGISTRATIEOVERZICHT":
      return {
        registratieoverzicht: {
          peildatum: f.peildatum,
          leerling: f.leerlingen.map(bronLeerlingToXml),
          inschrijving: f.inschrijvingen.map(bronInschrijvingToXml),
          historischeInschrijving: f.historisch.map(bronInschrijvingToXml),
        },
      };
    default:
      return assertNever(f);
  }
}

function signalenFromXml(node: XmlNode, mutatieId: string): unknown[] {
  return children(node, "signaal").map((s) => ({
    code: text(s, "signaalcode"),
    ernst: text(s, "ernst"),
    tekst: text(s, "omschrijving"),
    actionId: mutatieId,
    field: optText(s, "veld"),
  }));
}

/** Reads one `terugkoppeling` element into a plain object; validate it with `FeedbackMessage`. */
export function feedbackFromXml(node: XmlNode, aanleverpunt: string): unknown {
  const base = { id: text(node, "terugkoppelingId"), aanleverpunt, ontvangenOp: text(node, "aangemaaktOp") };
  const afkeur = optChild(node, "afkeur");
  if (afkeur) {
    const mutatieId = text(afkeur, "mutatieId");
    return { ...base, soort: "AFKEUR", mutatieId, signalen: signalenFromXml(afkeur, mutatieId) };
  }
  const acc = optChild(node, "inschrijvingGeaccepteerd");
  if (acc) {
    const mutatieId = text(acc, "mutatieId");
    const ins = optChild(acc, "inschrijving");
    return {
      ...base,
      soort: "INSCHRIJVING_GEACCEPTEERD",
      mutatieId,
      leerling: bronLeerlingFromXml(child(acc, "leerling")),
      inschrijving: ins ? bronInschrijvingFromXml(ins, aanleverpunt) : null,
      toegekendOnderwijsnummer: optText(acc, "toegekendOnderwijsnummer"),
      signalen: signalenFromXml(acc, mutatieId),
    };
  }
  const spontaan = optChild(node, "spontaneMutatie");
  if (spontaan) return { ...base, soort: "SPONTANE_MUTATIE", leerling: bronLeerlingFromXml(child(spontaan, "leerling")) };
  const sleutel = optChild(node, "wijzigingSleutelgegevens");
  if (sleutel) {
    return {
      ...base,
      soort: "WIJZIGING_SLEUTELGEGEVENS",
      oudPgn: pgnFromXml(optChild(sleutel, "oudPersoonsgebondenNummer")),
      leerling: bronLeerlingFromXml(child(sleutel, "leerling")),
    };
  }
  const dubbel = optChild(node, "dubbeleInschrijving");
  if (dubbel) {
    return {
      ...base,
      soort: "DUBBELE_INSCHRIJVING",
      dubbel: {
        leerlingId: text(dubbel, "leerlingId"),
        inschrijvingId: text(dubbel, "inschrijvingId"),
        andereVestiging: text(dubbel, "andereVestiging"),
        inschrijfdatum: text(dubbel, "inschrijfdatum"),
        uitschrijfdatum: optText(dubbel, "uitschrijfdatum"),
        gemeldOp: text(dubbel, "gemeldOp"),
      },
    };
  }
  const overzicht = optChild(node, "registratieoverzicht");
  if (overzicht) {
    return {
      ...base,
      soort: "REGISTRATIEOVERZICHT",
      peildatum: text(overzicht, "peildatum"),
      leerlingen: children(overzicht, "leerling").map(bronLeerlingFromXml),
      inschrijvingen: children(overzicht, "inschrijving").map((n) => bronInschrijvingFromXml(n, aanleverpunt)),
      historisch: children(overzicht, "historischeInschrijving").map((n) => bronInschrijvingFromXml(n, aanleverpunt)),
    };
  }
  throw new XmlSyntaxError(`terugkoppeling ${base.id} has no known kind`);
}

function assertNever(x: never): never {
  throw new Error(`unhandled feedback kind ${JSON.stringify(x)}`);
}
