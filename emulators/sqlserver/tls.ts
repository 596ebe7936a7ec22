import type { Socket } from "node:net";
import { Duplex } from "node:stream";
import { createSecureContext, TLSSocket, type SecureContext } from "node:tls";

/** PRELOGIN ENCRYPTION values (MS-TDS 2.2.6.5). */
export const Encrypt = { OFF: 0x00, ON: 0x01, NOT_SUP: 0x02, REQ: 0x03 } as const;

export interface TdsTlsOptions {
  /** PEM server certificate (chain) and its key */
  cert: string;
  key: string;
  /** refuse clients that do not encrypt (SQL Server's "Force Encryption"): PRELOGIN answers ENCRYPT_REQ */
  forceEncryption?: boolean;
}

/** TLS 1.2 at most: SQL Server speaks TLS 1.3 only with TDS 8.0 (TLS first), not inside TDS 7.x PRELOGIN packets. */
export function tdsSecureContext(o: TdsTlsOptions): SecureContext {
  return createSecureContext({ cert: o.cert, key: o.key, minVersion: "TLSv1.2", maxVersion: "TLSv1.2" });
}

/**
 * The server's answer to the client's PRELOGIN ENCRYPTION value (MS-TDS 2.2.6.5): without a certificate
 * NOT_SUP; with one, the client's choice (ON → whole connection, OFF → the login packet only, NOT_SUP → none),
 * or REQ when encryption is forced (a client that cannot encrypt is then disconnected).
 */
export function answerEncryption(client: number | undefined, tls: TdsTlsOptions | undefined): number {
  if (!tls) return Encrypt.NOT_SUP;
  if (tls.forceEncryption) return Encrypt.REQ;
  if (client === Encrypt.ON || client === Encrypt.REQ) return Encrypt.ON;
  if (client === Encrypt.OFF) return Encrypt.OFF;
  return Encrypt.NOT_SUP;
}

/** The client's PRELOGIN ENCRYPTION option (token 0x01), if it sent one. */
export function clientEncryption(prelogin: Buffer): number | undefined {
  for (let at = 0; at + 5 <= prelogin.length && prelogin[at] !== 0xff; at += 5) {
    if (prelogin[at] !== 0x01) continue;
    const offset = prelogin.readUInt16BE(at + 1);
    return prelogin.readUInt16BE(at + 3) >= 1 ? prelogin[offset] : undefined;
  }
  return undefined;
}

/** The encrypted side of the server's TLS socket: records the server writes go to `send`; records from the client are `feed`-ed in. */
class RecordPipe extends Duplex {
  constructor(
    private readonly send: (records: Buffer) => void,
    private readonly onEnd: () => void,
  ) {
    super();
  }
  override _read(): void {}
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (e?: Error | null) => void): void {
    this.send(chunk);
    done();
  }
  override _final(done: (e?: Error | null) => void): void {
    this.onEnd();
    done();
  }
  feed(records: Buffer): void {
    this.push(records);
  }
}

/**
 * TDS 7.x TLS on the server side (MS-TDS 2.2.6.5 / 3.3.5.1): the handshake travels inside PRELOGIN
 * messages (each client PRELOGIN message carries handshake records; the server answers each with one
 * PRELOGIN message holding its records); once the handshake is complete, TLS records flow directly
 * on the TCP connection, carrying TDS packets. `plain()` stops using TLS (login-only encryption: only
 * the LOGIN7 message is encrypted).
 */
export class TdsTls {
  readonly socket: TLSSocket;
  private readonly pipe: RecordPipe;
  private handshake: Buffer[] = [];
  private flushQueued = false;
  private secure = false;
  private direct = false;
  private stopped = false;

  constructor(
    private readonly raw: Socket,
    context: SecureContext,
    /** sends one PRELOGIN message with handshake records */
    private readonly sendHandshake: (records: Buffer) => void,
    /** the handshake is complete and the client now sends TLS records directly */
    private readonly onSecure: () => void,
  ) {
    this.pipe = new RecordPipe((records) => this.output(records), () => raw.end());
    this.socket = new TLSSocket(this.pipe as unknown as Socket, { isServer: true, secureContext: context });
    this.socket.on("secure", () => {
      this.secure = true;
      this.queueFlush();
    });
    this.socket.on("error", () => raw.destroy());
  }

  /** Handshake records from a client PRELOGIN message. */
  handshakeInput(records: Buffer): void {
    this.pipe.feed(records);
  }

  /** TLS records read directly from the connection (after the handshake). */
  input(records: Buffer): void {
    if (!this.stopped) this.pipe.feed(records);
  }

  /** Login-only encryption: after the LOGIN7 message, both sides continue without TLS. */
  plain(): void {
    this.stopped = true;
  }

  private output(records: Buffer): void {
    if (this.stopped) return;
    if (this.direct) {
      if (!this.raw.destroyed) this.raw.write(records);
      return;
    }
    this.handshake.push(records);
    this.queueFlush();
  }

  /** All records the server produced for one client flight go into one PRELOGIN message. */
  private queueFlush(): void {
    if (this.flushQueued) return;
    this.flushQueued = true;
    setImmediate(() => {
      this.flushQueued = false;
      if (this.handshake.length > 0) {
        const records = Buffer.concat(this.handshake);
        this.handshake = [];
        this.sendHandshake(records);
      }
      if (this.secure && !this.direct) {
        this.direct = true;
        this.onSecure();
      }
    });
  }
}
