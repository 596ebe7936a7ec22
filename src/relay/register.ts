import { readFileSync } from "node:fs";
import { hostname } from "node:os";
import { parseArgs } from "node:util";
import { AanmeldAntwoord, contactRoutes, ContactFout, Registratiecode } from "../contracts/relay/contact.js";
import { RELAY_VERSION } from "./app.js";
import { callCloud, cloudBase, CloudError } from "./cloud-client.js";
import { type CliIo, currentConfig, writeConfigFile } from "./configure.js";

/**
 * `bronsync-relay register CODE --cloud URL`: joins this relay to its school in BRON Sync Cloud without
 * copying keys (docs/relay.md "Aanmelden"). The one-time code from the Beheerder's onboarding page is
 * exchanged at `POST /api/relay/v1/aanmelden` for the school's relay settings (queue URL with SAS,
 * reply container, HMAC key, the cloud's URL), which are merged into the configuration file — the
 * LVS2000 connection `configure` wrote stays — written readable by its owner only.
 */

export const REGISTER_HELP = `bronsync-relay register [--config PAD] --cloud ADRES CODE
Meldt deze relay aan bij BRON Sync Cloud met de registratiecode van de beheerpagina (24 uur geldig, werkt één keer).
  --cloud ADRES        het adres van BRON Sync Cloud, zoals de beheerpagina de opdracht toont
  --ca-bestand PAD     PEM met een extra CA (een proxy die HTTPS openbreekt)`;

const OPTIONS = {
  config: { type: "string" },
  cloud: { type: "string" },
  "ca-bestand": { type: "string" },
  help: { type: "boolean", default: false },
} as const;

/** Dutch text for each refusal code of the aanmelden endpoint the relay knows; others: the cloud's melding. */
function refusalText(status: number, body: unknown): string {
  const fout = ContactFout.safeParse(body);
  if (fout.success) return fout.data.melding;
  return `BRON Sync Cloud weigerde de aanmelding (HTTP ${status}). Controleer het adres (--cloud): is dit wel BRON Sync Cloud?`;
}

export async function runRegister(argv: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: true });
  } catch (e) {
    io.stderr.write(`${(e as Error).message}\n${REGISTER_HELP}\n`);
    return 2;
  }
  const args = parsed.values;
  if (args.help) {
    io.stdout.write(`${REGISTER_HELP}\n`);
    return 0;
  }
  const current = currentConfig(args.config, io);
  if (current === null) return 1;
  const { path, existing } = current;
  if (parsed.positionals.length !== 1) {
    io.stderr.write(`Geef precies één registratiecode op.\n${REGISTER_HELP}\n`);
    return 2;
  }
  const code = Registratiecode.safeParse(parsed.positionals[0]);
  if (!code.success) {
    io.stderr.write("Deze registratiecode klopt niet: een code heeft 16 tekens in 4 groepen van 4 (zoals ABCD-EFGH-JKMN-PQRS), zoals op de beheerpagina.\n");
    return 2;
  }
  const cloudText = args.cloud ?? existing.RELAY_CLOUD_URL;
  if (!cloudText) {
    io.stderr.write(`Geef het adres van BRON Sync Cloud op met --cloud (de beheerpagina toont de hele opdracht).\n${REGISTER_HELP}\n`);
    return 2;
  }
  const caFile = args["ca-bestand"] ?? existing.RELAY_CLOUD_CA_FILE;
  try {
    const base = cloudBase(cloudText);
    const ca = caFile ? readFileSync(caFile, "utf8") : undefined;
    io.stdout.write(`Aanmelden bij ${base.origin}…\n`);
    const reply = await callCloud(base, contactRoutes.aanmelden, "POST", { code: code.data, relayVersie: RELAY_VERSION, hostnaam: hostname() }, ca ? { ca } : {});
    if (reply.status !== 200) {
      io.stderr.write(`${refusalText(reply.status, reply.json)}\n`);
      return 1;
    }
    const answer = AanmeldAntwoord.safeParse(reply.json);
    if (!answer.success) {
      io.stderr.write(`Het antwoord van ${base.origin} is geen aanmelding van BRON Sync Cloud. Controleer het adres (--cloud).\n`);
      return 1;
    }
    const { RELAY_HMAC_KEY_PREVIOUS: _old, ...kept } = existing;
    writeConfigFile(path, { ...kept, ...answer.data.instellingen, ...(caFile ? { RELAY_CLOUD_CA_FILE: caFile } : {}) });
    io.stdout.write(`${answer.data.melding} De instellingen staan in ${path} (alleen leesbaar voor de eigenaar).\n`);
    io.stdout.write(existing.RELAY_SQL_USER ? "Start de relay (opnieuw): bronsync-relay start, of als service: bronsync-relay install.\n" : "Volgende stap: bronsync-relay configure (de verbinding met de LVS2000-database).\n");
    return 0;
  } catch (e) {
    if (e instanceof CloudError) {
      io.stderr.write(`${e.melding}\n`);
      return 1;
    }
    if ((e as { code?: string }).code === "ENOENT" && caFile) {
      io.stderr.write(`Bestand niet gevonden: ${caFile}\n`);
      return 1;
    }
    throw e;
  }
}
