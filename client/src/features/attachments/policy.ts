import { ATTACHMENT_KINDS, KIND_INFO, normalizeMime } from '@chattigo/contracts/attachment-kinds';

/**
 * What may be attached (issue 7): the kinds and size limit the appservice announces at
 * `GET /api/v1/attachments/policy` (configurable there), by default images (PNG, JPEG, GIF, WebP),
 * PDF, Word, Excel, PowerPoint and OpenDocument files up to 25 MiB. The appservice checks every
 * file again by its bytes; this check only spares the person an upload that would be refused and
 * tells them why at once. The kinds' MIME types and aliases come from the appservice's own table.
 */
export const DEFAULT_MAX_BYTES = 25 * 1024 * 1024;

export interface AllowedKind {
  kind: string;
  mime: string;
  extensions: readonly string[];
  image: boolean;
}

export interface ClientPolicy {
  maxBytes: number;
  kinds: readonly AllowedKind[];
}

/** Used until (or if not) the appservice answers: every kind it knows, 25 MiB. */
export const DEFAULT_POLICY: ClientPolicy = {
  maxBytes: DEFAULT_MAX_BYTES,
  kinds: ATTACHMENT_KINDS.map((kind) => ({ kind, mime: KIND_INFO[kind].mime, extensions: KIND_INFO[kind].extensions, image: KIND_INFO[kind].image })),
};

/** The file picker's `accept` attribute: every allowed extension and MIME type. */
export function acceptAttribute(policy: ClientPolicy): string {
  const items = new Set<string>();
  for (const k of policy.kinds) {
    for (const ext of k.extensions) items.add(`.${ext}`);
    items.add(k.mime);
  }
  return [...items].join(',');
}

export function extensionOf(name: string): string {
  const base = name.replace(/[\s.]+$/u, '');
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
}

/** The MIME types a browser may report for a kind: its own and the aliases the appservice knows. */
function mimesOf(kind: AllowedKind): string[] {
  const known = (ATTACHMENT_KINDS as readonly string[]).includes(kind.kind) ? KIND_INFO[kind.kind as keyof typeof KIND_INFO] : null;
  return [kind.mime, ...(known?.aliases ?? [])];
}

export type FileCheck =
  | { ok: true; mimetype: string; image: boolean }
  | { ok: false; reason: 'type' | 'size' | 'empty' };

/**
 * Whether a file may be sent: its extension must be one of an allowed kind, and a type the
 * browser reports must agree with that kind (browsers report none, or octet-stream, for some
 * Office files; then the extension decides). The upload is declared with the kind's MIME type.
 */
export function checkFile(file: { name: string; type: string; size: number }, policy: ClientPolicy): FileCheck {
  const ext = extensionOf(file.name);
  const kind = policy.kinds.find((k) => k.extensions.includes(ext));
  if (!kind) return { ok: false, reason: 'type' };
  const reported = normalizeMime(file.type);
  if (reported && reported !== 'application/octet-stream' && !mimesOf(kind).includes(reported)) return { ok: false, reason: 'type' };
  if (file.size === 0) return { ok: false, reason: 'empty' };
  if (file.size > policy.maxBytes) return { ok: false, reason: 'size' };
  return { ok: true, mimetype: kind.mime, image: kind.image };
}
