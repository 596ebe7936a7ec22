import { z } from "zod";

/**
 * Instellingen per aanleverpunt (manual ch. 4 "Instellingen", as the cloud has them):
 * - verzendwijze: NA_BEVESTIGING is the manual's way — a run checks, then waits until a person presses
 *   'Verwerken en verzenden' before anything goes to BRON or into LVS2000; AUTOMATISCH is the cloud's
 *   way — a run sends what needs no decision without waiting for anyone (unattended).
 * - tijdstip: the hour (Dutch time) of the daily synchronisation.
 * - wachttijdUren: how long a run waits for decisions (or for 'Verwerken en verzenden') before it ends;
 *   the next run takes up what is left.
 * BRON's URL is not a setting here: it comes from the app's configuration and is shown read-only.
 */

export const Verzendwijze = z.enum(["AUTOMATISCH", "NA_BEVESTIGING"]);
export type Verzendwijze = z.infer<typeof Verzendwijze>;

export const Instellingen = z.object({
  verzendwijze: Verzendwijze,
  /** "HH:00", the whole hour of the daily run in Dutch time */
  tijdstip: z.string().regex(/^([01]\d|2[0-3]):00$/, "verwacht een heel uur, bijvoorbeeld 05:00"),
  wachttijdUren: z.number().int("verwacht een heel aantal uren").min(0, "minimaal 0 uur").max(144, "hooguit 144 uur (6 dagen)"),
});
export type Instellingen = z.infer<typeof Instellingen>;

export const DEFAULT_INSTELLINGEN: Instellingen = { verzendwijze: "AUTOMATISCH", tijdstip: "05:00", wachttijdUren: 20 };

const NL_HOUR = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Amsterdam", hour: "2-digit", hourCycle: "h23" });

/** The hour (0–23) in the Netherlands at `instant`. Pure: the instant comes in as data. */
export function dutchHour(instant: Date): number {
  return Number(NL_HOUR.format(instant));
}

/** Rule: the daily run of an aanleverpunt starts in the hour its setting names (Dutch time). */
export function dailyRunDue(instellingen: Pick<Instellingen, "tijdstip">, instant: Date): boolean {
  return Number(instellingen.tijdstip.slice(0, 2)) === dutchHour(instant);
}
