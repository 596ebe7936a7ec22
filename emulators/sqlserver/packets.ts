import type { Socket } from "node:net";
import { ByteWriter } from "./bytes.js";

/** TDS packet types (MS-TDS 2.2.3.1.1) that this server reads or writes. */
export const PacketType = {
  SQL_BATCH: 0x01,
  RPC: 0x03,
  TABULAR_RESULT: 0x04,
  ATTENTION: 0x06,
  TRANSACTION_MANAGER: 0x0e,
  LOGIN7: 0x10,
  SSPI: 0x11,
  PRELOGIN: 0x12,
} as const;

const HEADER = 8;
const STATUS_EOM = 0x01;
const STATUS_IGNORE = 0x02;
const STATUS_RESET = 0x08 | 0x10;

export interface TdsMessage {
  type: number;
  data: Buffer;
  /** the client cancelled the message before sending it all (IGNORE bit): answer it, run nothing */
  ignored: boolean;
  /** RESETCONNECTION bit on the first packet: reset the session before running the request */
  reset: boolean;
}

/**
 * Reassembles TDS messages from socket data: packets of one message are joined until the EOM bit.
 * ATTENTION packets are reported at once, even while a response is being streamed, so a running
 * query can be stopped.
 */
export class PacketReader {
  private pending: Buffer = Buffer.alloc(0);
  private parts: Buffer[] = [];
  private partsType = -1;
  private partsReset = false;

  constructor(
    private readonly onMessage: (m: TdsMessage) => void,
    private readonly onAttention: () => void,
  ) {}

  push(chunk: Buffer): void {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    while (this.pending.length >= HEADER) {
      const length = this.pending.readUInt16BE(2);
      if (length < HEADER) throw new Error(`bad TDS packet length ${length}`);
      if (this.pending.length < length) return;
      const type = this.pending[0] ?? 0;
      const status = this.pending[1] ?? 0;
      const payload = this.pending.subarray(HEADER, length);
      this.pending = this.pending.subarray(length);
      this.packet(type, status, payload);
    }
  }

  private packet(type: number, status: number, payload: Buffer): void {
    if (type === PacketType.ATTENTION) {
      this.onAttention();
      return;
    }
    if (this.parts.length === 0) this.partsReset = (status & STATUS_RESET) !== 0;
    this.parts.push(Buffer.from(payload));
    this.partsType = type;
    if (status & STATUS_EOM) {
      const data = Buffer.concat(this.parts);
      this.parts = [];
      this.onMessage({ type: this.partsType, data, ignored: (status & STATUS_IGNORE) !== 0, reset: this.partsReset });
    }
  }
}

/**
 * Writes one TDS response message: tokens go into `out`, and every full packet (the negotiated packet
 * size) is sent as soon as it is complete. `flushIfBusy` waits for the socket to drain, so a large result
 * streams with bounded memory.
 */
export class MessageWriter {
  readonly out = new ByteWriter(16384);
  private packetId = 1;
  private closed = false;
  private sentSinceYield = 0;
  /** increases whenever bytes leave `out`, so positions recorded before are no longer valid */
  generation = 0;

  constructor(
    private readonly socket: Socket,
    private readonly packetSize: number,
    private readonly type: number = PacketType.TABULAR_RESULT,
  ) {}

  private sendPackets(final: boolean): void {
    const room = this.packetSize - HEADER;
    let offset = 0;
    while (this.out.length - offset > room || (final && offset <= this.out.length)) {
      const n = Math.min(room, this.out.length - offset);
      const last = final && offset + n === this.out.length;
      const header = Buffer.alloc(HEADER);
      header[0] = this.type;
      header[1] = last ? STATUS_EOM : 0;
      header.writeUInt16BE(n + HEADER, 2);
      header[6] = this.packetId++ & 0xff;
      if (!this.socket.destroyed) this.socket.write(Buffer.concat([header, this.out.view(offset, offset + n)]));
      offset += n;
      if (last) break;
    }
    if (offset > 0) {
      this.out.shift(offset);
      this.generation++;
    }
  }

  /** Sends complete packets; waits while the socket has a lot queued (back-pressure). */
  async flushIfBusy(): Promise<void> {
    if (this.out.length <= this.packetSize) return;
    this.sentSinceYield += this.out.length;
    this.sendPackets(false);
    if (this.sentSinceYield > 65536) {
      // let the event loop read the socket (an ATTENTION may be waiting) even when the client keeps up
      this.sentSinceYield = 0;
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (this.socket.writableLength > 4 * this.packetSize && !this.socket.destroyed) {
      await new Promise<void>((resolve) => {
        const done = () => {
          this.socket.off("drain", done);
          this.socket.off("close", done);
          resolve();
        };
        this.socket.on("drain", done);
        this.socket.on("close", done);
      });
    }
  }

  /** Sends the rest with the EOM bit; the message is complete. */
  end(): void {
    if (this.closed) return;
    this.closed = true;
    this.sendPackets(true);
  }
}
