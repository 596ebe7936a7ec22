import { describe, expect, it } from "vitest";
import { FeedbackMessage } from "../../src/core/model.js";
import { DUO_OIN } from "../../src/contracts/bron/constants.js";
import { buildFault, withOin } from "../../src/contracts/bron/envelope.js";
import { ExternalRejection, MalformedResponseError, TransientError, ValidationError } from "../../src/adapters/bron/errors.js";
import { deliveryMessageId } from "../../src/contracts/bron/message-id.js";
import { buildRequest, buildResponse, parseRequest, parseResponse } from "../../src/contracts/bron/codec.js";
import { sampleFeedback, sampleMutaties, SAMPLE_AANLEVERPUNT as AP } from "../../emulators/bron/samples.js";
import { validateAgainstXsd } from "../../emulators/bron/xsd.js";

const schoolOin = "00000007000" + "00AA" + "00000";
const req = { messageId: "urn:uuid:11111111-2222-5333-8444-555555555555", to: withOin("https://bron.test/bron", DUO_OIN), fromOin: schoolOin };
const FAULT_ACTION = "http://www.w3.org/2005/08/addressing/soap/fault";
const res = { messageId: "urn:uuid:21111111-2222-5333-8444-555555555555", to: withOin("http://www.w3.org/2005/08/addressing/anonymous", schoolOin), fromOin: DUO_OIN, relatesTo: req.messageId };
const now = "2026-11-28T16:00:00.000Z";

function everyMessage(): { name: string; xml: string }[] {
  const mutaties = sampleMutaties();
  return [
    ...mutaties.map((m) => ({ name: `request-${m.soort}`, xml: buildRequest("aanleverenMutaties", { aanleverpunt: AP, mutaties: [m] }, req) })),
    { name: "request-all-mutations", xml: buildRequest("aanleverenMutaties", { aanleverpunt: AP, mutaties }, req) },
    { name: "request-overzicht", xml: buildRequest("aanvragenRegistratieoverzicht", { aanleverpunt: AP, peildatum: "2026-11-28" }, req) },
    { name: "request-ophalen", xml: buildRequest("ophalenTerugkoppeling", { aanleverpunt: AP, maximumAantal: 100 }, req) },
    { name: "request-ophalen-nomax", xml: buildRequest("ophalenTerugkoppeling", { aanleverpunt: AP, maximumAantal: null }, req) },
    { name: "request-bevestigen", xml: buildRequest("bevestigenOntvangst", { aanleverpunt: AP, terugkoppelingIds: ["T-1", "T-2"] }, req) },
    { name: "response-aanleveren", xml: buildResponse("aanleverenMutaties", { aanleverpunt: AP, ontvangenOp: now, ontvangenMutatieIds: ["A-001"] }, res) },
    { name: "response-overzicht", xml: buildResponse("aanvragenRegistratieoverzicht", { aanleverpunt: AP, peildatum: "2026-11-28", ontvangenOp: now }, res) },
    ...sampleFeedback().map((f) => ({
      name: `response-ophalen-${f.soort}`,
      xml: buildResponse("ophalenTerugkoppeling", { aanleverpunt: AP, meerBeschikbaar: false, terugkoppelingen: [f] }, res),
    })),
    { name: "response-ophalen-empty", xml: buildResponse("ophalenTerugkoppeling", { aanleverpunt: AP, meerBeschikbaar: true, terugkoppelingen: [] }, res) },
    { name: "response-bevestigen", xml: buildResponse("bevestigenOntvangst", { aanleverpunt: AP, aantalBevestigd: 2 }, res) },
    { name: "fault-client", xml: buildFault({ ...res, action: FAULT_ACTION }, { faultcode: "Client", fout: { foutcode: "AANLEVERPUNT_NIET_TOEGESTAAN", omschrijving: "Certificaat hoort bij een ander aanleverpunt" } }) },
    { name: "fault-server", xml: buildFault(null, { faultcode: "Server", fout: { foutcode: "TIJDELIJK_NIET_BESCHIKBAAR", omschrijving: "Probeer het later opnieuw" } }) },
  ];
}

describe("BRON message contract (bron-berichten.xsd)", () => {
  it("every request, response, feedback kind and fault is valid against the XSD", async () => {
    const docs = everyMessage();
    const result = await validateAgainstXsd(docs);
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
    expect(docs.length).toBeGreaterThanOrEqual(21);
  });

  it("the XSD refuses a message off the contract (missing aanleverpunt, bad geslacht, wrong DUO address)", async () => {
    const good = buildRequest("aanleverenMutaties", { aanleverpunt: AP, mutaties: sampleMutaties().slice(0, 1) }, req);
    const cases = [
      good.replace(/<b:aanleverpunt>00AA00<\/b:aanleverpunt>/, ""),
      good.replace("<b:geslacht>M</b:geslacht>", "<b:geslacht>X</b:geslacht>"),
      good.replace(`oin=${DUO_OIN}`, "oin=123"),
    ];
    for (const [i, xml] of cases.entries()) {
      const r = await validateAgainstXsd([{ name: `bad-${i}`, xml }]);
      expect(r.valid, `case ${i}`).toBe(false);
    }
  });

  it("a delivery with every mutation kind round-trips build → parse unchanged", () => {
    const mutaties = sampleMutaties();
    const parsed = parseRequest(buildRequest("aanleverenMutaties", { aanleverpunt: AP, mutaties }, req));
    expect(parsed.op).toBe("aanleverenMutaties");
    expect(parsed.request).toEqual({ aanleverpunt: AP, mutaties });
    expect(parsed.addressing).toMatchObject({ messageId: req.messageId, fromOin: schoolOin });
  });

  it("every feedback kind round-trips into a zod-valid model FeedbackMessage", () => {
    const feedback = sampleFeedback();
    const xml = buildResponse("ophalenTerugkoppeling", { aanleverpunt: AP, meerBeschikbaar: false, terugkoppelingen: feedback }, res);
    const parsed = parseResponse("ophalenTerugkoppeling", xml, req.messageId);
    expect(parsed.terugkoppelingen).toEqual(feedback);
    expect(parsed.onleesbaar).toEqual([]);
    for (const f of parsed.terugkoppelingen) expect(FeedbackMessage.safeParse(f).success).toBe(true);
  });

  it("an unreadable feedback message is kept raw with its error, the others still parse", () => {
    const feedback = sampleFeedback().slice(0, 2);
    const xml = buildResponse("ophalenTerugkoppeling", { aanleverpunt: AP, meerBeschikbaar: false, terugkoppelingen: feedback, }, res)
      .replace("<b:geboortedatum>2014-03-09</b:geboortedatum>", "<b:geboortedatum>2014-02-30</b:geboortedatum>");
    const parsed = parseResponse("ophalenTerugkoppeling", xml);
    expect(parsed.terugkoppelingen.map((f) => f.id)).toEqual(["T-001"]);
    expect(parsed.onleesbaar).toHaveLength(1);
    expect(parsed.onleesbaar[0]!.id).toBe("T-002");
    expect(parsed.onleesbaar[0]!.raw).toContain("2014-02-30");
  });

  it("building refuses a mutation that breaks the contract (ValidationError, nothing sent)", () => {
    const [m] = sampleMutaties();
    const bad = { ...m!, leerling: { ...(m as { leerling: object }).leerling, geboortedatum: "2014-13-01" } };
    expect(() => buildRequest("aanleverenMutaties", { aanleverpunt: AP, mutaties: [bad as never] }, req)).toThrow(ValidationError);
  });

  it("a DOCTYPE (entity expansion) is refused, not expanded", () => {
    const bomb = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>` +
      `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><x>&lol2;</x></soap:Body></soap:Envelope>`;
    expect(() => parseResponse("bevestigenOntvangst", bomb)).toThrow(MalformedResponseError);
    expect(() => parseRequest(bomb)).toThrow(ValidationError);
  });

  it("text with markup characters survives escaping both ways", () => {
    const parsed = parseRequest(buildRequest("aanleverenMutaties", { aanleverpunt: AP, mutaties: sampleMutaties().slice(0, 1) }, req));
    expect((parsed.request as { mutaties: { leerling: { achternaam: string } }[] }).mutaties[0]!.leerling.achternaam).toBe("Berg & Zn <test>");
  });

  it.each([
    ["Server", "TIJDELIJK_NIET_BESCHIKBAAR", TransientError],
    ["Server", "INTERNE_FOUT", TransientError],
    ["Client", "SCHEMA_ONGELDIG", ValidationError],
    ["Client", "ADRESSERING_ONGELDIG", ValidationError],
    ["Client", "AANLEVERPUNT_NIET_TOEGESTAAN", ExternalRejection],
    ["Client", "CERTIFICAAT_ONGELDIG", ExternalRejection],
  ] as const)("a soap:%s fault with foutcode %s becomes %o", (faultcode, foutcode, type) => {
    const xml = buildFault({ ...res, action: FAULT_ACTION }, { faultcode, fout: { foutcode, omschrijving: "x" } });
    expect(() => parseResponse("aanleverenMutaties", xml)).toThrow(type);
  });

  it("a response that is not XML or not the expected element is a MalformedResponseError (retryable)", () => {
    expect(() => parseResponse("aanleverenMutaties", "<soap:Envelope><soap:Body><b:Aanleveren")).toThrow(MalformedResponseError);
    const other = buildResponse("bevestigenOntvangst", { aanleverpunt: AP, aantalBevestigd: 1 }, res);
    expect(() => parseResponse("aanleverenMutaties", other)).toThrow(MalformedResponseError);
    expect(new MalformedResponseError("x").retryable).toBe(true);
  });

  it("a delivery's MessageID depends only on its aanleverpunt and mutation ids (same batch → same id)", () => {
    const a = deliveryMessageId(AP, ["A-1", "A-2", "A-3"]);
    expect(deliveryMessageId(AP, ["A-3", "A-1", "A-2"])).toBe(a);
    expect(deliveryMessageId(AP, ["A-1", "A-2"])).not.toBe(a);
    expect(deliveryMessageId("00BB00", ["A-1", "A-2", "A-3"])).not.toBe(a);
    expect(a).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
