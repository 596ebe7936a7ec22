import { XMLBuilder, XMLParser } from "fast-xml-parser";

/**
 * XML reading and writing for BRON messages. Safety rules (issue 4): no DOCTYPE (so no entity
 * definitions, no entity expansion), no entity processing at all, bounded nesting (checked while
 * decoding; the parser's own maxNestedTags halves its speed), and the callers' size limits. Values are kept
 * as strings (leading zeros matter in BSN, codes and land codes); callers convert.
 */
export class XmlSyntaxError extends Error {
  override readonly name = "XmlSyntaxError";
}

const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  processEntities: false,
  htmlEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  trimValues: true,
});

/** Deeper than any contract message; a deeper document is refused (nesting bombs). */
const MAX_DEPTH = 40;

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  suppressEmptyNode: false,
  format: false,
  processEntities: true,
});

/** A parsed XML node: element children by local name, text as string. */
export type XmlNode = { [name: string]: XmlValue };
export type XmlValue = string | XmlNode | XmlValue[];

const XML_ENTITIES: Record<string, string> = { "&lt;": "<", "&gt;": ">", "&amp;": "&", "&quot;": '"', "&apos;": "'" };

/**
 * Parses a BRON message. Rejects DOCTYPE outright (a DOCTYPE is how entity bombs and external
 * entities get in); the five predefined XML entities and numeric references are decoded by hand,
 * nothing else is expanded.
 */
export function parseXml(xml: string): XmlNode {
  if (/<!DOCTYPE/i.test(xml) || /<!ENTITY/i.test(xml)) throw new XmlSyntaxError("DOCTYPE/ENTITY is not allowed in BRON messages");
  let tree: unknown;
  try {
    tree = parser.parse(xml, true);
  } catch (e) {
    throw new XmlSyntaxError(`not well-formed XML: ${(e as Error).message}`);
  }
  if (!tree || typeof tree !== "object") throw new XmlSyntaxError("empty XML document");
  return decodeTree(tree as XmlNode, 0) as XmlNode;
}

function decodeTree(v: XmlValue, depth: number): XmlValue {
  if (typeof v === "string") return decodeText(v);
  if (depth > MAX_DEPTH) throw new XmlSyntaxError(`XML nested deeper than ${MAX_DEPTH} levels`);
  if (Array.isArray(v)) return v.map((x) => decodeTree(x, depth));
  const out: XmlNode = {};
  for (const k in v) out[k] = decodeTree(v[k]!, depth + 1);
  return out;
}

function decodeText(s: string): string {
  if (!s.includes("&")) return s;
  return s.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (m, name: string) => {
    if (name.startsWith("#x")) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith("#")) return String.fromCodePoint(parseInt(name.slice(1), 10));
    return XML_ENTITIES[m] ?? m;
  });
}

/** Writes an object tree (element names with prefixes, `@_` attributes) as an XML document. */
export function buildXml(tree: object): string {
  return `<?xml version="1.0" encoding="UTF-8"?>${builder.build(tree) as string}`;
}

// ---- reading helpers: a missing or wrongly shaped element is a XmlSyntaxError ----

/** The child element `name` of `node` as an element (object); throws when missing. */
export function child(node: XmlValue | undefined, name: string): XmlNode {
  const v = optChild(node, name);
  if (v === undefined) throw new XmlSyntaxError(`missing element ${name}`);
  return v;
}

/** The child element `name` as an element, or undefined. An empty element counts as an element. */
export function optChild(node: XmlValue | undefined, name: string): XmlNode | undefined {
  const v = asNode(node)[name];
  if (v === undefined) return undefined;
  if (Array.isArray(v)) throw new XmlSyntaxError(`element ${name} occurs more than once`);
  return typeof v === "string" ? {} : v;
}

/** All child elements `name` (0..n) as elements. */
export function children(node: XmlValue | undefined, name: string): XmlNode[] {
  const v = asNode(node)[name];
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).map((x) => (typeof x === "string" ? {} : asNode(x)));
}

/** Text of child `name`; throws when missing. */
export function text(node: XmlValue | undefined, name: string): string {
  const v = optText(node, name);
  if (v === null) throw new XmlSyntaxError(`missing element ${name}`);
  return v;
}

/** Text of child `name`, or null when absent. */
export function optText(node: XmlValue | undefined, name: string): string | null {
  const v = asNode(node)[name];
  if (v === undefined) return null;
  if (typeof v !== "string") throw new XmlSyntaxError(`element ${name} must hold text`);
  return v;
}

/** Texts of all children `name`. */
export function texts(node: XmlValue | undefined, name: string): string[] {
  const v = asNode(node)[name];
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).map((x) => {
    if (typeof x !== "string") throw new XmlSyntaxError(`element ${name} must hold text`);
    return x;
  });
}

function asNode(node: XmlValue | undefined): XmlNode {
  if (node === undefined || typeof node === "string") return {};
  if (Array.isArray(node)) throw new XmlSyntaxError("unexpected repeated element");
  return node;
}
