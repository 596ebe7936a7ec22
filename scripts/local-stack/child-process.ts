import type { ChildProcess } from "node:child_process";

/** True once the child has exited: by itself (exitCode) or by a signal (signalCode; exitCode stays null then). */
export function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/**
 * Stops a child process: SIGTERM, then SIGKILL after `graceMs`. Resolves once the child has exited,
 * at once when it already has (also when it was killed earlier: its "exit" event will not come again).
 */
export function stopChild(child: ChildProcess, graceMs = 5000): Promise<void> {
  return new Promise<void>((done) => {
    if (hasExited(child)) return done();
    child.once("exit", () => done());
    child.kill("SIGTERM");
    setTimeout(() => {
      if (!hasExited(child)) child.kill("SIGKILL");
    }, graceMs).unref();
  });
}

/** Fault injection (`kill -9`): SIGKILL, resolves once the child has exited. */
export function killChild(child: ChildProcess): Promise<void> {
  return new Promise<void>((done) => {
    if (hasExited(child)) return done();
    child.once("exit", () => done());
    child.kill("SIGKILL");
  });
}
