import { describe, expect, it } from "vitest";
import { createStaleAtCache } from "../../src/adapters/certificates/cache.js";
import { cacheUntil } from "../../src/adapters/certificates/provider.js";

const DAY = 86_400_000;
const HOUR = 3_600_000;

describe("how long a fetched certificate is used from the cache", () => {
  const fetchedAt = Date.UTC(2026, 0, 1);
  it("until the maximum cache age while expiry is far away", () => {
    expect(cacheUntil(new Date(fetchedAt + 300 * DAY), fetchedAt, 14 * DAY, HOUR)).toBe(fetchedAt + HOUR);
  });
  it("until the refresh window starts (notAfter − refresh days), when that comes first", () => {
    expect(cacheUntil(new Date(fetchedAt + 20 * DAY), fetchedAt, 14 * DAY, 30 * DAY)).toBe(fetchedAt + 6 * DAY);
  });
  it("inside the refresh window: at most 15 minutes, so an unrenewed certificate is rechecked but not on every send", () => {
    expect(cacheUntil(new Date(fetchedAt + 3 * DAY), fetchedAt, 14 * DAY, HOUR)).toBe(fetchedAt + 15 * 60_000);
    expect(cacheUntil(new Date(fetchedAt + 3 * DAY), fetchedAt, 14 * DAY, 5 * 60_000)).toBe(fetchedAt + 5 * 60_000);
  });
});

describe("stale-at cache with single flight", () => {
  it("shares one load between concurrent callers and serves it until stale", async () => {
    let now = 0;
    let loads = 0;
    const cache = createStaleAtCache<number>(() => 100, () => now);
    const load = async () => ++loads;
    expect(await Promise.all([cache.get("a", load), cache.get("a", load)])).toEqual([1, 1]);
    now = 99;
    expect(await cache.get("a", load)).toBe(1);
    now = 100;
    expect(await cache.get("a", load)).toBe(2);
  });

  it("does not cache a failed load", async () => {
    const cache = createStaleAtCache<number>(() => Number.MAX_SAFE_INTEGER, () => 0);
    await expect(cache.get("a", () => Promise.reject(new Error("nee")))).rejects.toThrow("nee");
    expect(await cache.get("a", async () => 7)).toBe(7);
  });

  it("forgets an entry on delete", async () => {
    const cache = createStaleAtCache<number>(() => Number.MAX_SAFE_INTEGER, () => 0);
    await cache.get("a", async () => 1);
    cache.delete("a");
    expect(await cache.get("a", async () => 2)).toBe(2);
  });
});
