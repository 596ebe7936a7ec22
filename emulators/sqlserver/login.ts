import { ByteReader, ByteWriter } from "./bytes.js";
import { parseAuthenticate, verifyNtlmV2 } from "./ntlm.js";
import {
  Done, SERVER_NAME, Token, writeDone, writeEnvCollation, writeEnvDatabase, writeEnvLanguage, writeEnvPacketSize, writeLoginAck, writeMessage,
} from "./tokens.js";

/**
 * PRELOGIN answer (MS-TDS 2.2.6.5): version, ENCRYPTION (NOT_SUP without a server certificate; tedious then
 * carries on in clear text), no instance, thread id 0, MARS off.
 */
export function preloginResponse(encryption: number): Buffer {
  const options: Array<[number, Buffer]> = [
    [0x00, Buffer.from([16, 0, 0x10, 0x00, 0, 0])],
    [0x01, Buffer.from([encryption])],
    [0x02, Buffer.from([0x00])],
    [0x03, Buffer.alloc(4)],
    [0x04, Buffer.from([0x00])],
  ];
  const w = new ByteWriter(64);
  let dataOffset = options.length * 5 + 1;
  for (const [token, data] of options) {
    w.u8(token).u16be(dataOffset).u16be(data.length);
    dataOffset += data.length;
  }
  w.u8(0xff);
  for (const [, data] of options) w.bytes(data);
  return w.toBuffer();
}

export interface Login7 {
  tdsVersion: number;
  packetSize: number;
  userName: string;
  password: string;
  database: string;
  appName: string;
  hostName: string;
  /** SSPI (NTLM) blob when the client asks for integrated security */
  sspi: Buffer | undefined;
}

/** Passwords in LOGIN7 are obfuscated: every byte nibble-swapped, then XOR 0xA5 (MS-TDS 2.2.6.4). */
export function decodePassword(raw: Buffer): string {
  const plain = Buffer.alloc(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const x = (raw[i] ?? 0) ^ 0xa5;
    plain[i] = ((x & 0x0f) << 4) | (x >> 4);
  }
  return plain.toString("utf16le");
}

/** Parses the fixed part and the offset/length table of a LOGIN7 message. */
export function parseLogin7(data: Buffer): Login7 {
  const r = new ByteReader(data);
  r.u32();
  const tdsVersion = r.u32();
  const packetSize = r.u32();
  const text = (at: number): string => {
    const offset = data.readUInt16LE(at);
    const chars = data.readUInt16LE(at + 2);
    return data.toString("utf16le", offset, offset + chars * 2);
  };
  const pwOffset = data.readUInt16LE(44);
  const pwChars = data.readUInt16LE(46);
  const sspiOffset = data.readUInt16LE(78);
  let sspiLength = data.readUInt16LE(80);
  if (sspiLength === 0xffff && data.length >= 94) sspiLength = data.readUInt32LE(90);
  return {
    tdsVersion,
    packetSize,
    hostName: text(36),
    userName: text(40),
    password: decodePassword(data.subarray(pwOffset, pwOffset + pwChars * 2)),
    appName: text(48),
    database: text(68),
    sspi: sspiLength > 0 ? Buffer.from(data.subarray(sspiOffset, sspiOffset + sspiLength)) : undefined,
  };
}

/** LOGIN7 TDSVersion values of the versions this server speaks (the data it sends is the same for all three). */
export const TDS_7_3_A = 0x730a0003;
export const TDS_7_3_B = 0x730b0003;
export const TDS_7_4 = 0x74000004;

/** "7.2", "7.4", "8.0" … for a LOGIN7 TDSVersion value. */
export function tdsVersionName(v: number): string {
  if (v === TDS_7_3_A) return "7.3A";
  if (v === TDS_7_3_B) return "7.3B";
  const major = (v >>> 28) === 7 ? 7 : (v >>> 24) & 0xff;
  const minor = major === 7 ? (v >>> 24) & 0x0f : (v >>> 16) & 0xff;
  return `${major}.${minor}`;
}

/**
 * The TDS version for LOGINACK: the client's own when this server speaks it (7.3A, 7.3B, 7.4), 7.4 for a
 * newer 7.x client (as SQL Server answers with the highest version both know), otherwise a refusal naming the gap:
 * TDS 7.0–7.2 lack the DATE/TIME/DATETIME2 types this server sends (SQL Server would send those as NVARCHAR to
 * such clients; this server does not), and TDS 8.0 starts with TLS before PRELOGIN (`encrypt: "strict"`).
 */
export function negotiateTdsVersion(requested: number): { version: number } | { refused: string } {
  if (requested === TDS_7_3_A || requested === TDS_7_3_B || requested === TDS_7_4) return { version: requested };
  if (requested >>> 28 === 7 && requested > TDS_7_4) return { version: TDS_7_4 };
  return {
    refused: `TDS ${tdsVersionName(requested)} (LOGIN7 version 0x${requested.toString(16).padStart(8, "0")}) is not supported by this test server: it speaks TDS 7.3 and 7.4 only.`,
  };
}

/** The answer to a successful login: database, collation (tedious needs it for VarChar), LOGINACK, packet size. */
export function writeLoginOk(w: ByteWriter, database: string, packetSize: number, tdsVersion: number): void {
  writeEnvDatabase(w, database);
  writeMessage(w, { number: 5701, class: 0, state: 2, message: `Changed database context to '${database}'.` }, true);
  writeEnvCollation(w);
  writeEnvLanguage(w);
  writeLoginAck(w, tdsVersion);
  writeEnvPacketSize(w, packetSize);
  writeDone(w, Token.DONE, 0);
}

/** A login this server cannot serve (unsupported TDS version): an error naming the gap; the client disconnects. */
export function writeLoginRefused(w: ByteWriter, message: string, requested: number): void {
  if (requested >>> 24 < 0x72 && requested >>> 28 === 7) {
    // TDS 7.0/7.1 tokens: the ERROR line number is 2 bytes and the DONE row count 4 bytes
    w.u8(Token.ERROR);
    const at = w.length;
    w.u16(0).u32(50000).u8(1).u8(20).usVarchar(message).bVarchar(SERVER_NAME).bVarchar("").u16(1);
    w.patchU16(at, w.length - at - 2);
    w.u8(Token.DONE).u16(Done.ERROR).u16(0).u32(0);
    return;
  }
  writeMessage(w, { number: 50000, class: 20, state: 1, message });
  writeDone(w, Token.DONE, Done.ERROR);
}

/** SQL Server's answer to a bad login: error 18456, severity 14. */
/** Refuses a login: a wrong name or password, or (`database`) a database the server does not have (4060 first, as SQL Server). */
export function writeLoginFailed(w: ByteWriter, user: string, database?: string): void {
  if (database !== undefined) writeMessage(w, { number: 4060, class: 11, state: 1, message: `Cannot open database "${database}" requested by the login. The login failed.` });
  writeMessage(w, { number: 18456, class: 14, state: 1, message: `Login failed for user '${user}'.` });
  writeDone(w, Token.DONE, Done.ERROR);
}

/** Checks an NTLM AUTHENTICATE against the `DOMAIN\user` logins (case-insensitive names). */
export function checkNtlmAuthenticate(data: Buffer, challenge: Buffer, logins: Record<string, string>): { ok: boolean; name: string } {
  try {
    const auth = parseAuthenticate(data);
    const name = `${auth.domain}\\${auth.user}`;
    const key = Object.keys(logins).find((k) => k.toLowerCase() === name.toLowerCase());
    const password = key === undefined ? undefined : logins[key];
    return { ok: password !== undefined && verifyNtlmV2(auth, password, challenge), name };
  } catch {
    return { ok: false, name: "" };
  }
}
