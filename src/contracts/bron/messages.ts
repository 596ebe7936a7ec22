import { z } from "zod";
import { FOUTCODES, MAX_MUTATIES_PER_LEVERING, MAX_TERUGKOPPELINGEN } from "./constants.js";

/**
 * The wire messages of the BRON contract as zod schemas (shape only; bron-berichten.xsd is the
 * authoritative form). These are the contract's own types: they do not import the domain model
 * (src/core/model.ts), so a change to the model cannot silently change what the client sends or what
 * the simulator (emulators/bron) accepts. The codec (codec*.ts) reads and writes exactly these shapes;
 * the deployed client maps them to the domain model (src/adapters/bron/wire-mapping.ts).
 */

// ---- values -------------------------------------------------------------------------------

/** A calendar date as YYYY-MM-DD (a real one). */
export const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "expected a date as YYYY-MM-DD")
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, "not a real calendar date");
export type IsoDate = z.infer<typeof IsoDate>;

/** BRIN (2 digits + 2 letters) + 2 digits, e.g. 00AA00. */
export const Aanleverpunt = z.string().regex(/^\d{2}[A-Z]{2}\d{2}$/, "expected an aanleverpunt like 00AA00");
export type Aanleverpunt = z.infer<typeof Aanleverpunt>;
/** BRIN + 2-digit volgnummer, e.g. 00AA01. */
export const Vestiging = z.string().regex(/^\d{2}[A-Z]{2}\d{2}$/, "expected a vestiging like 00AA01");
export type Vestiging = z.infer<typeof Vestiging>;

/** man, vrouw, onbekend */
export const Geslacht = z.enum(["M", "V", "O"]);
export type Geslacht = z.infer<typeof Geslacht>;

/** Persoonsgebonden nummer: on the wire a choice burgerservicenummer | onderwijsnummer. */
export const Pgn = z.object({ soort: z.enum(["BSN", "ONDERWIJSNUMMER"]), nummer: z.string().min(1) });
export type Pgn = z.infer<typeof Pgn>;

export const Adres = z.object({
  straat: z.string(),
  huisnummer: z.number().int().nullable(),
  toevoeging: z.string().nullable(),
  postcode: z.string().nullable(),
  plaats: z.string(),
  /** GBA landcode (tabel 34), 4 digits */
  land: z.string().regex(/^\d{4}$/),
});
export type Adres = z.infer<typeof Adres>;

export const Schoolsoort = z.enum(["BAO", "SBO", "SO", "VSO"]);
export type Schoolsoort = z.infer<typeof Schoolsoort>;

export const Indicatie = z.object({
  soort: z.string().min(1),
  begindatum: IsoDate,
  einddatum: IsoDate.nullable(),
  categorie: z.string().nullable(),
});
export type Indicatie = z.infer<typeof Indicatie>;

export const AmbulanteBegeleiding = z.object({
  ondersteunendeVestiging: Vestiging,
  begindatum: IsoDate,
  ontvangendeVestiging: Vestiging,
});
export type AmbulanteBegeleiding = z.infer<typeof AmbulanteBegeleiding>;

/** One group period of an enrolment (klassenhistorie), from `begindatum` until the next one. */
export const Groepsperiode = z.object({
  leerjaar: z.number().int().min(0).max(8).nullable(),
  groep: z.string().max(20).nullable(),
  begindatum: IsoDate,
});
export type Groepsperiode = z.infer<typeof Groepsperiode>;

/** Codes of a VO-advies and of a toetsadvies, lowest level first. */
export const ADVIES_CODES = [
  "GEEN_SPECIFIEK_ADVIES", "VSO", "PRAKTIJKONDERWIJS", "VMBO_BB", "VMBO_BB_KB", "VMBO_KB", "VMBO_KB_GLTL",
  "VMBO_GLTL", "VMBO_GLTL_HAVO", "HAVO", "HAVO_VWO", "VWO",
] as const;
export const AdviesCode = z.enum(ADVIES_CODES);
export type AdviesCode = z.infer<typeof AdviesCode>;

/** Why no eindtoets/doorstroomtoets was made. */
export const REDENEN_GEEN_TOETS = ["VERSTANDELIJKE_BEPERKING", "ZEER_MOEILIJK_LEREND", "KORTER_DAN_VIER_JAAR_IN_NL", "ZIEKTE_NIET_INGEHAALD"] as const;
export const RedenGeenToets = z.enum(REDENEN_GEEN_TOETS);

/** Leerlinggewicht of the gewichtenregeling (basisschool, until 1 August 2019). */
export const Gewicht = z.union([z.literal(0), z.literal(0.3), z.literal(1.2)]);
export type Gewicht = z.infer<typeof Gewicht>;

export const Eindtoets = z.object({
  afnamedatum: IsoDate,
  toetsadvies: AdviesCode.nullable(),
  score: z.number().int().nullable(),
  redenGeenToets: RedenGeenToets.nullable(),
});
export type Eindtoets = z.infer<typeof Eindtoets>;

/** The schooladvies (VO-advies) and, when the school raised it after the toets, the herzien advies. */
export const Schooladvies = z.object({
  advies: AdviesCode,
  datum: IsoDate,
  herzienAdvies: AdviesCode.nullable(),
  herzienDatum: IsoDate.nullable(),
});
export type Schooladvies = z.infer<typeof Schooladvies>;

/** The key data (sleutelgegevens) of a person. */
const persoon = {
  pgn: Pgn.nullable(),
  voornamen: z.string(),
  voorvoegsels: z.string().nullable(),
  achternaam: z.string().min(1),
  geslacht: Geslacht,
  geboortedatum: IsoDate,
};

/** The enrolment data (onderwijsgegevens). */
const onderwijsgegevens = {
  vestiging: Vestiging,
  schoolsoort: Schoolsoort,
  onderwijssoort: z.string().nullable(),
  /** leerjaar or groep, 0..8 (0 for ambulant begeleide leerlingen) */
  leerjaar: z.number().int().min(0).max(8).nullable(),
  /** soort verblijf (residentiële plaatsing), null = regular */
  soortVerblijf: z.string().nullable(),
  indicaties: z.array(Indicatie),
  ambulanteBegeleiding: AmbulanteBegeleiding.nullable(),
  bekostigd: z.boolean(),
  /** every group period, oldest first (on the wire: repeated `groepsperiode`) */
  klassenhistorie: z.array(Groepsperiode).max(100),
  /** aanduiding niet-Nederlandse culturele achtergrond */
  nnca: z.boolean(),
  gewicht: Gewicht.nullable(),
  /** deelname voor- en vroegschoolse educatie */
  vve: z.boolean().nullable(),
  eindtoets: Eindtoets.nullable(),
  schooladvies: Schooladvies.nullable(),
};

// ---- what the school delivers ---------------------------------------------------------------

/** A pupil as delivered. `id` is the school's leerlingnummer (on the wire `leerlingId`). */
export const LeerlingGegevens = z.object({
  id: z.string().min(1),
  ...persoon,
  adres: Adres.nullable(),
  /** GBA nationaliteitcodes (tabel 32), 4 digits each */
  nationaliteiten: z.array(z.string().regex(/^\d{4}$/)),
});
export type LeerlingGegevens = z.infer<typeof LeerlingGegevens>;

/** A pupil BRON already knows, referred to by the school's leerlingnummer (and PGN when known). */
export const LeerlingVerwijzing = z.object({ leerlingId: z.string().min(1), pgn: Pgn.nullable() });
export type LeerlingVerwijzing = z.infer<typeof LeerlingVerwijzing>;

/** An enrolment as delivered; the aanleverpunt is the delivery's. `id` is the school's reference (on the wire `inschrijvingId`). */
export const InschrijvingGegevens = z.object({
  id: z.string().min(1),
  leerlingId: z.string().min(1),
  inschrijfdatum: IsoDate,
  uitschrijfdatum: IsoDate.nullable(),
  redenUitschrijving: z.string().nullable(),
  ...onderwijsgegevens,
});
export type InschrijvingGegevens = z.infer<typeof InschrijvingGegevens>;

const mutatieId = z.string().min(1).max(80);

/** One mutation of a delivery. `mutatieId` is the action id: feedback refers to it. */
export const Mutatie = z.discriminatedUnion("soort", [
  z.object({ soort: z.literal("NIEUWE_INSCHRIJVING"), mutatieId, leerling: LeerlingGegevens, inschrijving: InschrijvingGegevens }),
  z.object({
    soort: z.literal("UITSCHRIJVING"),
    mutatieId,
    leerling: LeerlingVerwijzing,
    /** the full enrolment including the deregistration data */
    inschrijving: InschrijvingGegevens.extend({ uitschrijfdatum: IsoDate }),
  }),
  z.object({ soort: z.literal("WIJZIGING_SLEUTELGEGEVENS"), mutatieId, leerling: LeerlingGegevens }),
  z.object({ soort: z.literal("WIJZIGING_ONDERWIJSGEGEVENS"), mutatieId, leerling: LeerlingVerwijzing, inschrijving: InschrijvingGegevens }),
  z.object({ soort: z.literal("VERWIJDERING_INSCHRIJVING"), mutatieId, leerling: LeerlingVerwijzing, inschrijvingId: z.string().min(1) }),
  z.object({
    soort: z.literal("CORRECTIE_INSCHRIJFDATUM"),
    mutatieId,
    leerling: LeerlingVerwijzing,
    oudeInschrijfdatum: IsoDate,
    /** the enrolment with the corrected inschrijfdatum */
    inschrijving: InschrijvingGegevens,
  }),
  z.object({ soort: z.literal("IDENTIFICATIEVERZOEK"), mutatieId, leerling: LeerlingGegevens }),
]);
export type Mutatie = z.infer<typeof Mutatie>;
export type MutatieSoort = Mutatie["soort"];

// ---- what BRON answers ----------------------------------------------------------------------

/** A person as BRON holds them: BRON's name and key data, and the address the GBA/BRP supplied. */
export const BronLeerling = z.object({
  leerlingId: z.string().min(1),
  ...persoon,
  gbaAdres: Adres.nullable(),
  nationaliteiten: z.array(z.string()),
});
export type BronLeerling = z.infer<typeof BronLeerling>;

/** An enrolment as BRON holds it, under the school's reference; the aanleverpunt is the response's. */
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

/** An enrolment at another school that overlaps one of ours. */
export const DubbeleInschrijving = z.object({
  leerlingId: z.string().min(1),
  inschrijvingId: z.string().min(1),
  andereVestiging: Vestiging,
  inschrijfdatum: IsoDate,
  uitschrijfdatum: IsoDate.nullable(),
  gemeldOp: IsoDate,
});
export type DubbeleInschrijving = z.infer<typeof DubbeleInschrijving>;

/** A `signaal`: `signaalcode` → code, `omschrijving` → tekst, `veld` → field; actionId = the mutatieId it is about. */
export const Signal = z.object({
  code: z.string().min(1),
  ernst: z.enum(["AFKEUR", "ATTENTIE"]),
  /** ≤ 100 characters on the wire */
  tekst: z.string().min(1),
  actionId: z.string().nullable(),
  field: z.string().nullable(),
});
export type Signal = z.infer<typeof Signal>;

const feedbackBase = {
  /** `terugkoppelingId` */
  id: z.string().min(1),
  /** from the enclosing response */
  aanleverpunt: Aanleverpunt,
  /** `aangemaaktOp` */
  ontvangenOp: z.string().datetime({ offset: true }),
};

/** A `terugkoppeling`: one kind per element (afkeur, inschrijvingGeaccepteerd, …). */
export const FeedbackMessage = z.discriminatedUnion("soort", [
  z.object({ ...feedbackBase, soort: z.literal("AFKEUR"), mutatieId: z.string().min(1), signalen: z.array(Signal).min(1) }),
  z.object({
    ...feedbackBase,
    soort: z.literal("INSCHRIJVING_GEACCEPTEERD"),
    mutatieId: z.string().min(1),
    leerling: BronLeerling,
    inschrijving: BronInschrijving.nullable(),
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

// ---- the four operations ----------------------------------------------------------------------

export const AanleverenMutatiesRequest = z.object({
  aanleverpunt: Aanleverpunt,
  mutaties: z.array(Mutatie).min(1).max(MAX_MUTATIES_PER_LEVERING),
});
export type AanleverenMutatiesRequest = z.infer<typeof AanleverenMutatiesRequest>;

export const AanleverenMutatiesResponse = z.object({
  aanleverpunt: Aanleverpunt,
  ontvangenOp: z.string().datetime({ offset: true }),
  ontvangenMutatieIds: z.array(mutatieId).min(1),
});
export type AanleverenMutatiesResponse = z.infer<typeof AanleverenMutatiesResponse>;

export const AanvragenRegistratieoverzichtRequest = z.object({ aanleverpunt: Aanleverpunt, peildatum: IsoDate });
export type AanvragenRegistratieoverzichtRequest = z.infer<typeof AanvragenRegistratieoverzichtRequest>;

export const AanvragenRegistratieoverzichtResponse = z.object({
  aanleverpunt: Aanleverpunt,
  peildatum: IsoDate,
  ontvangenOp: z.string().datetime({ offset: true }),
});
export type AanvragenRegistratieoverzichtResponse = z.infer<typeof AanvragenRegistratieoverzichtResponse>;

export const OphalenTerugkoppelingRequest = z.object({
  aanleverpunt: Aanleverpunt,
  maximumAantal: z.number().int().min(1).max(MAX_TERUGKOPPELINGEN).nullable(),
});
export type OphalenTerugkoppelingRequest = z.infer<typeof OphalenTerugkoppelingRequest>;

export const OphalenTerugkoppelingResponse = z.object({
  aanleverpunt: Aanleverpunt,
  meerBeschikbaar: z.boolean(),
  terugkoppelingen: z.array(FeedbackMessage),
});
export type OphalenTerugkoppelingResponse = z.infer<typeof OphalenTerugkoppelingResponse>;

export const BevestigenOntvangstRequest = z.object({
  aanleverpunt: Aanleverpunt,
  terugkoppelingIds: z.array(z.string().min(1)).min(1).max(MAX_TERUGKOPPELINGEN),
});
export type BevestigenOntvangstRequest = z.infer<typeof BevestigenOntvangstRequest>;

export const BevestigenOntvangstResponse = z.object({ aanleverpunt: Aanleverpunt, aantalBevestigd: z.number().int().min(0) });
export type BevestigenOntvangstResponse = z.infer<typeof BevestigenOntvangstResponse>;

/** The detail of a soap:Fault. */
export const Fout = z.object({ foutcode: z.enum(FOUTCODES), omschrijving: z.string().min(1).max(100) });
export type Fout = z.infer<typeof Fout>;
