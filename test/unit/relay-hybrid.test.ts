import { describe, expect, it } from "vitest";
import { relaySasToken } from "../../src/adapters/lvs/relay-token.js";
import { loadHycoHttps } from "../../src/relay/transports.js";

// hyco-https patches https.Server when loaded, so this lives in its own test file (own process).
describe("Azure Relay Hybrid Connection plumbing (no Azure here: only what runs offline)", () => {
  it("loads hyco-https's listener API from the CommonJS default export and builds the listen URI", async () => {
    const hyco = await loadHycoHttps();
    expect(typeof hyco.createRelayedServer).toBe("function");
    expect(hyco.createRelayListenUri("school.servicebus.windows.net", "lvs-12ab")).toBe("wss://school.servicebus.windows.net:443/$hc/lvs-12ab?sb-hc-action=listen");
  });

  it("makes the sender's SAS token exactly as hyco-https makes the listener's (same rule, same resource)", async () => {
    const hyco = await loadHycoHttps();
    const now = Date.now();
    const ours = relaySasToken("https://school.servicebus.windows.net/lvs-12ab", "send", "c2VjcmV0", now);
    const theirs = hyco.createRelayToken("https://school.servicebus.windows.net/lvs-12ab", "send", "c2VjcmV0");
    const strip = (t: string) => t.replace(/&se=\d+/, "").replace(/sig=[^&]+/, "");
    expect(strip(ours)).toBe(strip(theirs));
    expect(ours).toMatch(/^SharedAccessSignature sr=http%3A%2F%2Fschool\.servicebus\.windows\.net%2Flvs-12ab&sig=.+&se=\d+&skn=send$/);
  });
});
