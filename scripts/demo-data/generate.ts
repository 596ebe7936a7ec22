import type { BronLeerling, BronMirror, DubbeleInschrijving, Inschrijving, IsoDate, Leerling, LvsSnapshot, Pgn } from "../../src/core/model.js";
import { addDays } from "../../src/core/dates.js";
import { bronCopyOfEnrolment, implausibleBirthDate, lvsCopyOfAdres, lvsCopyOfKeyData } from "./differences.js";
import { draftEnrolment } from "./enrolment.js";
import { brokenBsn, validBsn, validOnderwijsnummer } from "./numbers.js";
import { randomAdres, randomPersoon, toLeerling, type Persoon } from "./person.js";
import { createRng, type Rng } from "./prng.js";
import { deregistration, randomStatus, referenceYear, schoolYearOf, type Status } from "./scenario.js";
import type { AndereSchoolInschrijving, BrpPersoon, DemoData } from "./schema.js";
import { ANDERE_VESTIGINGEN, aanleverpuntVan, schools, type SchoolTemplate } from "./schools.js";

export type { DemoData } from "./schema.js";

export interface DemoDataOptions {
  seed: number;
  /** pupils in LVS2000, over all aanleverpunten */
  leerlingen: number;
  today: IsoDate;
  /** default 4: a BAO school, its ambulant aanleverpunt, an SO/VSO school and an SBO school */
  aanleverpunten?: number;
}

/** Days between fetching the registratieoverzicht and `today`: recent enough for determination. */
const OVERZICHT_LEEFTIJD = 3;

interface Ctx {
  rng: Rng;
  today: IsoDate;
  peildatum: IsoDate;
  seq: { leerling: number; inschrijving: number; ander: number };
  usedBsn: Set<string>;
  bevolking: BrpPersoon[];
  andereScholen: AndereSchoolInschrijving[];
}

function uniqueBsn(ctx: Ctx): string {
  for (;;) {
    const bsn = validBsn(ctx.rng);
    if (!ctx.usedBsn.has(bsn)) {
      ctx.usedBsn.add(bsn);
      return bsn;
    }
  }
}

/** LVS2000's PGN and the BSN the population register holds (null: not in the register). */
function numbers(ctx: Ctx, status: Status, brokenBsnVoorbeeld = false): { lvs: Pgn | null; brpBsn: string | null; bron: Pgn | null } {
  const { rng } = ctx;
  if (status === "NIEUW") {
    const r = brokenBsnVoorbeeld ? 1 : rng.next();
    if (r < 0.45) return { lvs: null, brpBsn: rng.chance(0.7) ? uniqueBsn(ctx) : null, bron: null };
    const bsn = uniqueBsn(ctx);
    if (r < 0.85) return { lvs: { soort: "BSN", nummer: bsn }, brpBsn: bsn, bron: null };
    return { lvs: { soort: "BSN", nummer: brokenBsn(rng, bsn) }, brpBsn: bsn, bron: null };
  }
  if (rng.chance(0.04)) {
    const on: Pgn = { soort: "ONDERWIJSNUMMER", nummer: validOnderwijsnummer(rng) };
    return { lvs: on, brpBsn: rng.chance(0.3) ? uniqueBsn(ctx) : null, bron: on };
  }
  const bsn: Pgn = { soort: "BSN", nummer: uniqueBsn(ctx) };
  return { lvs: bsn, brpBsn: bsn.nummer, bron: bsn };
}

function toBronLeerling(id: string, p: Persoon, pgn: Pgn | null): BronLeerling {
  const { adres, ...rest } = p;
  return { leerlingId: id, ...rest, pgn, gbaAdres: adres.land === "6030" ? adres : null, nationaliteiten: [...p.nationaliteiten] };
}

function otherSchoolEnrolment(ctx: Ctx, ins: Inschrijving, pgn: Pgn | null, from: IsoDate): AndereSchoolInschrijving {
  const vestiging = ctx.rng.pick(ANDERE_VESTIGINGEN);
  const soort = ins.schoolsoort === "SBO" ? "BAO" : ins.schoolsoort;
  return {
    inschrijvingId: `A${++ctx.seq.ander}`, leerlingId: ins.leerlingId, aanleverpunt: aanleverpuntVan(vestiging), vestiging,
    inschrijfdatum: from, uitschrijfdatum: null, redenUitschrijving: null, schoolsoort: soort,
    onderwijssoort: soort === "SO" || soort === "VSO" ? ins.onderwijssoort : null, leerjaar: ins.leerjaar,
    soortVerblijf: null, indicaties: [], ambulanteBegeleiding: null, bekostigd: true,
    klassenhistorie: [{ leerjaar: ins.leerjaar, groep: null, begindatum: from }], nnca: false, gewicht: null, vve: null, eindtoets: null, schooladvies: null, pgn,
  };
}

/**
 * After a deregistration: group periods, toets and advies dated after the uitschrijfdatum did not happen
 * at this school; the leerjaar is the last group period's; a toets and an advies only in groep 8.
 */
function keepWithinEnrolment(ins: Inschrijving): void {
  const end = ins.uitschrijfdatum;
  if (end !== null) {
    const kept = ins.klassenhistorie.filter((p) => p.begindatum <= end);
    ins.klassenhistorie = kept.length > 0 ? kept : ins.klassenhistorie.slice(0, 1);
    ins.leerjaar = ins.klassenhistorie.at(-1)!.leerjaar;
    if (ins.eindtoets !== null && ins.eindtoets.afnamedatum > end) ins.eindtoets = null;
    const a = ins.schooladvies;
    if (a !== null && a.datum > end) ins.schooladvies = null;
    else if (a !== null && a.herzienDatum !== null && a.herzienDatum > end) ins.schooladvies = { ...a, herzienAdvies: null, herzienDatum: null };
  }
  if (ins.eindtoets !== null && ins.eindtoets.afnamedatum < ins.inschrijfdatum) ins.eindtoets = null;
  if (ins.schooladvies !== null && ins.schooladvies.datum < ins.inschrijfdatum) ins.schooladvies = null;
  if (ins.leerjaar !== 8) {
    ins.eindtoets = null;
    ins.schooladvies = null;
  }
  const a = ins.schooladvies;
  if (a !== null && a.herzienAdvies !== null && (ins.eindtoets === null || ins.eindtoets.toetsadvies === null)) ins.schooladvies = { ...a, herzienAdvies: null, herzienDatum: null };
}

/**
 * Pupils every data set shows, whatever the day: last school year's groep 8 of the first basisschool, left
 * for the VO with an advies, a toets result and a herzien advies; BRON knows the herzien advies of the
 * first ("BRON_KENT") but not of the second ("BRON_MIST"), which is then a Wijziging onderwijsgegevens.
 * And a new pupil whose BSN LVS2000 holds with a typing error ("BSN_ONGELDIG": the relay flags it, the
 * check refuses it), so that every data set shows one. And on every aanleverpunt a pupil whose address
 * LVS2000 holds as it was before a move the population register knows ("OUD_ADRES": an Overnemen
 * adresgegevens in LVS2000 waits for a decision on every aanleverpunt).
 */
type Voorbeeld = "BRON_KENT" | "BRON_MIST" | "BSN_ONGELDIG" | "OUD_ADRES";

/** One pupil at `school`: LVS2000 record(s), BRON's record(s), register entry, other schools. */
function addPupil(ctx: Ctx, school: SchoolTemplate, lvs: LvsSnapshot, bron: BronMirror, alleenBron: boolean, voorbeeld: Voorbeeld | null = null): void {
  const { rng, today, peildatum } = ctx;
  const groep8 = voorbeeld === "BRON_KENT" || voorbeeld === "BRON_MIST";
  const status: Status = groep8 ? "UIT_BEKEND" : voorbeeld === "BSN_ONGELDIG" ? "NIEUW" : alleenBron || voorbeeld === "OUD_ADRES" ? "ACTIEF" : randomStatus(rng);
  const ref = referenceYear(rng, status, today, peildatum);
  const syYear = groep8 ? schoolYearOf(today) - 1 : ref.syYear;
  const latest = groep8 ? addDays(`${syYear + 1}-07-31`, -31) : ref.latest;
  const id = String(100000 + ++ctx.seq.leerling);
  const draft = draftEnrolment(rng, school, syYear, latest, groep8);
  const truth = randomPersoon(rng, draft.geboortedatum);
  if (voorbeeld === "OUD_ADRES" && truth.adres.land !== "6030") truth.adres = randomAdres(rng);
  const nrs = numbers(ctx, status, voorbeeld === "BSN_ONGELDIG");
  if (nrs.brpBsn) ctx.bevolking.push({ bsn: nrs.brpBsn, voornamen: truth.voornamen, voorvoegsels: truth.voorvoegsels, achternaam: truth.achternaam, geslacht: truth.geslacht, geboortedatum: truth.geboortedatum, adres: truth.adres, nationaliteiten: [...truth.nationaliteiten] });

  const ins: Inschrijving = { id: `I${++ctx.seq.inschrijving}`, leerlingId: id, ...draft.inschrijving, uitschrijfdatum: null, redenUitschrijving: null, rowVersion: rowVersion(ctx.seq.inschrijving) };
  if (status === "NIEUW" && ins.inschrijfdatum <= addDays(today, -25)) {
    // a newcomer: enrolled in the last weeks, in today's group, no gewicht (the regeling has ended)
    ins.inschrijfdatum = addDays(today, -rng.int(0, 25));
    const last = ins.klassenhistorie.at(-1)!;
    ins.klassenhistorie = [{ ...last, begindatum: ins.inschrijfdatum }];
    ins.gewicht = null;
  }
  const uit = deregistration(rng, status, ins, syYear, today, peildatum);
  if (uit) Object.assign(ins, { uitschrijfdatum: uit.datum, redenUitschrijving: uit.reden });
  keepWithinEnrolment(ins);

  const copy = status === "NIEUW" || status === "UIT_VOOR_2008" ? { ...truth } : lvsCopyOfKeyData(rng, truth);
  if (status === "NIEUW" && rng.chance(0.03)) copy.geboortedatum = implausibleBirthDate(copy.geboortedatum);
  const leerling: Leerling = toLeerling(id, { ...copy, adres: truth.adres }, nrs.lvs, rng.chance(0.01) ? null : draft.onderwijsSinds, rowVersion(ctx.seq.leerling));
  leerling.adres = voorbeeld === "OUD_ADRES" ? { ...randomAdres(rng), straat: `Oude ${truth.adres.straat}` } : lvsCopyOfAdres(rng, truth);

  const inschrijvingen: Inschrijving[] = [ins];
  if (ins.schoolsoort === "VSO" && ins.leerjaar === 1 && school.profiel === "WEC" && rng.chance(0.3) && ins.inschrijfdatum > "2008-09-01") {
    // SO → VSO is uitschrijven and inschrijven again: the earlier SO enrolment is history.
    const begin = addDays(ins.inschrijfdatum, -rng.int(365, 1500));
    inschrijvingen.unshift({
      ...ins, id: `I${++ctx.seq.inschrijving}`, schoolsoort: "SO", leerjaar: 8, inschrijfdatum: begin, uitschrijfdatum: addDays(ins.inschrijfdatum, -1), redenUitschrijving: "OVERGANG_VSO", ambulanteBegeleiding: null,
      klassenhistorie: [{ leerjaar: 8, groep: "8A", begindatum: begin }], gewicht: null, vve: null, eindtoets: null, schooladvies: null,
    });
  }

  if (!alleenBron) {
    lvs.leerlingen.push(leerling);
    lvs.inschrijvingen.push(...inschrijvingen);
  } else if (rng.chance(0.5)) lvs.leerlingen.push(leerling); // the pupil record stayed, the enrolment was removed

  if (status !== "NIEUW" && status !== "UIT_VOOR_2008") {
    bron.leerlingen.push(toBronLeerling(id, truth, nrs.bron));
    for (const i of inschrijvingen) {
      const b = bronCopyOfEnrolment(rng, i, status === "UIT_BEKEND" || i !== ins, school.vestigingen);
      if (voorbeeld === "BRON_MIST" && b.schooladvies !== null) b.schooladvies = { ...b.schooladvies, herzienAdvies: null, herzienDatum: null };
      if (voorbeeld === "BRON_KENT") b.schooladvies = i.schooladvies === null ? null : { ...i.schooladvies };
      (b.uitschrijfdatum !== null && b.uitschrijfdatum < peildatum ? bron.historisch : bron.inschrijvingen).push(b);
    }
  }
  addOtherSchools(ctx, status, ins, nrs.bron ?? nrs.lvs, bron);
}

/** Where deregistered pupils went next, and overlapping enrolments elsewhere (dubbele inschrijvingen). */
function addOtherSchools(ctx: Ctx, status: Status, ins: Inschrijving, pgn: Pgn | null, bron: BronMirror): void {
  const { rng } = ctx;
  if (ins.uitschrijfdatum && ins.redenUitschrijving !== "NAAR_VO" && status !== "UIT_VOOR_2008" && rng.chance(0.6)) {
    ctx.andereScholen.push(otherSchoolEnrolment(ctx, ins, pgn, addDays(ins.uitschrijfdatum, 1)));
  } else if (status === "ACTIEF" && rng.chance(0.006)) {
    const from = addDays(ctx.today, -rng.int(5, 120));
    const ander = otherSchoolEnrolment(ctx, ins, pgn, from > ins.inschrijfdatum ? from : addDays(ins.inschrijfdatum, 1));
    ctx.andereScholen.push(ander);
    if (rng.chance(0.5) && ander.inschrijfdatum <= ctx.peildatum) {
      const dubbel: DubbeleInschrijving = { leerlingId: ins.leerlingId, inschrijvingId: ins.id, andereVestiging: ander.vestiging, inschrijfdatum: ander.inschrijfdatum, uitschrijfdatum: null, gemeldOp: ctx.peildatum };
      bron.dubbeleInschrijvingen.push(dubbel);
    }
  }
}

const rowVersion = (n: number): string => n.toString(16).toUpperCase().padStart(16, "0");

/**
 * A seeded, deterministic, realistic demo data set: per aanleverpunt the LVS2000 snapshot and the
 * BRON mirror (registratieoverzicht fetched a few days ago, so determination is allowed), plus the
 * population register and other schools' enrolments that the BRON simulator needs.
 */
export function generateDemoData(opts: DemoDataOptions): DemoData {
  const overzichtDatum = addDays(opts.today, -OVERZICHT_LEEFTIJD);
  const ctx: Ctx = {
    rng: createRng(opts.seed), today: opts.today, peildatum: overzichtDatum,
    seq: { leerling: 0, inschrijving: 0, ander: 0 }, usedBsn: new Set(), bevolking: [], andereScholen: [],
  };
  const templates = schools(opts.aanleverpunten ?? 4);
  const totaal = templates.reduce((s, t) => s + t.gewicht, 0);
  const lvs: LvsSnapshot[] = [];
  const bron: BronMirror[] = [];
  let remaining = opts.leerlingen;
  templates.forEach((school, i) => {
    const count = i === templates.length - 1 ? remaining : Math.min(remaining, Math.round((opts.leerlingen * school.gewicht) / totaal));
    remaining -= count;
    const snap: LvsSnapshot = { aanleverpunt: school.code, leerlingen: [], inschrijvingen: [] };
    const mirror: BronMirror = { aanleverpunt: school.code, peildatum: overzichtDatum, overzichtDatum, leerlingen: [], inschrijvingen: [], historisch: [], dubbeleInschrijvingen: [] };
    const voorbeelden: Voorbeeld[] = i === templates.findIndex((t) => t.profiel === "BAO") && count >= 10 ? ["BRON_KENT", "BRON_MIST", "BSN_ONGELDIG"] : [];
    for (const v of voorbeelden) addPupil(ctx, school, snap, mirror, false, v);
    const oudAdres = count >= 2 ? 1 : 0;
    for (let n = voorbeelden.length; n < count - oudAdres; n++) addPupil(ctx, school, snap, mirror, false);
    if (oudAdres) addPupil(ctx, school, snap, mirror, false, "OUD_ADRES");
    const alleenBron = Math.max(count > 0 ? 1 : 0, Math.round(count * 0.01));
    for (let n = 0; n < alleenBron; n++) addPupil(ctx, school, snap, mirror, true);
    lvs.push(snap);
    bron.push(mirror);
  });
  return {
    today: opts.today,
    aanleverpunten: templates.map(({ code, naam, brin, vestigingen }) => ({ code, naam, brin, vestigingen: [...vestigingen] })),
    lvs, bron, bevolking: ctx.bevolking, andereScholen: ctx.andereScholen,
  };
}
