/**
 * What may be attached (issue 7): images (PNG, JPEG, GIF, WebP), PDF, Word, Excel, PowerPoint
 * and OpenDocument text, spreadsheet and presentation files — nothing else — up to a size limit.
 * The appservice checks every upload again by its bytes; this check spares the person an upload
 * that would be refused, and tells them why at once.
 */
export const DEFAULT_MAX_BYTES = 25 * 1024 * 1024;

export const ALLOWED_TYPES: Readonly<Record<string, string>> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  pdf: 'application/pdf',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ppt: 'application/vnd.ms-powerpoint',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  odt: 'application/vnd.oasis.opendocument.text',
  ods: 'application/vnd.oasis.opendocument.spreadsheet',
  odp: 'application/vnd.oasis.opendocument.presentation',
};

const allowedMimes = new Set(Object.values(ALLOWED_TYPES));

/** The `accept` attribute of the file picker: extensions and MIME types. */
export const ACCEPT = [...Object.keys(ALLOWED_TYPES).map((ext) => `.${ext}`), ...allowedMimes].join(',');

export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

export type FileCheck =
  | { ok: true; mimetype: string; kind: 'image' | 'file' }
  | { ok: false; reason: 'type' | 'size' | 'empty' };

/**
 * Whether a file may be sent. The extension must be an allowed one, and a type the browser
 * reports must agree with it (browsers leave it empty for some Office files; then the extension
 * decides). The type sent with the upload is the one the extension stands for.
 */
export function checkFile(file: { name: string; type: string; size: number }, maxBytes: number): FileCheck {
  const mimetype = ALLOWED_TYPES[extensionOf(file.name)];
  if (!mimetype) return { ok: false, reason: 'type' };
  const reported = file.type.toLowerCase();
  if (reported && reported !== mimetype && !(reported === 'image/jpg' && mimetype === 'image/jpeg')) {
    return { ok: false, reason: 'type' };
  }
  if (file.size === 0) return { ok: false, reason: 'empty' };
  if (file.size > maxBytes) return { ok: false, reason: 'size' };
  return { ok: true, mimetype, kind: mimetype.startsWith('image/') ? 'image' : 'file' };
}

/** The limit in force: the homeserver's when it states a lower one than the default. */
export function effectiveLimit(serverLimit: number | null, configured = DEFAULT_MAX_BYTES): number {
  return serverLimit !== null && serverLimit > 0 ? Math.min(serverLimit, configured) : configured;
}
