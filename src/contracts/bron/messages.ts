import { z } from "zod";
import {
  Aanleverpunt,
  FeedbackMessage,
  Inschrijving,
  IsoDate,
  Leerling,
  Pgn,
} from "../../core/model.js";
import { FOUTCODES, MAX_MUTATIES_PER_LEVERING, MAX_TERUGKOPPELINGEN } from "./constants.js";

/**
 * The wire messages of the BRON contract as zod schemas (shape only; bron-berichten.xsd is the
 * authoritative form). Person and enrolment data reuse the domain model so a mutation is built
 * straight from LVS2000 data, and feedback parses into model.ts `FeedbackMessage`.
 */

/** A pupil as delivered: the LVS pupil without LVS-only bookkeeping. */
export const LeerlingGegevens = Leerling.omit({ onderwijsSinds: true, rowVersion: true });
export type LeerlingGegevens = z.infer<typeof LeerlingGegevens>;

/** A pupil BRON already knows, referred to by the school's leerlingnummer (and PGN when known). */
export const LeerlingVerwijzing = z.object({ leerlingId: z.string().min(1), pgn: Pgn.nullable() });
export type LeerlingVerwijzing = z.infer<typeof LeerlingVerwijzing>;

/** An enrolment as delivered; the aanleverpunt is the delivery's. */
export const InschrijvingGegevens = Inschrijving.omit({ aanleverpunt: true, rowVersion: true });
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
