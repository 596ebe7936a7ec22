import { z } from "zod";

/**
 * The domain model of BRON Sync, as zod schemas with inferred types. These schemas are the
 * boundary checks for every input (CLI files, relay snapshots, BRON messages, admin requests).
 * Dates are ISO calendar dates (YYYY-MM-DD) as strings: the domain only ever compares days.
 * Format rules (11-test, postcode, …) live in validation.ts; the schemas here check shape only, so
 * that bad data can be loaded and then reported as signals instead of refusing a whole snapshot.
 */

const isoDateRegex = /^\d{4}-\d{2}-\d{2}$/;
export const IsoDate = z
  .string()
  .regex(isoDateRegex, "verwacht een datum als JJJJ-MM-DD")
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, "deze datum bestaat niet");
export type IsoDate = z.infer<typeof IsoDate>;

/** Aanleverpunt: BRIN (2 digits + 2 letters) + 2 digits, e.g. 00AA00. */
export const Aanleverpunt = z.string().regex(/^\d{2}[A-Z]{2}\d{2}$/, "verwacht een aanleverpunt zoals 00AA00");
export type Aanleverpunt = z.infer<typeof Aanleverpunt>;
/** Vestiging: BRIN + 2-digit volgnummer, e.g. 00AA01. Same shape as an aanleverpunt, different meaning. */
export const Vestiging = z.string().regex(/^\d{2}[A-Z]{2}\d{2}$/, "verwacht een vestiging zoals 00AA01");
export type Vestiging = z.infer<typeof Vestiging>;

export const Geslacht = z.enum(["M", "V", "O"]); // man, vrouw, onbekend
export type Geslacht = z.infer<typeof Geslacht>;

/** Persoonsgebonden nummer: the BSN or, when none is known, the onderwijsnummer BRON assigned. */
export const Pgn = z.object({
  soort: z.enum(["BSN", "ONDERWIJSNUMMER"]),
  nummer: z.string().min(1),
});
export type Pgn = z.infer<typeof Pgn>;

export const Adres = z.object({
  straat: z.string(),
  huisnummer: z.number().int().nullable(),
  toevoeging: z.string().nullable(),
  postcode: z.string().nullable(),
  plaats: z.string(),
  /** GBA landcode (tabel 34): 6030 = Nederland, 5010 = België, 9089 = Duitsland. */
  land: z.string().regex(/^\d{4}$/),
});
export type Adres = z.infer<typeof Adres>;

/** The key data (sleutelgegevens) plus what else BRON holds about a person. */
const persoon = {
  pgn: Pgn.nullable(),
  voornamen: z.string(),
  voorvoegsels: z.string().nullable(),
  achternaam: z.string().min(1),
  geslacht: Geslacht,
  geboortedatum: IsoDate,
};

/** A pupil as LVS2000 holds it. `id` is the LVS leerlingnummer, which BRON keeps as the school's reference. */
export const Leerling = z.object({
  id: z.string().min(1),
  ...persoon,
  adres: Adres.nullable(),
  /** GBA nationaliteitcodes (tabel 32), 0001 = Nederlandse. */
  nationaliteiten: z.array(z.string().regex(/^\d{4}$/)),
  onderwijsSinds: IsoDate.nullable(),
  /** Opaque row version from LVS2000; writes back must carry it (optimistic concurrency). */
  rowVersion: z.string().optional(),
});
export type Leerling = z.infer<typeof Leerling>;

export const Schoolsoort = z.enum(["BAO", "SBO", "SO", "VSO"]);
export type Schoolsoort = z.infer<typeof Schoolsoort>;

export const Indicatie = z.object({
  /** e.g. TLV (cluster 3/4), CLUSTER1, CLUSTER2, LWOO */
  soort: z.string().min(1),
  begindatum: IsoDate,
  einddatum: IsoDate.nullable(),
  /** bekostigingscategorie of a TLV: LAAG, MIDDEN, HOOG */
  categorie: z.string().nullable(),
});
export type Indicatie = z.infer<typeof Indicatie>;

export const AmbulanteBegeleiding = z.object({
  ondersteunendeVestiging: Vestiging,
  begindatum: IsoDate,
  /** BRIN + volgnummer of the school where the pupil is supported. */
  ontvangendeVestiging: Vestiging,
});
export type AmbulanteBegeleiding = z.infer<typeof AmbulanteBegeleiding>;

/**
 * One period in a group (klassenhistorie): from `begindatum` until the next period begins (or the
 * enrolment ends). `groep` is the school's own class name (e.g. "5B"), `leerjaar` its year 0..8.
 */
export const Groepsperiode = z.object({
  leerjaar: z.number().int().min(0).max(8).nullable(),
  groep: z.string().nullable(),
  begindatum: IsoDate,
});
export type Groepsperiode = z.infer<typeof Groepsperiode>;

/** Codes of a VO-advies and of a toetsadvies (lowest level first), and why no toets was made: the BRON contract's lists. */
export { ADVIES_CODES, type AdviesCode, REDENEN_GEEN_TOETS } from "../contracts/bron/messages.js";

/** The result of the eindtoets (until 2022-23) or doorstroomtoets (from 2023-24): its toetsadvies, or why none was made. */
export const Eindtoets = z.object({
  /** when the toets was made (or, without a toets, when the reason was recorded) */
  afnamedatum: IsoDate,
  /** the toets's advice (an advies code, ADVIES_CODES of the BRON contract); null when no toets was made */
  toetsadvies: z.string().nullable(),
  /** the score on the toets's own scale, when it has one */
  score: z.number().int().nullable(),
  /** why no toets was made (REDENEN_GEEN_TOETS); null when made */
  redenGeenToets: z.string().nullable(),
});
export type Eindtoets = z.infer<typeof Eindtoets>;

/**
 * The schooladvies (VO-advies) for the last leerjaar, and the herzien advies when the school raised it
 * after the toets result (WPO art. 42 lid 2).
 */
export const Schooladvies = z.object({
  advies: z.string().min(1),
  datum: IsoDate,
  herzienAdvies: z.string().nullable(),
  herzienDatum: IsoDate.nullable(),
});
export type Schooladvies = z.infer<typeof Schooladvies>;

/** The enrolment data (onderwijsgegevens) exchanged with BRON. */
const onderwijsgegevens = {
  vestiging: Vestiging,
  schoolsoort: Schoolsoort,
  /** onderwijssoort / cluster (WEC), null where not applicable */
  onderwijssoort: z.string().nullable(),
  /** leerjaar or groep; 0 for ambulant begeleide leerlingen */
  leerjaar: z.number().int().min(0).max(8).nullable(),
  /** soort verblijf (residentiële plaatsing): 3..6, null = regular */
  soortVerblijf: z.string().nullable(),
  indicaties: z.array(Indicatie),
  ambulanteBegeleiding: AmbulanteBegeleiding.nullable(),
  /** indicatie bekostiging */
  bekostigd: z.boolean(),
  /** every group period of the enrolment, oldest first; the last one gives `leerjaar` */
  klassenhistorie: z.array(Groepsperiode),
  /** aanduiding niet-Nederlandse culturele achtergrond (NNCA); false for ambulant begeleide leerlingen */
  nnca: z.boolean(),
  /** leerlinggewicht (basisschool, gewichtenregeling until 1 Aug 2019): 0, 0.3 or 1.2; null = none registered */
  gewicht: z.number().nullable(),
  /** took part in voor- en vroegschoolse educatie (WPO); null = not registered */
  vve: z.boolean().nullable(),
  /** eindtoets/doorstroomtoets result in the last leerjaar (WPO) */
  eindtoets: Eindtoets.nullable(),
  /** VO-advies in the last leerjaar (WPO), with the herzien advies */
  schooladvies: Schooladvies.nullable(),
};

/** An enrolment as LVS2000 holds it. `id` is the LVS enrolment id, sent to BRON as the school's reference. */
export const Inschrijving = z.object({
  id: z.string().min(1),
  leerlingId: z.string().min(1),
  aanleverpunt: Aanleverpunt,
  inschrijfdatum: IsoDate,
  uitschrijfdatum: IsoDate.nullable(),
  redenUitschrijving: z.string().nullable(),
  ...onderwijsgegevens,
  rowVersion: z.string().optional(),
});
export type Inschrijving = z.infer<typeof Inschrijving>;

/** A field LVS2000 holds incompletely or impossibly, with the Dutch reason (never the value). */
export const OnvolledigVeld = z.object({ veld: z.string(), reden: z.string() });
export type OnvolledigVeld = z.infer<typeof OnvolledigVeld>;

/** A pupil LVS2000 holds, but without what every message to BRON needs (achternaam, geslacht, geboortedatum). */
export const OnvolledigeLeerling = z.object({ id: z.string().min(1), velden: z.array(OnvolledigVeld).min(1) });
export type OnvolledigeLeerling = z.infer<typeof OnvolledigeLeerling>;

/**
 * Everything LVS2000 holds for one aanleverpunt, as the relay delivers it. Rule: incomplete LVS2000 data
 * never becomes a deletion — a pupil whose row cannot be read whole is listed in `onvolledig` (its
 * enrolments stay in `inschrijvingen`), and an enrolment row that cannot be read whole is named in
 * `uitgeslotenInschrijvingen`: both exist in LVS2000, so BRON's enrolments of them are never proposed
 * for deletion.
 */
export const LvsSnapshot = z.object({
  aanleverpunt: Aanleverpunt,
  leerlingen: z.array(Leerling),
  inschrijvingen: z.array(Inschrijving),
  onvolledig: z.array(OnvolledigeLeerling).optional(),
  uitgeslotenInschrijvingen: z.array(z.string()).optional(),
});
export type LvsSnapshot = z.infer<typeof LvsSnapshot>;

/** A person as BRON holds them: BRON's name and key data, and the address the GBA/BRP supplied. */
export const BronLeerling = z.object({
  leerlingId: z.string().min(1),
  ...persoon,
  gbaAdres: Adres.nullable(),
  nationaliteiten: z.array(z.string()),
});
export type BronLeerling = z.infer<typeof BronLeerling>;

/** An enrolment as BRON holds it, under the school's reference (the LVS enrolment id). */
export const BronInschrijving = z.object({
  inschrijvingId: z.string().min(1),
  leerlingId: z.string().min(1),
  aanleverpunt: Aanleverpunt,
  inschrijfdatum: IsoDate,
  uitschrijfdatum: IsoDate.nullable(),
  redenUitschrijving: z.string().nullable(),
  ...onderwijsgegevens,
});
export type BronInschrijving = z.infer<typeof BronInschrijving>;

/** An enrolment at another school that overlaps one of ours (dubbele inschrijving). */
export const DubbeleInschrijving = z.object({
  leerlingId: z.string().min(1),
  inschrijvingId: z.string().min(1),
  andereVestiging: Vestiging,
  inschrijfdatum: IsoDate,
  uitschrijfdatum: IsoDate.nullable(),
  gemeldOp: IsoDate,
});
export type DubbeleInschrijving = z.infer<typeof DubbeleInschrijving>;

/**
 * The BRON mirror: what BRON holds for one aanleverpunt, from the last registratieoverzicht plus
 * every feedback message applied since. `overzichtDatum` is when that overzicht was fetched
 * (the 4-week rule looks at it); `peildatum` is the reference date it was requested for.
 */
export const BronMirror = z.object({
  aanleverpunt: Aanleverpunt,
  peildatum: IsoDate.nullable(),
  overzichtDatum: IsoDate.nullable(),
  leerlingen: z.array(BronLeerling),
  inschrijvingen: z.array(BronInschrijving),
  /** enrolments deregistered before the peildatum: BRON knows them, the overzicht no longer lists them */
  historisch: z.array(BronInschrijving),
  dubbeleInschrijvingen: z.array(DubbeleInschrijving),
});
export type BronMirror = z.infer<typeof BronMirror>;

export const ACTION_TYPES = [
  "NIEUWE_INSCHRIJVING",
  "UITSCHRIJVING",
  "VERWIJDERING_INSCHRIJVING",
  "CORRECTIE_INSCHRIJFDATUM",
  "WIJZIGING_SLEUTELGEGEVENS",
  "WIJZIGING_ONDERWIJSGEGEVENS",
  "IDENTIFICATIEVERZOEK",
  "OVERNEMEN_ADRES_IN_LVS",
] as const;
export const ActionType = z.enum(ACTION_TYPES);
export type ActionType = z.infer<typeof ActionType>;

export const Direction = z.enum(["BRON", "LVS"]);
export type Direction = z.infer<typeof Direction>;

/**
 * The life of an action (src/core/action-lifecycle.ts moves it, forward only):
 * OPEN → GECONTROLEERD → IN_VERZENDING (in a recorded send batch) → IN_BEHANDELING → GEACCEPTEERD | AFGEKEURD;
 * LVS-direction: GECONTROLEERD → VERWERKT; a person: → GENEGEERD; a deleted sent action: VERWIJDERD
 * (kept, hidden, until BRON's answer to it has been applied to the mirror).
 */
export const ActionStatus = z.enum(["OPEN", "GECONTROLEERD", "IN_VERZENDING", "IN_BEHANDELING", "GEACCEPTEERD", "AFGEKEURD", "VERWERKT", "GENEGEERD", "VERWIJDERD"]);
export type ActionStatus = z.infer<typeof ActionStatus>;

export const FieldDiff = z.object({
  field: z.string(),
  lvs: z.unknown(),
  bron: z.unknown(),
});
export type FieldDiff = z.infer<typeof FieldDiff>;

export const Deadline = z.object({
  /** 7 days for in/uitschrijvingen (DUO), 14 days for other changes (OCW) */
  windowDays: z.union([z.literal(7), z.literal(14)]),
  since: IsoDate,
  due: IsoDate,
  /** negative when overdue */
  daysLeft: z.number().int(),
  /** a past enrolment delivered with the first delivery: backlog ("achterstallig"), not days late */
  achterstallig: z.boolean().optional(),
});
export type Deadline = z.infer<typeof Deadline>;

export const Keuze = z.enum(["NEGEREN", "NAAR_BRON", "NAAR_LVS"]);
export type Keuze = z.infer<typeof Keuze>;

/** The decision a person took on an action: what, who, when. */
export const Beslissing = z.object({
  keuze: Keuze,
  door: z.string().min(1),
  op: z.string().datetime({ offset: true }),
});
export type Beslissing = z.infer<typeof Beslissing>;

const actionBase = {
  /** stable id: the same difference always gets the same id; also the BRON mutation id once sent */
  id: z.string().min(1),
  /** true when a person added it by hand (deciding by making it) */
  manual: z.boolean().default(false),
  aanleverpunt: Aanleverpunt,
  leerlingId: z.string().min(1),
  fields: z.array(FieldDiff),
  /** fingerprint of the data behind the difference: an ignored difference is asked again only when it changes */
  fingerprint: z.string().min(1),
  deadline: Deadline.nullable(),
  /** Dutch explanation for the user */
  reason: z.string(),
  status: ActionStatus,
  /** determined as a difference a person must decide (manual ch. 5); never changes afterwards */
  needsDecision: z.boolean(),
  /** the decision a person took, once taken */
  decision: Beslissing.nullable(),
};

/** Actions on one enrolment: always to BRON, always about an inschrijving. */
export const ENROLMENT_ACTION_TYPES = ["NIEUWE_INSCHRIJVING", "UITSCHRIJVING", "VERWIJDERING_INSCHRIJVING", "CORRECTIE_INSCHRIJFDATUM", "WIJZIGING_ONDERWIJSGEGEVENS"] as const;

/**
 * One action: a union on its type where the fields differ. Enrolment actions carry their inschrijving
 * and go to BRON; key data can go either way (a person may turn it around); an identificatieverzoek goes
 * to BRON and has no reporting deadline; a GBA address is only ever taken into LVS2000.
 */
const ActionUnion = z.discriminatedUnion("type", [
  z.object({ ...actionBase, type: z.enum(ENROLMENT_ACTION_TYPES), direction: z.literal("BRON"), inschrijvingId: z.string().min(1) }),
  z.object({ ...actionBase, type: z.literal("WIJZIGING_SLEUTELGEGEVENS"), direction: Direction, inschrijvingId: z.null() }),
  z.object({ ...actionBase, type: z.literal("IDENTIFICATIEVERZOEK"), direction: z.literal("BRON"), inschrijvingId: z.null(), deadline: z.null() }),
  z.object({ ...actionBase, type: z.literal("OVERNEMEN_ADRES_IN_LVS"), direction: z.literal("LVS"), inschrijvingId: z.null() }),
]);
export const Action = z.preprocess(fromLegacyAction, ActionUnion);
export type Action = z.infer<typeof ActionUnion>;

/**
 * Rows stored before the lifecycle had its own home carry one `automatic` flag for both "determined
 * automatic" and "a person decided". Read them as: not automatic ⇒ needs a decision, none taken yet.
 */
function fromLegacyAction(row: unknown): unknown {
  if (typeof row !== "object" || row === null || !("automatic" in row) || "needsDecision" in row) return row;
  const { automatic, ...rest } = row as Record<string, unknown>;
  return { ...rest, needsDecision: automatic !== true, decision: null };
}

/** A decision as recorded per difference (its fingerprint), so an ignored difference stays ignored. */
export const Decision = Beslissing.extend({
  fingerprint: z.string().min(1),
  actionId: z.string().min(1),
});
export type Decision = z.infer<typeof Decision>;

/** What determineActions remembers between runs. */
export const ActionMemory = z.object({
  /** fingerprints of differences a person chose to ignore */
  ignored: z.array(z.string()),
  /** actions sent and awaiting feedback, or decided and not yet executed: not determined again */
  pending: z.array(z.object({ type: ActionType, leerlingId: z.string(), inschrijvingId: z.string().nullable() })),
  /** first day each open difference was seen (fingerprint → date), for the 14-day deadline */
  firstSeen: z.record(z.string(), IsoDate),
});
export type ActionMemory = z.infer<typeof ActionMemory>;

export const Ernst = z.enum(["AFKEUR", "ATTENTIE"]);
export type Ernst = z.infer<typeof Ernst>;

export const Signal = z.object({
  code: z.string().min(1),
  ernst: Ernst,
  /** Dutch text, as shown to the user (≤ 100 characters, as BRON's omschrijving) */
  tekst: z.string().min(1),
  /** the action the signal is about, when there is one */
  actionId: z.string().nullable(),
  field: z.string().nullable(),
});
export type Signal = z.infer<typeof Signal>;

const feedbackBase = {
  /** BRON's message id: the key of the feedback inbox */
  id: z.string().min(1),
  aanleverpunt: Aanleverpunt,
  ontvangenOp: z.string().datetime({ offset: true }),
};

export const FeedbackMessage = z.discriminatedUnion("soort", [
  z.object({ ...feedbackBase, soort: z.literal("AFKEUR"), mutatieId: z.string().min(1), signalen: z.array(Signal).min(1) }),
  z.object({
    ...feedbackBase,
    soort: z.literal("INSCHRIJVING_GEACCEPTEERD"),
    mutatieId: z.string().min(1),
    leerling: BronLeerling,
    inschrijving: BronInschrijving.nullable(),
    /** an onderwijsnummer BRON assigned because no BSN was known */
    toegekendOnderwijsnummer: z.string().nullable(),
    signalen: z.array(Signal),
  }),
  z.object({ ...feedbackBase, soort: z.literal("SPONTANE_MUTATIE"), leerling: BronLeerling }),
  z.object({ ...feedbackBase, soort: z.literal("WIJZIGING_SLEUTELGEGEVENS"), oudPgn: Pgn.nullable(), leerling: BronLeerling }),
  z.object({ ...feedbackBase, soort: z.literal("DUBBELE_INSCHRIJVING"), dubbel: DubbeleInschrijving }),
  z.object({
    ...feedbackBase,
    soort: z.literal("REGISTRATIEOVERZICHT"),
    peildatum: IsoDate,
    leerlingen: z.array(BronLeerling),
    inschrijvingen: z.array(BronInschrijving),
    historisch: z.array(BronInschrijving),
  }),
]);
export type FeedbackMessage = z.infer<typeof FeedbackMessage>;
export type FeedbackSoort = FeedbackMessage["soort"];

/** A write the cloud asks the relay to make in LVS2000. */
export const LvsWrite = z.discriminatedUnion("soort", [
  z.object({ soort: z.literal("SET_PGN"), leerlingId: z.string().min(1), pgn: Pgn }),
  z.object({
    soort: z.literal("NAAM_CORRECTIE"),
    leerlingId: z.string().min(1),
    /** only the fields that changed: unchanged data is never rewritten */
    voornamen: z.string().optional(),
    voorvoegsels: z.string().nullable().optional(),
    achternaam: z.string().min(1).optional(),
    geslacht: Geslacht.optional(),
    geboortedatum: IsoDate.optional(),
  }),
  z.object({ soort: z.literal("GBA_ADRES"), leerlingId: z.string().min(1), adres: Adres }),
  z.object({ soort: z.literal("ONDERWIJS_SINDS"), leerlingId: z.string().min(1), onderwijsSinds: IsoDate }),
  /** BRON's nationalities (from the BRP) replace LVS2000's: the whole list, in order */
  z.object({ soort: z.literal("NATIONALITEITEN"), leerlingId: z.string().min(1), nationaliteiten: z.array(z.string().regex(/^\d{4}$/)) }),
]);
export type LvsWrite = z.infer<typeof LvsWrite>;
