import { MsgType } from 'matrix-js-sdk';
import type { UserMessage } from '../../errors.ts';
import { KIND_INFO, type AttachmentKind } from './kinds.ts';
import type { AttachmentPolicy, Rejection } from './policy.ts';
import type { Unrecognized } from './sniff.ts';

const WHAT: Readonly<Record<Unrecognized, UserMessage>> = {
  empty: { es: 'el archivo está vacío', en: 'the file is empty' },
  executable: { es: 'su contenido es un programa ejecutable', en: 'its content is an executable program' },
  archive: { es: 'su contenido es un archivo comprimido', en: 'its content is a compressed archive' },
  'office-macros': { es: 'es un documento con macros', en: 'it is a document with macros' },
  markup: { es: 'su contenido es HTML, SVG o XML', en: 'its content is HTML, SVG or XML' },
  damaged: { es: 'el archivo está dañado o incompleto', en: 'the file is damaged or incomplete' },
  unknown: { es: 'su tipo de archivo no está permitido', en: 'its file type is not allowed' },
};

const label = (kind: AttachmentKind) => KIND_INFO[kind].label;

function megabytes(bytes: number): string {
  return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
}

/** Why a file was refused, in words for its sender. */
export function explain(rejection: Rejection): UserMessage {
  switch (rejection.reason) {
    case 'encrypted':
      return { es: 'los archivos cifrados no se pueden revisar', en: 'encrypted files cannot be checked' };
    case 'no-media':
      return { es: 'el mensaje no trae un archivo válido', en: 'the message carries no valid file' };
    case 'unverifiable':
      return { es: 'no se pudo descargar el archivo para revisarlo', en: 'the file could not be downloaded to be checked' };
    case 'too-large':
      return {
        es: `supera el tamaño máximo de ${megabytes(rejection.limitBytes)}`,
        en: `it is larger than the limit of ${megabytes(rejection.limitBytes)}`,
      };
    case 'msgtype':
      return { es: 'no se permiten videos ni audios', en: 'video and audio are not allowed' };
    case 'unrecognized':
      return WHAT[rejection.what];
    case 'kind-not-allowed':
      return { es: `no se permiten archivos ${label(rejection.kind)}`, en: `${label(rejection.kind)} files are not allowed` };
    case 'not-an-image':
      return {
        es: `se envió como imagen pero es un archivo ${label(rejection.kind)}`,
        en: `it was sent as an image but is a ${label(rejection.kind)} file`,
      };
    case 'mime-mismatch':
      return {
        es: `dice ser ${rejection.declared} pero su contenido es ${label(rejection.kind)}`,
        en: `it claims to be ${rejection.declared} but its content is ${label(rejection.kind)}`,
      };
    case 'extension-mismatch':
      return {
        es: `su nombre termina en .${rejection.extension} pero su contenido es ${label(rejection.kind)}`,
        en: `its name ends in .${rejection.extension} but its content is ${label(rejection.kind)}`,
      };
    case 'thumbnail':
      return { es: 'su miniatura no es una imagen permitida', en: 'its thumbnail is not an allowed image' };
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

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The redaction reason: short, both languages. */
export function redactionReason(rejection: Rejection): string {
  const why = explain(rejection);
  return `Archivo no permitido: ${why.es}. / File not allowed: ${why.en}.`;
}

/**
 * The notice that tells the sender why their file was removed: Spanish on the first line, English
 * on the second, mentioning the sender.
 */
export function rejectionNotice(sender: string, name: string | undefined, rejection: Rejection, policy: AttachmentPolicy) {
  const why = explain(rejection);
  const file = shortName(name);
  const allowed = allowedList(policy);
  const es = (who: string, what: string) =>
    `${who}: se eliminó ${what} porque ${why.es}. Archivos permitidos: ${allowed}.`;
  const en = (who: string, what: string) =>
    `${who}: ${what} was removed because ${why.en}. Allowed files: ${allowed}.`;
  const esWhat = (q: (s: string) => string) => (file ? `el archivo «${q(file)}»` : 'el archivo');
  const enWhat = (q: (s: string) => string) => (file ? `the file “${q(file)}”` : 'the file');
  const plain = (s: string) => s;
  const pill = `<a href="https://matrix.to/#/${encodeURIComponent(sender)}">${escapeHtml(sender)}</a>`;
  return {
    msgtype: MsgType.Notice as const,
    body: `${es(sender, esWhat(plain))}\n${en(sender, enWhat(plain))}`,
    format: 'org.matrix.custom.html' as const,
    formatted_body: `${es(pill, esWhat(escapeHtml))}<br>${en(pill, enWhat(escapeHtml))}`,
    'm.mentions': { user_ids: [sender] },
  };
}
