import { aanmelden, hartslag } from "../src/activities/relay-contact.js";
import { relayContactDeps } from "../src/activities/relay-contact-runtime.js";
import { endpoint, siteUrl } from "./access.js";
import { jsonResponse as json } from "./http-guards.js";

// The relay → cloud contact API (src/contracts/relay/contact.ts, docs/relay.md "Aanmelden" and
// "Gezondheid"): a school's relay registers with its one-time code and sends its heartbeat, signed
// with the school's relay key. No person is involved: functions/access.ts authenticates the relay.

endpoint("relayAanmelden", {
  methods: ["POST"],
  route: "relay/v1/aanmelden",
  toegang: "registratiecode",
  wat: "Relay aanmelden",
  handler: async (req, _context, access) => {
    const out = await aanmelden(relayContactDeps(), access.school, access.verzoek, siteUrl(req));
    return out.ok ? json(200, out.antwoord) : json(out.status, { fout: out.fout, melding: out.melding });
  },
});

endpoint("relayHartslag", {
  methods: ["POST"],
  route: "relay/v1/hartslag",
  toegang: "relay",
  wat: "Hartslag van de relay",
  handler: async (_req, _context, access) => {
    let body: unknown;
    try {
      body = JSON.parse(access.body.toString("utf8"));
    } catch {
      body = undefined;
    }
    const out = await hartslag(relayContactDeps(), access.school, access.sleutel, body);
    return out.ok ? json(200, out.antwoord) : json(out.status, { fout: out.fout, melding: out.melding });
  },
});
