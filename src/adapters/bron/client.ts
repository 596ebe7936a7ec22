import type { Agent } from "node:https";
import { actionOf, DUO_OIN, type Operation } from "../../contracts/bron/constants.js";
import { buildRequest, parseResponse } from "../../contracts/bron/codec.js";
import type { OnleesbareTerugkoppeling, Requests, Responses } from "../../contracts/bron/codec-operations.js";
import { withOin } from "../../contracts/bron/envelope.js";
import { acknowledgementMessageId, deliveryMessageId, keyedMessageId, randomMessageId } from "../../contracts/bron/message-id.js";
import type { Mutatie } from "../../contracts/bron/messages.js";
import type { FeedbackMessage } from "../../core/model.js";
import { schoolOin } from "../../core/validation.js";
import { MalformedResponseError, TransientError, ExternalRejection, type BronError } from "./errors.js";
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from "./retry.js";
import { createMtlsAgent, postSoap, type BronCertificate } from "./transport.js";
import { feedbackFromWire } from "./wire-mapping.js";

/**
 * The BRON client for one aanleverpunt: SOAP 1.1 + WS-Addressing over HTTPS with the
 * aanleverpunt's client certificate. Messages are built and read by the contract's codec
 * (src/contracts/bron/); feedback is handed on in the domain model (wire-mapping.ts). Every call has one MessageID that all its retries reuse;
 * a delivery's MessageID is derived from its mutation ids, so a retried activity resends the very
 * same message and BRON registers it once.
 */
export interface BronClientOptions {
  /** BRON endpoint (https) */
  endpoint: string;
  aanleverpunt: string;
  /** the aanleverpunt's certificate, or a provider asked before each call (rotation, expiry checks) */
  certificate: BronCertificate | (() => Promise<BronCertificate>);
  /** CA that signed BRON's server certificate, when it is not in the system store (tests, local stack) */
  serverCa?: string;
  /** per attempt (default 30 s) */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** hard limit on a response body (default 64 MiB) */
  maxResponseBytes?: number;
  /** the receiver's OIN in wsa:To (default DUO's) */
  bronOin?: string;
  /** told about each retry (no personal data in it) */
  onRetry?: (info: { operation: Operation; attempt: number; code: string | null; messageId: string }) => void;
}

/** Fetched feedback: the readable messages in the domain model, the unreadable ones kept raw. */
export interface FetchedFeedback {
  aanleverpunt: string;
  meerBeschikbaar: boolean;
  terugkoppelingen: FeedbackMessage[];
  onleesbaar: OnleesbareTerugkoppeling[];
}

export interface BronClient {
  readonly aanleverpunt: string;
  /** Delivers a batch of mutations. Resolves once BRON has received all of them. */
  deliver(mutaties: Mutatie[]): Promise<Responses["aanleverenMutaties"] & { messageId: string }>;
  /** Asks for the registratieoverzicht at `peildatum`; it arrives later as feedback. `key` makes the request idempotent. */
  requestRegistratieoverzicht(peildatum: string, key?: string): Promise<Responses["aanvragenRegistratieoverzicht"]>;
  /** Fetches queued feedback (BRON keeps returning it until acknowledged). */
  fetchFeedback(maximumAantal?: number): Promise<FetchedFeedback>;
  /** Acknowledges feedback that has been stored. */
  acknowledge(terugkoppelingIds: string[]): Promise<Responses["bevestigenOntvangst"]>;
  close(): void;
}

const DEFAULT_MAX_RESPONSE = 64 * 1024 * 1024;

export function createBronClient(o: BronClientOptions): BronClient {
  const url = new URL(o.endpoint);
  if (url.protocol !== "https:") throw new Error("BRON endpoint must be https");
  const policy: RetryPolicy = { ...DEFAULT_RETRY, ...o.retry };
  const to = withOin(`${url.origin}${url.pathname}`, o.bronOin ?? DUO_OIN);
  const fromOin = schoolOin(o.aanleverpunt.slice(0, 4));
  const agents = new AgentCache();

  async function call<Op extends Operation>(op: Op, request: Requests[Op], messageId: string): Promise<Responses[Op]> {
    const body = buildRequest(op, request, { messageId, to, fromOin });
    const certificate = typeof o.certificate === "function" ? await o.certificate() : o.certificate;
    const agent = agents.for(o.serverCa && !certificate.ca ? { ...certificate, ca: o.serverCa } : certificate);
    return withRetry(
      async () => {
        const res = await postSoap({ url, agent, soapAction: actionOf(op), body, timeoutMs: o.timeoutMs ?? 30_000, maxResponseBytes: o.maxResponseBytes ?? DEFAULT_MAX_RESPONSE });
        if (!looksLikeSoap(res.body)) throw statusError(res.status);
        return parseResponse(op, res.body, messageId);
      },
      policy,
      (e: BronError, attempt) => o.onRetry?.({ operation: op, attempt, code: e.code, messageId }),
    );
  }

  return {
    aanleverpunt: o.aanleverpunt,
    async deliver(mutaties) {
      const messageId = deliveryMessageId(o.aanleverpunt, mutaties.map((m) => m.mutatieId));
      const res = await call("aanleverenMutaties", { aanleverpunt: o.aanleverpunt, mutaties }, messageId);
      const received = new Set(res.ontvangenMutatieIds);
      const missing = mutaties.filter((m) => !received.has(m.mutatieId)).length;
      if (missing > 0) throw new MalformedResponseError(`BRON acknowledged ${received.size} of ${mutaties.length} mutations`, "INCOMPLETE");
      return { ...res, messageId };
    },
    requestRegistratieoverzicht(peildatum, key) {
      const messageId = key ? keyedMessageId("aanvragenRegistratieoverzicht", o.aanleverpunt, `${peildatum}|${key}`) : randomMessageId();
      return call("aanvragenRegistratieoverzicht", { aanleverpunt: o.aanleverpunt, peildatum }, messageId);
    },
    async fetchFeedback(maximumAantal) {
      const res = await call("ophalenTerugkoppeling", { aanleverpunt: o.aanleverpunt, maximumAantal: maximumAantal ?? null }, randomMessageId());
      return { aanleverpunt: res.aanleverpunt, meerBeschikbaar: res.meerBeschikbaar, terugkoppelingen: res.terugkoppelingen.map(feedbackFromWire), onleesbaar: res.onleesbaar };
    },
    acknowledge(terugkoppelingIds) {
      const messageId = acknowledgementMessageId(o.aanleverpunt, terugkoppelingIds);
      return call("bevestigenOntvangst", { aanleverpunt: o.aanleverpunt, terugkoppelingIds }, messageId);
    },
    close: () => agents.close(),
  };
}

function looksLikeSoap(body: string): boolean {
  return /^\s*(<\?xml[^>]*\?>\s*)?<([A-Za-z_][\w.-]*:)?Envelope[\s>]/.test(body);
}

/** A non-SOAP answer: 5xx, 408 and 429 are transient; 200 without SOAP is malformed; other 4xx are rejections. */
function statusError(status: number): BronError {
  if (status === 200) return new MalformedResponseError("BRON answered 200 without a SOAP envelope", "MALFORMED");
  if (status >= 500 || status === 408 || status === 429) return new TransientError(`BRON answered HTTP ${status}`, `HTTP_${status}`);
  return new ExternalRejection(`BRON answered HTTP ${status}`, `HTTP_${status}`);
}

/** One keep-alive agent per certificate; a new certificate (rotation) gets a new agent. */
class AgentCache {
  private current: { fingerprint: string; agent: Agent } | undefined;
  for(certificate: BronCertificate): Agent {
    const fingerprint = "pfx" in certificate ? Buffer.from(certificate.pfx).toString("base64") : certificate.cert;
    if (this.current?.fingerprint !== fingerprint) {
      this.current?.agent.destroy();
      this.current = { fingerprint, agent: createMtlsAgent(certificate) };
    }
    return this.current.agent;
  }
  close() {
    this.current?.agent.destroy();
    this.current = undefined;
  }
}
