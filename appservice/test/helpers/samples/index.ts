import { doc, ppt, xls } from './cfb.ts';
import { gif, jpeg, png, webp } from './images.ts';
import { docx, odf, pptx, xlsx } from './office.ts';
import { pdf } from './pdf.ts';
import type { AttachmentKind } from '@chattigo/contracts/attachment-kinds';

export { cfb, doc, ppt, xls } from './cfb.ts';
export { gif, jpeg, png, webp } from './images.ts';
export { elf, html, randomZip, svg } from './misc.ts';
export { docx, odf, pptx, xlsx } from './office.ts';
export { pdf } from './pdf.ts';
export { zip } from './zip.ts';

/** A small valid file of every accepted kind. */
export const samples: Readonly<Record<AttachmentKind, () => Buffer>> = {
  png: () => png(),
  jpeg,
  gif,
  webp,
  pdf: () => pdf(),
  docx: () => docx(),
  xlsx,
  pptx,
  odt: () => odf('odt'),
  ods: () => odf('ods'),
  odp: () => odf('odp'),
  doc: () => doc(),
  xls,
  ppt,
};
