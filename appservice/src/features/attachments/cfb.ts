import { ByteView, Truncated } from './bytes.ts';

/**
 * Just enough of the Compound File Binary format (OLE2, [MS-CFB]) to list the streams and storages
 * at the top of a file: the legacy Office formats are told apart by those names.
 */
export const CFB_SIGNATURE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

export interface CfbEntry {
  name: string;
  type: 'storage' | 'stream';
}

const DIFAT_IN_HEADER = 109;
const DIR_ENTRY_SIZE = 128;
const NO_STREAM = 0xffffffff;
const END_OF_CHAIN = 0xfffffffe;
const FREE = 0xffffffff;
/** Far more directory entries than a document has; bounds the work on a hostile file. */
const MAX_ENTRIES = 50_000;

export function looksLikeCfb(bytes: Uint8Array): boolean {
  return new ByteView(bytes).has(0, CFB_SIGNATURE);
}

/** The entries directly under the root storage. Throws `Truncated` when the file is damaged. */
export function readCfbTopLevel(bytes: Uint8Array): CfbEntry[] {
  const view = new ByteView(bytes);
  if (!view.has(0, CFB_SIGNATURE)) throw new Truncated('CFB signature');
  if (view.u16(28) !== 0xfffe) throw new Truncated('CFB byte order');
  const shift = view.u16(30);
  if (shift !== 9 && shift !== 12) throw new Truncated('CFB sector size');
  const sectorSize = 1 << shift;
  // The header fills the first sector (512 bytes of it are used); sector 0 follows it.
  const sectorCount = Math.max(0, Math.floor(view.length / sectorSize) - 1);
  const sectorOffset = (sector: number) => {
    if (sector >= sectorCount) throw new Truncated('CFB sector number');
    return (sector + 1) * sectorSize;
  };

  const fat = readFat(view, sectorSize, sectorCount, sectorOffset);
  const chain = (start: number): number[] => {
    const sectors: number[] = [];
    const seen = new Set<number>();
    for (let s = start; s !== END_OF_CHAIN; s = fat[s] ?? FREE) {
      if (s >= sectorCount || seen.has(s)) throw new Truncated('CFB sector chain');
      seen.add(s);
      sectors.push(s);
    }
    return sectors;
  };

  const directorySectors = chain(view.u32(48));
  const perSector = sectorSize / DIR_ENTRY_SIZE;
  const entryAt = (id: number): number => {
    const sector = directorySectors[Math.floor(id / perSector)];
    if (sector === undefined) throw new Truncated('CFB directory entry');
    return sectorOffset(sector) + (id % perSector) * DIR_ENTRY_SIZE;
  };
  if (view.u8(entryAt(0) + 66) !== 5) throw new Truncated('CFB root entry');

  const entries: CfbEntry[] = [];
  const visited = new Set<number>();
  const pending = [view.u32(entryAt(0) + 76)];
  while (pending.length > 0) {
    const id = pending.pop();
    if (id === undefined || id === NO_STREAM) continue;
    if (visited.has(id) || visited.size >= MAX_ENTRIES) throw new Truncated('CFB directory tree');
    visited.add(id);
    const at = entryAt(id);
    const nameBytes = view.u16(at + 64);
    if (nameBytes > 64 || nameBytes % 2 !== 0) throw new Truncated('CFB entry name');
    const name = Buffer.from(view.slice(at, Math.max(0, nameBytes - 2))).toString('utf16le');
    const type = view.u8(at + 66);
    if (type === 1 || type === 2) entries.push({ name, type: type === 1 ? 'storage' : 'stream' });
    pending.push(view.u32(at + 68), view.u32(at + 72));
  }
  return entries;
}

/** The file allocation table: the header's DIFAT, then the DIFAT sector chain. */
function readFat(view: ByteView, sectorSize: number, sectorCount: number, sectorOffset: (s: number) => number): number[] {
  const fatSectorCount = view.u32(44);
  if (fatSectorCount > sectorCount) throw new Truncated('CFB FAT size');
  const fatSectors: number[] = [];
  for (let i = 0; i < DIFAT_IN_HEADER && fatSectors.length < fatSectorCount; i++) fatSectors.push(view.u32(76 + i * 4));
  const perDifat = sectorSize / 4 - 1;
  const seen = new Set<number>();
  for (let d = view.u32(68); fatSectors.length < fatSectorCount; ) {
    if (d === END_OF_CHAIN || d === FREE || seen.has(d)) throw new Truncated('CFB DIFAT chain');
    seen.add(d);
    const at = sectorOffset(d);
    for (let i = 0; i < perDifat && fatSectors.length < fatSectorCount; i++) fatSectors.push(view.u32(at + i * 4));
    d = view.u32(at + perDifat * 4);
  }
  const fat: number[] = [];
  for (const sector of fatSectors) {
    const at = sectorOffset(sector);
    for (let i = 0; i < sectorSize / 4; i++) fat.push(view.u32(at + i * 4));
  }
  return fat;
}
