import { crc32, deflateRawSync } from 'node:zlib';

export interface ZipInput {
  name: string;
  data: Uint8Array | string;
  /** Stored instead of deflated (OpenDocument's `mimetype` must be). */
  store?: boolean;
}

/** DOS date 1980-01-01, time 00:00: fixed, so a sample is the same bytes every run. */
const DOS_DATE = (0 << 9) | (1 << 5) | 1;

interface SharedFields {
  method: number;
  crc: number;
  packedSize: number;
  size: number;
  nameLength: number;
}

/**
 * The fields a local header and its central directory entry have in common, in the same order:
 * from "version needed" (at 4 in the first, 6 in the second) to the name's length. What follows
 * them is zero (no extra field, no comment).
 */
function writeSharedFields(header: Buffer, at: number, fields: SharedFields): void {
  header.writeUInt16LE(20, at); // version needed
  header.writeUInt16LE(0x0800, at + 2); // names are UTF-8
  header.writeUInt16LE(fields.method, at + 4);
  header.writeUInt16LE(0, at + 6); // time
  header.writeUInt16LE(DOS_DATE, at + 8);
  header.writeUInt32LE(fields.crc, at + 10);
  header.writeUInt32LE(fields.packedSize, at + 14);
  header.writeUInt32LE(fields.size, at + 18);
  header.writeUInt16LE(fields.nameLength, at + 22);
}

/** A tiny ZIP writer: local headers, data (stored or deflated), central directory, end record. */
export function zip(files: readonly ZipInput[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const file of files) {
    const name = Buffer.from(file.name, 'utf8');
    const data = typeof file.data === 'string' ? Buffer.from(file.data, 'utf8') : Buffer.from(file.data);
    const method = file.store ? 0 : 8;
    const packed = file.store ? data : deflateRawSync(data);
    const crc = crc32(data);
    const fields = { method, crc, packedSize: packed.length, size: data.length, nameLength: name.length };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    writeSharedFields(local, 4, fields);
    locals.push(local, name, packed);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4); // version made by
    writeSharedFields(central, 6, fields);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += local.length + name.length + packed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
