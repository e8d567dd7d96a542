import type { MediaMsgtype } from './content.ts';
import { KIND_INFO, mimeFits, normalizeMime, type AttachmentKind } from '@chattigo/contracts/attachment-kinds';
import type { Detection, Unrecognized } from './sniff.ts';

export interface AttachmentPolicy {
  allowedKinds: readonly AttachmentKind[];
  maxSizeBytes: number;
}

/** Why a file was refused; each one has its own message to the sender (messages.ts). */
export type Rejection =
  | { reason: 'encrypted' }
  | { reason: 'no-media' }
  | { reason: 'unverifiable' }
  | { reason: 'too-large'; limitBytes: number }
  | { reason: 'msgtype'; msgtype: MediaMsgtype }
  | { reason: 'unrecognized'; what: Unrecognized }
  | { reason: 'kind-not-allowed'; kind: AttachmentKind }
  | { reason: 'not-an-image'; kind: AttachmentKind }
  | { reason: 'mime-mismatch'; declared: string; kind: AttachmentKind }
  | { reason: 'extension-mismatch'; extension: string; kind: AttachmentKind }
  | { reason: 'thumbnail' };

export type RejectReason = Rejection['reason'];

export type Verdict = { accepted: true; kind: AttachmentKind } | { accepted: false; rejection: Rejection };

/** What a sender says about a file: how it is sent, its MIME type and its name. */
export interface Declared {
  msgtype: MediaMsgtype;
  mimetype: string | undefined;
  name: string | undefined;
}

/** Message types that clients show inline as an image: only image kinds fit them. */
const IMAGE_MSGTYPES: readonly MediaMsgtype[] = ['m.image', 'm.sticker'];

/** MIME types that say "unknown" rather than naming a type; they contradict nothing. */
const UNSPECIFIED_MIME = new Set(['', 'application/octet-stream']);

/**
 * Judges a file from what its bytes are (`detection`) and what its sender declared. A file is
 * refused when its real kind is not allowed, when it is sent as an image but is not one, when the
 * declared MIME type names another type, or when its name's extension does not fit its real kind.
 */
export function judge(detection: Detection, declared: Declared, policy: AttachmentPolicy): Verdict {
  const reject = (rejection: Rejection): Verdict => ({ accepted: false, rejection });
  if (!detection.recognized) return reject({ reason: 'unrecognized', what: detection.what });
  const { kind } = detection;
  if (!policy.allowedKinds.includes(kind)) return reject({ reason: 'kind-not-allowed', kind });
  if (IMAGE_MSGTYPES.includes(declared.msgtype) && !KIND_INFO[kind].image) return reject({ reason: 'not-an-image', kind });
  if (declared.mimetype !== undefined && !UNSPECIFIED_MIME.has(normalizeMime(declared.mimetype)) && !mimeFits(kind, declared.mimetype)) {
    return reject({ reason: 'mime-mismatch', declared: normalizeMime(declared.mimetype), kind });
  }
  const extension = declared.name === undefined ? undefined : extensionOf(declared.name);
  if (extension !== undefined && !KIND_INFO[kind].extensions.includes(extension)) {
    return reject({ reason: 'extension-mismatch', extension, kind });
  }
  return { accepted: true, kind };
}

/** A thumbnail must be an allowed image, whatever the file it belongs to. */
export function judgeThumbnail(detection: Detection, policy: AttachmentPolicy): Verdict {
  if (detection.recognized && KIND_INFO[detection.kind].image && policy.allowedKinds.includes(detection.kind)) {
    return { accepted: true, kind: detection.kind };
  }
  return { accepted: false, rejection: { reason: 'thumbnail' } };
}

/**
 * The extension of a file name, lower case, or undefined when it has none. Trailing dots and
 * spaces are ignored, as Windows drops them when saving (`informe.exe.` is saved as an .exe); a
 * "extension" without letters (`versión 2.0`) is not one.
 */
export function extensionOf(name: string): string | undefined {
  const base = name.replace(/[\s.]+$/u, '').split(/[\\/]/).pop() ?? '';
  const match = /\.([\p{L}\p{N}_-]{1,16})$/u.exec(base);
  const extension = match?.[1];
  if (extension === undefined || !/\p{L}/u.test(extension)) return undefined;
  return extension.toLowerCase();
}
