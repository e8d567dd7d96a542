import { fileTypeFromBuffer, type FileTypeResult } from 'file-type';
import { KIND_INFO, type AttachmentKind } from '@chattigo/contracts/attachment-kinds';
import { DamagedFile, listZipEntries, readCfbEntries, type ZipEntry } from './containers.ts';

/** What a file that is none of the accepted kinds looks like, to tell its sender. */
export const UNRECOGNIZED = ['empty', 'executable', 'archive', 'office-macros', 'markup', 'damaged', 'unknown'] as const;
export type Unrecognized = (typeof UNRECOGNIZED)[number];

export type Detection =
  | { recognized: true; kind: AttachmentKind; mime: string; extensions: readonly string[] }
  | { recognized: false; what: Unrecognized };

const recognized = (kind: AttachmentKind): Detection => ({
  recognized: true,
  kind,
  mime: KIND_INFO[kind].mime,
  extensions: KIND_INFO[kind].extensions,
});
const unrecognized = (what: Unrecognized): Detection => ({ recognized: false, what });

/**
 * Determines what a file really is from its bytes alone (never from a declared type or name).
 * Never rejects: damaged, truncated or hostile input is simply not recognized.
 */
export async function detect(bytes: Uint8Array): Promise<Detection> {
  try {
    return await sniff(bytes);
  } catch (err) {
    if (err instanceof DamagedFile) return unrecognized('damaged');
    // A bug here must not let a file through: an unexpected error also means "not recognized".
    return unrecognized('unknown');
  }
}

/**
 * `detect` without the safety net: input a library cannot read rejects with `DamagedFile`, and
 * anything else is a bug. Tests fuzz this one; production code calls `detect`.
 */
export async function sniff(bytes: Uint8Array): Promise<Detection> {
  if (bytes.byteLength === 0) return unrecognized('empty');
  // file-type looks past an ID3 tag for what follows; a document must start with its own signature.
  if (startsWith(bytes, 'ID3')) return unrecognized('unknown');
  let type: FileTypeResult | undefined;
  try {
    type = await fileTypeFromBuffer(bytes);
  } catch (err) {
    throw new DamagedFile('file-type could not read it', { cause: err });
  }
  if (type === undefined) {
    if (startsWith(bytes, '#!')) return unrecognized('executable');
    return unrecognized(isMarkup(bytes) ? 'markup' : 'unknown');
  }
  const ext: string = type.ext;
  const plain = PLAIN_KINDS.get(ext);
  if (plain) return recognized(plain);
  if (ODF_KINDS.has(ext)) return sniffOpenDocument(bytes, ext);
  if (OOXML_FAMILIES.has(ext)) return sniffOfficeOpenXml(bytes, ext);
  if (ext === 'cfb') return sniffCompoundFile(bytes);
  if (EXECUTABLES.has(ext)) return unrecognized('executable');
  if (ARCHIVES.has(ext)) return unrecognized('archive');
  if (ext === 'xml') return unrecognized('markup');
  return unrecognized('unknown');
}

/** file-type's answers that are an accepted kind as they are (APNG is a PNG, Illustrator's .ai a PDF). */
const PLAIN_KINDS: ReadonlyMap<string, AttachmentKind> = new Map([
  ['png', 'png'],
  ['apng', 'png'],
  ['jpg', 'jpeg'],
  ['gif', 'gif'],
  ['webp', 'webp'],
  ['pdf', 'pdf'],
  ['ai', 'pdf'],
]);

const EXECUTABLES: ReadonlySet<string> = new Set(['exe', 'elf', 'macho', 'class', 'wasm', 'dex', 'apk', 'jar', 'xpi']);
/** Compressed archives, and the ZIP-based formats file-type names that are not an accepted kind. */
const ARCHIVES: ReadonlySet<string> = new Set([
  ...['zip', 'rar', '7z', 'gz', 'bz2', 'xz', 'tar', 'zst', 'lz', 'lzh', 'cab', 'cpio', 'ar', 'deb', 'rpm', 'Z'],
  ...['odg', 'ott', 'ots', 'otp', 'otg', 'epub', 'vsdx', '3mf', 'key', 'numbers', 'pages'],
]);

const ODF_KINDS: ReadonlyMap<string, AttachmentKind> = new Map([
  ['odt', 'odt'],
  ['ods', 'ods'],
  ['odp', 'odp'],
]);

/**
 * OpenDocument: file-type has read the `mimetype` entry's type; the format also wants it to be the
 * archive's first entry, stored. Documents with OpenDocument Basic or scripts are not accepted.
 */
async function sniffOpenDocument(bytes: Uint8Array, ext: string): Promise<Detection> {
  const kind = ODF_KINDS.get(ext);
  const entries = await listZipEntries(bytes);
  const first = entries.find((e) => e.localHeaderOffset === 0);
  if (!kind || first?.name !== 'mimetype' || first.method !== 0) return unrecognized('archive');
  if (entries.some((e) => e.name.startsWith('Basic/') || e.name.startsWith('Scripts/'))) return unrecognized('office-macros');
  return recognized(kind);
}

/** Office Open XML types file-type tells apart by `[Content_Types].xml`, by the application's folder. */
const OOXML_FAMILIES: ReadonlyMap<string, AttachmentKind> = new Map([
  ...(['docx', 'docm', 'dotx', 'dotm'] as const).map((ext) => [ext, 'docx'] as const),
  ...(['xlsx', 'xlsm', 'xltx', 'xltm'] as const).map((ext) => [ext, 'xlsx'] as const),
  ...(['pptx', 'pptm', 'potx', 'potm', 'ppsx', 'ppsm'] as const).map((ext) => [ext, 'pptx'] as const),
]);
const OOXML_MACRO_ENABLED: ReadonlySet<string> = new Set(['docm', 'dotm', 'xlsm', 'xltm', 'pptm', 'potm', 'ppsm']);
const OOXML_FOLDERS: ReadonlyArray<[string, AttachmentKind]> = [
  ['word/', 'docx'],
  ['xl/', 'xlsx'],
  ['ppt/', 'pptx'],
];

/**
 * Office Open XML: `[Content_Types].xml` and exactly one of the `word/`, `xl/`, `ppt/` folders, the
 * one of the application file-type found. A macro-enabled type, or a VBA project anywhere, is
 * not accepted even when everything else fits.
 */
async function sniffOfficeOpenXml(bytes: Uint8Array, ext: string): Promise<Detection> {
  const names = (await listZipEntries(bytes)).map((e: ZipEntry) => e.name);
  const kinds = OOXML_FOLDERS.filter(([folder]) => names.some((n) => n.startsWith(folder))).map(([, kind]) => kind);
  const [kind] = kinds;
  if (!names.includes('[Content_Types].xml') || kinds.length !== 1 || !kind || kind !== OOXML_FAMILIES.get(ext)) return unrecognized('archive');
  if (OOXML_MACRO_ENABLED.has(ext) || names.some((n) => n.toLowerCase().endsWith('vbaproject.bin'))) return unrecognized('office-macros');
  return recognized(kind);
}

/** Storages that hold a VBA project: Word's `Macros`, Excel's `_VBA_PROJECT_CUR`, and `VBA` inside them. */
const VBA_STORAGES: ReadonlySet<string> = new Set(['Macros', '_VBA_PROJECT_CUR', 'VBA']);

/**
 * Legacy Office: the main stream at the top of the compound file names the application (a
 * document embedded deeper does not count). A VBA storage at any depth means macros.
 */
function sniffCompoundFile(bytes: Uint8Array): Detection {
  const entries = readCfbEntries(bytes);
  const streams = new Set(entries.filter((e) => e.type === 'stream' && e.topLevel).map((e) => e.name));
  const kinds: AttachmentKind[] = [];
  if (streams.has('WordDocument')) kinds.push('doc');
  if (streams.has('Workbook') || streams.has('Book')) kinds.push('xls');
  if (streams.has('PowerPoint Document')) kinds.push('ppt');
  if (kinds.length !== 1 || !kinds[0]) return unrecognized('unknown');
  if (entries.some((e) => e.type === 'storage' && VBA_STORAGES.has(e.name))) return unrecognized('office-macros');
  return recognized(kinds[0]);
}

function startsWith(bytes: Uint8Array, text: string): boolean {
  return Buffer.from(bytes.subarray(0, text.length)).toString('latin1') === text;
}

/** HTML, SVG or XML: active content that a browser would render. file-type does not look at text. */
function isMarkup(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.subarray(0, 1024)).toString('latin1').toLowerCase();
  return /^(\ufeff|\xef\xbb\xbf)?\s*</.test(head) && /<(svg|html|!doctype|script|\?xml|body|head|iframe)/.test(head);
}
