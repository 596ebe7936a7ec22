import { ExternalRejection, MalformedResponseError, type ServiceError, TransientError, ValidationError } from "../../errors.js";
import { CODECS, operationOfRequest, type Requests, type Responses } from "./codec-operations.js";
import { actionOf, responseActionOf, type Operation } from "./constants.js";
import { buildEnvelope, parseEnvelope, type Addressing, type SoapFault } from "./envelope.js";

/**
 * Whole BRON messages: a contract body inside a SOAP envelope. Building validates with zod first,
 * so nothing malformed leaves; parsing validates with zod after reading, so nothing unchecked enters.
 */

export type RequestAddressing = Omit<Addressing, "action" | "relatesTo">;

/** A request envelope for `op`. Throws ValidationError when the request breaks the contract. */
export function buildRequest<Op extends Operation>(op: Op, request: Requests[Op], addressing: RequestAddressing): string {
  const codec = CODECS[op];
  const parsed = codec.requestSchema.safeParse(request);
  if (!parsed.success) throw new ValidationError(`${op}: ${describeIssues(parsed.error.issues)}`, "CONTRACT");
  return buildEnvelope({ ...addressing, action: actionOf(op) }, codec.requestElement, codec.requestToXml(parsed.data));
}

export type ParsedRequest = {
  [Op in Operation]: { op: Op; addressing: Partial<Addressing>; request: Requests[Op] };
}[Operation];

/** Reads a request envelope (the simulator's side). Throws ValidationError for anything off-contract. */
export function parseRequest(xml: string): ParsedRequest {
  let env;
  try {
    env = parseEnvelope(xml);
  } catch (e) {
    throw new ValidationError((e as Error).message, "SCHEMA_ONGELDIG", { cause: e });
  }
  if (env.kind !== "body") throw new ValidationError("a request cannot be a fault", "SCHEMA_ONGELDIG");
  const op = operationOfRequest(env.name);
  if (!op) throw new ValidationError(`unknown operation element ${env.name}`, "SCHEMA_ONGELDIG");
  let raw: unknown;
  try {
    raw = CODECS[op].requestFromXml(env.body);
  } catch (e) {
    throw new ValidationError((e as Error).message, "SCHEMA_ONGELDIG", { cause: e });
  }
  const parsed = CODECS[op].requestSchema.safeParse(raw);
  if (!parsed.success) throw new ValidationError(`${op}: ${describeIssues(parsed.error.issues)}`, "SCHEMA_ONGELDIG");
  return { op, addressing: env.addressing, request: parsed.data } as ParsedRequest;
}

/** A response envelope for `op` (the simulator's side), related to the request's MessageID. */
export function buildResponse<Op extends Operation>(
  op: Op,
  response: Omit<Responses[Op], "onleesbaar">,
  addressing: Omit<Addressing, "action">,
): string {
  const codec = CODECS[op];
  return buildEnvelope({ ...addressing, action: responseActionOf(op) }, codec.responseElement, codec.responseToXml(response));
}

/**
 * Reads the response to `op`. A SOAP fault becomes its typed error (faultToError); a response that
 * is not XML or not the expected shape becomes MalformedResponseError (retryable: the retry carries
 * the same MessageID, so BRON answers from its duplicate store instead of registering twice).
 */
export function parseResponse<Op extends Operation>(op: Op, xml: string, expectRelatesTo?: string): Responses[Op] {
  let env;
  try {
    env = parseEnvelope(xml);
  } catch (e) {
    throw new MalformedResponseError(`unreadable BRON response: ${(e as Error).message}`, "MALFORMED", { cause: e });
  }
  if (env.kind === "fault") throw faultToError(env.fault);
  const codec = CODECS[op];
  if (env.name !== codec.responseElement) throw new MalformedResponseError(`expected ${codec.responseElement}, got ${env.name}`, "MALFORMED");
  if (expectRelatesTo && env.addressing.relatesTo !== expectRelatesTo) {
    throw new MalformedResponseError("response does not relate to the request's MessageID", "MALFORMED");
  }
  let raw: unknown;
  try {
    raw = codec.responseFromXml(env.body);
  } catch (e) {
    throw new MalformedResponseError(`unreadable ${codec.responseElement}: ${(e as Error).message}`, "MALFORMED", { cause: e });
  }
  const { onleesbaar, ...rest } = raw as Record<string, unknown>;
  const parsed = codec.responseSchema.safeParse(rest);
  if (!parsed.success) throw new MalformedResponseError(`${codec.responseElement}: ${describeIssues(parsed.error.issues)}`, "MALFORMED");
  return (onleesbaar === undefined ? parsed.data : { ...parsed.data, onleesbaar }) as Responses[Op];
}

/**
 * SOAP fault → error taxonomy. soap:Server (or TIJDELIJK_NIET_BESCHIKBAAR) is transient; our own
 * message being wrong (schema, addressing) is a ValidationError; BRON refusing who we are
 * (certificate, aanleverpunt) is an ExternalRejection. An unknown soap:Client fault is a rejection.
 */
export function faultToError(fault: SoapFault): ServiceError {
  const code = fault.fout?.foutcode ?? null;
  const message = `BRON fault ${fault.faultcode}${code ? `/${code}` : ""}: ${fault.faultstring}`;
  if (fault.faultcode === "Server" || code === "TIJDELIJK_NIET_BESCHIKBAAR" || code === "INTERNE_FOUT") return new TransientError(message, code ?? "SOAP_SERVER");
  if (code === "SCHEMA_ONGELDIG" || code === "ADRESSERING_ONGELDIG") return new ValidationError(message, code);
  return new ExternalRejection(message, code ?? "SOAP_CLIENT");
}

function describeIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return issues
    .slice(0, 5)
    .map((i) => `${i.path.map(String).join(".")}: ${i.message}`)
    .join("; ");
}
