import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import type { DemoData } from "../demo-data/schema.js";
import { demoSchools } from "./access.js";
import { defaultRelayChannel, type School } from "../../src/adapters/state/schools.js";
import { startRelay, type RunningRelay } from "../../src/relay/app.js";
import { createLog } from "../../src/relay/log.js";
import { loadRelayConfig } from "../../src/relay/relay-config.js";
import { hasExited, killChild, stopChild } from "./child-process.js";

/**
 * The demo schools of the local stack: the demo data's aanleverpunten grouped by BRIN, one school per
 * BRIN (with the default four aanleverpunten: De Regenboog with two, De Horizon, SBO De Wissel). Each
 * school has its own LVS2000 database and its own relay process polling its own queue.
 */

/**
 * The demo schools as registry records (./access.ts names them: one per BRIN, so the sign-in demo
 * people and the relays agree on the ids) and, per school, the part of the demo data in its LVS2000.
 */
export function demoSchoolRecords(demo: DemoData): { school: School; data: DemoData }[] {
  return demoSchools(demo).map((s) => {
    const codes = new Set(s.aanleverpunten.map((a) => a.code));
    const idx = demo.aanleverpunten.flatMap((a, i) => (codes.has(a.code) ? [i] : []));
    const school: School = {
      id: s.id,
      naam: s.naam,
      brins: s.brins,
      aanleverpunten: s.aanleverpunten,
      relay: defaultRelayChannel(s.id),
      contact: { emails: [`administratie@${s.id}.example`] },
      instellingen: { dagelijkseSync: true },
    };
    const data: DemoData = { ...demo, aanleverpunten: idx.map((i) => demo.aanleverpunten[i]!), lvs: idx.map((i) => demo.lvs[i]!), bron: idx.map((i) => demo.bron[i]!) };
    return { school, data };
  });
}

/** A school's relay in the local stack: started, stopped (a test stops one mid-run) and started again. */
export interface LocalRelay {
  running(): boolean;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** fault injection: kill -9 of the relay process (an in-process relay is stopped) */
  kill(): Promise<void>;
  /** the relay's JSON log lines so far (ids, counts, codes only) */
  log(): readonly string[];
}

/**
 * The relay as the school runs it: `node dist/src/relay/main.js` with RELAY_* settings, its own process.
 * With `apiVersion` or `relayVersion` (test seams that are deliberately no RELAY_* setting) it runs in this process instead.
 */
export function localRelay(o: { repoRoot: string; env: Record<string, string>; apiVersion?: string; relayVersion?: string }): LocalRelay {
  const lines: string[] = [];
  const keep = (line: string) => {
    lines.push(line);
    if (lines.length > 2000) lines.splice(0, lines.length - 2000);
  };
  let child: ChildProcess | undefined;
  let inProcess: RunningRelay | undefined;

  async function startChild(): Promise<void> {
    const main = join(o.repoRoot, "dist", "src", "relay", "main.js");
    const c = spawn(process.execPath, [main], { env: { PATH: process.env.PATH ?? "", ...o.env }, stdio: ["ignore", "pipe", "pipe"] });
    child = c;
    await new Promise<void>((resolve, reject) => {
      let buffered = "";
      let stderr = "";
      const feed = (d: Buffer) => {
        buffered += d.toString();
        let i;
        while ((i = buffered.indexOf("\n")) >= 0) {
          const line = buffered.slice(0, i);
          buffered = buffered.slice(i + 1);
          keep(line);
          if (line.includes('"event":"relay_started"')) resolve();
        }
      };
      c.stdout?.on("data", feed);
      c.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
      c.once("exit", (code) => reject(new Error(`relay exited (${code}) before it started: ${stderr.trim().slice(0, 500)}`)));
    });
  }

  return {
    running: () => (child ? !hasExited(child) : inProcess !== undefined),
    async start() {
      if (this.running()) return;
      if (o.apiVersion === undefined && o.relayVersion === undefined) return startChild();
      inProcess = await startRelay(loadRelayConfig(o.env), {
        log: createLog(keep),
        ...(o.apiVersion === undefined ? {} : { apiVersion: o.apiVersion }),
        ...(o.relayVersion === undefined ? {} : { relayVersion: o.relayVersion }),
      });
    },
    async stop() {
      if (child) await stopChild(child, 5000);
      child = undefined;
      await inProcess?.stop();
      inProcess = undefined;
    },
    async kill() {
      if (child) await killChild(child);
      child = undefined;
      await inProcess?.stop();
      inProcess = undefined;
    },
    log: () => lines,
  };
}
