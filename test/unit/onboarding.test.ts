import { describe, expect, it } from "vitest";
import { CertificaatUpload, codeSha256, NieuweSchool, registratiecode } from "../../src/activities/onboarding.js";

// Onboarding's own rules: the one-time registration code and what the page may send.

describe("onboarding input", () => {
  it("makes registration codes a person can type, kept only as a hash that ignores hyphens and case", () => {
    const codes = new Set(Array.from({ length: 200 }, registratiecode));
    expect(codes.size).toBe(200);
    for (const c of codes) expect(c).toMatch(/^[2-9A-HJKMNP-Z]{4}(-[2-9A-HJKMNP-Z]{4}){3}$/);
    const [c] = [...codes] as [string];
    expect(codeSha256(c)).toMatch(/^[0-9a-f]{64}$/);
    expect(codeSha256(c.toLowerCase().replaceAll("-", ""))).toBe(codeSha256(c));
  });

  it("refuses a school without aanleverpunten, a bad id or BRIN, and a certificate that is no base64", () => {
    const ok = { id: "obs-de-linde", naam: "OBS De Linde", brins: ["12AB"], aanleverpunten: [{ code: "12AB00" }] };
    expect(NieuweSchool.parse(ok)).toMatchObject({ aanleverpunten: [{ code: "12AB00", naam: "" }], contact: { emails: [] } });
    expect(NieuweSchool.safeParse({ ...ok, aanleverpunten: [] }).success).toBe(false);
    expect(NieuweSchool.safeParse({ ...ok, id: "OBS De Linde" }).success).toBe(false);
    expect(NieuweSchool.safeParse({ ...ok, brins: ["12ab"] }).success).toBe(false);
    expect(CertificaatUpload.safeParse({ aanleverpunt: "12AB00", pfx: "<script>".repeat(20) }).success).toBe(false);
    expect(CertificaatUpload.safeParse({ aanleverpunt: "12AB00", pfx: "A".repeat(200) }).success).toBe(true);
  });
});
