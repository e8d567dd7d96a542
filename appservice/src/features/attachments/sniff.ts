import { ByteView, Truncated } from './bytes.ts';
import { looksLikeCfb, readCfbTopLevel } from './cfb.ts';
import { KIND_INFO, type AttachmentKind } from './kinds.ts';
import { looksLikeZip, readZipDirectory, storedData, type ZipEntry } from './zip.ts';

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
 * Never throws: damaged, truncated or hostile input is simply not recognized.
 */
export function detect(bytes: Uint8Array): Detection {
  try {
    return sniff(bytes);
  } catch (err) {
    if (err instanceof Truncated) return unrecognized('damaged');
    // A bug here must not let a file through: an unexpected error also means "not recognized".
    return unrecognized('unknown');
  }
}

/**
 * `detect` without the safety net: damaged input throws `Truncated`, and anything else thrown is
 * a bug. Tests fuzz this one; production code calls `detect`.
 */
export function sniff(bytes: Uint8Array): Detection {
  const view = new ByteView(bytes);
  if (view.length === 0) return unrecognized('empty');
  if (view.has(0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) && view.has(12, 'IHDR')) return recognized('png');
  if (view.has(0, [0xff, 0xd8, 0xff])) return recognized('jpeg');
  if (view.has(0, 'GIF87a') || view.has(0, 'GIF89a')) return recognized('gif');
  if (view.has(0, 'RIFF') && view.has(8, 'WEBP') && (view.has(12, 'VP8 ') || view.has(12, 'VP8L') || view.has(12, 'VP8X'))) {
    return recognized('webp');
  }
  if (view.has(0, '%PDF-') && isDigit(view, 5)) return recognized('pdf');
  if (looksLikeZip(bytes)) return sniffZip(bytes);
  if (looksLikeCfb(bytes)) return sniffCfb(bytes);
  if (isExecutable(view)) return unrecognized('executable');
  if (isArchive(view)) return unrecognized('archive');
  if (isMarkup(bytes)) return unrecognized('markup');
  return unrecognized('unknown');
}

function isDigit(view: ByteView, offset: number): boolean {
  return offset < view.length && view.u8(offset) >= 0x30 && view.u8(offset) <= 0x39;
}

const ODF_TYPES: Readonly<Record<string, AttachmentKind>> = {
  'application/vnd.oasis.opendocument.text': 'odt',
  'application/vnd.oasis.opendocument.spreadsheet': 'ods',
  'application/vnd.oasis.opendocument.presentation': 'odp',
};

const OOXML_FOLDERS: ReadonlyArray<[string, AttachmentKind]> = [
  ['word/', 'docx'],
  ['xl/', 'xlsx'],
  ['ppt/', 'pptx'],
];

/**
 * OpenDocument: the first entry is `mimetype`, stored, naming the type. Office Open XML:
 * `[Content_Types].xml` and exactly one of the `word/`, `xl/`, `ppt/` folders. Any other ZIP is
 * an archive. Documents that carry macros (a VBA project, OpenDocument Basic or scripts) are not
 * accepted even when everything else fits.
 */
function sniffZip(bytes: Uint8Array): Detection {
  const entries = readZipDirectory(bytes);
  const names = entries.map((e) => e.name);
  const first = entries.find((e) => e.localHeaderOffset === 0);
  if (first?.name === 'mimetype') {
    const kind = odfKind(bytes, first);
    if (kind) {
      if (names.some((n) => n.startsWith('Basic/') || n.startsWith('Scripts/'))) return unrecognized('office-macros');
      return recognized(kind);
    }
    return unrecognized('archive');
  }
  if (names.includes('[Content_Types].xml')) {
    const kinds = OOXML_FOLDERS.filter(([folder]) => names.some((n) => n.startsWith(folder))).map(([, kind]) => kind);
    if (kinds.length === 1 && kinds[0]) {
      if (names.some((n) => n.toLowerCase().endsWith('vbaproject.bin'))) return unrecognized('office-macros');
      return recognized(kinds[0]);
    }
  }
  return unrecognized('archive');
}

function odfKind(bytes: Uint8Array, entry: ZipEntry): AttachmentKind | undefined {
  if (entry.compressedSize > 200) return undefined;
  const data = storedData(bytes, entry);
  if (!data) return undefined;
  return ODF_TYPES[Buffer.from(data).toString('latin1')];
}

/** Legacy Office: the main stream at the top of the compound file names the application. */
function sniffCfb(bytes: Uint8Array): Detection {
  const entries = readCfbTopLevel(bytes);
  const streams = new Set(entries.filter((e) => e.type === 'stream').map((e) => e.name));
  const storages = new Set(entries.filter((e) => e.type === 'storage').map((e) => e.name));
  const kinds: AttachmentKind[] = [];
  if (streams.has('WordDocument')) kinds.push('doc');
  if (streams.has('Workbook') || streams.has('Book')) kinds.push('xls');
  if (streams.has('PowerPoint Document')) kinds.push('ppt');
  if (kinds.length !== 1 || !kinds[0]) return unrecognized('unknown');
  if (storages.has('Macros') || storages.has('_VBA_PROJECT_CUR')) return unrecognized('office-macros');
  return recognized(kinds[0]);
}

function isExecutable(view: ByteView): boolean {
  return (
    view.has(0, [0x7f, 0x45, 0x4c, 0x46]) || // ELF
    view.has(0, 'MZ') || // Windows PE / DOS
    view.has(0, [0xfe, 0xed, 0xfa, 0xce]) ||
    view.has(0, [0xfe, 0xed, 0xfa, 0xcf]) ||
    view.has(0, [0xce, 0xfa, 0xed, 0xfe]) ||
    view.has(0, [0xcf, 0xfa, 0xed, 0xfe]) || // Mach-O
    view.has(0, [0xca, 0xfe, 0xba, 0xbe]) || // Mach-O universal, Java class
    view.has(0, '#!') // script
  );
}

function isArchive(view: ByteView): boolean {
  return (
    view.has(0, [0x50, 0x4b, 0x05, 0x06]) || // empty ZIP
    view.has(0, 'Rar!') ||
    view.has(0, [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]) || // 7z
    view.has(0, [0x1f, 0x8b]) || // gzip
    view.has(0, 'BZh') ||
    view.has(0, [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]) // xz
  );
}

/** HTML, SVG or XML: active content that a browser would render. */
function isMarkup(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.subarray(0, 1024)).toString('latin1').toLowerCase();
  return /^(\ufeff|\xef\xbb\xbf)?\s*</.test(head) && /<(svg|html|!doctype|script|\?xml|body|head|iframe)/.test(head);
}
