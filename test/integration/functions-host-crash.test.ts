import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it, inject } from "vitest";
import { getStatus, raiseEvent, startOrchestration, waitForStatus, type InstanceStatus } from "../../emulators/functions-host/test-client.js";

const root = join(import.meta.dirname, "..", "..");
const suffix = String(Date.now() % 1_000_000);
const dir = mkdtempSync(join(tmpdir(), "fh-crash-"));
const recordFile = join(dir, "record.jsonl");
const bundleDir = join(root, "node_modules", ".cache", `functions-host-${process.pid}`);
const cli = join(bundleDir, "main.mjs");
let child: ChildProcess | undefined;
let stderr = "";

/** Bundles emulators/functions-host/main.ts (TypeScript) into one ESM file the child can run. */
async function buildCli(): Promise<void> {
  const { build } = await import("rolldown");
  mkdirSync(bundleDir, { recursive: true });
  await build({ input: join(root, "emulators/functions-host/main.ts"), platform: "node", external: (id: string) => !id.startsWith(".") && !id.startsWith("/"), output: { file: cli, format: "esm" }, logLevel: "warn" });
}

/** Spawns the host CLI as a real child process and resolves with its rpc base URL once it prints READY. */
async function startChild(): Promise<string> {
  const env = { ...process.env, HOST_APP_HUB: `fhcrash${suffix}`, WORK_QUEUE: `fh-crash-${suffix}`, TICK_SCHEDULE: "0 0 0 1 1 *", HOST_APP_RECORD: recordFile, START_QUEUE: `fh-crash-start-${suffix}` };
  const proc = spawn(process.execPath, [cli, "--app", join(root, "test", "host-app"), "--port", "0", "--storage", inject("azuriteConnectionString"), "--log-level", "warning", "--lease-ms", "1500", "--poll-max-ms", "200"], { env, stdio: ["ignore", "pipe", "pipe"] });
  child = proc;
  proc.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    let out = "";
    proc.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /READY (\S+) (\S+)/.exec(out);
      if (m) resolve(m[2] as string);
    });
    proc.once("exit", (code) => reject(new Error(`host exited with ${code}: ${stderr}`)));
  });
}

async function killChild(): Promise<void> {
  const proc = child;
  if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise((r) => proc.once("exit", r));
  proc.kill("SIGKILL");
  await exited;
}

function stepRuns(instanceId: string): number[] {
  if (!existsSync(recordFile)) return [];
  return readFileSync(recordFile, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { kind: string; instanceId?: string; i?: number })
    .filter((r) => r.kind === "step" && r.instanceId === instanceId)
    .map((r) => r.i as number);
}

/** Step indexes whose completion is recorded in history (each step returns its index). */
function completedSteps(s: InstanceStatus): number[] {
  return (s.historyEvents ?? []).filter((e) => e.EventType === "TaskCompleted").map((e) => JSON.parse((e as { Result?: string }).Result ?? "null") as number);
}

async function waitFor(ok: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 20));
  }
}

beforeAll(async () => {
  await buildCli();
});

afterAll(async () => {
  await killChild();
  rmSync(bundleDir, { recursive: true, force: true });
});

it("survives kill -9 twice: resumes, never re-runs an activity whose completion was recorded, loses no event or timer", async () => {
  try {
    await crashAndResume();
  } catch (err) {
    if (err instanceof Error) err.message += `\nstep runs: ${JSON.stringify(stepRuns(`crash-${suffix}`))}\nhost stderr (last lines):\n${stderr.slice(-3000)}`;
    throw err;
  }
}, 60_000);

async function crashAndResume(): Promise<void> {
  let rpc = await startChild();
  const id = `crash-${suffix}`;
  await startOrchestration(rpc, "crashable", { steps: 10, ms: 150, timerMs: 1500 }, id);
  await waitFor(() => stepRuns(id).length >= 2);
  expect(await raiseEvent(rpc, id, "resume", { early: true })).toBe(202);

  // kill 1: while the durable timer is pending and the event is buffered
  const beforeKill1 = await waitForStatus(rpc, id, (s) => Boolean(s.historyEvents?.some((e) => e.EventType === "TimerCreated")), 20_000, true);
  await killChild();
  const recorded1 = completedSteps(beforeKill1);
  expect(recorded1).toEqual([0, 1, 2, 3, 4]);

  // kill 2: while a step of the second half runs
  rpc = await startChild();
  await waitFor(() => stepRuns(id).some((i) => i >= 6), 30_000);
  const beforeKill2 = (await getStatus(rpc, id, true)) as InstanceStatus;
  await killChild();
  const recorded2 = completedSteps(beforeKill2);

  rpc = await startChild();
  const final = await waitForStatus(rpc, id, undefined, 30_000);
  expect(final.runtimeStatus).toBe("Completed");
  expect(final.output).toEqual({ done: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], resume: { early: true } });

  const runs = stepRuns(id);
  const count = (i: number) => runs.filter((r) => r === i).length;
  for (const i of recorded2) expect(count(i), `step ${i} completed before the kill`).toBe(1);
  for (let i = 0; i < 10; i++) expect(count(i)).toBeGreaterThanOrEqual(1);
  expect(runs.length).toBeLessThanOrEqual(11); // at most the one step in flight at kill 2 runs twice
}
