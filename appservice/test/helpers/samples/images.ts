import { crc32, deflateSync } from 'node:zlib';

function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** An RGB PNG with a colour gradient: zlib-compressed IDAT, every CRC correct. */
export function png(width = 8, height = 8): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.writeUInt8(8, 8); // bit depth
  ihdr.writeUInt8(2, 9); // colour type: RGB
  const rows: number[] = [];
  for (let y = 0; y < height; y++) {
    rows.push(0); // filter: none
    for (let x = 0; x < width; x++) rows.push((x * 255) / Math.max(1, width - 1), (y * 255) / Math.max(1, height - 1), 128);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(Buffer.from(rows.map(Math.round)))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

const segment = (marker: number, body: number[]) => [0xff, marker, (body.length + 2) >> 8, (body.length + 2) & 0xff, ...body];

/**
 * A baseline JFIF JPEG, 8×8 mid-grey, one component. Every coefficient is zero, so two one-symbol
 * Huffman tables (DC category 0, AC end-of-block) encode the block in two bits.
 */
export function jpeg(): Buffer {
  return Buffer.from([
    0xff, 0xd8, // SOI
    ...segment(0xe0, [...Buffer.from('JFIF\0', 'latin1'), 1, 1, 0, 0, 1, 0, 1, 0, 0]), // APP0
    ...segment(0xdb, [0x00, ...new Array<number>(64).fill(1)]), // DQT 0
    ...segment(0xc0, [8, 0, 8, 0, 8, 1, 1, 0x11, 0]), // SOF0: 8 bit, 8×8, 1 component
    ...segment(0xc4, [0x00, 1, ...new Array<number>(15).fill(0), 0x00]), // DHT DC 0: one code, category 0
    ...segment(0xc4, [0x10, 1, ...new Array<number>(15).fill(0), 0x00]), // DHT AC 0: one code, EOB
    ...segment(0xda, [1, 1, 0x00, 0, 63, 0]), // SOS
    0x3f, // DC "0", AC EOB "0", padded with ones
    0xff, 0xd9, // EOI
  ]);
}

/** A 1×1 GIF89a with a two-colour global table. */
export function gif(): Buffer {
  return Buffer.from([
    ...Buffer.from('GIF89a', 'latin1'),
    1, 0, 1, 0, 0x80, 0, 0, // screen 1×1, global colour table of 2
    0xff, 0x00, 0x00, 0x00, 0x00, 0xff,
    0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0, // image descriptor
    0x02, 0x02, 0x44, 0x01, 0x00, // LZW min code size 2: clear, index 0, end
    0x3b,
  ]);
}

/** Writes bits least significant first, as VP8L reads them. */
class BitWriter {
  private readonly bytes: number[] = [];
  private current = 0;
  private used = 0;
  write(value: number, count: number): this {
    for (let i = 0; i < count; i++) {
      this.current |= ((value >> i) & 1) << this.used;
      if (++this.used === 8) {
        this.bytes.push(this.current);
        this.current = 0;
        this.used = 0;
      }
    }
    return this;
  }
  done(): Buffer {
    return Buffer.from(this.used > 0 ? [...this.bytes, this.current] : this.bytes);
  }
}

/**
 * A 1×1 lossless WebP (VP8L): no transforms, no colour cache, five "simple" prefix codes of one
 * symbol each, so the pixel itself takes no bits.
 */
export function webp(): Buffer {
  const bits = new BitWriter()
    .write(0x2f, 8) // VP8L signature
    .write(0, 14) // width - 1
    .write(0, 14) // height - 1
    .write(1, 1) // alpha is used
    .write(0, 3) // version
    .write(0, 1) // no transform
    .write(0, 1) // no colour cache
    .write(0, 1); // no meta prefix codes
  const simple = (symbol: number) => {
    bits.write(1, 1).write(0, 1); // simple code, one symbol
    if (symbol < 2) bits.write(0, 1).write(symbol, 1);
    else bits.write(1, 1).write(symbol, 8);
  };
  [0x80, 0xff, 0x00, 0xff, 0].forEach(simple); // green, red, blue, alpha, distance
  let data = bits.done();
  const chunk = Buffer.alloc(8);
  chunk.write('VP8L', 0, 'latin1');
  chunk.writeUInt32LE(data.length, 4);
  if (data.length % 2 === 1) data = Buffer.concat([data, Buffer.alloc(1)]);
  const riff = Buffer.alloc(12);
  riff.write('RIFF', 0, 'latin1');
  riff.writeUInt32LE(4 + chunk.length + data.length, 4);
  riff.write('WEBP', 8, 'latin1');
  return Buffer.concat([riff, chunk, data]);
}
