/**
 * MD4 (RFC 1320), needed for the NT hash of NTLM. Node's OpenSSL 3 build no longer offers md4, and
 * this is only used to check test logins, never to protect anything.
 */
export function md4(input: Buffer): Buffer {
  const bitLen = BigInt(input.length) * 8n;
  const padLen = (input.length % 64 < 56 ? 56 : 120) - (input.length % 64);
  const msg = Buffer.concat([input, Buffer.from([0x80]), Buffer.alloc(padLen - 1), Buffer.alloc(8)]);
  msg.writeBigUInt64LE(bitLen, msg.length - 8);
  let [a, b, c, d] = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476];
  const rotl = (x: number, s: number) => ((x << s) | (x >>> (32 - s))) >>> 0;
  const F = (x: number, y: number, z: number) => (x & y) | (~x & z);
  const G = (x: number, y: number, z: number) => (x & y) | (x & z) | (y & z);
  const H = (x: number, y: number, z: number) => x ^ y ^ z;
  for (let off = 0; off < msg.length; off += 64) {
    const X = Array.from({ length: 16 }, (_, i) => msg.readUInt32LE(off + i * 4));
    const [aa, bb, cc, dd] = [a, b, c, d];
    const round = (f: (x: number, y: number, z: number) => number, k: number, order: number[], shifts: number[]) => {
      for (let i = 0; i < 16; i++) {
        const s = shifts[i % 4] ?? 0;
        const x = X[order[i] ?? 0] ?? 0;
        const t = rotl((a + f(b, c, d) + x + k) >>> 0, s);
        [a, b, c, d] = [d, t, b, c];
      }
    };
    round(F, 0, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15], [3, 7, 11, 19]);
    round(G, 0x5a827999, [0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15], [3, 5, 9, 13]);
    round(H, 0x6ed9eba1, [0, 8, 4, 12, 2, 10, 6, 14, 1, 9, 5, 13, 3, 11, 7, 15], [3, 9, 11, 15]);
    [a, b, c, d] = [(a + aa) >>> 0, (b + bb) >>> 0, (c + cc) >>> 0, (d + dd) >>> 0];
  }
  const out = Buffer.alloc(16);
  [a, b, c, d].forEach((v, i) => out.writeUInt32LE(v, i * 4));
  return out;
}
