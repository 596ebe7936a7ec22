import type { Outcome } from "./wire.js";

/**
 * How one answer to a hostile request is judged:
 * - geweigerd (refused cleanly): 4xx with a Dutch melding, no stack trace, no file paths;
 * - beantwoord (answered): 2xx/3xx (a harmless oddity the endpoint may simply serve), no stack or paths;
 * - onnet (refused, but not cleanly): a 4xx without a Dutch melding, or any answer showing a stack/paths;
 * - gecrasht (crashed): 5xx, no answer at all (reset, hang-up, timeout), or the process died.
 */
export type Verdict = "geweigerd" | "beantwoord" | "onnet" | "gecrasht";

const LEAK = /\n\s+at\s|\bat [\w.<>$]+ \(|[A-Za-z]:\\[\w\\]|\/(?:work|home|usr|tmp|app|src|dist|node_modules|opt|root|var)\/|\.(?:ts|js|mjs|cjs):\d+|\b(?:TypeError|ReferenceError|SyntaxError|RangeError)\b/;
const DUTCH = /\b(?:niet|geen|ongeldig|ongeldige|onbekend|onbekende|geweigerd|te groot|verzoek|gevonden|invoer|stuur|kies|komt|website|bericht|aanleverpunt|ondertekend|verwacht|actie|beslissing)\b/i;

/** The melding(en) in a JSON body, or the text of a plain body. */
export function meldingOf(o: Outcome): string | null {
  if (/json/i.test(o.contentType)) {
    try {
      const v = JSON.parse(o.body) as { melding?: unknown; meldingen?: unknown };
      if (typeof v.melding === "string") return v.melding;
      if (Array.isArray(v.meldingen) && v.meldingen.every((m) => typeof m === "string")) return v.meldingen.join(" ");
      return null;
    } catch {
      return null;
    }
  }
  if (/text\/plain/i.test(o.contentType) && o.body.trim() !== "") return o.body.trim();
  return null;
}

export function judge(o: Outcome): { verdict: Verdict; why: string } {
  if (o.status === null) return { verdict: "gecrasht", why: `geen antwoord (${o.error ?? "?"})` };
  if (o.status >= 500) return { verdict: "gecrasht", why: `HTTP ${o.status}` };
  if (LEAK.test(o.body)) return { verdict: "onnet", why: `HTTP ${o.status} met stacktrace of bestandspad` };
  if (o.status < 400) return { verdict: "beantwoord", why: `HTTP ${o.status}` };
  const melding = meldingOf(o);
  if (melding === null) return { verdict: "onnet", why: `HTTP ${o.status} zonder melding` };
  if (!DUTCH.test(melding)) return { verdict: "onnet", why: `HTTP ${o.status}, melding niet in het Nederlands: ${melding.slice(0, 80)}` };
  return { verdict: "geweigerd", why: `HTTP ${o.status}` };
}
