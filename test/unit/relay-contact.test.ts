import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { relayView } from "../../src/activities/admin-views.js";
import type { RelayHeartbeat } from "../../src/adapters/state/relay-status.js";
import { defaultRelayChannel, type School } from "../../src/adapters/state/schools.js";
import { AanmeldVerzoek, CONTACT_EXCLUDED_PATHS, contactRoutes, Hartslag, HartslagAntwoord, Registratiecode, RelayVersie } from "../../src/contracts/relay/contact.js";
import { loadRelayConfig } from "../../src/relay/relay-config.js";
import { compareVersie, isStil, MINIMUM_RELAY_VERSIE, relayAccepted, relayTooOldReason, STIL_ADVIES } from "../../src/core/relay-versie.js";

// The pure parts of the relay contact API (issue 13): versions, the code as typed, silence, and what the
// admin page says of a relay's health.

describe("relay versions", () => {
  it("compare by semver precedence", () => {
    const ordered = ["0.0.9", "0.1.0-rc.1", "0.1.0-rc.2", "0.1.0-rc.10", "0.1.0", "0.1.1", "0.2.0", "0.10.0", "1.0.0"];
    for (let i = 0; i < ordered.length - 1; i++) {
      expect(compareVersie(ordered[i]!, ordered[i + 1]!), `${ordered[i]} < ${ordered[i + 1]}`).toBeLessThan(0);
      expect(compareVersie(ordered[i + 1]!, ordered[i]!)).toBeGreaterThan(0);
    }
    expect(compareVersie("1.2.3", "1.2.3")).toBe(0);
    expect(compareVersie("1.0.0-alpha", "1.0.0-alpha.1")).toBeLessThan(0);
    expect(compareVersie("1.0.0-1", "1.0.0-alpha")).toBeLessThan(0);
  });

  it("accept the minimum and newer, refuse older with a Dutch reason that says what to do", () => {
    expect(relayAccepted(MINIMUM_RELAY_VERSIE)).toBe(true);
    expect(relayAccepted("99.0.0")).toBe(true);
    expect(relayAccepted("0.0.1", "0.1.0")).toBe(false);
    expect(relayTooOldReason("0.0.1", "0.1.0")).toBe('De relay op school is versie 0.0.1; BRON Sync Cloud vraagt ten minste versie 0.1.0. Werk de relay bij (docs/relay.md, "Bijwerken"): tot dan wordt er niets uitgewisseld.');
    expect(RelayVersie.safeParse("1.2").success).toBe(false);
    expect(RelayVersie.safeParse("1.2.3-rc.1").success).toBe(true);
  });
});

describe("the registration code as school IT types it", () => {
  it("ignores case, hyphens and spaces; refuses anything else", () => {
    expect(Registratiecode.parse("abcd-efgh-jkmn-pqrs")).toBe("ABCDEFGHJKMNPQRS");
    expect(Registratiecode.parse(" ABCD EFGH JKMN PQRS ")).toBe("ABCDEFGHJKMNPQRS");
    expect(Registratiecode.safeParse("ABCD-EFGH-JKMN-PQR").success).toBe(false); // 15
    expect(Registratiecode.safeParse("ABCD-EFGH-JKMN-PQR1").success).toBe(false); // 1 is not in the alphabet
    expect(Registratiecode.safeParse("ABCD-EFGH-JKMN-PQRO").success).toBe(false); // O neither
    expect(AanmeldVerzoek.safeParse({ code: "ABCD-EFGH-JKMN-PQRS", relayVersie: "0.1.0", hostnaam: "" }).success).toBe(false);
  });

  it("the heartbeat and its answer are strict where it matters", () => {
    expect(Hartslag.parse({ relayVersie: "0.1.0", apiVersie: "3", lvs2000Versie: null, database: { ok: false, melding: "x" } }).laatsteUpdate).toBeNull();
    expect(HartslagAntwoord.safeParse({ geaccepteerd: true, melding: null, minimumVersie: "0.1.0", update: null, nieuweSleutel: "kort", volgendeSeconden: 300 }).success).toBe(false);
  });
});

describe("the relay's settings for the cloud", () => {
  const base = { RELAY_SQL_USER: "u", RELAY_SQL_PASSWORD: "p", RELAY_HMAC_KEY: Buffer.alloc(32, 1).toString("base64"), RELAY_TRANSPORT: "local" };
  it("a cloud URL needs the school it speaks for; the heartbeat interval is bounded", () => {
    expect(() => loadRelayConfig({ ...base, RELAY_CLOUD_URL: "https://bronsync.example" })).toThrow(/RELAY_SCHOOL: required with RELAY_CLOUD_URL/);
    expect(loadRelayConfig({ ...base, RELAY_CLOUD_URL: "https://bronsync.example", RELAY_SCHOOL: "de-linde" })).toMatchObject({ RELAY_HEARTBEAT_SECONDS: 300, RELAY_SCHOOL: "de-linde" });
    expect(() => loadRelayConfig({ ...base, RELAY_HEARTBEAT_SECONDS: "5" })).toThrow(/RELAY_HEARTBEAT_SECONDS/);
    expect(loadRelayConfig(base).RELAY_CLOUD_URL).toBeUndefined(); // no cloud URL: no heartbeat (the local stack's demo relays)
  });
});

describe("the contact paths App Service Authentication lets through", () => {
  it("are the bicep's excludedPaths, and cover every contact route", () => {
    const bicep = readFileSync(join(import.meta.dirname, "..", "..", "infra", "modules", "functionapp.bicep"), "utf8");
    const block = /excludedPaths: \[([^\]]*)\]/.exec(bicep)?.[1] ?? "";
    expect([...block.matchAll(/'([^']+)'/g)].map((m) => m[1])).toEqual([...CONTACT_EXCLUDED_PATHS]);
    const covered = (path: string) => CONTACT_EXCLUDED_PATHS.some((p) => (p.endsWith("*") ? path.startsWith(p.slice(0, -1)) : path === p));
    for (const path of [contactRoutes.aanmelden, contactRoutes.hartslag, contactRoutes.release("1.2.3")]) expect(covered(path), path).toBe(true);
    expect(covered("/api/relay/v1/anders")).toBe(false);
  });
});

describe("a silent relay", () => {
  const now = new Date("2026-11-29T12:00:00Z");
  it("is one whose last heartbeat is more than three intervals old; one that never sent one is unknown", () => {
    expect(isStil(null, now)).toBeNull();
    expect(isStil("2026-11-29T11:50:00Z", now, 300)).toBe(false);
    expect(isStil("2026-11-29T11:44:59Z", now, 300)).toBe(true);
  });
});

describe("the relay's health on the admin page", () => {
  const now = new Date("2026-11-29T12:00:00Z");
  const school: School = { id: "de-linde", naam: "De Linde", brins: ["12AB"], aanleverpunten: [{ code: "12AB00", naam: "" }], relay: defaultRelayChannel("de-linde"), contact: { emails: [] }, instellingen: { dagelijkseSync: true } };
  const beat = (o: Partial<RelayHeartbeat> = {}): RelayHeartbeat => ({ op: "2026-11-29T11:58:00.000Z", relayVersie: "0.1.0", apiVersie: "3", lvs2000Versie: "2.10.0001", databaseOk: true, databaseMelding: null, hostnaam: "srv", geaccepteerd: true, laatsteUpdate: null, ...o });

  it("a healthy relay: reachable, its versions and last heartbeat, nothing to do", () => {
    const v = relayView(school, { laatsteContact: "2026-11-29T11:00:00.000Z", onbereikbaarSinds: null, fout: null }, beat(), now);
    expect(v).toMatchObject({ bereikbaar: true, relayVersie: "0.1.0", lvs2000Versie: "2.10.0001", laatsteHartslag: "2026-11-29T11:58:00.000Z", laatsteContact: "2026-11-29T11:58:00.000Z", teOud: false, stil: false, advies: null });
    expect(v.melding).toMatch(/^De relay van school De Linde is bereikbaar/);
  });

  it("a silent relay says since when and what school IT should check", () => {
    const v = relayView(school, { laatsteContact: "2026-11-29T09:00:00.000Z", onbereikbaarSinds: null, fout: null }, beat({ op: "2026-11-29T09:00:00.000Z" }), now);
    expect(v).toMatchObject({ stil: true, advies: STIL_ADVIES });
    expect(v.melding).toContain("stuurt sinds");
    expect(STIL_ADVIES).toMatch(/systemctl status bronsync-relay/);
  });

  it("a relay that is too old is shown as such, with what to do", () => {
    const v = relayView(school, undefined, beat({ relayVersie: "0.0.1", geaccepteerd: false }), now);
    expect(v).toMatchObject({ teOud: true, advies: expect.stringContaining("Werk de relay bij") });
    expect(v.melding).toContain("ten minste versie");
  });

  it("an unreachable relay with a heartbeat older than it keeps the unreachable reason first, and the advice", () => {
    const v = relayView(school, { laatsteContact: "2026-11-29T08:00:00.000Z", onbereikbaarSinds: "2026-11-29T08:30:00.000Z", fout: "RELAY_NOT_PICKED_UP" }, undefined, now);
    expect(v).toMatchObject({ bereikbaar: false, stil: null, advies: STIL_ADVIES });
    expect(v.melding).toMatch(/^De relay van school De Linde is niet bereikbaar sinds/);
  });

  it("never contacted: says so, no advice yet", () => {
    expect(relayView(school, undefined, undefined, now)).toMatchObject({ bereikbaar: null, advies: null, melding: "Nog geen contact gehad met de relay van school De Linde." });
  });
});
