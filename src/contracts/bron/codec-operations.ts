import type { z } from "zod";
import type { Operation } from "./constants.js";
import {
  AanleverenMutatiesRequest,
  AanleverenMutatiesResponse,
  AanvragenRegistratieoverzichtRequest,
  AanvragenRegistratieoverzichtResponse,
  BevestigenOntvangstRequest,
  BevestigenOntvangstResponse,
  FeedbackMessage,
  OphalenTerugkoppelingRequest,
  OphalenTerugkoppelingResponse,
} from "./messages.js";
import { toBool, toInt } from "./codec-common.js";
import { feedbackFromXml, feedbackToXml } from "./codec-feedback.js";
import { mutatieFromXml, mutatieToXml } from "./codec-mutaties.js";
import { buildXml, children, optText, text, texts, type XmlNode } from "./xml.js";
import { qualify } from "./envelope.js";

/**
 * Request and response bodies of the four operations: element names, zod schemas, and the mapping
 * to and from XML. Client and simulator both use these, and the tests check both directions
 * against the XSD, so the two ends cannot drift apart silently.
 */
export interface Requests {
  aanleverenMutaties: AanleverenMutatiesRequest;
  aanvragenRegistratieoverzicht: AanvragenRegistratieoverzichtRequest;
  ophalenTerugkoppeling: OphalenTerugkoppelingRequest;
  bevestigenOntvangst: BevestigenOntvangstRequest;
}

/** A feedback message that arrived but could not be read: kept with its error, never dropped. */
export interface OnleesbareTerugkoppeling {
  id: string | null;
  fout: string;
  /** the terugkoppeling element re-serialised as XML */
  raw: string;
}

export interface Responses {
  aanleverenMutaties: AanleverenMutatiesResponse;
  aanvragenRegistratieoverzicht: AanvragenRegistratieoverzichtResponse;
  ophalenTerugkoppeling: OphalenTerugkoppelingResponse & { onleesbaar: OnleesbareTerugkoppeling[] };
  bevestigenOntvangst: BevestigenOntvangstResponse;
}

interface OperationCodec<Op extends Operation> {
  requestElement: string;
  responseElement: string;
  requestSchema: z.ZodType<Requests[Op]>;
  responseSchema: z.ZodType<Omit<Responses[Op], "onleesbaar">>;
  requestToXml(r: Requests[Op]): object;
  requestFromXml(n: XmlNode): unknown;
  responseToXml(r: Omit<Responses[Op], "onleesbaar">): object;
  responseFromXml(n: XmlNode): Responses[Op] | unknown;
}

const aanleverenMutaties: OperationCodec<"aanleverenMutaties"> = {
  requestElement: "AanleverenMutatiesRequest",
  responseElement: "AanleverenMutatiesResponse",
  requestSchema: AanleverenMutatiesRequest,
  responseSchema: AanleverenMutatiesResponse,
  requestToXml: (r) => ({ aanleverpunt: r.aanleverpunt, mutatie: r.mutaties.map(mutatieToXml) }),
  requestFromXml: (n) => ({ aanleverpunt: text(n, "aanleverpunt"), mutaties: children(n, "mutatie").map(mutatieFromXml) }),
  responseToXml: (r) => ({ aanleverpunt: r.aanleverpunt, ontvangenOp: r.ontvangenOp, ontvangenMutatieId: r.ontvangenMutatieIds }),
  responseFromXml: (n) => ({ aanleverpunt: text(n, "aanleverpunt"), ontvangenOp: text(n, "ontvangenOp"), ontvangenMutatieIds: texts(n, "ontvangenMutatieId") }),
};

const aanvragenRegistratieoverzicht: OperationCodec<"aanvragenRegistratieoverzicht"> = {
  requestElement: "AanvragenRegistratieoverzichtRequest",
  responseElement: "AanvragenRegistratieoverzichtResponse",
  requestSchema: AanvragenRegistratieoverzichtRequest,
  responseSchema: AanvragenRegistratieoverzichtResponse,
  requestToXml: (r) => ({ aanleverpunt: r.aanleverpunt, peildatum: r.peildatum }),
  requestFromXml: (n) => ({ aanleverpunt: text(n, "aanleverpunt"), peildatum: text(n, "peildatum") }),
  responseToXml: (r) => ({ aanleverpunt: r.aanleverpunt, peildatum: r.peildatum, ontvangenOp: r.ontvangenOp }),
  responseFromXml: (n) => ({ aanleverpunt: text(n, "aanleverpunt"), peildatum: text(n, "peildatum"), ontvangenOp: text(n, "ontvangenOp") }),
};

const ophalenTerugkoppeling: OperationCodec<"ophalenTerugkoppeling"> = {
  requestElement: "OphalenTerugkoppelingRequest",
  responseElement: "OphalenTerugkoppelingResponse",
  requestSchema: OphalenTerugkoppelingRequest,
  responseSchema: OphalenTerugkoppelingResponse,
  requestToXml: (r) => ({ aanleverpunt: r.aanleverpunt, maximumAantal: r.maximumAantal ?? undefined }),
  requestFromXml: (n) => {
    const max = optText(n, "maximumAantal");
    return { aanleverpunt: text(n, "aanleverpunt"), maximumAantal: max === null ? null : toInt(max, "maximumAantal") };
  },
  responseToXml: (r) => ({ aanleverpunt: r.aanleverpunt, meerBeschikbaar: r.meerBeschikbaar, terugkoppeling: r.terugkoppelingen.map(feedbackToXml) }),
  responseFromXml: (n) => {
    const aanleverpunt = text(n, "aanleverpunt");
    const terugkoppelingen: FeedbackMessage[] = [];
    const onleesbaar: OnleesbareTerugkoppeling[] = [];
    for (const t of children(n, "terugkoppeling")) {
      const read = readFeedback(t, aanleverpunt);
      if ("message" in read) terugkoppelingen.push(read.message);
      else onleesbaar.push(read);
    }
    return { aanleverpunt, meerBeschikbaar: toBool(text(n, "meerBeschikbaar")), terugkoppelingen, onleesbaar };
  },
};

/** One feedback message: parsed and zod-validated, or kept raw with the reason it could not be read. */
function readFeedback(node: XmlNode, aanleverpunt: string): { message: FeedbackMessage } | OnleesbareTerugkoppeling {
  const id = optTextSafe(node, "terugkoppelingId");
  try {
    const parsed = FeedbackMessage.safeParse(feedbackFromXml(node, aanleverpunt));
    if (parsed.success) return { message: parsed.data };
    return { id, fout: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "), raw: rawXml(node) };
  } catch (e) {
    return { id, fout: (e as Error).message, raw: rawXml(node) };
  }
}

function optTextSafe(node: XmlNode, name: string): string | null {
  try {
    return optText(node, name);
  } catch {
    return null;
  }
}

function rawXml(node: XmlNode): string {
  return buildXml({ "b:terugkoppeling": qualify(node) }).replace(/^<\?xml[^>]*\?>/, "");
}

const bevestigenOntvangst: OperationCodec<"bevestigenOntvangst"> = {
  requestElement: "BevestigenOntvangstRequest",
  responseElement: "BevestigenOntvangstResponse",
  requestSchema: BevestigenOntvangstRequest,
  responseSchema: BevestigenOntvangstResponse,
  requestToXml: (r) => ({ aanleverpunt: r.aanleverpunt, terugkoppelingId: r.terugkoppelingIds }),
  requestFromXml: (n) => ({ aanleverpunt: text(n, "aanleverpunt"), terugkoppelingIds: texts(n, "terugkoppelingId") }),
  responseToXml: (r) => ({ aanleverpunt: r.aanleverpunt, aantalBevestigd: r.aantalBevestigd }),
  responseFromXml: (n) => ({ aanleverpunt: text(n, "aanleverpunt"), aantalBevestigd: toInt(text(n, "aantalBevestigd"), "aantalBevestigd") }),
};

export const CODECS: { [Op in Operation]: OperationCodec<Op> } = {
  aanleverenMutaties,
  aanvragenRegistratieoverzicht,
  ophalenTerugkoppeling,
  bevestigenOntvangst,
};

/** The operation whose request element is `name`, or undefined. */
export function operationOfRequest(name: string): Operation | undefined {
  return (Object.keys(CODECS) as Operation[]).find((op) => CODECS[op].requestElement === name);
}

