import type { BronInschrijving, BronLeerling, BronMirror, DubbeleInschrijving, IsoDate } from "./model.js";

/**
 * A BRON mirror being changed by feedback: keyed maps, so each message costs O(1) and the order of
 * unchanged records is kept. Built from a mirror, turned back into one at the end; the input mirror
 * is never mutated.
 */
export class MirrorState {
  readonly aanleverpunt: string;
  peildatum: IsoDate | null;
  overzichtDatum: IsoDate | null;
  leerlingen: Map<string, BronLeerling>;
  inschrijvingen: Map<string, BronInschrijving>;
  historisch: Map<string, BronInschrijving>;
  dubbel: Map<string, DubbeleInschrijving>;

  constructor(mirror: BronMirror) {
    this.aanleverpunt = mirror.aanleverpunt;
    this.peildatum = mirror.peildatum;
    this.overzichtDatum = mirror.overzichtDatum;
    this.leerlingen = new Map(mirror.leerlingen.map((l) => [l.leerlingId, l]));
    this.inschrijvingen = new Map(mirror.inschrijvingen.map((i) => [i.inschrijvingId, i]));
    this.historisch = new Map(mirror.historisch.map((i) => [i.inschrijvingId, i]));
    this.dubbel = new Map(mirror.dubbeleInschrijvingen.map((d) => [dubbelKey(d), d]));
  }

  /**
   * BRON's enrolment, new or changed: deregistered before the peildatum → historisch (the overzicht
   * would no longer list it), otherwise in the overzicht's enrolments.
   */
  upsertInschrijving(ins: BronInschrijving): void {
    const historic = ins.uitschrijfdatum !== null && this.peildatum !== null && ins.uitschrijfdatum < this.peildatum;
    const [target, other] = historic ? [this.historisch, this.inschrijvingen] : [this.inschrijvingen, this.historisch];
    other.delete(ins.inschrijvingId);
    target.set(ins.inschrijvingId, ins);
  }

  removeInschrijving(inschrijvingId: string): boolean {
    const a = this.inschrijvingen.delete(inschrijvingId);
    const b = this.historisch.delete(inschrijvingId);
    return a || b;
  }

  /** The pupil BRON knows by this leerling id, or else by this PGN. */
  findLeerling(leerlingId: string, pgnNummer: string | null): BronLeerling | undefined {
    const byId = this.leerlingen.get(leerlingId);
    if (byId !== undefined || pgnNummer === null) return byId;
    for (const l of this.leerlingen.values()) if (l.pgn?.nummer === pgnNummer) return l;
    return undefined;
  }

  toMirror(): BronMirror {
    return {
      aanleverpunt: this.aanleverpunt,
      peildatum: this.peildatum,
      overzichtDatum: this.overzichtDatum,
      leerlingen: [...this.leerlingen.values()],
      inschrijvingen: [...this.inschrijvingen.values()],
      historisch: [...this.historisch.values()],
      dubbeleInschrijvingen: [...this.dubbel.values()],
    };
  }
}

/** One overlap is one record however often BRON reports it: our enrolment × the other vestiging × its start. */
export function dubbelKey(d: DubbeleInschrijving): string {
  return `${d.inschrijvingId}\u0000${d.andereVestiging}\u0000${d.inschrijfdatum}`;
}
