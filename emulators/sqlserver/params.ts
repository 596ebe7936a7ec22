import type { ByteReader } from "./bytes.js";
import { DAYS_1900_TO_UNIX, DAYS_TO_UNIX_EPOCH, formatDate, formatDateTime } from "./datetime.js";
import { SqlError } from "./sql-error.js";

/** What SQLite can bind. */
export type SqliteValue = number | bigint | string | Buffer | null;

export interface RpcParam {
  /** name without the leading "@" ("" when positional) */
  name: string;
  output: boolean;
  value: SqliteValue;
}

const windows1252 = new TextDecoder("windows-1252");

function readPlp(r: ByteReader): Buffer | null {
  const total = r.u64();
  if (total === 0xffffffffffffffffn) return null;
  const chunks: Buffer[] = [];
  for (;;) {
    const n = r.u32();
    if (n === 0) break;
    chunks.push(r.bytes(n));
  }
  return Buffer.concat(chunks);
}

/** USHORTLEN or PLP value of a variable-length type; null for NULL. */
function readVarLen(r: ByteReader, maxLength: number): Buffer | null {
  if (maxLength === 0xffff) return readPlp(r);
  const n = r.u16();
  return n === 0xffff ? null : r.bytes(n);
}

function readGuid(b: Buffer): string {
  const hex = Buffer.concat([Buffer.from(b.subarray(0, 4)).reverse(), Buffer.from(b.subarray(4, 6)).reverse(), Buffer.from(b.subarray(6, 8)).reverse(), b.subarray(8, 16)]).toString("hex").toUpperCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function readNumeric(r: ByteReader, scale: number): number | null {
  const len = r.u8();
  if (len === 0) return null;
  const sign = r.u8() === 1 ? 1 : -1;
  let mag = 0n;
  for (let i = 0; i < len - 1; i++) mag |= BigInt(r.u8()) << BigInt(8 * i);
  return (sign * Number(mag)) / 10 ** scale;
}

function readInt(r: ByteReader): number | bigint | null {
  const len = r.u8();
  switch (len) {
    case 0: return null;
    case 1: return r.u8();
    case 2: return r.buf.readInt16LE((r.pos += 2) - 2);
    case 4: return r.i32();
    case 8: {
      const v = r.i64();
      return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
    }
    default: throw new SqlError(8016, `Unsupported INTN length ${len}`);
  }
}

/**
 * Reads one RPC parameter value (TYPE_INFO then data, MS-TDS 2.2.6.6) and converts it to how this server
 * stores it in SQLite: DATE as "YYYY-MM-DD", DATETIME2 as "YYYY-MM-DD HH:MM:SS.fffffff" (UTC, as tedious
 * sends with useUTC), BIT as 0/1, UNIQUEIDENTIFIER as upper-case text, strings as text, binaries as blobs.
 */
export function readParamValue(r: ByteReader): SqliteValue {
  const type = r.u8();
  switch (type) {
    case 0x26: r.u8(); return readInt(r);
    case 0x68: { r.u8(); const len = r.u8(); return len === 0 ? null : r.u8() ? 1 : 0; }
    case 0x6d: { r.u8(); const len = r.u8(); return len === 0 ? null : len === 4 ? r.f32() : r.f64(); }
    case 0x6a: case 0x6c: { r.u8(); r.u8(); const scale = r.u8(); return readNumeric(r, scale); }
    case 0x6e: {
      r.u8();
      const len = r.u8();
      if (len === 0) return null;
      if (len === 4) return r.i32() / 10_000;
      const high = r.i32();
      return (high * 0x100000000 + r.u32()) / 10_000;
    }
    case 0x28: { const len = r.u8(); return len === 0 ? null : formatDate(r.uintN(3) - DAYS_TO_UNIX_EPOCH); }
    case 0x29: case 0x2a: case 0x2b: return readTimeFamily(r, type);
    case 0x6f: {
      r.u8();
      const len = r.u8();
      if (len === 0) return null;
      if (len === 4) { const days = r.u16(); const minutes = r.u16(); return formatDateTime(days - DAYS_1900_TO_UNIX, minutes * 600_000_000, 3); }
      const days = r.i32();
      const t300 = r.u32();
      return formatDateTime(days - DAYS_1900_TO_UNIX, Math.round((t300 * 10) / 3) * 10_000, 3);
    }
    case 0x24: { r.u8(); const len = r.u8(); return len === 0 ? null : readGuid(r.bytes(16)); }
    case 0xe7: case 0xef: case 0xa7: case 0xaf: {
      const max = r.u16();
      r.bytes(5);
      const data = readVarLen(r, max);
      if (data === null) return null;
      return type === 0xe7 || type === 0xef ? data.toString("utf16le") : windows1252.decode(data);
    }
    case 0xa5: case 0xad: { const max = r.u16(); const data = readVarLen(r, max); return data === null ? null : Buffer.from(data); }
    default:
      throw new SqlError(8016, `The incoming RPC parameter has a data type this test server does not support (0x${type.toString(16)}).`);
  }
}

function readTimeFamily(r: ByteReader, type: number): SqliteValue {
  const scale = r.u8();
  const len = r.u8();
  if (len === 0) return null;
  const timeBytes = type === 0x29 ? len : type === 0x2a ? len - 3 : len - 5;
  const ticks = r.uintN(timeBytes) * 10 ** (7 - scale);
  if (type === 0x29) return formatDateTime(0, ticks, scale).slice(11);
  const day = r.uintN(3) - DAYS_TO_UNIX_EPOCH;
  if (type === 0x2b) r.u16();
  return formatDateTime(day, ticks, scale);
}

/** Reads parameters until the end of the RPC message. */
export function readParams(r: ByteReader): RpcParam[] {
  const params: RpcParam[] = [];
  while (r.remaining > 0) {
    const rawName = r.bVarchar();
    const status = r.u8();
    const value = readParamValue(r);
    params.push({ name: rawName.replace(/^@/, ""), output: (status & 0x01) !== 0, value });
  }
  return params;
}
