import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { md4 } from "./md4.js";

/**
 * NTLM for the LOGIN7/SSPI handshake (MS-NLMP): the client's NEGOTIATE comes in LOGIN7, this server answers
 * with a CHALLENGE in an SSPI token, the client's AUTHENTICATE arrives as an SSPI message. The NTLMv2
 * response is verified against the password configured for DOMAIN\user, the way a domain controller would.
 */
export interface NtlmChallenge {
  message: Buffer;
  serverChallenge: Buffer;
}

const FLAGS = 0x00000001 | 0x00000004 | 0x00000200 | 0x00008000 | 0x00010000 | 0x00080000 | 0x00800000 | 0x02000000 | 0x20000000 | 0x80000000;

/** Builds a CHALLENGE message (type 2); tedious expects the target name right after the 56-byte header. */
export function buildChallenge(domain: string): NtlmChallenge {
  const serverChallenge = randomBytes(8);
  const target = Buffer.from(domain.toUpperCase(), "utf16le");
  const avPairs = Buffer.concat([avPair(2, target), avPair(1, Buffer.from("TDSSQLITE", "utf16le")), avPair(0, Buffer.alloc(0))]);
  const header = Buffer.alloc(56);
  header.write("NTLMSSP\0", 0, "latin1");
  header.writeUInt32LE(2, 8);
  header.writeUInt16LE(target.length, 12);
  header.writeUInt16LE(target.length, 14);
  header.writeUInt32LE(56, 16);
  header.writeUInt32LE(FLAGS >>> 0, 20);
  serverChallenge.copy(header, 24);
  header.writeUInt16LE(avPairs.length, 40);
  header.writeUInt16LE(avPairs.length, 42);
  header.writeUInt32LE(56 + target.length, 44);
  header.set([10, 0, 0x63, 0x45, 0, 0, 0, 15], 48);
  return { message: Buffer.concat([header, target, avPairs]), serverChallenge };
}

function avPair(id: number, value: Buffer): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt16LE(id, 0);
  b.writeUInt16LE(value.length, 2);
  return Buffer.concat([b, value]);
}

export interface NtlmAuthenticate {
  domain: string;
  user: string;
  /** NTProofStr (16 bytes) */
  proof: Buffer;
  /** the NTLMv2 client blob that follows the proof */
  blob: Buffer;
}

/** Parses an AUTHENTICATE message (type 3). Tedious declares a 16-byte NT response and appends the blob after it. */
export function parseAuthenticate(msg: Buffer): NtlmAuthenticate {
  if (msg.toString("latin1", 0, 8) !== "NTLMSSP\0" || msg.readUInt32LE(8) !== 3) throw new Error("not an NTLM AUTHENTICATE message");
  const field = (at: number) => ({ len: msg.readUInt16LE(at), off: msg.readUInt32LE(at + 4) });
  const nt = field(20);
  const dom = field(28);
  const usr = field(36);
  const text = (f: { len: number; off: number }) => msg.toString("utf16le", f.off, f.off + f.len);
  const proof = msg.subarray(nt.off, nt.off + 16);
  const blobEnd = nt.len > 16 ? nt.off + nt.len : msg.length;
  return { domain: text(dom), user: text(usr), proof, blob: msg.subarray(nt.off + 16, blobEnd) };
}

function hmacMd5(key: Buffer, data: Buffer): Buffer {
  return createHmac("md5", key).update(data).digest();
}

/** Checks the NTLMv2 proof: HMAC-MD5(NTOWFv2(password, user, domain), serverChallenge ‖ blob). */
export function verifyNtlmV2(auth: NtlmAuthenticate, password: string, serverChallenge: Buffer): boolean {
  const ntHash = md4(Buffer.from(password, "utf16le"));
  for (const domain of new Set([auth.domain, auth.domain.toUpperCase()])) {
    const key = hmacMd5(ntHash, Buffer.from(auth.user.toUpperCase() + domain, "utf16le"));
    const expected = hmacMd5(key, Buffer.concat([serverChallenge, auth.blob]));
    if (auth.proof.length === 16 && timingSafeEqual(expected, auth.proof)) return true;
  }
  return false;
}
