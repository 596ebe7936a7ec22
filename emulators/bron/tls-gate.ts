/**
 * DEV/TEST ONLY. Makes the simulator end the TLS handshake the way a real mutual-TLS endpoint does.
 *
 * Why this exists: a Node TLS server with `requestCert` + `rejectUnauthorized` does send the
 * certificate_required / handshake_failure alert when a client sends no certificate, but when one
 * is presented and fails verification (self-signed, unknown CA, expired) OpenSSL's verify callback in
 * Node always lets the handshake finish and Node then just closes the socket: the client sees a
 * completed handshake and a hang-up, not the unknown_ca / certificate_expired alert that OpenSSL,
 * Apache or HAProxy servers send. The gate sits between the TCP socket and Node's TLS server and
 * reads the client's handshake in TLS 1.2, where the client Certificate message is plaintext. It
 * verifies that chain against the trusted CAs as OpenSSL does (chain to a trusted CA, CA flags,
 * clientAuth usage, validity) and, when it fails, answers with OpenSSL's fatal alert for that
 * failure and closes; otherwise every byte passes unchanged to the TLS server (which verifies
 * again). In TLS 1.3 the client certificate is encrypted, so the simulator serves TLS 1.2 only
 * (a gap listed in the README). After the client's ChangeCipherSpec the gate only copies bytes.
 */
import { X509Certificate } from "node:crypto";
import { createServer, type Server, type Socket } from "node:net";
import { Duplex } from "node:stream";

const RECORD_HANDSHAKE = 22;
const RECORD_CHANGE_CIPHER_SPEC = 20;
const HANDSHAKE_CERTIFICATE = 11;
const MAX_HANDSHAKE_BYTES = 1 << 20;
const CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
const ANY_EXTENDED_KEY_USAGE = "2.5.29.37.0";

/** TLS alert descriptions OpenSSL sends for a failed client-certificate verification (ssl_verify_alarm_type). */
export const ALERT = { badCertificate: 42, unsupportedCertificate: 43, certificateExpired: 45, unknownCa: 48 } as const;

export interface CertificateVerdict {
  ok: boolean;
  /** the alert to send when not ok */
  alert?: number;
  /** OpenSSL's name for the failure (X509_V_ERR_…), for the counters */
  reason?: string;
}

/**
 * Verifies a presented client chain (leaf first) against the trusted CAs at time `now`, in OpenSSL's
 * order: build the chain to a trust anchor (an issuer counts only if its key verifies the
 * signature), check CA flags and the clientAuth purpose, then validity from the anchor down.
 */
export function verifyClientChain(presented: X509Certificate[], trusted: X509Certificate[], now: Date): CertificateVerdict {
  const leaf = presented[0];
  if (!leaf) return { ok: true }; // no certificate: Node's TLS server sends the alert itself
  const chain = [leaf];
  for (let depth = 0; ; depth++) {
    const current = chain[chain.length - 1]!;
    if (trusted.some((t) => current.raw.equals(t.raw))) break;
    const anchor = trusted.find((t) => issued(current, t));
    if (anchor) {
      chain.push(anchor);
      break;
    }
    if (current.checkIssued(current)) return { ok: false, alert: ALERT.unknownCa, reason: depth === 0 ? "DEPTH_ZERO_SELF_SIGNED_CERT" : "SELF_SIGNED_CERT_IN_CHAIN" };
    const issuer = presented.find((c) => !chain.includes(c) && issued(current, c));
    if (!issuer || depth >= 10) return { ok: false, alert: ALERT.unknownCa, reason: depth === 0 ? "UNABLE_TO_GET_ISSUER_CERT_LOCALLY" : "UNABLE_TO_GET_ISSUER_CERT" };
    chain.push(issuer);
  }
  for (const ca of chain.slice(1)) {
    if (!ca.ca) return { ok: false, alert: ALERT.unknownCa, reason: "INVALID_CA" };
  }
  const eku = leaf.keyUsage;
  if (eku && eku.length > 0 && !eku.includes(CLIENT_AUTH) && !eku.includes(ANY_EXTENDED_KEY_USAGE)) {
    return { ok: false, alert: ALERT.unsupportedCertificate, reason: "INVALID_PURPOSE" };
  }
  for (let i = chain.length - 1; i >= 0; i--) {
    const cert = chain[i]!;
    if (Date.parse(cert.validFrom) > now.getTime()) return { ok: false, alert: ALERT.badCertificate, reason: "CERT_NOT_YET_VALID" };
    if (Date.parse(cert.validTo) < now.getTime()) return { ok: false, alert: ALERT.certificateExpired, reason: "CERT_HAS_EXPIRED" };
  }
  return { ok: true };
}

/** `issuer` issued `cert`: names and key identifiers match, and its key verifies the signature. */
const issued = (cert: X509Certificate, issuer: X509Certificate) => cert.checkIssued(issuer) && cert.verify(issuer.publicKey);

/** The certificates in a TLS 1.2 Certificate handshake body (RFC 5246 §7.4.2); undefined if unreadable. */
function certificatesOf(body: Buffer): X509Certificate[] | undefined {
  try {
    const total = body.readUIntBE(0, 3);
    const out: X509Certificate[] = [];
    let at = 3;
    while (at < 3 + total) {
      const len = body.readUIntBE(at, 3);
      out.push(new X509Certificate(body.subarray(at + 3, at + 3 + len)));
      at += 3 + len;
    }
    return out;
  } catch {
    return undefined; // let OpenSSL answer a malformed message itself
  }
}

export interface TlsGateOptions {
  trusted: X509Certificate[];
  /** gets each admitted connection, to hand to the TLS server (`server.emit("connection", stream)`) */
  onConnection: (stream: Duplex) => void;
  /** told about each refused certificate (OpenSSL's reason name, or NO_CERTIFICATE) */
  onRefusal?: (reason: string) => void;
  now?: () => Date;
}

/** A TCP server whose connections reach the TLS server through the gate. */
export function createTlsGate(o: TlsGateOptions): Server & { destroyAll(): void } {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    gate(socket, o);
  });
  return Object.assign(server, {
    destroyAll: () => {
      for (const s of sockets) s.destroy();
    },
  });
}

function gate(socket: Socket, o: TlsGateOptions): void {
  let inspecting = true;
  let refused = false;
  let pending = Buffer.alloc(0);
  let handshake = Buffer.alloc(0);

  const inner = new Duplex({
    read() {},
    write(chunk: Buffer, _enc, done) {
      if (!refused && !socket.destroyed) socket.write(chunk);
      done();
    },
    final(done) {
      if (!refused) socket.end();
      done();
    },
    destroy(err, done) {
      if (!refused) socket.destroy();
      done(err);
    },
  });
  socket.on("close", () => inner.destroy());
  socket.on("error", () => inner.destroy());
  socket.on("end", () => inner.push(null));

  const refuse = (alert: number, reason: string) => {
    refused = true;
    o.onRefusal?.(reason);
    inner.destroy();
    // fatal alert, TLS 1.2 record, plaintext (the client has not received our ChangeCipherSpec yet)
    socket.end(Buffer.from([21, 3, 3, 0, 2, 2, alert]));
    socket.resume(); // read what the client still sends, so the close is a FIN and not a reset
    setTimeout(() => socket.destroy(), 5_000).unref();
  };

  socket.on("data", (chunk: Buffer) => {
    if (refused) return;
    if (!inspecting) {
      inner.push(chunk);
      return;
    }
    pending = Buffer.concat([pending, chunk]);
    while (inspecting && pending.length >= 5) {
      const length = pending.readUInt16BE(3);
      if (pending.length < 5 + length) break;
      const record = pending.subarray(0, 5 + length);
      pending = pending.subarray(5 + length);
      if (record[0] === RECORD_CHANGE_CIPHER_SPEC) inspecting = false;
      if (record[0] === RECORD_HANDSHAKE) {
        handshake = Buffer.concat([handshake, record.subarray(5)]);
        if (handshake.length > MAX_HANDSHAKE_BYTES) {
          socket.destroy();
          return;
        }
        while (handshake.length >= 4) {
          const size = handshake.readUIntBE(1, 3);
          if (handshake.length < 4 + size) break;
          const [type, body] = [handshake[0], handshake.subarray(4, 4 + size)];
          handshake = handshake.subarray(4 + size);
          if (type !== HANDSHAKE_CERTIFICATE) continue;
          const chain = certificatesOf(body);
          if (chain?.length === 0) o.onRefusal?.("NO_CERTIFICATE"); // Node's TLS server sends the alert
          const verdict = chain ? verifyClientChain(chain, o.trusted, o.now?.() ?? new Date()) : { ok: true };
          if (!verdict.ok) return refuse(verdict.alert!, verdict.reason!);
        }
      }
      inner.push(record);
    }
    if (!inspecting && pending.length > 0) {
      inner.push(pending);
      pending = Buffer.alloc(0);
    }
  });

  o.onConnection(inner);
}
