/**
 * DEV/TEST ONLY. The simulator's SOAP endpoint: mutual TLS (client certificate from the test CA,
 * mapped to its aanleverpunt by the subject CN, OIN by the subject serialNumber), schema and
 * addressing checks (wsa:Action against the SOAPAction header too), refusal of messages about another aanleverpunt, MessageID deduplication,
 * and the fault knobs.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { TLSSocket } from "node:tls";
import { DUO_OIN, WSA_ANONYMOUS, actionOf, type Foutcode } from "../../src/contracts/bron/constants.js";
import { buildFault, withOin } from "../../src/contracts/bron/envelope.js";
import { ValidationError } from "../../src/errors.js";
import { randomMessageId } from "../../src/contracts/bron/message-id.js";
import { buildResponse, parseRequest, type ParsedRequest } from "../../src/contracts/bron/codec.js";
import type { FaultKnobs } from "./faults.js";
import { handleOperation, type ServiceOptions } from "./service.js";
import type { SimulatorStore } from "./store.js";
import { validateAgainstXsd } from "./xsd.js";

export interface EndpointContext extends ServiceOptions {
  store: SimulatorStore;
  knobs: FaultKnobs;
  validateSchema: boolean;
  maxRequestBytes: number;
}

class Refusal extends Error {
  constructor(readonly status: number, readonly faultcode: "Client" | "Server", readonly foutcode: Foutcode, omschrijving: string) {
    super(omschrijving.slice(0, 100));
  }
}

export async function handleSoap(req: IncomingMessage, res: ServerResponse, ctx: EndpointContext): Promise<void> {
  try {
    const { ap, oin } = identify(req.socket as TLSSocket);
    if (req.method !== "POST") throw new Refusal(405, "Client", "ADRESSERING_ONGELDIG", "Alleen POST");
    const body = await readBody(req, ctx.maxRequestBytes);
    if (ctx.knobs.vertragingMs > 0) await new Promise((r) => setTimeout(r, ctx.knobs.vertragingMs));
    if (ctx.knobs.take("fout")) {
      ctx.store.count("storingFout");
      throw new Refusal(503, "Server", "TIJDELIJK_NIET_BESCHIKBAAR", "BRON is tijdelijk niet beschikbaar");
    }
    if (ctx.validateSchema) {
      const r = await validateAgainstXsd([{ name: "request", xml: body }]);
      if (!r.valid) throw new Refusal(500, "Client", "SCHEMA_ONGELDIG", `Bericht voldoet niet aan het schema: ${r.errors[0] ?? ""}`);
    }
    const parsed = parseOrRefuse(body);
    const messageId = checkAddressing(parsed, ap, oin, req.headers.soapaction);
    const xml = answer(ctx, ap, oin, parsed, messageId);
    if (ctx.knobs.take("verbreken")) {
      ctx.store.count("storingVerbroken");
      req.socket.destroy();
      return;
    }
    if (ctx.knobs.take("onleesbaar")) {
      ctx.store.count("storingOnleesbaar");
      send(res, 200, xml.slice(0, Math.floor(xml.length / 2)));
      return;
    }
    send(res, 200, xml);
  } catch (e) {
    const r = e instanceof Refusal ? e : new Refusal(500, "Server", "INTERNE_FOUT", `Interne fout: ${(e as Error).message}`);
    ctx.store.count(`fout:${r.foutcode}`);
    send(res, r.status, buildFault(null, { faultcode: r.faultcode, fout: { foutcode: r.foutcode, omschrijving: r.message || r.foutcode } }));
  }
}

/** The aanleverpunt and OIN of the client certificate; refuses a missing or untrusted one. */
function identify(socket: TLSSocket): { ap: string; oin: string } {
  const cert = socket.getPeerCertificate?.();
  const ap = cert?.subject?.CN;
  const oin = cert?.subject?.serialNumber;
  if (!socket.authorized || typeof ap !== "string" || typeof oin !== "string") {
    throw new Refusal(403, "Client", "CERTIFICAAT_ONGELDIG", "Geen geldig certificaat van een aanleverpunt");
  }
  return { ap, oin };
}

function parseOrRefuse(body: string): ParsedRequest {
  try {
    return parseRequest(body);
  } catch (e) {
    if (e instanceof ValidationError) throw new Refusal(500, "Client", "SCHEMA_ONGELDIG", `Bericht onleesbaar: ${e.message}`);
    throw e;
  }
}

/**
 * WS-Addressing as DUO wants it, and the message must be about the certificate's own aanleverpunt.
 * SOAP 1.1 requires the SOAPAction header; WS-Addressing's SOAP binding allows it to be empty ("")
 * or else requires it to equal wsa:Action (a mismatch is its ActionMismatch fault, a client fault).
 */
function checkAddressing(p: ParsedRequest, ap: string, oin: string, soapAction: string | string[] | undefined): string {
  const a = p.addressing;
  if (!a.messageId) throw new Refusal(500, "Client", "ADRESSERING_ONGELDIG", "wsa:MessageID ontbreekt");
  if (a.action !== actionOf(p.op)) throw new Refusal(500, "Client", "ADRESSERING_ONGELDIG", "wsa:Action past niet bij het bericht");
  if (typeof soapAction !== "string") throw new Refusal(500, "Client", "ADRESSERING_ONGELDIG", "SOAPAction-header ontbreekt");
  const headerAction = soapAction.trim().replace(/^"(.*)"$/, "$1");
  if (headerAction !== "" && headerAction !== a.action) throw new Refusal(500, "Client", "ADRESSERING_ONGELDIG", "SOAPAction-header past niet bij wsa:Action");
  if (!a.to?.includes(`oin=${DUO_OIN}`)) throw new Refusal(500, "Client", "ADRESSERING_ONGELDIG", "wsa:To is niet het OIN van DUO");
  if (p.request.aanleverpunt !== ap || a.fromOin !== oin) {
    throw new Refusal(500, "Client", "AANLEVERPUNT_NIET_TOEGESTAAN", "Certificaat hoort bij een ander aanleverpunt");
  }
  return a.messageId;
}

/** Processes the request in one transaction, or replays the stored answer to a MessageID seen before. */
function answer(ctx: EndpointContext, ap: string, oin: string, parsed: ParsedRequest, messageId: string): string {
  const dedupe = parsed.op !== "ophalenTerugkoppeling";
  const stored = dedupe ? ctx.store.storedResponse(messageId) : undefined;
  if (stored !== undefined) {
    ctx.store.count("dubbeleBerichten");
    return stored;
  }
  return ctx.store.transaction(() => {
    const response = handleOperation(ctx.store, ap, parsed, messageId, ctx);
    const addressing = { messageId: randomMessageId(), to: withOin(WSA_ANONYMOUS, oin), fromOin: DUO_OIN, relatesTo: messageId };
    const xml = buildResponse(parsed.op, response as never, addressing);
    if (dedupe) ctx.store.storeResponse(messageId, ap, parsed.op, xml);
    ctx.store.count("berichten");
    return xml;
  });
}

function readBody(req: IncomingMessage, max: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > max) reject(new Refusal(413, "Client", "SCHEMA_ONGELDIG", "Bericht is te groot"));
      else chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function send(res: ServerResponse, status: number, xml: string): void {
  res.writeHead(status, { "content-type": "text/xml; charset=utf-8", "content-length": Buffer.byteLength(xml) });
  res.end(xml);
}
