/**
 * DEV/TEST ONLY. The simulator's fault knobs (storingen). Rates (0..1) act at random; the
 * `…Volgende` counts act on exactly the next N requests, so tests stay deterministic.
 *  - fout: answer 503 + soap:Server fault before processing (nothing registered)
 *  - vertragingMs: wait before processing
 *  - verbreken: process and commit, then drop the connection without answering
 *  - onleesbaar: process and commit, then answer with a truncated (malformed) envelope
 */
import { z } from "zod";

const rate = z.number().min(0).max(1);
const count = z.number().int().min(0);

export const Storingen = z.object({
  foutkans: rate,
  vertragingMs: count,
  verbrekenKans: rate,
  onleesbaarKans: rate,
  foutVolgende: count,
  verbrekenVolgende: count,
  onleesbaarVolgende: count,
});
export type Storingen = z.infer<typeof Storingen>;

export const GEEN_STORINGEN: Storingen = { foutkans: 0, vertragingMs: 0, verbrekenKans: 0, onleesbaarKans: 0, foutVolgende: 0, verbrekenVolgende: 0, onleesbaarVolgende: 0 };

export type StoringSoort = "fout" | "verbreken" | "onleesbaar";

export class FaultKnobs {
  private state: Storingen = { ...GEEN_STORINGEN };

  set(partial: Partial<Storingen>): Storingen {
    this.state = Storingen.parse({ ...this.state, ...partial });
    return this.current();
  }

  current(): Storingen {
    return { ...this.state };
  }

  get vertragingMs(): number {
    return this.state.vertragingMs;
  }

  /** Whether this request gets fault `soort` (consumes one of the "next N" first). */
  take(soort: StoringSoort): boolean {
    const next = `${soort}Volgende` as const;
    if (this.state[next] > 0) {
      this.state[next]--;
      return true;
    }
    const kans = soort === "fout" ? this.state.foutkans : soort === "verbreken" ? this.state.verbrekenKans : this.state.onleesbaarKans;
    return kans > 0 && Math.random() < kans;
  }
}
