/**
 * DEV/TEST ONLY — never imported from src/ or functions/. The BRON simulator as a library: a
 * standalone HTTPS server with mutual TLS (its SOAP endpoint at /bron; TLS 1.2, an untrusted or
 * expired client certificate ends the handshake with an alert) and a loopback HTTP admin API. State lives in `<dataDir>/bron-simulator.sqlite`, so a restart keeps the register.
 */
import { mkdirSync } from "node:fs";
import { createServer as createHttpServer, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { X509Certificate, constants } from "node:crypto";
import type { AddressInfo, Server as NetServer } from "node:net";
import { join } from "node:path";
import { applySeed, handleAdmin } from "./admin.js";
import { handleSoap } from "./endpoint.js";
import { FaultKnobs, type Storingen } from "./faults.js";
import type { BronSeed } from "./seed.js";
import { SimulatorStore, type Counters } from "./store.js";
import { createTlsGate } from "./tls-gate.js";

export interface BronSimulatorOptions {
  /** folder for the SQLite file (use .local/… or a tmp dir) */
  dataDir: string;
  /** server certificate and key, and the CA whose client certificates are accepted */
  tls: { cert: string; key: string; ca: string };
  host?: string;
  /** 0 or absent: a free port */
  port?: number;
  adminPort?: number;
  /** delay before feedback can be fetched (default 0) */
  feedbackDelayMs?: number;
  /** validate every request against the XSD (default true) */
  validateSchema?: boolean;
  storingen?: Partial<Storingen>;
  seed?: BronSeed;
  maxRequestBytes?: number;
}

export interface BronSimulator {
  /** the SOAP endpoint, e.g. https://127.0.0.1:1234/bron */
  url: string;
  adminUrl: string;
  counters(): Counters;
  setStoringen(s: Partial<Storingen>): Storingen;
  stop(): Promise<void>;
}

export async function startBronSimulator(o: BronSimulatorOptions): Promise<BronSimulator> {
  mkdirSync(o.dataDir, { recursive: true });
  const store = new SimulatorStore(join(o.dataDir, "bron-simulator.sqlite"));
  const knobs = new FaultKnobs();
  if (o.storingen) knobs.set(o.storingen);
  if (o.seed) applySeed(store, o.seed);
  const feedbackDelayMs = o.feedbackDelayMs ?? 0;
  const ctx = { store, knobs, feedbackDelayMs, defaultFetchMax: 500, validateSchema: o.validateSchema ?? true, maxRequestBytes: o.maxRequestBytes ?? 32 * 1024 * 1024 };
  const host = o.host ?? "127.0.0.1";

  const inFlight = new Set<Promise<void>>();
  // Mutual TLS as a real endpoint: TLS 1.2 behind the gate, which ends the handshake with an alert
  // for an untrusted or expired client certificate (tls-gate.ts); the TLS server checks it again.
  const soap = createHttpsServer(
    { cert: o.tls.cert, key: o.tls.key, ca: o.tls.ca, requestCert: true, rejectUnauthorized: true, minVersion: "TLSv1.2", maxVersion: "TLSv1.2", secureOptions: constants.SSL_OP_NO_RENEGOTIATION },
    (req, res) => {
      const p = handleSoap(req, res, ctx).finally(() => inFlight.delete(p));
      inFlight.add(p);
    },
  );
  const gate = createTlsGate({
    trusted: splitCertificates(o.tls.ca),
    onConnection: (stream) => soap.emit("connection", stream),
    onRefusal: () => store.count("tlsGeweigerd"),
  });
  const admin = createHttpServer((req, res) => void handleAdmin(req, res, ctx));
  const port = await listen(gate, host, o.port ?? 0);
  const adminPort = await listen(admin, "127.0.0.1", o.adminPort ?? 0);

  return {
    url: `https://${host === "0.0.0.0" ? "127.0.0.1" : host}:${port}/bron`,
    adminUrl: `http://127.0.0.1:${adminPort}/admin`,
    counters: () => store.counters(),
    setStoringen: (s) => knobs.set(s),
    async stop() {
      gate.destroyAll();
      const closing = Promise.all([close(gate), close(soap), close(admin)]);
      await Promise.allSettled([...inFlight]);
      await closing;
      store.close();
    },
  };
}

function splitCertificates(pem: string): X509Certificate[] {
  return (pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []).map((c) => new X509Certificate(c));
}

function listen(server: NetServer, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

function close(server: NetServer): Promise<void> {
  if ("closeAllConnections" in server) (server as Server).closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
