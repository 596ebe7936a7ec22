import { describe, expect, it } from "vitest";
import { fnv1a, spreadStarts, startOffsetSeconds } from "../../src/core/spread.js";

// The daily run's start spreading: a fixed offset per aanleverpunt, well spread over the window.

const codes = (n: number) => Array.from({ length: n }, (_, i) => `${String(10 + (i % 90)).padStart(2, "0")}${String.fromCharCode(65 + ((i / 90) % 26 | 0))}${String.fromCharCode(65 + ((i / 2340) % 26 | 0))}${String(i % 100).padStart(2, "0")}`);

describe("start spreading", () => {
  it("gives each aanleverpunt the same offset every time, inside the window", () => {
    expect(fnv1a("")).toBe(0x811c9dc5);
    expect(fnv1a("a")).toBe(0xe40c292c); // the published FNV-1a 32 test vector
    for (const c of codes(500)) {
      const o = startOffsetSeconds(c, 600);
      expect(o).toBe(startOffsetSeconds(c, 600));
      expect(o).toBeGreaterThanOrEqual(0);
      expect(o).toBeLessThan(600);
    }
    expect(startOffsetSeconds("12AB00", 0)).toBe(0);
    expect(() => startOffsetSeconds("12AB00", -1)).toThrow(RangeError);
  });

  it("spreads the national run (7,000 aanleverpunten over 600 s): no second gets more than a few starts", () => {
    const all = [...new Set(codes(7000))];
    expect(all.length).toBe(7000);
    const plan = spreadStarts(all, 600);
    const perSecond = new Map<number, number>();
    for (const p of plan) perSecond.set(p.offsetSeconds, (perSecond.get(p.offsetSeconds) ?? 0) + 1);
    // ~11.7 per second on average; a uniform spread keeps the busiest second well under 3× that
    expect(Math.max(...perSecond.values())).toBeLessThan(35);
    // and every minute of the window is used
    const minutes = new Set(plan.map((p) => Math.floor(p.offsetSeconds / 60)));
    expect(minutes.size).toBe(10);
    expect(plan.map((p) => p.offsetSeconds)).toEqual([...plan.map((p) => p.offsetSeconds)].sort((a, b) => a - b));
  });
});
