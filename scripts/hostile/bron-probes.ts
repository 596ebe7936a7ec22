import { request } from "node:https";
import { createExpiredClientCertificate, createSelfSignedClientCertificate, issueTestClientCertificate, type TestPki } from "../../emulators/pki/test-pki.js";
import type { Verdict } from "./judge.js";

/**
 * BRON's client-certificate matrix, against the BRON simulator (mutual TLS, `emulators/bron`): no
 * certificate, a self-made one, an expired one, one not yet valid, another aanleverpunt's, and garbage
 * over a valid connection. A real mutual-TLS endpoint ends the handshake for the first four (a TLS alert,
 * no HTTP at all); a valid certificate of another aanleverpunt and a broken message get a SOAP fault.
 * Judged here (not by judge.ts): a TLS alert or a SOAP fault is a clean refusal; a 5xx without a fault,
 * a reset without an alert, or a simulator that stops answering is a crash.
 */

export const BRON_GROUP = "BRON (wederzijdse TLS, simulator)";

export interface BronTarget {
  url: string;
  pki: TestPki;
  /** an aanleverpunt whose certificate the PKI holds, and another one */
  aanleverpunt: string;
  ander: string;
}

export interface BronProbeResult {
  group: string;
  name: string;
  verdict: Verdict;
  why: string;
}

type Cert = { cert: string; key: string } | null;

interface Exchange {
  status: number | null;
  body: string;
  error: string | null;
}

function post(t: BronTarget, cert: Cert, body: string, headers: Record<string, string> = {}): Promise<Exchange> {
  const url = new URL(t.url);
  return new Promise((resolve) => {
    const req = request(
      {
        host: url.hostname,
        port: Number(url.port),
        path: url.pathname,
        method: "POST",
        ca: t.pki.ca.cert,
        servername: "localhost",
        agent: false,
        timeout: 15_000,
        ...(cert ? { cert: cert.cert, key: cert.key } : {}),
        headers: { "content-type": "text/xml; charset=utf-8", soapaction: '""', "content-length": String(Buffer.byteLength(body)), ...headers },
      },
      (res) => {
        let text = "";
        res.on("data", (c: Buffer) => (text += c.toString("utf8")));
        res.on("end", () => resolve({ status: res.statusCode ?? null, body: text, error: null }));
        res.on("error", (e: NodeJS.ErrnoException) => resolve({ status: res.statusCode ?? null, body: text, error: e.code ?? e.message }));
      },
    );
    req.on("timeout", () => req.destroy(Object.assign(new Error("timeout"), { code: "TIMEOUT" })));
    req.on("error", (e: NodeJS.ErrnoException) => resolve({ status: null, body: "", error: `${e.code ?? ""} ${e.message}`.trim() }));
    req.end(body);
  });
}

const TLS_ALERT = /alert|SSL|TLS|certificate/i;

function judgeBron(x: Exchange, expectHandshakeEnd: boolean): { verdict: Verdict; why: string } {
  if (x.status === null) {
    if (x.error && TLS_ALERT.test(x.error)) return expectHandshakeEnd ? { verdict: "geweigerd", why: `handdruk beëindigd (${x.error.slice(0, 60)})` } : { verdict: "onnet", why: `handdruk onverwacht beëindigd: ${x.error}` };
    return { verdict: "gecrasht", why: `geen antwoord (${x.error ?? "?"})` };
  }
  if (expectHandshakeEnd) return { verdict: "onnet", why: `handdruk voltooid, HTTP ${x.status} (een echt mTLS-eindpunt beëindigt de handdruk)` };
  if (/<(?:\w+:)?Fault[\s>]/.test(x.body)) return { verdict: "geweigerd", why: `SOAP-fout, HTTP ${x.status}` };
  if (x.status >= 500) return { verdict: "gecrasht", why: `HTTP ${x.status} zonder SOAP-fout` };
  if (x.status >= 400) return { verdict: "geweigerd", why: `HTTP ${x.status}` };
  return { verdict: "beantwoord", why: `HTTP ${x.status}` };
}

const ENVELOPE = '<?xml version="1.0"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><x/></soap:Body></soap:Envelope>';

/** Every probe of the matrix, in order; the simulator is asked after each whether it still answers. */
export async function runBronMatrix(t: BronTarget, onResult?: (r: BronProbeResult) => void): Promise<BronProbeResult[]> {
  const valid = t.pki.clients[t.aanleverpunt]!;
  const ander = t.pki.clients[t.ander]!;
  const cases: [string, () => Promise<Cert>, string, boolean, Record<string, string>?][] = [
    ["zonder certificaat", async () => null, ENVELOPE, true],
    ["zelfgemaakt (zelfondertekend) certificaat", () => createSelfSignedClientCertificate(t.pki.dir, t.aanleverpunt), ENVELOPE, true],
    ["verlopen certificaat", () => createExpiredClientCertificate(t.pki.dir, t.aanleverpunt), ENVELOPE, true],
    ["nog niet geldig certificaat", () => issueTestClientCertificate(t.pki.dir, t.aanleverpunt, { notBefore: new Date(Date.now() + 86_400_000 * 2), notAfter: new Date(Date.now() + 86_400_000 * 30), name: `${t.aanleverpunt}-future` }), ENVELOPE, true],
    ["servercertificaat als clientcertificaat", async () => ({ cert: t.pki.server.cert, key: t.pki.server.key }), ENVELOPE, true],
    ["geldig certificaat, lege envelop", async () => valid, ENVELOPE, false],
    ["geldig certificaat, geen XML", async () => valid, "dit is geen xml", false],
    ["geldig certificaat, 10 000 geneste elementen", async () => valid, `<a>${"<b>".repeat(10_000)}${"</b>".repeat(10_000)}</a>`, false],
    ["geldig certificaat, entity-expansie (billion laughs)", async () => valid, '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><l>&b;</l>', false],
    ["geldig certificaat, SOAPAction past niet bij wsa:Action", async () => valid, ENVELOPE, false, { soapaction: '"urn:iets:anders"' }],
    ["certificaat van een ander aanleverpunt", async () => ander, ENVELOPE, false],
  ];
  const out: BronProbeResult[] = [];
  for (const [name, cert, body, handshakeEnds, headers] of cases) {
    const x = await post(t, await cert(), body, headers);
    const r = { group: BRON_GROUP, name, ...judgeBron(x, handshakeEnds) };
    out.push(r);
    onResult?.(r);
  }
  const still = await post(t, valid, ENVELOPE);
  if (still.status === null) {
    const r: BronProbeResult = { group: BRON_GROUP, name: "BRON-simulator leeft nog na deze groep", verdict: "gecrasht", why: "antwoordt niet meer" };
    out.push(r);
    onResult?.(r);
  }
  return out;
}
