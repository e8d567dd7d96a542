import CFB from 'cfb';
import yauzl from 'yauzl';

/** Raised when a library cannot read a container (ZIP or compound file): the file is damaged. */
export class DamagedFile extends Error {
  constructor(what: string, options?: { cause?: unknown }) {
    super(`damaged: ${what}`, options);
    this.name = 'DamagedFile';
  }
}

/** One file of a ZIP archive, as its central directory describes it. */
export interface ZipEntry {
  name: string;
  /** 0 when stored, 8 when deflated. */
  method: number;
  localHeaderOffset: number;
}

/** More entries than any document we accept has; bounds the work on a hostile archive. */
const MAX_ZIP_ENTRIES = 20_000;

/**
 * The entries of a ZIP archive's central directory, read by yauzl (which checks each entry's
 * signature, the entry count against the directory, ZIP64, and refuses absolute or `..` names).
 * Nothing is decompressed. Rejects with `DamagedFile` when the archive is damaged or has more than
 * `MAX_ZIP_ENTRIES` entries.
 */
export function listZipEntries(bytes: Uint8Array): Promise<ZipEntry[]> {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return new Promise((resolve, reject) => {
    const fail = (what: string, cause?: unknown) => reject(new DamagedFile(`ZIP ${what}`, { cause }));
    yauzl.fromBuffer(buffer, { lazyEntries: true, decodeStrings: true, strictFileNames: false }, (err, zip) => {
      if (err) return fail(err.message, err);
      if (zip.entryCount > MAX_ZIP_ENTRIES) {
        zip.close();
        return fail(`has ${zip.entryCount} entries`);
      }
      const entries: ZipEntry[] = [];
      zip.on('entry', (entry: yauzl.Entry) => {
        entries.push({ name: entry.fileName, method: entry.compressionMethod, localHeaderOffset: entry.relativeOffsetOfLocalHeader });
        zip.readEntry();
      });
      zip.on('end', () => resolve(entries));
      zip.on('error', (error: Error) => fail(error.message, error));
      zip.readEntry();
    });
  });
}

/** One stream or storage of a compound file. */
export interface CfbEntry {
  name: string;
  type: 'storage' | 'stream';
  /** Directly under the root storage. */
  topLevel: boolean;
}

const CFB_STORAGE = 1;
const CFB_STREAM = 2;

/**
 * Every stream and storage of a Compound File Binary (OLE2) file, read by SheetJS cfb. Throws
 * `DamagedFile` when cfb cannot read it, or when an entry is not reached from the root (a
 * directory tree that loops or is cut).
 */
export function readCfbEntries(bytes: Uint8Array): CfbEntry[] {
  let container: CFB.CFB$Container;
  try {
    container = CFB.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), { type: 'buffer' });
  } catch (err) {
    throw new DamagedFile(`compound file: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  const root = container.FullPaths[0];
  if (root === undefined || container.FileIndex[0]?.type !== 5) throw new DamagedFile('compound file root entry');
  const entries: CfbEntry[] = [];
  container.FileIndex.forEach((entry, i) => {
    if (entry.type !== CFB_STORAGE && entry.type !== CFB_STREAM) return;
    const path = container.FullPaths[i] ?? '';
    if (!path.startsWith(root)) throw new DamagedFile('compound file directory tree');
    // Storages' paths end with a slash: `Root Entry/Macros/`.
    const depth = path.slice(root.length).replace(/\/$/, '').split('/').length;
    entries.push({ name: entry.name, type: entry.type === CFB_STORAGE ? 'storage' : 'stream', topLevel: depth === 1 });
  });
  return entries;
}
