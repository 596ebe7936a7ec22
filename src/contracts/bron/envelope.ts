import { BRON_NAMESPACE, SOAP_NAMESPACE, WSA_ANONYMOUS, WSA_NAMESPACE } from "./constants.js";
import { Fout } from "./messages.js";
import { buildXml, child, optChild, optText, parseXml, text, XmlSyntaxError, type XmlNode } from "./xml.js";

/**
 * The SOAP 1.1 envelope with WS-Addressing headers, as DUO's services use it: MessageID, Action,
 * To (endpoint with `?oin=` of the receiver), From (anonymous address with `?oin=` of the sender),
 * and RelatesTo on responses. Body elements are written in the contract namespace (prefix `b`).
 */
export interface Addressing {
  messageId: string;
  action: string;
  /** receiver address incl. `?oin=` */
  to: string;
  /** sender OIN */
  fromOin: string;
  relatesTo?: string;
}

export interface SoapFault {
  /** `Client` or `Server` (the local part of faultcode) */
  faultcode: string;
  faultstring: string;
  fout: Fout | null;
}

export type ParsedEnvelope = {
  addressing: Partial<Addressing>;
} & ({ kind: "body"; name: string; body: XmlNode } | { kind: "fault"; fault: SoapFault });

/** Address with the OIN appended as a query parameter, as in DUO's wsa:To / wsa:From. */
export function withOin(address: string, oin: string): string {
  return `${address}${address.includes("?") ? "&" : "?"}oin=${oin}`;
}

/** The `oin` query parameter of a WS-Addressing address, or null. */
export function oinOf(address: string | undefined): string | null {
  const m = /[?&]oin=([0-9A-Z]{20})(?:&|$)/.exec(address ?? "");
  return m ? m[1]! : null;
}

/** Adds the `b:` prefix to every element name of an unprefixed tree. */
export function qualify(tree: unknown, prefix = "b"): unknown {
  if (Array.isArray(tree)) return tree.map((t) => qualify(t, prefix));
  if (tree === null || typeof tree !== "object") return tree;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(tree)) {
    if (v === undefined || v === null) continue;
    out[k.startsWith("@_") || k === "#text" ? k : `${prefix}:${k}`] = qualify(v, prefix);
  }
  return out;
}

const namespaces = {
  "@_xmlns:soap": SOAP_NAMESPACE,
  "@_xmlns:wsa": WSA_NAMESPACE,
  "@_xmlns:b": BRON_NAMESPACE,
};

function header(a: Addressing): object {
  return {
    "wsa:MessageID": a.messageId,
    "wsa:Action": a.action,
    "wsa:To": a.to,
    "wsa:From": { "wsa:Address": withOin(WSA_ANONYMOUS, a.fromOin) },
    ...(a.relatesTo ? { "wsa:RelatesTo": a.relatesTo } : {}),
  };
}

/** A full SOAP envelope around one contract body element (`name` without prefix, `body` unprefixed). */
export function buildEnvelope(addressing: Addressing, name: string, body: object): string {
  return buildXml({
    "soap:Envelope": { ...namespaces, "soap:Header": header(addressing), "soap:Body": { [`b:${name}`]: qualify(body) } },
  });
}

/** A SOAP fault envelope (faultcode soap:Client or soap:Server) with the contract's `fout` detail. */
export function buildFault(addressing: Addressing | null, fault: { faultcode: "Client" | "Server"; fout: Fout }): string {
  const body = {
    "soap:Fault": {
      faultcode: `soap:${fault.faultcode}`,
      faultstring: fault.fout.omschrijving,
      detail: { "b:fout": qualify({ foutcode: fault.fout.foutcode, omschrijving: fault.fout.omschrijving }) },
    },
  };
  return buildXml({
    "soap:Envelope": { ...namespaces, ...(addressing ? { "soap:Header": header(addressing) } : {}), "soap:Body": body },
  });
}

/** Parses an envelope: its addressing headers and either the one body element or a fault. */
export function parseEnvelope(xml: string): ParsedEnvelope {
  const doc = parseXml(xml);
  const env = child(doc, "Envelope");
  const hdr = optChild(env, "Header");
  const from = optChild(hdr, "From");
  const addressing: Partial<Addressing> = {
    messageId: optText(hdr, "MessageID") ?? undefined,
    action: optText(hdr, "Action") ?? undefined,
    to: optText(hdr, "To") ?? undefined,
    fromOin: oinOf(optText(from, "Address") ?? undefined) ?? undefined,
    relatesTo: optText(hdr, "RelatesTo") ?? undefined,
  };
  const body = child(env, "Body");
  const names = Object.keys(body);
  if (names.length !== 1) throw new XmlSyntaxError("soap:Body must hold exactly one element");
  const name = names[0]!;
  if (name === "Fault") return { addressing, kind: "fault", fault: parseFault(child(body, "Fault")) };
  return { addressing, kind: "body", name, body: child(body, name) };
}

function parseFault(node: XmlNode): SoapFault {
  const code = text(node, "faultcode");
  const detail = optChild(node, "detail");
  const fout = optChild(detail, "fout");
  const parsed = fout ? Fout.safeParse({ foutcode: optText(fout, "foutcode"), omschrijving: optText(fout, "omschrijving") }) : null;
  return {
    faultcode: code.includes(":") ? code.slice(code.indexOf(":") + 1) : code,
    faultstring: optText(node, "faultstring") ?? "",
    fout: parsed?.success ? parsed.data : null,
  };
}
