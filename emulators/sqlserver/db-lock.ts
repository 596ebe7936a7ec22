/** A lock wait that ended because the request was cancelled or the connection closed. */
export class Cancelled extends Error {}

/**
 * One SQLite connection serves every TDS session, so requests take turns: a request holds the lock while
 * it runs, and a session with an open transaction keeps it until COMMIT/ROLLBACK (or disconnect). Other
 * sessions wait, as they would on SQL Server's locks; there is no lock timeout or deadlock detection.
 */
export class DbLock {
  private owner: object | null = null;
  private waiters: Array<{ who: object; resolve: () => void; reject: (e: Error) => void }> = [];

  holds(who: object): boolean {
    return this.owner === who;
  }

  async acquire(who: object): Promise<void> {
    if (this.owner === null || this.owner === who) {
      this.owner = who;
      return;
    }
    await new Promise<void>((resolve, reject) => this.waiters.push({ who, resolve, reject }));
  }

  /** Stops waiting (the request was cancelled). */
  abandon(who: object, reason: Error): void {
    const i = this.waiters.findIndex((w) => w.who === who);
    if (i >= 0) this.waiters.splice(i, 1)[0]?.reject(reason);
  }

  release(who: object): void {
    if (this.owner !== who) return;
    this.owner = null;
    const next = this.waiters.shift();
    if (next) {
      this.owner = next.who;
      next.resolve();
    }
  }
}
