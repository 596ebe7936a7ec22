/**
 * DEV/TEST ONLY — never imported from src/ or functions/. The BRON simulator as a library: a
 * standalone HTTPS server with mutual TLS (its SOAP endpoint at /bron) and a loopback HTTP admin
 * API. State lives in `<dataDir>/bron-simulator.sqlite`, so a restart keeps the register.
 */
import { mkdirSync } from "node:fs";
import { createServer as createHttpServer, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { applySeed, handleAdmin } from "./admin.js";
import { handleSoap } from "./endpoint.js";
import { FaultKnobs, type Storingen } from "./faults.js";
import type { BronSeed } from "./seed.js";
import { SimulatorStore, type Counters } from "./store.js";

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
  const soap = createHttpsServer({ cert: o.tls.cert, key: o.tls.key, ca: o.tls.ca, requestCert: true, rejectUnauthorized: false }, (req, res) => {
    const p = handleSoap(req, res, ctx).finally(() => inFlight.delete(p));
    inFlight.add(p);
  });
  const admin = createHttpServer((req, res) => void handleAdmin(req, res, ctx));
  const port = await listen(soap, host, o.port ?? 0);
  const adminPort = await listen(admin, "127.0.0.1", o.adminPort ?? 0);

  return {
    url: `https://${host === "0.0.0.0" ? "127.0.0.1" : host}:${port}/bron`,
    adminUrl: `http://127.0.0.1:${adminPort}/admin`,
    counters: () => store.counters(),
    setStoringen: (s) => knobs.set(s),
    async stop() {
      const closing = Promise.all([close(soap), close(admin)]);
      await Promise.allSettled([...inFlight]);
      await closing;
      store.close();
    },
  };
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
