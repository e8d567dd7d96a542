/**
 * A minimal Compound File Binary (OLE2) writer: version 3 (512-byte sectors), one FAT sector, the
 * directory, and streams of at least 4096 bytes so that none of them lives in the mini stream.
 */
export interface CfbInput {
  name: string;
  /** A stream's bytes. */
  data?: Uint8Array;
  /** A storage's entries (a storage when `data` is omitted). */
  children?: readonly CfbInput[];
}

const SECTOR = 512;
const ENTRIES_PER_SECTOR = SECTOR / 128;
const FREE = 0xffffffff;
const END_OF_CHAIN = 0xfffffffe;
const FAT_SECTOR = 0xfffffffd;
const NO_STREAM = 0xffffffff;
const MIN_STREAM = 4096;

/** [MS-CFB] order of siblings: shorter names first, then by upper-cased code units. */
function compareNames(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  const [x, y] = [a.toUpperCase(), b.toUpperCase()];
  return x < y ? -1 : x > y ? 1 : 0;
}

/** A CLSID's 16 bytes as stored: the first three fields little-endian, the rest as written. */
function clsidBytes(clsid: string): Buffer {
  const [d1 = '', d2 = '', d3 = '', d4 = '', d5 = ''] = clsid.split('-');
  const out = Buffer.alloc(16);
  out.writeUInt32LE(parseInt(d1, 16), 0);
  out.writeUInt16LE(parseInt(d2, 16), 4);
  out.writeUInt16LE(parseInt(d3, 16), 6);
  Buffer.from(d4 + d5, 'hex').copy(out, 8);
  return out;
}

interface DirEntry {
  name: string;
  type: 1 | 2 | 5;
  left: number;
  right: number;
  child: number;
  data: Buffer | undefined;
  start: number;
}

/** A compound file whose root holds `entries`; `rootClsid` names the application that made it. */
export function cfb(entries: readonly CfbInput[], rootClsid?: string): Buffer {
  const directory: DirEntry[] = [];
  const add = (name: string, type: DirEntry['type'], data?: Uint8Array): number => {
    const padded = data ? Buffer.alloc(Math.max(MIN_STREAM, data.length)) : undefined;
    if (padded && data) padded.set(data);
    directory.push({ name, type, left: NO_STREAM, right: NO_STREAM, child: NO_STREAM, data: padded, start: END_OF_CHAIN });
    return directory.length - 1;
  };
  /** Adds a storage's children as a balanced binary tree and returns the id of its top. */
  const addChildren = (children: readonly CfbInput[]): number => {
    const sorted = [...children].sort((a, b) => compareNames(a.name, b.name));
    const ids = sorted.map((child) => add(child.name, child.data ? 2 : 1, child.data));
    sorted.forEach((child, i) => {
      const entry = directory[ids[i] ?? 0];
      if (entry && child.children) entry.child = addChildren(child.children);
    });
    const build = (from: number, to: number): number => {
      if (from > to) return NO_STREAM;
      const middle = Math.floor((from + to) / 2);
      const entry = directory[ids[middle] ?? 0];
      if (entry) {
        entry.left = build(from, middle - 1);
        entry.right = build(middle + 1, to);
      }
      return ids[middle] ?? NO_STREAM;
    };
    return build(0, sorted.length - 1);
  };
  add('Root Entry', 5);
  const root = directory[0];
  if (root) root.child = addChildren(entries);

  // Sector 0: FAT, then the directory sectors, then each stream's sectors in turn.
  const directorySectors = Math.ceil(directory.length / ENTRIES_PER_SECTOR);
  const fat: number[] = [FAT_SECTOR];
  for (let i = 0; i < directorySectors; i++) fat.push(i === directorySectors - 1 ? END_OF_CHAIN : fat.length + 1);
  for (const entry of directory) {
    if (!entry.data) continue;
    const count = Math.ceil(entry.data.length / SECTOR);
    entry.start = fat.length;
    for (let i = 0; i < count; i++) fat.push(i === count - 1 ? END_OF_CHAIN : fat.length + 1);
  }
  if (fat.length > SECTOR / 4) throw new Error('this writer keeps the FAT in one sector');

  const header = Buffer.alloc(SECTOR);
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(header, 0);
  header.writeUInt16LE(0x003e, 24); // minor version
  header.writeUInt16LE(3, 26); // major version
  header.writeUInt16LE(0xfffe, 28); // byte order
  header.writeUInt16LE(9, 30); // sector shift
  header.writeUInt16LE(6, 32); // mini sector shift
  header.writeUInt32LE(1, 44); // FAT sectors
  header.writeUInt32LE(1, 48); // first directory sector
  header.writeUInt32LE(MIN_STREAM, 56); // mini stream cutoff
  header.writeUInt32LE(END_OF_CHAIN, 60); // no mini FAT
  header.writeUInt32LE(END_OF_CHAIN, 68); // no DIFAT sectors
  header.writeUInt32LE(0, 76); // DIFAT[0]: the FAT is sector 0
  for (let i = 1; i < 109; i++) header.writeUInt32LE(FREE, 76 + i * 4);

  const fatSector = Buffer.alloc(SECTOR, 0xff);
  fat.forEach((value, i) => fatSector.writeUInt32LE(value, i * 4));

  const dir = Buffer.alloc(directorySectors * SECTOR);
  for (let id = 0; id < directorySectors * ENTRIES_PER_SECTOR; id++) {
    const at = id * 128;
    const entry = directory[id];
    if (!entry) {
      for (const field of [68, 72, 76]) dir.writeUInt32LE(NO_STREAM, at + field);
      continue;
    }
    dir.write(`${entry.name}\0`, at, 'utf16le');
    dir.writeUInt16LE((entry.name.length + 1) * 2, at + 64);
    dir.writeUInt8(entry.type, at + 66);
    dir.writeUInt8(1, at + 67); // black
    dir.writeUInt32LE(entry.left, at + 68);
    dir.writeUInt32LE(entry.right, at + 72);
    dir.writeUInt32LE(entry.child, at + 76);
    dir.writeUInt32LE(entry.start, at + 116);
    dir.writeUInt32LE(entry.data?.length ?? 0, at + 120);
  }
  if (rootClsid) clsidBytes(rootClsid).copy(dir, 80);

  const body = directory.flatMap((entry) => {
    if (!entry.data) return [];
    const padded = Buffer.alloc(Math.ceil(entry.data.length / SECTOR) * SECTOR);
    entry.data.copy(padded);
    return [padded];
  });
  return Buffer.concat([header, fatSector, dir, ...body]);
}

/** A Word 97–2003 document: a WordDocument stream that starts with a FIB, and its table stream. */
export function doc(extra: readonly CfbInput[] = []): Buffer {
  const fib = Buffer.alloc(32);
  fib.writeUInt16LE(0xa5ec, 0); // wIdent
  fib.writeUInt16LE(0x00c1, 2); // nFib: Word 97
  fib.writeUInt16LE(0x0200, 10); // fWhichTblStm: 1Table
  return cfb([{ name: 'WordDocument', data: fib }, { name: '1Table', data: Buffer.alloc(16) }, ...extra], '00020906-0000-0000-C000-000000000046');
}

/** An Excel 97–2003 workbook: a Workbook stream with a BIFF8 BOF and EOF record. */
export function xls(extra: readonly CfbInput[] = []): Buffer {
  const records = Buffer.alloc(24);
  records.writeUInt16LE(0x0809, 0); // BOF
  records.writeUInt16LE(16, 2);
  records.writeUInt16LE(0x0600, 4); // BIFF8
  records.writeUInt16LE(0x0005, 6); // workbook globals
  records.writeUInt16LE(0x000a, 20); // EOF
  return cfb([{ name: 'Workbook', data: records }, ...extra], '00020820-0000-0000-C000-000000000046');
}

/** A PowerPoint 97–2003 presentation: its document stream and the Current User stream. */
export function ppt(): Buffer {
  const currentUser = Buffer.alloc(8);
  currentUser.writeUInt16LE(0x0ff6, 2); // RT_CurrentUserAtom record type
  const document = Buffer.alloc(8);
  document.writeUInt16LE(0x000f, 0); // container
  document.writeUInt16LE(0x03e8, 2); // RT_Document
  return cfb([{ name: 'PowerPoint Document', data: document }, { name: 'Current User', data: currentUser }], '64818D10-4F9B-11CF-86EA-00AA00B929E8');
}
