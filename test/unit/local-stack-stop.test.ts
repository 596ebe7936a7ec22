import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { describe, expect, it } from "vitest";
import { stopChild } from "../../scripts/local-stack/child-process.js";

// Stopping the local stack must not hang when a child (the Functions host, Azurite) is already gone:
// a child killed by a signal has signalCode set and exitCode null, and its "exit" event has passed.

function spawnNode(code: string): ChildProcess {
  return spawn(process.execPath, ["-e", code], { stdio: "ignore" });
}

describe("stopping a child process of the local stack", () => {
  it("returns at once for a child that was killed with SIGKILL earlier", async () => {
    const child = spawnNode("setInterval(() => {}, 1000)");
    const exited = once(child, "exit");
    child.kill("SIGKILL");
    await exited;
    expect(child.exitCode).toBeNull();
    expect(child.signalCode).toBe("SIGKILL");
    await stopChild(child, 100);
  }, 10_000);

  it("returns at once for a child that already exited by itself", async () => {
    const child = spawnNode("process.exit(3)");
    await once(child, "exit");
    await stopChild(child, 100);
    expect(child.exitCode).toBe(3);
  }, 10_000);

  it("stops a running child with SIGTERM", async () => {
    const child = spawnNode("setInterval(() => {}, 1000)");
    await stopChild(child, 60_000);
    expect(child.signalCode).toBe("SIGTERM");
  }, 10_000);

  it("kills a child that ignores SIGTERM after the grace period", async () => {
    const child = spawn(process.execPath, ["-e", "process.on('SIGTERM', () => {}); console.log('ready'); setInterval(() => {}, 1000)"], { stdio: ["ignore", "pipe", "ignore"] });
    await once(child.stdout!, "data");
    await stopChild(child, 200);
    expect(child.signalCode).toBe("SIGKILL");
  }, 10_000);
});
