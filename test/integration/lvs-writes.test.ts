import { BlobServiceClient } from "@azure/storage-blob";
import { TYPES } from "tedious";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { SyncDeps } from "../../src/activities/deps.js";
import { writeToLvs } from "../../src/activities/lvs-writes.js";
import { createStateStore } from "../../src/adapters/state/state-store.js";
import { tablesFromConnectionString } from "../../src/adapters/state/tables.js";
import type { LvsWrite } from "../../src/core/model.js";
import { startRelayFixture, type RelayFixture } from "./relay-fixture.js";

// Writes to LVS2000 from the cloud side: outbox in Azurite, the real relay client and relay, tedious
// against the TDS test server (a wire-level fake, not SQL Server).

describe("writing to LVS2000 through the outbox", () => {
  let f: RelayFixture;
  let deps: SyncDeps;
  const AP = "12AB00";

  beforeAll(async () => {
    f = await startRelayFixture({ leerlingen: 30 });
    const cs = inject("azuriteConnectionString");
    const tables = tablesFromConnectionString(cs);
    deps = {
      state: createStateStore({ tables: (t) => tables(`lvswr${t}`), blobs: BlobServiceClient.fromConnectionString(cs).getContainerClient("lvswr") }),
      relay: () => f.client,
      schools: undefined as never, // the registry is not read here
      relayStatus: undefined as never,
      certificates: undefined as never, // not used when writing to LVS2000
      bron: () => {
        throw new Error("BRON is not used when writing to LVS2000");
      },
      snapshots: BlobServiceClient.fromConnectionString(cs).getContainerClient("lvswr-snap"),
      now: () => new Date(),
      maxOverzichtAgeDays: 28,
    };
  });
  afterAll(async () => {
    await f?.stop();
  });

  const auditRows = async (leerlingId: string) =>
    Number((await f.sql.query("SELECT COUNT(*) AS n FROM dbo.RelayAudit WHERE LeerlingNummer = @l", [{ name: "l", type: TYPES.NVarChar, value: leerlingId }])).rows[0]?.n);

  it("two writes to one pupil are chained on the row version; repeating the call writes nothing again", async () => {
    const pupil = (await f.client.snapshot(AP)).snapshot.leerlingen[0]!;
    const writes: LvsWrite[] = [
      { soort: "ONDERWIJS_SINDS", leerlingId: pupil.id, onderwijsSinds: "2019-08-01" },
      { soort: "NAAM_CORRECTIE", leerlingId: pupil.id, voornamen: pupil.voornamen, voorvoegsels: pupil.voorvoegsels, achternaam: `${pupil.achternaam}x`, geslacht: pupil.geslacht, geboortedatum: pupil.geboortedatum },
    ];
    const first = await writeToLvs(deps, AP, "2026-11-28", writes);
    expect(first).toMatchObject({ toegepast: 2, conflicten: [], onbekend: [] });
    const audited = await auditRows(pupil.id);
    // the activity is retried (say, it timed out after the writes): the same requests, answered from the relay's store
    const again = await writeToLvs(deps, AP, "2026-11-28", writes);
    expect(again).toMatchObject({ toegepast: 2, conflicten: [], onbekend: [] });
    expect(await auditRows(pupil.id)).toBe(audited);
    expect((await deps.state.loadOutbox(AP)).every((e) => e.resultaat === "TOEGEPAST")).toBe(true);
    // the next day the outbox starts empty
    await writeToLvs(deps, AP, "2026-11-29", []);
    expect(await deps.state.loadOutbox(AP)).toEqual([]);
  });

  it("a write planned before a crash is sent with the row version it was planned on, so a change made in LVS2000 meanwhile is a conflict, not overwritten", async () => {
    const pupil = (await f.client.snapshot(AP)).snapshot.leerlingen[1]!;
    const write: LvsWrite = { soort: "ONDERWIJS_SINDS", leerlingId: pupil.id, onderwijsSinds: "2018-08-01" };
    // planned (outbox) but the process died before sending
    const crashing: SyncDeps = { ...deps, relay: () => ({ ...f.client, write: () => Promise.reject(new Error("crash before sending")) }) };
    await expect(writeToLvs(crashing, AP, "2026-11-28", [write])).rejects.toThrow("crash before sending");
    // meanwhile someone edits the pupil in LVS2000
    await f.client.write({ requestId: `manual-edit-${pupil.id}`, rowVersion: pupil.rowVersion!, write: { soort: "ONDERWIJS_SINDS", leerlingId: pupil.id, onderwijsSinds: "2017-08-01" } });
    const retried = await writeToLvs(deps, AP, "2026-11-28", [write]);
    expect(retried.conflicten).toEqual([pupil.id]);
    expect((await f.client.snapshot(AP)).snapshot.leerlingen.find((l) => l.id === pupil.id)?.onderwijsSinds).toBe("2017-08-01");
  });

  it("a write based on the row version a person saw: a row changed since is a conflict, never overwritten; asked again on the row as it is now it is a new request and applied", async () => {
    const seen = (await f.client.snapshot(AP)).snapshot.leerlingen[2]!;
    const write: LvsWrite = { soort: "ONDERWIJS_SINDS", leerlingId: seen.id, onderwijsSinds: "2016-08-01" };
    // after the person looked, LVS2000 changed the pupil (another field)
    const edit = await f.client.write({ requestId: `manual-edit-${seen.id}`, rowVersion: seen.rowVersion!, write: { soort: "SET_PGN", leerlingId: seen.id, pgn: seen.pgn ?? { soort: "ONDERWIJSNUMMER", nummer: "100000009" } } });
    expect(edit.status).toBe("TOEGEPAST");
    const refused = await writeToLvs(deps, AP, "2026-11-28", [write], { basis: new Map([[seen.id, seen.rowVersion!]]) });
    expect(refused).toMatchObject({ toegepast: 0, conflicten: [seen.id] });
    const now = (await f.client.snapshot(AP)).snapshot.leerlingen.find((l) => l.id === seen.id)!;
    expect(now.onderwijsSinds).toBe(seen.onderwijsSinds);
    // the person looks again and confirms the same value: based on the row as it is now, it goes through
    const applied = await writeToLvs(deps, AP, "2026-11-28", [write], { basis: new Map([[seen.id, now.rowVersion!]]) });
    expect(applied).toMatchObject({ toegepast: 1, conflicten: [] });
    expect((await f.client.snapshot(AP)).snapshot.leerlingen.find((l) => l.id === seen.id)?.onderwijsSinds).toBe("2016-08-01");
  });

  it("a write for a pupil LVS2000 does not know is reported, not sent", async () => {
    const outcome = await writeToLvs(deps, AP, "2026-11-28", [{ soort: "ONDERWIJS_SINDS", leerlingId: "bestaat-niet", onderwijsSinds: "2019-08-01" }]);
    expect(outcome).toMatchObject({ toegepast: 0, onbekend: ["bestaat-niet"] });
  });
});
