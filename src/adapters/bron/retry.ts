import { BronError } from "./errors.js";

/**
 * Retries with exponential back-off and full jitter, on retryable (transient) errors only. Anything
 * else, including programming errors, fails at once. The caller's request (and so its MessageID)
 * is the same on every attempt.
 */
export interface RetryPolicy {
  /** total attempts including the first (default 4) */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 250, maxDelayMs: 5_000 };

export async function withRetry<T>(
  attempt: (n: number) => Promise<T>,
  policy: RetryPolicy,
  onRetry: (error: BronError, n: number) => void = () => {},
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (e) {
      if (!(e instanceof BronError) || !e.retryable || n >= policy.attempts) throw e;
      onRetry(e, n);
      await sleep(backoffMs(n, policy));
    }
  }
}

/** Delay before attempt n+1: random in [0, min(max, base·2^(n-1))]. */
export function backoffMs(n: number, policy: RetryPolicy): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (n - 1));
  return Math.round(Math.random() * cap);
}
