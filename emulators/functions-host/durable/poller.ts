/**
 * A polling loop with back-off: runs `step` again at once while it finds work, otherwise waits
 * minMs, doubling up to maxMs; `wake()` cuts the wait short. `stop()` waits for the current step.
 */
export class Poller {
  private running = false;
  private delay: number;
  private timer: NodeJS.Timeout | undefined;
  private wakeUp: (() => void) | undefined;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly step: () => Promise<boolean>,
    private readonly minMs: number,
    private readonly maxMs: number,
    private readonly onError: (err: unknown) => void,
  ) {
    this.delay = minMs;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  wake(): void {
    this.delay = this.minMs;
    this.wakeUp?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wakeUp?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      let found = false;
      try {
        found = await this.step();
      } catch (err) {
        this.onError(err);
      }
      if (!this.running) break;
      if (found) {
        this.delay = this.minMs;
        continue;
      }
      await new Promise<void>((resolve) => {
        this.wakeUp = resolve;
        this.timer = setTimeout(resolve, this.delay);
      });
      clearTimeout(this.timer);
      this.wakeUp = undefined;
      this.delay = Math.min(this.maxMs, this.delay * 2);
    }
  }
}
