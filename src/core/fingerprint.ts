/**
 * Cheap, stable fingerprints of the data behind a difference.
 *
 * Why: an ignored difference is asked again only when the data behind it change (domain.md), so the
 * fingerprint must change with every value involved and be the same on every run, machine and key
 * order. It is computed only for differences (never for whole records on the hot path), with two
 * independent 32-bit lanes (FNV-1a and a multiply-xorshift lane) giving 64 bits: collisions among a
 * few hundred thousand open differences are negligible (~1e-9).
 */

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const LANE_B_OFFSET = 0x9747b28c;
const LANE_B_MUL = 0x5bd1e995;

/** Separator and type tags, so that ["ab","c"] and ["a","bc"], null and "null" never hash alike. */
const SEP = 0x1f;
const TAG_NULL = 0x10;
const TAG_STRING = 0x11;
const TAG_NUMBER = 0x12;
const TAG_TRUE = 0x13;
const TAG_FALSE = 0x14;
const TAG_ARRAY = 0x15;
const TAG_OBJECT = 0x16;
const TAG_END = 0x17;

/** Accumulates values into a 64-bit fingerprint; `digest()` gives 16 lowercase hex characters. */
export class FingerprintBuilder {
  private a = FNV_OFFSET;
  private b = LANE_B_OFFSET;

  private code(c: number): void {
    this.a = Math.imul(this.a ^ c, FNV_PRIME);
    const b = Math.imul(this.b ^ c, LANE_B_MUL);
    this.b = b ^ (b >>> 15);
  }

  /** Adds one symbol (e.g. a known field, as a code ≥ 0x100 that ASCII text never starts with). */
  symbol(code: number): this {
    this.code(code);
    return this;
  }

  /** Adds a plain string followed by a separator. */
  text(s: string): this {
    for (let i = 0; i < s.length; i++) this.code(s.charCodeAt(i));
    this.code(SEP);
    return this;
  }

  /** Adds any JSON-like value; object keys are taken in sorted order so key order never matters. */
  value(v: unknown): this {
    if (v === null || v === undefined) this.code(TAG_NULL);
    else if (typeof v === "string") {
      this.code(TAG_STRING);
      this.text(v);
    } else if (typeof v === "number") {
      this.code(TAG_NUMBER);
      this.text(String(v));
    } else if (typeof v === "boolean") this.code(v ? TAG_TRUE : TAG_FALSE);
    else if (Array.isArray(v)) {
      this.code(TAG_ARRAY);
      for (const item of v) this.value(item);
      this.code(TAG_END);
    } else if (typeof v === "object") {
      this.code(TAG_OBJECT);
      const o = v as Record<string, unknown>;
      for (const k of Object.keys(o).sort()) {
        if (o[k] === undefined) continue;
        this.text(k);
        this.value(o[k]);
      }
      this.code(TAG_END);
    } else this.text(String(v));
    return this;
  }

  /** 16 hex characters: lane A then lane B, each zero-padded to 8. */
  digest(): string {
    return hex8(this.a) + hex8(this.b);
  }
}

const HEX_BYTE = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

function hex8(n: number): string {
  return HEX_BYTE[(n >>> 24) & 0xff]! + HEX_BYTE[(n >>> 16) & 0xff]! + HEX_BYTE[(n >>> 8) & 0xff]! + HEX_BYTE[n & 0xff]!;
}
