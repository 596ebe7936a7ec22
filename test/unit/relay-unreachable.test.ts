import { describe, expect, it } from "vitest";
import { describeFailure } from "../../src/activities/failures.js";
import { unreachableReason } from "../../src/adapters/lvs/relay-router.js";
import { RelayUnreachableError } from "../../src/errors.js";

describe("a school's relay that does not answer", () => {
  it("is explained in Dutch with the moment in Dutch time, for a relay that is gone and for one that hangs", () => {
    expect(unreachableReason("De Regenboog", "2026-11-29T04:01:00.000Z", "RELAY_NOT_PICKED_UP")).toBe(
      "De relay van school De Regenboog is niet bereikbaar sinds 29 november 2026 om 05:01: hij haalt geen verzoeken op. Controleer of de relay op school draait en uitgaand verbinding kan maken met Azure (HTTPS, poort 443).",
    );
    expect(unreachableReason("De Regenboog", "2026-07-01T10:30:00.000Z", "RELAY_TIMEOUT")).toMatch(/^De relay van school De Regenboog is niet bereikbaar sinds 1 juli 2026 om 12:30: hij nam een verzoek aan maar antwoordde niet op tijd\./);
  });

  it("ends that school's run at once with the reason (no retries that hold it up)", () => {
    const e = new RelayUnreachableError("De relay van school X is niet bereikbaar sinds …", "x", "2026-11-29T04:01:00.000Z");
    expect(describeFailure(e)).toEqual({ herstelbaar: false, code: "RELAY_ONBEREIKBAAR", reden: "De relay van school X is niet bereikbaar sinds …" });
  });
});
