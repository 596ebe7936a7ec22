import type { ByteWriter } from "./bytes.js";
import { DAYS_1900_TO_UNIX, DAYS_TO_UNIX_EPOCH, parseStoredDateTime } from "./datetime.js";
import { DEFAULT_COLLATION } from "./tokens.js";
import { SqlError } from "./sql-error.js";

export type ColumnKind =
  | "tinyint" | "smallint" | "int" | "bigint" | "bit" | "float" | "decimal"
  | "date" | "datetime" | "datetime2" | "guid" | "nvarchar" | "varbinary" | "rowversion";

/** The TDS type of one result column. `length` is in characters/bytes; -1 means (MAX). */
export interface ColumnType {
  kind: ColumnKind;
  length?: number;
  precision?: number;
  scale?: number;
}

const INT_SIZES = { tinyint: 1, smallint: 2, int: 4, bigint: 8 } as const;

/**
 * Maps a declared SQLite column type (the T-SQL type name the DDL used, kept by SQLite verbatim) to the
 * TDS type sent in COLMETADATA. Unknown names give undefined (the caller infers from the values).
 */
export function typeFromDeclaration(decl: string | null | undefined): ColumnType | undefined {
  if (!decl) return undefined;
  const m = /^\s*([A-Za-z][A-Za-z0-9_ ]*?)\s*(?:\(\s*(-?\d+|MAX)\s*(?:,\s*(\d+)\s*)?\))?\s*$/i.exec(decl);
  if (!m) return undefined;
  const name = (m[1] ?? "").toUpperCase().replace(/\s+/g, " ");
  const a = m[2]?.toUpperCase() === "MAX" ? -1 : m[2] === undefined ? undefined : Number(m[2]);
  const b = m[3] === undefined ? undefined : Number(m[3]);
  switch (name) {
    case "TINYINT": return { kind: "tinyint" };
    case "SMALLINT": return { kind: "smallint" };
    case "INT": case "INTEGER": return { kind: "int" };
    case "BIGINT": return { kind: "bigint" };
    case "BIT": case "BOOLEAN": return { kind: "bit" };
    case "FLOAT": case "REAL": case "DOUBLE": case "DOUBLE PRECISION": return { kind: "float" };
    case "DECIMAL": case "NUMERIC": return { kind: "decimal", precision: a ?? 18, scale: b ?? 0 };
    case "MONEY": return { kind: "decimal", precision: 19, scale: 4 };
    case "SMALLMONEY": return { kind: "decimal", precision: 10, scale: 4 };
    case "DATE": return { kind: "date" };
    case "DATETIME": case "SMALLDATETIME": return { kind: "datetime" };
    case "DATETIME2": case "DATETIMEOFFSET": return { kind: "datetime2", scale: a ?? 7 };
    case "UNIQUEIDENTIFIER": return { kind: "guid" };
    case "NVARCHAR": case "VARCHAR": case "NCHAR": case "CHAR": case "CHARACTER": case "SYSNAME":
      return { kind: "nvarchar", length: a !== undefined && a > 0 && a <= 4000 ? a : -1 };
    case "TEXT": case "NTEXT": case "XML": case "CLOB": case "TIME": return { kind: "nvarchar", length: -1 };
    case "VARBINARY": case "BINARY": return { kind: "varbinary", length: a !== undefined && a > 0 && a <= 8000 ? a : -1 };
    case "IMAGE": case "BLOB": return { kind: "varbinary", length: -1 };
    case "ROWVERSION": case "TIMESTAMP": return { kind: "rowversion" };
    default: return undefined;
  }
}

const DATETIME_TEXT = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3,7}$/;

/**
 * Type of a computed column (no declared type) from its first non-NULL value, the way SQL Server
 * would type the expression: integers as INT (BIGINT when too large), reals as FLOAT, blobs as
 * VARBINARY(MAX), the timestamps GETDATE()/SYSUTCDATETIME() produce as DATETIME2, other text as NVARCHAR(MAX).
 * (A select-list item that is a CAST/CONVERT gets its target type instead: see tsql/casts.ts.)
 */
export function inferType(sample: unknown): ColumnType {
  if (typeof sample === "bigint") return sample >= -(2n ** 31n) && sample < 2n ** 31n ? { kind: "int" } : { kind: "bigint" };
  if (typeof sample === "number") {
    if (!Number.isInteger(sample)) return { kind: "float" };
    return Math.abs(sample) < 2 ** 31 ? { kind: "int" } : { kind: "bigint" };
  }
  if (Buffer.isBuffer(sample)) return { kind: "varbinary", length: -1 };
  if (typeof sample === "string" && DATETIME_TEXT.test(sample)) return { kind: "datetime2", scale: 7 };
  return { kind: "nvarchar", length: -1 };
}

function decimalBytes(precision: number): number {
  return precision <= 9 ? 5 : precision <= 19 ? 9 : precision <= 28 ? 13 : 17;
}

/** TYPE_INFO of a column in COLMETADATA (MS-TDS 2.2.5.6). */
export function writeTypeInfo(w: ByteWriter, t: ColumnType): void {
  switch (t.kind) {
    case "tinyint": case "smallint": case "int": case "bigint":
      w.u8(0x26).u8(INT_SIZES[t.kind]); return;
    case "bit": w.u8(0x68).u8(1); return;
    case "float": w.u8(0x6d).u8(8); return;
    case "decimal": w.u8(0x6a).u8(decimalBytes(t.precision ?? 18)).u8(t.precision ?? 18).u8(t.scale ?? 0); return;
    case "date": w.u8(0x28); return;
    case "datetime": w.u8(0x6f).u8(8); return;
    case "datetime2": w.u8(0x2a).u8(t.scale ?? 7); return;
    case "guid": w.u8(0x24).u8(16); return;
    case "nvarchar": w.u8(0xe7).u16(t.length === -1 || t.length === undefined ? 0xffff : t.length * 2).bytes(DEFAULT_COLLATION); return;
    case "varbinary": w.u8(0xa5).u16(t.length === -1 || t.length === undefined ? 0xffff : t.length); return;
    case "rowversion": w.u8(0xad).u16(8); return;
  }
}

export function isPlp(t: ColumnType): boolean {
  return (t.kind === "nvarchar" || t.kind === "varbinary") && (t.length === -1 || t.length === undefined);
}

function toInteger(v: unknown, t: ColumnType): bigint {
  let n: bigint;
  if (typeof v === "bigint") n = v;
  else if (typeof v === "number" && Number.isFinite(v)) n = BigInt(Math.trunc(v));
  else if (typeof v === "string" && /^\s*-?\d+\s*$/.test(v)) n = BigInt(v.trim());
  else throw new SqlError(245, `Conversion failed when converting the value '${String(v)}' to data type ${t.kind}.`);
  const bits = BigInt(INT_SIZES[t.kind as keyof typeof INT_SIZES] * 8);
  const min = t.kind === "tinyint" ? 0n : -(1n << (bits - 1n));
  const max = t.kind === "tinyint" ? 255n : (1n << (bits - 1n)) - 1n;
  if (n < min || n > max) throw new SqlError(8115, `Arithmetic overflow error converting expression to data type ${t.kind}.`);
  return n;
}

function toDateParts(v: unknown) {
  const parts = typeof v === "string" ? parseStoredDateTime(v) : undefined;
  if (!parts) throw new SqlError(241, "Conversion failed when converting date and/or time from character string.");
  return parts;
}

function guidBytes(v: unknown): Buffer {
  if (Buffer.isBuffer(v) && v.length === 16) return v;
  const hex = String(v).replace(/[{}-]/g, "");
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new SqlError(8169, "Conversion failed when converting from a character string to uniqueidentifier.");
  const b = Buffer.from(hex, "hex");
  return Buffer.concat([Buffer.from(b.subarray(0, 4)).reverse(), Buffer.from(b.subarray(4, 6)).reverse(), Buffer.from(b.subarray(6, 8)).reverse(), b.subarray(8)]);
}

function toBinary(v: unknown): Buffer {
  if (Buffer.isBuffer(v)) return v;
  if (typeof v === "string") return Buffer.from(v, "utf16le");
  if (typeof v === "number" || typeof v === "bigint") {
    const b = Buffer.alloc(8);
    b.writeBigInt64BE(BigInt(v));
    return b;
  }
  return Buffer.from(String(v));
}

function writePlp(w: ByteWriter, data: Buffer): void {
  w.u64(BigInt(data.length));
  if (data.length > 0) w.u32(data.length).bytes(data);
  w.u32(0);
}

/** Writes one value of a ROW token for a column of type `t` (NULL when v is null/undefined). */
export function writeValue(w: ByteWriter, t: ColumnType, v: unknown): void {
  if (v === null || v === undefined) {
    if (isPlp(t)) w.u64(0xffffffffffffffffn);
    else if (t.kind === "nvarchar" || t.kind === "varbinary" || t.kind === "rowversion") w.u16(0xffff);
    else w.u8(0);
    return;
  }
  switch (t.kind) {
    case "tinyint": case "smallint": case "int": case "bigint": {
      const n = toInteger(v, t);
      const size = INT_SIZES[t.kind];
      w.u8(size);
      if (size === 8) w.i64(n);
      else if (size === 4) w.i32(Number(n));
      else w.uintN(size === 2 ? Number(n) & 0xffff : Number(n), size);
      return;
    }
    case "bit": w.u8(1).u8(v === true || (typeof v === "number" && v !== 0) || v === 1n || v === "1" || v === "true" ? 1 : 0); return;
    case "float": w.u8(8).f64(Number(v)); return;
    case "decimal": {
      const scale = t.scale ?? 0;
      const num = Number(v);
      if (!Number.isFinite(num)) throw new SqlError(8114, "Error converting data type nvarchar to numeric.");
      const size = decimalBytes(t.precision ?? 18);
      const mag = BigInt(Math.round(Math.abs(num) * 10 ** scale));
      w.u8(size).u8(num < 0 ? 0 : 1);
      for (let i = 0; i < size - 1; i++) w.u8(Number((mag >> BigInt(8 * i)) & 0xffn));
      return;
    }
    case "date": w.u8(3).uintN(toDateParts(v).epochDay + DAYS_TO_UNIX_EPOCH, 3); return;
    case "datetime": {
      const p = toDateParts(v);
      w.u8(8).i32(p.epochDay + DAYS_1900_TO_UNIX).u32(Math.round(p.ticks / 10_000 / (10 / 3)));
      return;
    }
    case "datetime2": {
      const p = toDateParts(v);
      const scale = t.scale ?? 7;
      const timeBytes = scale <= 2 ? 3 : scale <= 4 ? 4 : 5;
      w.u8(timeBytes + 3).uintN(Math.round(p.ticks / 10 ** (7 - scale)), timeBytes).uintN(p.epochDay + DAYS_TO_UNIX_EPOCH, 3);
      return;
    }
    case "guid": w.u8(16).bytes(guidBytes(v)); return;
    case "nvarchar": {
      const s = Buffer.isBuffer(v) ? v.toString("utf8") : typeof v === "string" ? v : String(v);
      const data = Buffer.from(s, "utf16le");
      if (isPlp(t)) writePlp(w, data);
      else w.u16(data.length).bytes(data);
      return;
    }
    case "varbinary": {
      const data = toBinary(v);
      if (isPlp(t)) writePlp(w, data);
      else w.u16(data.length).bytes(data);
      return;
    }
    case "rowversion": {
      const data = toBinary(v);
      w.u16(8).bytes(data.length === 8 ? data : Buffer.concat([Buffer.alloc(8), data]).subarray(-8));
      return;
    }
  }
}
