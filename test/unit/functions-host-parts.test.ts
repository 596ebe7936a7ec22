import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { resolveEntryFiles } from "../../emulators/functions-host/app-loader.js";
import type { RegisteredFunction } from "../../emulators/functions-host/core-api.js";
import { parseTimeSpan, resolveSetting } from "../../emulators/functions-host/host-config.js";
import { compileRoute, matchRoute, sortRoutes } from "../../emulators/functions-host/http-routes.js";
import { parseSchedule } from "../../emulators/functions-host/ncrontab.js";
import { queueMessages } from "../../emulators/functions-host/outputs.js";
import { retryDelayMs } from "../../emulators/functions-host/durable/shim.js";

describe("NCRONTAB schedules (6 fields, UTC)", () => {
  it.each([
    ["0 */5 * * * *", "2026-03-02T12:03:10Z", "2026-03-02T12:05:00.000Z"],
    ["0 0 5 * * *", "2026-03-02T05:00:00Z", "2026-03-03T05:00:00.000Z"],
    ["*/15 * * * * *", "2026-03-02T12:00:14Z", "2026-03-02T12:00:15.000Z"],
    ["0 30 9 * * Mon-Fri", "2026-03-06T10:00:00Z", "2026-03-09T09:30:00.000Z"],
    ["0 0 0 1 Jan *", "2026-03-02T00:00:00Z", "2027-01-01T00:00:00.000Z"],
    ["0 0 12 29 2 *", "2026-03-02T00:00:00Z", "2028-02-29T12:00:00.000Z"],
    ["00:00:10", "2026-03-02T00:00:00Z", "2026-03-02T00:00:10.000Z"],
  ])("%s after %s is %s", (expr, after, next) => {
    expect(parseSchedule(expr).next(new Date(after)).toISOString()).toBe(next);
  });

  it("refuses 5-field cron and out-of-range values", () => {
    expect(() => parseSchedule("*/5 * * * *")).toThrow(/6-field/);
    expect(() => parseSchedule("0 61 * * * *")).toThrow(/out of range/);
  });
});

describe("host.json values and settings", () => {
  it.each([
    ["00:00:02", 2000],
    ["00:00:00.250", 250],
    ["1.00:00:00", 86_400_000],
  ])("TimeSpan %s is %d ms", (text, ms) => expect(parseTimeSpan(text)).toBe(ms));

  it("resolves %SETTING% references and names a missing one", () => {
    expect(resolveSetting("%Q%-poison", { Q: "work" })).toBe("work-poison");
    expect(() => resolveSetting("%NOPE%", {})).toThrow(/NOPE/);
  });
});

describe("HTTP routes", () => {
  const fn = (name: string, route: string, methods = ["GET"]): RegisteredFunction => ({ name, metadata: { name, bindings: {} }, handler: () => undefined, triggerName: "t", trigger: { type: "httpTrigger", route, methods } });
  it("matches parameters, optional and catch-all segments and constraints", () => {
    expect(matchRoute(compileRoute(fn("a", "items/{id:int}")), ["items", "12"])).toEqual({ id: "12" });
    expect(matchRoute(compileRoute(fn("a", "items/{id:int}")), ["items", "x"])).toBeUndefined();
    expect(matchRoute(compileRoute(fn("a", "hello/{name?}")), ["hello"])).toEqual({});
    expect(matchRoute(compileRoute(fn("a", "files/{*path}")), ["files", "a", "b%20c"])).toEqual({ path: "a/b c" });
    expect(matchRoute(compileRoute(fn("a", "Items")), ["items"])).toEqual({});
  });
  it("prefers literal segments over parameters", () => {
    const routes = sortRoutes([compileRoute(fn("param", "items/{id}")), compileRoute(fn("literal", "items/new"))]);
    expect(routes.find((r) => matchRoute(r, ["items", "new"]))?.fn.name).toBe("literal");
  });
});

describe("app loading and bindings", () => {
  it("resolves package.json main globs the way the worker does", () => {
    const files = resolveEntryFiles(join(import.meta.dirname, "..", "host-app")).map((f) => f.split("/").slice(-2).join("/"));
    expect(files).toEqual(["functions/durable.js", "functions/http.js", "functions/queue-timer.js"]);
  });
  it("turns an array output into one queue message per element", () => {
    expect(queueMessages({ json: '[{"a":1},"two"]' })).toEqual(['{"a":1}', "two"]);
    expect(queueMessages({ string: "plain" })).toEqual(["plain"]);
  });
  it("retry delays grow by the backoff coefficient and stop at the maximum", () => {
    const o = { firstRetryIntervalInMilliseconds: 1000, maxNumberOfAttempts: 5, backoffCoefficient: 2, maxRetryIntervalInMilliseconds: 5000 };
    expect([1, 2, 3, 4].map((n) => retryDelayMs(o, n))).toEqual([1000, 2000, 4000, 5000]);
  });
});
