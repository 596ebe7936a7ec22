import { HttpRequest } from "@azure/functions";
import { describe, expect, it } from "vitest";
import { refuseBadWrite } from "../../functions/http-guards.js";

// The admin API's write guards with the real @azure/functions request type (the same checks run on
// the local stack in test/e2e/hostile-input.test.ts).

const URL_ = "https://bronsync.example.nl/api/aanleverpunten/12AB00/acties/x/beslissing";
const write = (headers: Record<string, string>, body?: string, method = "POST") =>
  refuseBadWrite(new HttpRequest({ method, url: URL_, headers: { host: "bronsync.example.nl", ...headers }, ...(body === undefined ? {} : { body: { string: body } }) }));
const JSON_TYPE = { "content-type": "application/json" };

describe("cross-site writes", () => {
  it("refuses what Sec-Fetch-Site names as another site", () => {
    expect(write({ ...JSON_TYPE, "sec-fetch-site": "cross-site" })?.status).toBe(403);
    expect(write({ ...JSON_TYPE, "sec-fetch-site": "same-site" })?.status).toBe(403);
    expect(write({ ...JSON_TYPE, "sec-fetch-site": "same-origin" })).toBeUndefined();
  });

  it("without Sec-Fetch-Site, compares Origin with the request's host", () => {
    expect(write({ ...JSON_TYPE, origin: "https://evil.example" })).toMatchObject({ status: 403, jsonBody: { melding: expect.stringContaining("andere website") } });
    expect(write({ ...JSON_TYPE, origin: "null" })?.status).toBe(403);
    expect(write({ ...JSON_TYPE, origin: "https://bronsync.example.nl.evil.example" })?.status).toBe(403);
    expect(write({ ...JSON_TYPE, origin: "https://bronsync.example.nl" })).toBeUndefined();
    expect(write({ ...JSON_TYPE, origin: "https://bronsync.example.nl", host: "internal:7071", "x-forwarded-host": "bronsync.example.nl" })).toBeUndefined();
  });

  it("lets tools without Origin or Sec-Fetch-Site through (they carry no user's cookie)", () => {
    expect(write(JSON_TYPE, "{}")).toBeUndefined();
    expect(write({}, undefined)).toBeUndefined();
  });

  it("does not check reads", () => {
    expect(write({ "sec-fetch-site": "cross-site" }, undefined, "GET")).toBeUndefined();
  });
});

describe("writes carry JSON", () => {
  it("refuses a text/plain body with 415 and a Dutch melding, even when it is valid JSON", () => {
    const r = write({ "content-type": "text/plain", "content-length": "20" }, '{"keuze":"NEGEREN"}');
    expect(r).toMatchObject({ status: 415, jsonBody: { fout: "ONGELDIG_TYPE", melding: expect.stringContaining("JSON") } });
  });

  it("refuses form posts and a body without a type", () => {
    expect(write({ "content-type": "application/x-www-form-urlencoded", "content-length": "5" }, "a=b&c")?.status).toBe(415);
    expect(write({ "content-type": "multipart/form-data; boundary=x" }, "--x--")?.status).toBe(415);
    expect(write({ "content-length": "19" }, '{"keuze":"NEGEREN"}')?.status).toBe(415);
  });

  it("accepts application/json with parameters, and a write without a body", () => {
    expect(write({ "content-type": "Application/JSON; charset=utf-8" }, "{}")).toBeUndefined();
    expect(write({ "content-length": "0" }, undefined, "DELETE")).toBeUndefined();
  });
});
