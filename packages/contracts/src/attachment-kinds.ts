/**
 * The kinds of file agents may exchange: what each one is called, its canonical MIME type, the MIME
 * types clients are known to declare for it, and the file name extensions that fit it.
 */
export const ATTACHMENT_KINDS = [
  'png',
  'jpeg',
  'gif',
  'webp',
  'pdf',
  'docx',
  'xlsx',
  'pptx',
  'odt',
  'ods',
  'odp',
  'doc',
  'xls',
  'ppt',
] as const;

export type AttachmentKind = (typeof ATTACHMENT_KINDS)[number];

export interface KindInfo {
  /** The canonical MIME type. */
  mime: string;
  /** Other MIME types that clients declare for the same thing. */
  aliases: readonly string[];
  /** File name extensions that fit, lower case, without the dot; the first is the usual one. */
  extensions: readonly string[];
  image: boolean;
  /** How a person would name it (same in Spanish and English). */
  label: string;
}

export const KIND_INFO: Readonly<Record<AttachmentKind, KindInfo>> = {
  png: { mime: 'image/png', aliases: ['image/x-png'], extensions: ['png'], image: true, label: 'PNG' },
  jpeg: { mime: 'image/jpeg', aliases: ['image/jpg', 'image/pjpeg'], extensions: ['jpg', 'jpeg', 'jpe', 'jfif'], image: true, label: 'JPEG' },
  gif: { mime: 'image/gif', aliases: [], extensions: ['gif'], image: true, label: 'GIF' },
  webp: { mime: 'image/webp', aliases: [], extensions: ['webp'], image: true, label: 'WebP' },
  pdf: { mime: 'application/pdf', aliases: ['application/x-pdf'], extensions: ['pdf'], image: false, label: 'PDF' },
  docx: {
    mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    aliases: [],
    extensions: ['docx'],
    image: false,
    label: 'Word (docx)',
  },
  xlsx: {
    mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    aliases: [],
    extensions: ['xlsx'],
    image: false,
    label: 'Excel (xlsx)',
  },
  pptx: {
    mime: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    aliases: [],
    extensions: ['pptx'],
    image: false,
    label: 'PowerPoint (pptx)',
  },
  odt: { mime: 'application/vnd.oasis.opendocument.text', aliases: [], extensions: ['odt'], image: false, label: 'OpenDocument (odt)' },
  ods: {
    mime: 'application/vnd.oasis.opendocument.spreadsheet',
    aliases: [],
    extensions: ['ods'],
    image: false,
    label: 'OpenDocument (ods)',
  },
  odp: {
    mime: 'application/vnd.oasis.opendocument.presentation',
    aliases: [],
    extensions: ['odp'],
    image: false,
    label: 'OpenDocument (odp)',
  },
  doc: { mime: 'application/msword', aliases: [], extensions: ['doc'], image: false, label: 'Word (doc)' },
  xls: {
    mime: 'application/vnd.ms-excel',
    aliases: ['application/excel', 'application/x-excel', 'application/x-msexcel'],
    extensions: ['xls'],
    image: false,
    label: 'Excel (xls)',
  },
  ppt: {
    mime: 'application/vnd.ms-powerpoint',
    aliases: ['application/mspowerpoint', 'application/x-mspowerpoint'],
    extensions: ['ppt'],
    image: false,
    label: 'PowerPoint (ppt)',
  },
};

/** Whether a declared MIME type (parameters and case ignored) names `kind`. */
export function mimeFits(kind: AttachmentKind, declared: string): boolean {
  const info = KIND_INFO[kind];
  const bare = normalizeMime(declared);
  return bare === info.mime || info.aliases.includes(bare);
}

/** `Image/PNG; charset=x` → `image/png`. */
export function normalizeMime(declared: string): string {
  return (declared.split(';')[0] ?? '').trim().toLowerCase();
}
