/**
 * A growable little-endian byte writer. TDS tokens are built into one of these and cut into packets by
 * the message writer, so a large result set is encoded once and never held twice.
 */
export class ByteWriter {
  private buf: Buffer;
  length = 0;

  constructor(initial = 8192) {
    this.buf = Buffer.allocUnsafe(initial);
  }

  private ensure(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.length);
    this.buf = next;
  }

  u8(v: number): this {
    this.ensure(1);
    this.buf[this.length++] = v & 0xff;
    return this;
  }
  u16(v: number): this {
    this.ensure(2);
    this.length = this.buf.writeUInt16LE(v, this.length);
    return this;
  }
  u16be(v: number): this {
    this.ensure(2);
    this.length = this.buf.writeUInt16BE(v, this.length);
    return this;
  }
  u32(v: number): this {
    this.ensure(4);
    this.length = this.buf.writeUInt32LE(v >>> 0, this.length);
    return this;
  }
  u32be(v: number): this {
    this.ensure(4);
    this.length = this.buf.writeUInt32BE(v >>> 0, this.length);
    return this;
  }
  i32(v: number): this {
    this.ensure(4);
    this.length = this.buf.writeInt32LE(v, this.length);
    return this;
  }
  i64(v: bigint): this {
    this.ensure(8);
    this.length = this.buf.writeBigInt64LE(v, this.length);
    return this;
  }
  u64(v: bigint): this {
    this.ensure(8);
    this.length = this.buf.writeBigUInt64LE(v, this.length);
    return this;
  }
  f64(v: number): this {
    this.ensure(8);
    this.length = this.buf.writeDoubleLE(v, this.length);
    return this;
  }
  /** unsigned little-endian integer of `bytes` bytes (up to 6) */
  uintN(v: number, bytes: number): this {
    this.ensure(bytes);
    this.length = this.buf.writeUIntLE(v, this.length, bytes);
    return this;
  }
  bytes(b: Uint8Array): this {
    this.ensure(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
    return this;
  }
  ucs2(s: string): this {
    const n = s.length * 2;
    this.ensure(n);
    this.length += this.buf.write(s, this.length, n, "utf16le");
    return this;
  }
  /** B_VARCHAR: one-byte character count, then UCS-2 */
  bVarchar(s: string): this {
    return this.u8(s.length).ucs2(s);
  }
  /** US_VARCHAR: two-byte character count, then UCS-2 */
  usVarchar(s: string): this {
    return this.u16(s.length).ucs2(s);
  }
  /** B_VARBYTE: one-byte length, then bytes */
  bVarbyte(b: Uint8Array): this {
    return this.u8(b.length).bytes(b);
  }
  /** Overwrites a little-endian u16 at `at` (for length prefixes written after the body). */
  patchU16(at: number, v: number): void {
    this.buf.writeUInt16LE(v, at);
  }

  /** A view of the bytes written so far (valid until the next write). */
  view(start = 0, end = this.length): Buffer {
    return this.buf.subarray(start, end);
  }
  /** Drops the first `n` bytes, keeping the rest. */
  shift(n: number): void {
    this.buf.copy(this.buf, 0, n, this.length);
    this.length -= n;
  }
  /** A copy of everything written. */
  toBuffer(): Buffer {
    return Buffer.from(this.view());
  }
}

/** A cursor over a received buffer; throws RangeError when reading past the end. */
export class ByteReader {
  constructor(
    readonly buf: Buffer,
    public pos = 0,
  ) {}

  get remaining(): number {
    return this.buf.length - this.pos;
  }
  private take(n: number): number {
    if (this.pos + n > this.buf.length) throw new RangeError(`TDS message truncated at ${this.pos}+${n}`);
    const at = this.pos;
    this.pos += n;
    return at;
  }
  u8(): number {
    return this.buf.readUInt8(this.take(1));
  }
  u16(): number {
    return this.buf.readUInt16LE(this.take(2));
  }
  u32(): number {
    return this.buf.readUInt32LE(this.take(4));
  }
  i32(): number {
    return this.buf.readInt32LE(this.take(4));
  }
  u64(): bigint {
    return this.buf.readBigUInt64LE(this.take(8));
  }
  i64(): bigint {
    return this.buf.readBigInt64LE(this.take(8));
  }
  f32(): number {
    return this.buf.readFloatLE(this.take(4));
  }
  f64(): number {
    return this.buf.readDoubleLE(this.take(8));
  }
  uintN(bytes: number): number {
    return this.buf.readUIntLE(this.take(bytes), bytes);
  }
  bytes(n: number): Buffer {
    const at = this.take(n);
    return this.buf.subarray(at, at + n);
  }
  ucs2(chars: number): string {
    const at = this.take(chars * 2);
    return this.buf.toString("utf16le", at, at + chars * 2);
  }
  bVarchar(): string {
    return this.ucs2(this.u8());
  }
  usVarchar(): string {
    return this.ucs2(this.u16());
  }
}
