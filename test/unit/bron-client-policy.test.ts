import { describe, expect, it } from "vitest";
import { ExternalRejection, MalformedResponseError, TransientError, ValidationError } from "../../src/adapters/bron/errors.js";
import { backoffMs, withRetry } from "../../src/adapters/bron/retry.js";
import { toBronError } from "../../src/adapters/bron/transport.js";
import { planDeliveries } from "../../src/adapters/bron/batches.js";
import { deliveryMessageId } from "../../src/contracts/bron/message-id.js";
import { sampleMutaties } from "../../emulators/bron/samples.js";

const policy = { attempts: 4, baseDelayMs: 100, maxDelayMs: 1000 };
const noSleep = async () => {};

describe("BRON retry policy", () => {
  it("retries transient errors until the attempt budget, then throws the last one", async () => {
    let calls = 0;
    await expect(withRetry(async () => { calls++; throw new TransientError("down"); }, policy, undefined, noSleep)).rejects.toBeInstanceOf(TransientError);
    expect(calls).toBe(4);
  });

  it.each([
    ["ValidationError", new ValidationError("bad")],
    ["ExternalRejection", new ExternalRejection("refused")],
    ["a programming error", new TypeError("bug")],
  ])("does not retry %s", async (_name, error) => {
    let calls = 0;
    await expect(withRetry(async () => { calls++; throw error; }, policy, undefined, noSleep)).rejects.toBe(error);
    expect(calls).toBe(1);
  });

  it("stops retrying as soon as an attempt succeeds (malformed responses are retryable)", async () => {
    let calls = 0;
    const seen: number[] = [];
    const r = await withRetry(async () => { if (++calls < 3) throw new MalformedResponseError("half"); return "ok"; }, policy, (_e, n) => seen.push(n), noSleep);
    expect(r).toBe("ok");
    expect(seen).toEqual([1, 2]);
  });

  it("backs off exponentially with jitter, capped", () => {
    for (let n = 1; n <= 8; n++) {
      const d = backoffMs(n, policy);
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThanOrEqual(Math.min(1000, 100 * 2 ** (n - 1)));
    }
  });

  it.each([
    [{ code: "ECONNRESET", message: "read ECONNRESET" }, TransientError],
    [{ code: "ECONNREFUSED", message: "connect ECONNREFUSED" }, TransientError],
    [{ message: "socket hang up" }, TransientError],
    [{ code: "ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED", message: "alert" }, ExternalRejection],
    [{ code: "UNABLE_TO_VERIFY_LEAF_SIGNATURE", message: "unable to verify the first certificate" }, ExternalRejection],
  ])("maps network error %o to %o", (raw, type) => {
    expect(toBronError(Object.assign(new Error(raw.message), raw))).toBeInstanceOf(type);
  });
});

describe("BRON delivery batches", () => {
  it("the same set of mutations, in any order, gives the same batches and so the same MessageIDs", () => {
    const ms = sampleMutaties().slice(0, 7);
    const a = planDeliveries(ms, 3);
    const b = planDeliveries([...ms].reverse(), 3);
    expect(a.map((x) => x.map((m) => m.mutatieId))).toEqual(b.map((x) => x.map((m) => m.mutatieId)));
    expect(a.map((x) => x.length)).toEqual([3, 3, 1]);
    expect(a.map((x) => deliveryMessageId("00AA00", x.map((m) => m.mutatieId)))).toEqual(b.map((x) => deliveryMessageId("00AA00", x.map((m) => m.mutatieId))));
  });
});
