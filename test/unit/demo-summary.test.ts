import { describe, expect, it } from "vitest";
import { generateDemoData } from "../../scripts/demo-data/generate.js";
import { startSummary } from "../../scripts/demo-summary.js";

describe("npm start (for now): demo data → acties bepalen → controleren per aanleverpunt", () => {
  it("summarises, per aanleverpunt, the actions per soort and the afkeur/attentie counts", () => {
    const data = generateDemoData({ seed: 1, leerlingen: 300, today: "2026-11-28" });
    const text = startSummary(data).join("\n");
    for (const ap of data.aanleverpunten) expect(text).toContain(`Aanleverpunt ${ap.code}`);
    expect(text).not.toContain("geweigerd");
    expect(text).toMatch(/Nieuwe melding inschrijving: \d+ \(\d+ automatisch\)/);
    expect(text.match(/Controleren: \d+ afkeur, \d+ attentie/g)).toHaveLength(4);
  });
});
