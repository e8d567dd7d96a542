import type { Language } from '@chattigo/contracts/language';
import { composeNotice, type Notice } from '../../matrix/notices.ts';
import { bilingual, joinList, message, perLanguage, render, type Localized, type Message } from '../../i18n/index.ts';
import { KIND_INFO, type AttachmentKind } from '@chattigo/contracts/attachment-kinds';
import type { AttachmentPolicy, Rejection } from './policy.ts';
import type { Unrecognized } from './sniff.ts';

const WHAT: Readonly<Record<Unrecognized, Message>> = {
  empty: message('attachments.why.empty'),
  executable: message('attachments.why.executable'),
  archive: message('attachments.why.archive'),
  'office-macros': message('attachments.why.officeMacros'),
  markup: message('attachments.why.markup'),
  damaged: message('attachments.why.damaged'),
  unknown: message('attachments.why.unknown'),
};

const label = (kind: AttachmentKind) => KIND_INFO[kind].label;

function megabytes(bytes: number): string {
  return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
}

/** Why a file was refused, in words for its sender (a clause: "porque …" / "because …"). */
export function explain(rejection: Rejection): Message {
  switch (rejection.reason) {
    case 'encrypted':
      return message('attachments.why.encrypted');
    case 'no-media':
      return message('attachments.why.noMedia');
    case 'unverifiable':
      return message('attachments.why.unverifiable');
    case 'too-large':
      return message('attachments.why.tooLarge', { limit: megabytes(rejection.limitBytes) });
    case 'msgtype':
      return message('attachments.why.msgtype');
    case 'unrecognized':
      return WHAT[rejection.what];
    case 'kind-not-allowed':
      return message('attachments.why.kindNotAllowed', { kind: label(rejection.kind) });
    case 'not-an-image':
      return message('attachments.why.notAnImage', { kind: label(rejection.kind) });
    case 'mime-mismatch':
      return message('attachments.why.mimeMismatch', { declared: rejection.declared, kind: label(rejection.kind) });
    case 'extension-mismatch':
      return message('attachments.why.extensionMismatch', { extension: rejection.extension, kind: label(rejection.kind) });
    case 'thumbnail':
      return message('attachments.why.thumbnail');
  }
}

function allowedList(policy: AttachmentPolicy): string {
  return policy.allowedKinds.map((kind) => KIND_INFO[kind].extensions[0] ?? kind).join(', ');
}

const MAX_NAME = 80;

function shortName(name: string | undefined): string | undefined {
  const trimmed = name?.trim();
  if (!trimmed) return undefined;
  return trimmed.length > MAX_NAME ? `${trimmed.slice(0, MAX_NAME - 1)}…` : trimmed;
}

/** The redaction reason, in the sender's language. */
export function redactionReason(lang: Language, rejection: Rejection): string {
  return render(lang, message('attachments.refused', { why: explain(rejection) }));
}

/** Who sent a refused file: their Matrix id, their display name and their language. */
export interface Sender {
  userId: string;
  name: string;
  lang: Language;
}

/**
 * The notice that tells the sender why their file was removed: to them by name (a pill and a
 * mention), in their language. The file name, its extension and the declared MIME type come from
 * the sender: they are plain text, escaped in the HTML version.
 */
export function rejectionNotice(sender: Sender, name: string | undefined, rejection: Rejection, policy: AttachmentPolicy): Notice {
  const why = explain(rejection);
  const file = shortName(name);
  const allowed = allowedList(policy);
  return composeNotice({
    kind: 'attachment.removed',
    recipients: [sender.userId],
    lang: sender.lang,
    text: file
      ? message('attachments.removedNamed', { sender: sender.name, file, why, allowed })
      : message('attachments.removed', { sender: sender.name, why, allowed }),
    mention: { param: 'sender', userId: sender.userId },
  });
}

/** What may be uploaded, grouped as a person would say it, from the policy's kinds. */
function allowedGroups(policy: AttachmentPolicy): Localized {
  const images = policy.allowedKinds.filter((k) => KIND_INFO[k].image).map(label);
  const pdf = policy.allowedKinds.includes('pdf');
  const office = policy.allowedKinds.filter((k) => !KIND_INFO[k].image && k !== 'pdf').map((k) => KIND_INFO[k].extensions[0] ?? k);
  const groups: (Message | string)[] = [];
  if (images.length > 0) groups.push(message('attachments.images', { kinds: images.join(', ') }));
  if (pdf) groups.push('PDF');
  if (office.length > 0) groups.push(message('attachments.office', { kinds: office.join(', ') }));
  return perLanguage((lang) => joinList(lang, groups.map((g) => (typeof g === 'string' ? g : render(lang, g)))));
}

/** The error of an upload Synapse refuses (chattigo_policy module): why, and what is allowed. */
export function uploadRefusal(rejection: Rejection, policy: AttachmentPolicy): string {
  return bilingual(message('attachments.uploadRefused', { why: explain(rejection), allowed: allowedGroups(policy) }), ' / ');
}
