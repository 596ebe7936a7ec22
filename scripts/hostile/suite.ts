import { signatureHeaders } from "../../src/contracts/relay/signing.js";
import { BRON_GROUP, runBronMatrix, type BronTarget } from "./bron-probes.js";
import { judge, type Verdict } from "./judge.js";
import { buildProbes, GROUPS, type HostileTargets } from "./probes.js";
import { send } from "./wire.js";

/**
 * Runs the hostile probes against a running stack and tallies, per endpoint group, how each was
 * answered. After every group both processes are asked whether they still serve: a process that no
 * longer answers counts as crashed.
 */

export interface ProbeResult {
  group: string;
  name: string;
  verdict: Verdict;
  why: string;
}

export interface GroupTally {
  group: string;
  tried: number;
  geweigerd: number;
  beantwoord: number;
  onnet: number;
  gecrasht: number;
}

export interface HostileReport {
  results: ProbeResult[];
  groups: GroupTally[];
  table: string;
  crashed: number;
}

async function alive(t: HostileTargets): Promise<{ app: boolean; relay: boolean }> {
  const app = await send({ base: t.functionsUrl, ...(t.appHeaders ? { headers: t.appHeaders } : {}) }, { path: "/api/beheer" });
  const h = signatureHeaders(t.relayKey, { method: "GET", pathAndQuery: "/v1/health", body: Buffer.alloc(0) }, Date.now());
  const relay = await send(t.relay, { path: "/v1/health", headers: h });
  return { app: app.status === 200, relay: relay.status === 200 };
}

export async function runHostile(t: HostileTargets, o: { short?: boolean; onResult?: (r: ProbeResult) => void; bron?: BronTarget } = {}): Promise<HostileReport> {
  const probes = buildProbes(t).filter((p) => !o.short || p.short);
  const results: ProbeResult[] = [];
  for (const group of Object.values(GROUPS)) {
    for (const p of probes.filter((x) => x.group === group)) {
      const outcome = await p.run().catch((e: unknown) => ({ status: null, contentType: "", body: "", error: e instanceof Error ? e.message : String(e) }));
      const r = { group, name: p.name, ...judge(outcome) };
      results.push(r);
      o.onResult?.(r);
    }
    const live = await alive(t);
    for (const [what, up] of [["Functions-host", live.app], ["relay", live.relay]] as const) {
      if (!up) {
        const r: ProbeResult = { group, name: `${what} leeft nog na deze groep`, verdict: "gecrasht", why: "antwoordt niet meer" };
        results.push(r);
        o.onResult?.(r);
      }
    }
  }
  if (o.bron) results.push(...(await runBronMatrix(o.bron, o.onResult)));
  const groups = [...Object.values(GROUPS), ...(o.bron ? [BRON_GROUP] : [])].map((group): GroupTally => {
    const mine = results.filter((r) => r.group === group);
    const n = (v: Verdict) => mine.filter((r) => r.verdict === v).length;
    return { group, tried: mine.length, geweigerd: n("geweigerd"), beantwoord: n("beantwoord"), onnet: n("onnet"), gecrasht: n("gecrasht") };
  });
  const crashed = groups.reduce((s, g) => s + g.gecrasht, 0);
  return { results, groups, table: renderTable(groups), crashed };
}

export function renderTable(groups: GroupTally[]): string {
  const head = ["endpointgroep", "geprobeerd", "netjes geweigerd (4xx, NL melding, geen stack/paden)", "gewoon beantwoord (2xx)", "onnet geweigerd", "gecrasht (5xx, reset, proces weg)"];
  const rows = groups.map((g) => [g.group, g.tried, g.geweigerd, g.beantwoord, g.onnet, g.gecrasht].map(String));
  const total = ["totaal", ...[1, 2, 3, 4, 5].map((i) => String(rows.reduce((s, r) => s + Number(r[i]), 0)))];
  const all = [head, ...rows, total];
  const widths = head.map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
  const line = (r: string[]) => `| ${r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(" | ")} |`;
  return [line(head), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.map(line), line(total)].join("\n");
}
