import { z } from "zod";
import { Adres, Aanleverpunt, BronInschrijving, BronMirror, Geslacht, IsoDate, LvsSnapshot, Pgn, Vestiging } from "../../src/core/model.js";

/** The shape of a generated demo data set (also what `npm run demo-data` writes). */

export const DemoAanleverpunt = z.object({
  code: Aanleverpunt,
  naam: z.string().min(1),
  brin: z.string().regex(/^\d{2}[A-Z]{2}$/),
  vestigingen: z.array(Vestiging).min(1),
});
export type DemoAanleverpunt = z.infer<typeof DemoAanleverpunt>;

/** A person in the simulated population register (BRP/GBA) that the BRON simulator consults. */
export const BrpPersoon = z.object({
  bsn: z.string().regex(/^\d{9}$/),
  voornamen: z.string(),
  voorvoegsels: z.string().nullable(),
  achternaam: z.string().min(1),
  geslacht: Geslacht,
  geboortedatum: IsoDate,
  adres: Adres,
  /** GBA nationaliteitcodes, 0001 = Nederlandse */
  nationaliteiten: z.array(z.string().regex(/^\d{4}$/)),
});
export type BrpPersoon = z.infer<typeof BrpPersoon>;

/**
 * An enrolment of one of our pupils at another school, as BRON holds it. `leerlingId` is OUR LVS
 * leerling id (so the simulator can link it), `pgn` the number BRON knows the pupil by.
 */
export const AndereSchoolInschrijving = BronInschrijving.extend({ pgn: Pgn.nullable() });
export type AndereSchoolInschrijving = z.infer<typeof AndereSchoolInschrijving>;

export const DemoData = z.object({
  today: IsoDate,
  aanleverpunten: z.array(DemoAanleverpunt).min(1),
  /** one LVS2000 snapshot per aanleverpunt, in the order of `aanleverpunten` */
  lvs: z.array(LvsSnapshot),
  /** one BRON mirror per aanleverpunt, same order */
  bron: z.array(BronMirror),
  bevolking: z.array(BrpPersoon),
  andereScholen: z.array(AndereSchoolInschrijving),
});
export type DemoData = z.infer<typeof DemoData>;
