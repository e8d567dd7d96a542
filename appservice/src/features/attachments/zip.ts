import { ByteView, Truncated } from './bytes.ts';

/** One file of a ZIP archive, as its central directory describes it. */
export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  localHeaderOffset: number;
}

const LOCAL_HEADER = [0x50, 0x4b, 0x03, 0x04];
const CENTRAL_HEADER = [0x50, 0x4b, 0x01, 0x02];
const END_OF_DIRECTORY = [0x50, 0x4b, 0x05, 0x06];
const ZIP64_LOCATOR = [0x50, 0x4b, 0x06, 0x07];
const ZIP64_END = [0x50, 0x4b, 0x06, 0x06];
const EOCD_SIZE = 22;
const MAX_COMMENT = 0xffff;
/** More entries than any document we accept has; bounds the work on a hostile archive. */
const MAX_ENTRIES = 20_000;

/** Whether the bytes begin like a ZIP archive (a local file header). */
export function looksLikeZip(bytes: Uint8Array): boolean {
  return new ByteView(bytes).has(0, LOCAL_HEADER);
}

function findEndOfDirectory(view: ByteView): number {
  const last = view.length - EOCD_SIZE;
  const first = Math.max(0, last - MAX_COMMENT);
  for (let at = last; at >= first; at--) {
    if (view.has(at, END_OF_DIRECTORY) && at + EOCD_SIZE + view.u16(at + 20) <= view.length) return at;
  }
  throw new Truncated('ZIP end of central directory not found');
}

/**
 * Reads a ZIP archive's central directory (ZIP64 included). Throws `Truncated` when the archive is
 * damaged: no end record, a directory outside the file, or an entry that is not where it is said to be.
 */
export function readZipDirectory(bytes: Uint8Array): ZipEntry[] {
  const view = new ByteView(bytes);
  const end = findEndOfDirectory(view);
  let count = view.u16(end + 10);
  let size = view.u32(end + 12);
  let offset = view.u32(end + 16);
  if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) {
    const locator = end - 20;
    if (!view.has(locator, ZIP64_LOCATOR)) throw new Truncated('ZIP64 locator');
    const zip64End = view.u64(locator + 8);
    if (!view.has(zip64End, ZIP64_END)) throw new Truncated('ZIP64 end record');
    count = view.u64(zip64End + 32);
    size = view.u64(zip64End + 40);
    offset = view.u64(zip64End + 48);
  }
  if (count > MAX_ENTRIES) throw new Truncated('too many ZIP entries');
  if (offset + size > view.length) throw new Truncated('ZIP central directory');

  const entries: ZipEntry[] = [];
  let at = offset;
  for (let i = 0; i < count; i++) {
    if (!view.has(at, CENTRAL_HEADER)) throw new Truncated('ZIP central directory entry');
    const nameLength = view.u16(at + 28);
    const extraLength = view.u16(at + 30);
    const commentLength = view.u16(at + 32);
    entries.push({
      name: view.utf8(at + 46, nameLength, 'ZIP entry name'),
      method: view.u16(at + 10),
      compressedSize: view.u32(at + 20),
      localHeaderOffset: view.u32(at + 42),
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** The stored (uncompressed) data of an entry, or undefined when it is compressed. */
export function storedData(bytes: Uint8Array, entry: ZipEntry): Uint8Array | undefined {
  if (entry.method !== 0) return undefined;
  const view = new ByteView(bytes);
  const at = entry.localHeaderOffset;
  if (!view.has(at, LOCAL_HEADER)) throw new Truncated('ZIP local header');
  const start = at + 30 + view.u16(at + 26) + view.u16(at + 28);
  return view.slice(start, entry.compressedSize, 'ZIP entry data');
}
