import type { HttpRequest } from "@azure/functions";
import { CertificateClient } from "@azure/keyvault-certificates";
import { SecretClient } from "@azure/keyvault-secrets";
import { accessDeps } from "../src/activities/access-runtime.js";
import { channelConnectionOf, vaultOptionsOf } from "../src/activities/compose.js";
import {
  CertificaatUpload,
  certificaatImporteren,
  NieuweSchool,
  nieuweRegistratiecode,
  OnboardingRefusal,
  personCredential,
  relaySleutelVervangen,
  schoolAansluiten,
  schoolActiveren,
  schoolControleren,
  type OnboardingDeps,
} from "../src/activities/onboarding.js";
import { runtimeDeps } from "../src/activities/runtime.js";
import { config } from "../src/config.js";
import { endpoint, siteUrl } from "./access.js";
import { parse, readBody } from "./api.js";
import { jsonResponse as json } from "./http-guards.js";

// Onboarding a school (docs/onboarding.md), Beheerder only: add it with its aanleverpunten and relay
// channel, import its certificate, test relay and certificates, take it into the daily run.

/** The person's Key Vault token as App Service Authentication's token store passes it (docs/onboarding.md "Key Vault"). */
const TOKEN_HEADER = "x-ms-token-aad-access-token";

let deps: OnboardingDeps | undefined;
function onboardingDeps(): OnboardingDeps {
  if (deps) return deps;
  const cfg = config();
  const vaultOptions = vaultOptionsOf(cfg);
  const run = runtimeDeps();
  deps = {
    schools: run.schools,
    channelConnection: channelConnectionOf(cfg),
    asPerson: (token) => ({
      secrets: new SecretClient(cfg.KEY_VAULT_URL, personCredential(token), vaultOptions),
      certificates: new CertificateClient(cfg.KEY_VAULT_URL, personCredential(token), vaultOptions),
    }),
    relay: (ap) => run.relay(ap),
    certificates: run.certificates,
    now: () => new Date(),
  };
  return deps;
}

function personToken(req: HttpRequest): string | OnboardingRefusal {
  const token = req.headers.get(TOKEN_HEADER);
  return token && token.length < 16_384
    ? token
    : new OnboardingRefusal(403, "GEEN_KEY_VAULT_TOKEN", "Voor deze stap schrijft de pagina met uw eigen rechten in Key Vault, maar uw aanmelding geeft geen Key Vault-toestemming mee. Meld af en opnieuw aan.");
}

const refused = (e: unknown) => {
  if (e instanceof OnboardingRefusal) return json(e.status, { fout: e.fout, melding: e.melding });
  throw e;
};

endpoint("aansluitingen", {
  methods: ["GET"],
  route: "aansluitingen",
  toegang: "beheerder",
  wat: "Scholen ophalen",
  handler: async () => {
    const scholen = await runtimeDeps().schools.list();
    return json(200, {
      scholen: scholen.map((s) => ({
        id: s.id,
        naam: s.naam,
        brins: s.brins,
        aanleverpunten: s.aanleverpunten,
        dagelijkseSync: s.instellingen.dagelijkseSync,
        registratieGeldigTot: s.registratie?.geldigTot ?? null,
        registratieGebruiktOp: s.registratie?.gebruiktOp ?? null,
        registratieGebruiktDoor: s.registratie?.gebruiktDoor ?? null,
        nieuweSleutelInAfwachting: s.relay.nieuweSleutelSecret !== undefined,
      })),
    });
  },
});

endpoint("schoolAansluiten", {
  methods: ["POST"],
  route: "aansluitingen",
  toegang: "beheerder",
  wat: "School aansluiten",
  handler: async (req, _context, access) => {
    const input = parse(NieuweSchool, await readBody(req), "De nieuwe school klopt niet. Controleer de velden.");
    if (!input.ok) return input.response;
    const token = personToken(req);
    if (token instanceof OnboardingRefusal) return refused(token);
    try {
      const out = await schoolAansluiten(onboardingDeps(), input.value, { token, door: access.door });
      await accessDeps().audit("toegang", new Date(), { op: "AANSLUITING", door: access.door, wat: "school aangesloten", details: { school: out.school.id, aanleverpunten: out.school.aanleverpunten.map((a) => a.code).join(",") } });
      return json(201, {
        ...out,
        registratieOpdracht: registerCommand(req, out.registratiecode),
        melding: `School ${out.school.naam} is aangesloten. Geef de ICT van de school de opdracht om de relay aan te melden (de code is 24 uur geldig en werkt één keer); ze wordt niet opnieuw getoond.`,
      });
    } catch (e) {
      return refused(e);
    }
  },
});

/** The exact command school IT types on the relay's server. */
const registerCommand = (req: HttpRequest, code: string) => `bronsync-relay register --cloud ${siteUrl(req)} ${code}`;

endpoint("registratiecodeVernieuwen", {
  methods: ["POST"],
  route: "aansluitingen/{schoolId}/registratiecode",
  toegang: "beheerder",
  wat: "Nieuwe registratiecode maken",
  handler: async (req, _context, access) => {
    try {
      const out = await nieuweRegistratiecode(onboardingDeps(), req.params.schoolId ?? "", { door: access.door });
      await accessDeps().audit("toegang", new Date(), { op: "AANSLUITING", door: access.door, wat: "nieuwe registratiecode voor de relay", details: { school: req.params.schoolId ?? "" } });
      return json(200, { ...out, registratieOpdracht: registerCommand(req, out.registratiecode), melding: "Nieuwe registratiecode gemaakt: de vorige werkt niet meer. Geef de ICT van de school de opdracht; de code is 24 uur geldig en werkt één keer." });
    } catch (e) {
      return refused(e);
    }
  },
});

endpoint("relaySleutelVervangen", {
  methods: ["POST"],
  route: "aansluitingen/{schoolId}/relay-sleutel",
  toegang: "beheerder",
  wat: "Relay-sleutel vervangen",
  handler: async (req, _context, access) => {
    const token = personToken(req);
    if (token instanceof OnboardingRefusal) return refused(token);
    try {
      const out = await relaySleutelVervangen(onboardingDeps(), req.params.schoolId ?? "", { token, door: access.door });
      await accessDeps().audit("toegang", new Date(), { op: "AANSLUITING", door: access.door, wat: "nieuwe relay-sleutel klaargezet", details: { school: out.school.id, secret: out.secret } });
      return json(200, { nieuweSleutelInAfwachting: true, melding: `Nieuwe relay-sleutel klaargezet voor ${out.school.naam}. De relay haalt hem op bij zijn volgende hartslag en gebruikt hem daarna; tot dan blijft de huidige sleutel werken.` });
    } catch (e) {
      return refused(e);
    }
  },
});

endpoint("certificaatImporteren", {
  methods: ["POST"],
  route: "aansluitingen/{schoolId}/certificaat",
  toegang: "beheerder",
  wat: "Certificaat importeren",
  handler: async (req, _context, access) => {
    const input = parse(CertificaatUpload, await readBody(req), "Het certificaat klopt niet. Controleer de velden.");
    if (!input.ok) return input.response;
    const token = personToken(req);
    if (token instanceof OnboardingRefusal) return refused(token);
    try {
      const status = await certificaatImporteren(onboardingDeps(), req.params.schoolId ?? "", input.value, { token });
      await accessDeps().audit(input.value.aanleverpunt, new Date(), { op: "CERTIFICAAT", door: access.door, wat: "certificaat geïmporteerd", details: { school: req.params.schoolId ?? "", thumbprint: status.thumbprint } });
      return json(200, { certificaat: status });
    } catch (e) {
      return refused(e);
    }
  },
});

endpoint("aansluitingControleren", {
  methods: ["POST"],
  route: "aansluitingen/{schoolId}/controle",
  toegang: "beheerder",
  wat: "Aansluiting controleren",
  handler: async (req) => {
    try {
      return json(200, await schoolControleren(onboardingDeps(), req.params.schoolId ?? ""));
    } catch (e) {
      return refused(e);
    }
  },
});

endpoint("schoolActiveren", {
  methods: ["POST"],
  route: "aansluitingen/{schoolId}/activeren",
  toegang: "beheerder",
  wat: "School in de dagelijkse sync opnemen",
  handler: async (req, _context, access) => {
    try {
      const out = await schoolActiveren(onboardingDeps(), req.params.schoolId ?? "");
      await accessDeps().audit("toegang", new Date(), { op: "AANSLUITING", door: access.door, wat: "school in de dagelijkse sync", details: { school: out.school.id } });
      return json(200, { ...out, melding: `School ${out.school.naam} gaat mee in de dagelijkse sync.` });
    } catch (e) {
      return refused(e);
    }
  },
});
