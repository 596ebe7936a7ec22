import { createEmailSender, type EmailSender } from "../adapters/email/sender.js";
import type { TableFactory } from "../adapters/state/tables.js";
import { config, type Config } from "../config.js";
import { credentialOf, storageClients } from "./compose.js";

/**
 * What the daily digest needs beyond the sync's dependencies: the e-mail sender (ACS Email: the
 * managed identity against EMAIL_ENDPOINT in Azure, the stand-in's connection string on the local
 * stack) and the tables for its once-per-day marks. Null when no e-mail is configured.
 */
export interface DigestRuntime {
  mail: EmailSender;
  tables: TableFactory;
  beheerUrl: string;
}

export function composeDigestRuntime(cfg: Config): DigestRuntime | null {
  if (cfg.EMAIL_SENDER === undefined || cfg.BEHEER_URL === undefined) return null;
  const credential = credentialOf(cfg);
  const senderAddress = cfg.EMAIL_SENDER;
  let mail: EmailSender;
  if (cfg.EMAIL_CONNECTION_STRING !== undefined) mail = createEmailSender({ connectionString: cfg.EMAIL_CONNECTION_STRING, senderAddress });
  else if (cfg.EMAIL_ENDPOINT !== undefined) mail = createEmailSender({ endpoint: cfg.EMAIL_ENDPOINT, credential, senderAddress });
  else return null;
  return { mail, tables: storageClients(cfg, credential).tables, beheerUrl: cfg.BEHEER_URL };
}

let runtime: DigestRuntime | null | undefined;
/** Composed once per worker process on first use. */
export function digestRuntime(): DigestRuntime | null {
  if (runtime === undefined) runtime = composeDigestRuntime(config());
  return runtime;
}
