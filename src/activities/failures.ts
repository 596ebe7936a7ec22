import { CertificateUnavailableError, KeyVaultAccessError } from "../adapters/certificates/errors.js";
import { ExternalRejection, RelayUnreachableError, ServiceError, TransientError, ValidationError } from "../errors.js";

/**
 * How an activity's failure reaches the orchestration and the admin. Durable Functions hands the
 * orchestration only the failure's message text, not the error object, so an activity's error is
 * re-thrown with a Dutch reason and a marker carrying the taxonomy (src/errors.ts): whether retrying
 * can heal it, and a code. The reason names the service and what to do; it carries no personal data,
 * no stack and no file paths (the log has the error's kind and code).
 */

export interface ActivityFailure {
  /** retrying may help (network, timeout, 5xx); false: a person must act first */
  herstelbaar: boolean;
  code: string;
  /** Dutch, for the admin */
  reden: string;
}

const MARKER = /\[bronsync-fout:([A-Za-z0-9_-]+)\]/;

const BRON_REFUSALS: Readonly<Record<string, string>> = {
  CERTIFICAAT_ONGELDIG: "BRON weigert het certificaat van dit aanleverpunt. Installeer een geldig PKIoverheid-certificaat in Key Vault.",
  AANLEVERPUNT_NIET_TOEGESTAAN: "BRON weigert dit aanleverpunt: het certificaat hoort bij een ander aanleverpunt of het aanleverpunt is bij DUO niet bekend.",
  TLS: "De beveiligde verbinding met BRON is geweigerd (certificaat). Controleer het certificaat van dit aanleverpunt in Key Vault.",
};

const RELAY_REFUSALS: Readonly<Record<string, string>> = {
  UNAUTHORIZED: "De LVS2000-relay op school weigert de verzoeken van de dienst: de relay-sleutel in Key Vault en op de relay verschillen.",
  NOT_FOUND: "Dit aanleverpunt is onbekend in LVS2000 (volgens de relay op school). Controleer het aanleverpunt in LVS2000.",
  SCHOOL_ONBEKEND: "Dit aanleverpunt hoort bij geen school in het register. Voeg het toe aan zijn school (beheer, aanmelden school).",
  RELAY_QUEUE_MISSING: "De relay-wachtrij van deze school bestaat niet. Rond de aanmelding van de school af (wachtrij en sleutel aanmaken).",
};

const TRANSIENT_SERVICES: readonly [RegExp, string][] = [
  [/relay|LVS2000/i, "De LVS2000-relay"],
  [/bron/i, "BRON"],
  [/key ?vault/i, "Key Vault"],
];

function transientReason(e: Error, code: string): string {
  const service = TRANSIENT_SERVICES.find(([re]) => re.test(e.message))?.[1] ?? "Een gekoppelde dienst";
  return `${service} was tijdelijk niet bereikbaar (${code}).`;
}

const restStatus = (e: unknown): number | null =>
  e instanceof Error && e.name === "RestError" && typeof (e as { statusCode?: unknown }).statusCode === "number" ? (e as unknown as { statusCode: number }).statusCode : null;

/** The Dutch, safe description of anything an activity threw. */
export function describeFailure(e: unknown): ActivityFailure {
  if (e instanceof CertificateUnavailableError) return { herstelbaar: false, code: `CERTIFICAAT_${e.problem.toUpperCase()}`, reden: e.message };
  if (e instanceof KeyVaultAccessError) return { herstelbaar: e.retryable, code: e.retryable ? "KEY_VAULT_ONBEREIKBAAR" : "KEY_VAULT_GEEN_TOEGANG", reden: e.message };
  // One school's relay being down ends that school's run at once (the next run picks up); retrying would only hold it up.
  if (e instanceof RelayUnreachableError) return { herstelbaar: false, code: "RELAY_ONBEREIKBAAR", reden: e.reden };
  if (e instanceof ServiceError) {
    const code = e.code ?? e.name;
    if (e instanceof TransientError) return { herstelbaar: true, code, reden: transientReason(e, code) };
    if (e instanceof ValidationError) {
      return { herstelbaar: false, code, reden: `Een bericht voldoet niet aan het afgesproken formaat (${code}); opnieuw proberen helpt niet. Meld dit bij de leverancier van BRON Sync Cloud.` };
    }
    if (e instanceof ExternalRejection) {
      const reden = BRON_REFUSALS[code] ?? RELAY_REFUSALS[code] ?? `Een gekoppelde dienst weigert het verzoek (${code}); opnieuw proberen helpt niet.`;
      return { herstelbaar: false, code, reden };
    }
    return { herstelbaar: e.retryable, code, reden: e.retryable ? transientReason(e, code) : `Een gekoppelde dienst weigert het verzoek (${code}).` };
  }
  const status = restStatus(e);
  if (status !== null) {
    const transient = status >= 500 || status === 408 || status === 409 || status === 412 || status === 429;
    return transient
      ? { herstelbaar: true, code: `OPSLAG_HTTP_${status}`, reden: `De opslag (Azure Storage) was tijdelijk niet beschikbaar (HTTP ${status}).` }
      : { herstelbaar: false, code: `OPSLAG_HTTP_${status}`, reden: `De opslag (Azure Storage) weigert een schrijf- of leesactie (HTTP ${status}); opnieuw proberen helpt niet. Meld dit bij de leverancier.` };
  }
  // An unexpected error (a defect): retried as before, in case it was passing; its kind goes to the log.
  const kind = e instanceof Error ? e.name.replace(/[^A-Za-z0-9_]/g, "").slice(0, 40) || "Error" : "Onbekend";
  return { herstelbaar: true, code: kind, reden: `Interne fout in de dienst (${kind}); details staan in het logboek.` };
}

/** An Error whose message is the Dutch reason plus the marker the orchestration reads (failureOf). */
export function markedError(e: unknown): Error {
  const f = describeFailure(e);
  const marker = Buffer.from(JSON.stringify(f), "utf8").toString("base64url");
  const out = new Error(`${f.reden} [bronsync-fout:${marker}]`);
  out.name = f.herstelbaar ? "TijdelijkeFout" : "BlijvendeFout";
  return out;
}

/** Reads the failure back from whatever text Durable Functions made of it (message, reason, details); null when unmarked. */
export function failureOf(e: unknown): ActivityFailure | null {
  const text = typeof e === "string" ? e : e instanceof Error ? `${e.message}\n${e.stack ?? ""}` : JSON.stringify(e ?? null);
  const m = MARKER.exec(text);
  if (!m) return null;
  try {
    const v = JSON.parse(Buffer.from(m[1]!, "base64url").toString("utf8")) as Partial<ActivityFailure>;
    if (typeof v.herstelbaar !== "boolean" || typeof v.code !== "string" || typeof v.reden !== "string") return null;
    return { herstelbaar: v.herstelbaar, code: v.code, reden: v.reden };
  } catch {
    return null;
  }
}

/** Wraps an activity so whatever it throws reaches the orchestration as a marked, Dutch, safe error. */
export function withFailureMarker<I, O>(handler: (input: I) => Promise<O>, log: (line: string) => void = () => undefined): (input: I) => Promise<O> {
  return async (input) => {
    try {
      return await handler(input);
    } catch (e) {
      const marked = markedError(e);
      const f = describeFailure(e);
      log(`activiteit mislukt: ${e instanceof Error ? e.name : "Onbekend"} ${f.code} (${f.herstelbaar ? "tijdelijk" : "blijvend"})`);
      throw marked;
    }
  };
}
