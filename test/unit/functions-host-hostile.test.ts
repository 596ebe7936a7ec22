import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RegisteredFunction } from "../../emulators/functions-host/core-api.js";
import { compileRoute, matchRoute } from "../../emulators/functions-host/http-routes.js";
import { startHttpServer } from "../../emulators/functions-host/http-server.js";

// The local Functions host's front door under hostile URLs: like the Azure front end, a route
// parameter that is not valid percent-encoding reaches the function as sent (the app refuses it in
// Dutch), and a request target that is no URL at all gets 400, not 500.

const fn = (name: string, route: string): RegisteredFunction => ({ name, metadata: { name, bindings: {} }, handler: () => undefined, triggerName: "t", trigger: { type: "httpTrigger", route, methods: ["GET"] } });

describe("route parameters with broken percent-encoding", () => {
  it("are passed on as sent instead of failing the match", () => {
    const route = compileRoute(fn("status", "aanleverpunten/{aanleverpunt}/status"));
    expect(matchRoute(route, ["aanleverpunten", "%zz", "status"])).toEqual({ aanleverpunt: "%zz" });
    expect(matchRoute(route, ["aanleverpunten", "%C3%28%FF", "status"])).toEqual({ aanleverpunt: "%C3%28%FF" });
    expect(matchRoute(compileRoute(fn("f", "beheer/{*rest}")), ["beheer", "a", "%E0%A4%A"])).toEqual({ rest: "a/%E0%A4%A" });
  });
});

describe("request targets that are no URL", () => {
  let server: Awaited<ReturnType<typeof startHttpServer>>;
  const errors: unknown[] = [];
  beforeAll(async () => {
    server = await startHttpServer(
      {
        routePrefix: "api", routes: [compileRoute(fn("status", "aanleverpunten/{aanleverpunt}/status"))], keys: {},
        invokeHttp: async () => ({ http: { statusCode: "200", body: { string: "ok" } } }),
        runNonHttp: async () => false, durableApi: async () => ({ status: 404 }), onError: (e: unknown) => errors.push(e),
      } as unknown as Parameters<typeof startHttpServer>[0],
      0,
    );
  });
  afterAll(async () => {
    await new Promise((r) => server.server.close(r));
  });

  const raw = (head: string) =>
    new Promise<string>((resolve) => {
      const s = connect(server.port, "127.0.0.1", () => s.end(head));
      let got = "";
      s.on("data", (c: Buffer) => (got += c.toString()));
      s.on("close", () => resolve(got));
      s.on("error", () => undefined);
    });

  it.each([
    ["an absolute URL with a broken host", "GET http://[/api/aanleverpunten/12AB00/status HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"],
    ["a broken Host header", "GET /api/aanleverpunten/12AB00/status HTTP/1.1\r\nHost: [::zz\r\nConnection: close\r\n\r\n"],
  ])("answers %s with 400", async (_what, head) => {
    expect(await raw(head)).toMatch(/^HTTP\/1\.1 400/);
  });

  it("passes a parameter with broken percent-encoding to the function", async () => {
    expect(await raw("GET /api/aanleverpunten/%zz/status HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")).toMatch(/^HTTP\/1\.1 200/);
  });
});
