import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join, win32 } from "node:path";
import { z } from "zod";

/**
 * The relay's data folder (docs/relay.md "Update"): where verified updates are kept and the supervisor
 * (packages/relay/bin/bronsync-relay.js) records which version runs. RELAY_DATA_DIR, else Linux
 * /var/lib/bronsync-relay (systemd StateDirectory), Windows %ProgramData%\BronSync Relay.
 *
 *   <data>/versies/<versie>/cli.js        a verified bundle (written by the relay, run by the supervisor)
 *   <data>/versies/<versie>/manifest.json its signed manifest
 *   <data>/actief.json                    which version the supervisor runs, and the versions it rolled
 *                                         back (`teruggedraaid`, never tried again); written by the supervisor
 *   <data>/update-resultaat.json          the last update's outcome, reported on the next heartbeat
 *
 * The supervisor is plain JavaScript without dependencies and reads and writes the same files; keep
 * the two in step (the shapes are below).
 */
export function relayDataDir(env: Record<string, string | undefined>, platform: NodeJS.Platform): string {
  if (env.RELAY_DATA_DIR) return env.RELAY_DATA_DIR;
  if (platform === "win32") return win32.join(env.ProgramData ?? "C:\\ProgramData", "BronSync Relay");
  return "/var/lib/bronsync-relay";
}

export const versionDir = (data: string, versie: string) => join(data, "versies", versie);

/** The outcome of the last update (the heartbeat's `laatsteUpdate`, src/contracts/relay/contact.ts). */
export const UpdateResultaatBestand = z.object({
  versie: z.string().min(1).max(40),
  resultaat: z.enum(["GESLAAGD", "GEWEIGERD", "TERUGGEZET"]),
  melding: z.string().max(500),
  op: z.string().datetime(),
  /** set once a heartbeat carried it to the cloud */
  gemeld: z.boolean().default(false),
});
export type UpdateResultaatBestand = z.infer<typeof UpdateResultaatBestand>;

const RESULT_FILE = "update-resultaat.json";

/** Writes a file whole or not at all (temporary file, then rename). */
export function writeAtomic(path: string, content: string | Uint8Array): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, content, { mode: 0o644 });
  renameSync(tmp, path);
}

export function readUpdateResult(data: string): UpdateResultaatBestand | null {
  try {
    const parsed = UpdateResultaatBestand.safeParse(JSON.parse(readFileSync(join(data, RESULT_FILE), "utf8")));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function writeUpdateResult(data: string, r: Omit<UpdateResultaatBestand, "gemeld">): void {
  mkdirSync(data, { recursive: true });
  writeAtomic(join(data, RESULT_FILE), `${JSON.stringify({ ...r, gemeld: false })}\n`);
}

/** After a heartbeat the cloud accepted: the result it carried has been reported and is not sent again (a newer result stays). */
export function markUpdateResultReported(data: string, sent: { versie: string; op: string }): void {
  const r = readUpdateResult(data);
  if (r && !r.gemeld && r.versie === sent.versie && r.op === sent.op) writeAtomic(join(data, RESULT_FILE), `${JSON.stringify({ ...r, gemeld: true })}\n`);
}

/** The versions the supervisor rolled back here (`teruggedraaid` in actief.json): never tried again. */
export function rolledBack(data: string): string[] {
  try {
    const list = (JSON.parse(readFileSync(join(data, "actief.json"), "utf8")) as { teruggedraaid?: unknown }).teruggedraaid;
    return Array.isArray(list) ? list.filter((v): v is string => typeof v === "string") : [];
  } catch {
    return [];
  }
}
