/**
 * DEV/TEST ONLY. What the BRON simulator can be seeded with, as plain data: the simulated
 * population register (BRP), other schools' enrolments, known postcodes, and what BRON already
 * holds per aanleverpunt. Field names match scripts/demo-data (`bevolking`, `andereScholen`,
 * `bron`), so `generateDemoData(...)` output can be passed in as it is.
 */
import { z } from "zod";
import { Adres, Aanleverpunt, BronInschrijving, BronLeerling, Geslacht, IsoDate, Pgn } from "../../src/contracts/bron/messages.js";

export const BrpPersoon = z.object({
  bsn: z.string().regex(/^\d{8,9}$/),
  voornamen: z.string(),
  voorvoegsels: z.string().nullable(),
  achternaam: z.string().min(1),
  geslacht: Geslacht,
  geboortedatum: IsoDate,
  adres: Adres.nullable(),
  nationaliteiten: z.array(z.string()).default([]),
});
export type BrpPersoon = z.infer<typeof BrpPersoon>;

/** An enrolment at another school; linked to our pupil by PGN, or else by our leerlingId. */
export const AndereInschrijving = BronInschrijving.extend({ pgn: Pgn.nullable() });
export type AndereInschrijving = z.infer<typeof AndereInschrijving>;

export const RegisterSeed = z.object({
  aanleverpunt: Aanleverpunt,
  leerlingen: z.array(BronLeerling),
  inschrijvingen: z.array(BronInschrijving),
  historisch: z.array(BronInschrijving).default([]),
});

export const BronSeed = z.object({
  bevolking: z.array(BrpPersoon).default([]),
  andereScholen: z.array(AndereInschrijving).default([]),
  /** postcodes the BRP knows besides those in `bevolking`; when both are empty no postcode check is made */
  postcodes: z.array(z.string()).default([]),
  /** what BRON already holds (demo data calls it `bron`) */
  bron: z.array(RegisterSeed).default([]),
});
export type BronSeed = z.input<typeof BronSeed>;
