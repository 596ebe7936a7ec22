import type { ByteWriter } from "./bytes.js";

/** Token types (MS-TDS 2.2.7) this server sends. */
export const Token = {
  RETURNSTATUS: 0x79,
  RETURNVALUE: 0xac,
  COLMETADATA: 0x81,
  ERROR: 0xaa,
  INFO: 0xab,
  LOGINACK: 0xad,
  ROW: 0xd1,
  ENVCHANGE: 0xe3,
  SSPI: 0xed,
  DONE: 0xfd,
  DONEPROC: 0xfe,
  DONEINPROC: 0xff,
} as const;

/** DONE status bits. */
export const Done = { FINAL: 0x00, MORE: 0x01, ERROR: 0x02, INXACT: 0x04, COUNT: 0x10, ATTN: 0x20 } as const;

/** SQL_Latin1_General_CP1_CI_AS: LCID 0x0409, case-insensitive, sort id 52 (code page 1252). */
export const DEFAULT_COLLATION = Buffer.from([0x09, 0x04, 0xd0, 0x00, 0x34]);

export const SERVER_NAME = "TDS-SQLITE";

export function writeDone(w: ByteWriter, token: number, status: number, rowCount = 0, curCmd = 0): void {
  w.u8(token).u16(status).u16(curCmd).u64(BigInt(rowCount));
}

function envChange(w: ByteWriter, body: (w: ByteWriter) => void): void {
  w.u8(Token.ENVCHANGE);
  const at = w.length;
  w.u16(0);
  body(w);
  w.patchU16(at, w.length - at - 2);
}

export function writeEnvDatabase(w: ByteWriter, name: string): void {
  envChange(w, (x) => x.u8(1).bVarchar(name).bVarchar("master"));
}
export function writeEnvPacketSize(w: ByteWriter, size: number): void {
  envChange(w, (x) => x.u8(4).bVarchar(String(size)).bVarchar("4096"));
}
export function writeEnvCollation(w: ByteWriter): void {
  envChange(w, (x) => x.u8(7).bVarbyte(DEFAULT_COLLATION).u8(0));
}
export function writeEnvLanguage(w: ByteWriter): void {
  envChange(w, (x) => x.u8(2).bVarchar("us_english").bVarchar(""));
}
/** ENVCHANGE 8: a transaction began; the client sends this descriptor in later ALL_HEADERS. */
export function writeEnvBeginTran(w: ByteWriter, descriptor: Buffer): void {
  envChange(w, (x) => x.u8(8).bVarbyte(descriptor).u8(0));
}
/** ENVCHANGE 9 (commit) or 10 (rollback): the transaction ended. */
export function writeEnvEndTran(w: ByteWriter, committed: boolean, descriptor: Buffer): void {
  envChange(w, (x) => x.u8(committed ? 9 : 10).u8(0).bVarbyte(descriptor));
}

/** ENVCHANGE 18: the session was reset (sp_reset_connection), acknowledging a RESETCONNECTION request. */
export function writeEnvResetConnection(w: ByteWriter): void {
  envChange(w, (x) => x.u8(18).u8(0).u8(0));
}

/** LOGINACK with the negotiated TDS version (MS-TDS 2.2.7.14: big-endian, e.g. 0x74000004 for 7.4). */
export function writeLoginAck(w: ByteWriter, tdsVersion: number): void {
  w.u8(Token.LOGINACK);
  const at = w.length;
  w.u16(0).u8(1).u32be(tdsVersion).bVarchar("Microsoft SQL Server").u8(16).u8(0).u8(0x10).u8(0x00);
  w.patchU16(at, w.length - at - 2);
}

export interface ServerMessage {
  number: number;
  state?: number;
  /** severity: 0-10 info, 11-16 user errors, 14 login failures */
  class: number;
  message: string;
  procName?: string;
  line?: number;
}

/** ERROR (or INFO when `info`) token. */
export function writeMessage(w: ByteWriter, m: ServerMessage, info = false): void {
  w.u8(info ? Token.INFO : Token.ERROR);
  const at = w.length;
  w.u16(0).u32(m.number).u8(m.state ?? 1).u8(m.class);
  w.usVarchar(m.message.slice(0, 4000)).bVarchar(SERVER_NAME).bVarchar(m.procName ?? "").u32(m.line ?? 1);
  w.patchU16(at, w.length - at - 2);
}

export function writeReturnStatus(w: ByteWriter, value: number): void {
  w.u8(Token.RETURNSTATUS).i32(value);
}

export function writeSspi(w: ByteWriter, data: Buffer): void {
  w.u8(Token.SSPI).u16(data.length).bytes(data);
}
