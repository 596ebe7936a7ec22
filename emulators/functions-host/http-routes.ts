import type { RegisteredFunction } from "./core-api.js";

interface Segment {
  literal?: string;
  param?: string;
  optional?: boolean;
  catchAll?: boolean;
  constraint?: string;
}

/** A compiled HTTP trigger route ("orders/{id:int}/{*rest}") with its methods. */
export interface HttpRoute {
  fn: RegisteredFunction;
  template: string;
  segments: Segment[];
  methods: string[];
  authLevel: "anonymous" | "function" | "admin";
}

const constraints: Record<string, RegExp> = {
  int: /^-?\d+$/,
  long: /^-?\d+$/,
  alpha: /^[a-z]+$/i,
  bool: /^(true|false)$/i,
  guid: /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i,
  double: /^-?\d+(\.\d+)?$/,
};

/** Parses an ASP.NET-style route template into segments. */
export function compileRoute(fn: RegisteredFunction): HttpRoute {
  const template = String(fn.trigger.route ?? fn.name).replace(/^\/+|\/+$/g, "");
  const segments = template
    .split("/")
    .filter(Boolean)
    .map((s): Segment => {
      const m = /^\{(\*)?([A-Za-z_][\w]*)(?::([a-z]+)(?:\([^)]*\))?)?(\?)?\}$/.exec(s);
      if (!m) return { literal: s.toLowerCase() };
      return { param: m[2] as string, catchAll: m[1] === "*", optional: m[4] === "?" || m[1] === "*", ...(m[3] ? { constraint: m[3] } : {}) };
    });
  const methods = ((fn.trigger.methods as string[] | undefined) ?? ["GET", "POST"]).map((m) => m.toUpperCase());
  const authLevel = (String(fn.trigger.authLevel ?? "anonymous").toLowerCase() as HttpRoute["authLevel"]) || "anonymous";
  return { fn, template, segments, methods, authLevel };
}

/** Decodes one path segment; broken percent-encoding is passed on as sent (as ASP.NET routing does). */
function decodeSegment(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/** Matches a path (below the route prefix) against a route; returns the route parameters or undefined. */
export function matchRoute(route: HttpRoute, path: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < route.segments.length; i++) {
    const seg = route.segments[i] as Segment;
    const part = path[i];
    if (seg.catchAll) {
      if (path.length > i) params[seg.param as string] = path.slice(i).map(decodeSegment).join("/");
      return params;
    }
    if (part === undefined) return seg.optional && route.segments.slice(i + 1).every((s) => s.optional) ? params : undefined;
    const value = decodeSegment(part);
    if (seg.literal !== undefined) {
      if (value.toLowerCase() !== seg.literal) return undefined;
    } else {
      const re = seg.constraint ? constraints[seg.constraint] : undefined;
      if (re && !re.test(value)) return undefined;
      params[seg.param as string] = value;
    }
  }
  return path.length === route.segments.length ? params : undefined;
}

/** Literal segments win over parameters, as in ASP.NET routing (most specific first). */
export function sortRoutes(routes: HttpRoute[]): HttpRoute[] {
  const score = (r: HttpRoute) => r.segments.map((s) => (s.literal !== undefined ? "0" : s.catchAll ? "3" : s.optional ? "2" : "1")).join("");
  return [...routes].sort((a, b) => score(a).localeCompare(score(b)));
}
