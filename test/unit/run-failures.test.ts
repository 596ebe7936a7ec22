import { describe, expect, it } from "vitest";
import { CertificateUnavailableError, KeyVaultAccessError } from "../../src/adapters/certificates/errors.js";
import { describeFailure, failureOf, markedError, withFailureMarker } from "../../src/activities/failures.js";
import { ExternalRejection, TransientError, ValidationError } from "../../src/errors.js";
import { GENERAL_FAILURE, runStatusView } from "../../src/orchestrations/status-view.js";

// How activity failures reach the orchestration's retry policy and the admin: Dutch, classified,
// without stack traces or file paths.

/** The text Durable Functions gives the orchestration for a failed activity (Reason + Details, as the host records them). */
const asTaskFailure = (e: Error) => new Error(`Activity function 'ophalenTerugkoppeling' failed: ${e.message} \n ${e.stack ?? ""}`);

describe("activity failures are classified by whether retrying can heal them", () => {
  it("a missing certificate is not retried and keeps its Dutch message", () => {
    const e = new CertificateUnavailableError("missing", "99ZZ99", "bron-99ZZ99", "Er is geen certificaat voor aanleverpunt 99ZZ99 in Key Vault. Installeer het certificaat.");
    expect(describeFailure(e)).toEqual({ herstelbaar: false, code: "CERTIFICAAT_MISSING", reden: expect.stringContaining("geen certificaat") });
  });

  it("an aanleverpunt unknown to LVS2000 (relay 404) or refused by BRON is not retried", () => {
    expect(describeFailure(new ExternalRejection("Aanleverpunt onbekend in LVS2000", "NOT_FOUND"))).toMatchObject({ herstelbaar: false, reden: expect.stringContaining("onbekend in LVS2000") });
    expect(describeFailure(new ExternalRejection("Certificaat hoort bij een ander aanleverpunt", "AANLEVERPUNT_NIET_TOEGESTAAN"))).toMatchObject({ herstelbaar: false, reden: expect.stringContaining("BRON weigert") });
    expect(describeFailure(new ValidationError("aanleverenMutaties: mutaties.0.leerling: bad", "SCHEMA_ONGELDIG"))).toMatchObject({ herstelbaar: false, code: "SCHEMA_ONGELDIG" });
    expect(describeFailure(new KeyVaultAccessError(false, "12AB00", "Geen toegang tot Key Vault (HTTP 403)."))).toMatchObject({ herstelbaar: false });
  });

  it("network trouble, timeouts, 5xx and storage throttling are retried", () => {
    expect(describeFailure(new TransientError("connection to BRON failed: socket hang up", "ECONNRESET"))).toEqual({ herstelbaar: true, code: "ECONNRESET", reden: "BRON was tijdelijk niet bereikbaar (ECONNRESET)." });
    expect(describeFailure(new TransientError("relay did not answer in time", "ETIMEDOUT")).reden).toContain("LVS2000-relay");
    expect(describeFailure(new TransientError("LVS2000-database tijdelijk niet bereikbaar; probeer later opnieuw", "TRANSIENT")).reden).toBe("De LVS2000-relay was tijdelijk niet bereikbaar (TRANSIENT).");
    const throttled = Object.assign(new Error("busy"), { name: "RestError", statusCode: 503 });
    expect(describeFailure(throttled)).toMatchObject({ herstelbaar: true });
  });

  it("storage refusing a write (e.g. a row key too long, HTTP 400) is not retried", () => {
    const bad = Object.assign(new Error("The 'RowKey' parameter exceeds the maximum allowed length"), { name: "RestError", statusCode: 400 });
    expect(describeFailure(bad)).toMatchObject({ herstelbaar: false, code: "OPSLAG_HTTP_400" });
  });

  it("the classification survives the trip through the orchestration's failure text", async () => {
    const thrown = await withFailureMarker(async () => {
      throw new ExternalRejection("Aanleverpunt onbekend in LVS2000", "NOT_FOUND");
    })(undefined).catch((e: unknown) => e as Error);
    expect(thrown.message).not.toMatch(/at |\/work|\.ts/);
    expect(failureOf(asTaskFailure(thrown))).toMatchObject({ herstelbaar: false, code: "NOT_FOUND" });
    expect(failureOf(new Error("plain"))).toBeNull();
    expect(failureOf(markedError(new TypeError("x")))).toMatchObject({ herstelbaar: true, code: "TypeError" });
  });
});

describe("the status of a failed run", () => {
  const stack = "Error: Activity function 'actiesBepalen' failed: boom\n    at Object.handler (/work/app/dist/src/activities/determine.js:12:9)\n    at async invoke (/work/app/node_modules/x.js:1:1)";

  it("gives a Dutch reason, never the stack trace or file paths", () => {
    const v = runStatusView({ instanceId: "sync-12AB00", runtimeStatus: "Failed", output: stack, customStatus: { fase: "ACTIES_BEPALEN", ronde: 0 } });
    expect(JSON.stringify(v)).not.toMatch(/\/work|\.js:|at Object|node_modules/);
    expect(v.reden).toBe(GENERAL_FAILURE);
    expect(v.output).toEqual({ fase: "MISLUKT", reden: GENERAL_FAILURE });
  });

  it("gives the failing step's own Dutch reason when it left one", () => {
    const marked = markedError(new TransientError("BRON answered HTTP 503", "HTTP_503"));
    const v = runStatusView({ instanceId: "sync-12AB00", runtimeStatus: "Failed", output: `${asTaskFailure(marked).message}\n${stack}` });
    expect(v.reden).toBe("BRON was tijdelijk niet bereikbaar (HTTP_503).");
    expect(JSON.stringify(v)).not.toMatch(/\/work|\.js:/);
  });

  it("shows a refusal's reason from the run's status", () => {
    const v = runStatusView({ instanceId: "sync-99ZZ99", runtimeStatus: "Completed", customStatus: { fase: "GEWEIGERD", ronde: 0, reden: "Geen certificaat." }, output: { fase: "GEWEIGERD" } });
    expect(v.reden).toBe("Geen certificaat.");
  });
});
