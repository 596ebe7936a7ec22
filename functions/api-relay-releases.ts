import { relayReleases } from "../src/activities/relay-releases-runtime.js";
import { endpoint } from "./access.js";
import { jsonResponse as json } from "./http-guards.js";

// A relay downloads the release its heartbeat offered (docs/relay.md "Update"): the one-file bundle,
// signed like the heartbeat with the school's relay key (toegang "relay"). Only a release whose manifest
// is correctly signed is served; the relay checks size, SHA-256 and signature again before it swaps.

endpoint("relayRelease", {
  methods: ["GET"],
  route: "relay/v1/releases/{versie}",
  toegang: "relay",
  wat: "Relay-update downloaden",
  handler: async (req) => {
    const versie = req.params.versie ?? "";
    const found = await relayReleases().get(versie);
    if (!found) return json(404, { fout: "ONBEKENDE_VERSIE", melding: `Relay-versie ${versie.slice(0, 40)} is niet (ondertekend) gepubliceerd.` });
    return {
      status: 200,
      body: found.bundle,
      headers: {
        "Content-Type": "text/javascript; charset=utf-8",
        "Content-Length": String(found.bundle.length),
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
        "x-release-sha256": found.manifest.sha256,
      },
    };
  },
});
