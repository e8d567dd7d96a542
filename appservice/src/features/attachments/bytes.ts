/** Raised when a structure points outside the bytes it was read from. */
export class Truncated extends Error {
  constructor(what: string) {
    super(`truncated or damaged: ${what}`);
    this.name = 'Truncated';
  }
}

/** Little-endian reads that fail with `Truncated` instead of reading past the end. */
export class ByteView {
  readonly bytes: Uint8Array;
  private readonly view: DataView;

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get length(): number {
    return this.bytes.byteLength;
  }

  private check(offset: number, size: number, what: string): void {
    if (!Number.isSafeInteger(offset) || offset < 0 || offset + size > this.bytes.byteLength) throw new Truncated(what);
  }

  u8(offset: number, what = 'byte'): number {
    this.check(offset, 1, what);
    return this.view.getUint8(offset);
  }

  u16(offset: number, what = 'u16'): number {
    this.check(offset, 2, what);
    return this.view.getUint16(offset, true);
  }

  u32(offset: number, what = 'u32'): number {
    this.check(offset, 4, what);
    return this.view.getUint32(offset, true);
  }

  /** A 64-bit value, or `Truncated` when it does not fit in a safe integer (no real file needs that). */
  u64(offset: number, what = 'u64'): number {
    const low = this.u32(offset, what);
    const high = this.u32(offset + 4, what);
    if (high > 0x1fffff) throw new Truncated(what);
    return high * 2 ** 32 + low;
  }

  slice(offset: number, size: number, what = 'range'): Uint8Array {
    this.check(offset, size, what);
    return this.bytes.subarray(offset, offset + size);
  }

  /** Whether `expected` is found at `offset` (false when it would run past the end). */
  has(offset: number, expected: readonly number[] | string): boolean {
    const wanted = typeof expected === 'string' ? [...expected].map((c) => c.charCodeAt(0)) : expected;
    if (offset < 0 || offset + wanted.length > this.bytes.byteLength) return false;
    return wanted.every((b, i) => this.bytes[offset + i] === b);
  }

  latin1(offset: number, size: number, what = 'text'): string {
    return Buffer.from(this.slice(offset, size, what)).toString('latin1');
  }

  utf8(offset: number, size: number, what = 'text'): string {
    return Buffer.from(this.slice(offset, size, what)).toString('utf8');
  }
}
