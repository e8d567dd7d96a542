import Type, { type Static } from 'typebox';
import Value from 'typebox/value';
import type { RoomEvent } from '../../matrix/events.ts';

/** Message types that carry a file. Video and audio are never accepted, but still inspected. */
export const MEDIA_MSGTYPES = ['m.image', 'm.file', 'm.video', 'm.audio'] as const;
export type MediaMsgtype = (typeof MEDIA_MSGTYPES)[number] | 'm.sticker';

const isMediaMsgtype = (value: unknown): value is MediaMsgtype =>
  typeof value === 'string' && (MEDIA_MSGTYPES as readonly string[]).includes(value);

const MediaInfoSchema = Type.Object(
  {
    mimetype: Type.Optional(Type.String()),
    thumbnail_url: Type.Optional(Type.String()),
    thumbnail_file: Type.Optional(Type.Unknown()),
  },
  { additionalProperties: true },
);

/** The fields of a file message (or sticker) that matter here; the rest is kept as it is. */
const MediaContentSchema = Type.Object(
  {
    body: Type.Optional(Type.String()),
    filename: Type.Optional(Type.String()),
    url: Type.Optional(Type.String()),
    file: Type.Optional(Type.Unknown()),
    info: Type.Optional(MediaInfoSchema),
  },
  { additionalProperties: true },
);
type MediaContent = Static<typeof MediaContentSchema>;

/** One file an event asks clients to show, as declared by its sender. */
export interface Attachment {
  msgtype: MediaMsgtype;
  /** The file name (`filename`, else `body` for messages); stickers have only a description. */
  name: string | undefined;
  mimetype: string | undefined;
  /** `url`, when the file is not end-to-end encrypted. */
  url: string | undefined;
  /** `file.url` of an encrypted file (the ciphertext; it cannot be inspected). */
  encryptedUrl: string | undefined;
  thumbnailUrl: string | undefined;
  encryptedThumbnailUrl: string | undefined;
  /** The content did not match the schema of a file message. */
  malformed: boolean;
}

/**
 * The files an event carries: the message itself and, for an edit, its replacement content (a
 * hand-made edit could swap the file of a message for another one). Empty for anything else.
 */
export function attachmentsOf(event: RoomEvent): Attachment[] {
  const found: Attachment[] = [];
  if (event.type === 'm.sticker') {
    found.push(fromContent('m.sticker', event.content));
  } else if (event.type === 'm.room.message') {
    if (isMediaMsgtype(event.content['msgtype'])) found.push(fromContent(event.content['msgtype'], event.content));
    const replacement = event.content['m.new_content'];
    if (isObject(replacement) && isMediaMsgtype(replacement['msgtype'])) found.push(fromContent(replacement['msgtype'], replacement));
  }
  return found;
}

function fromContent(msgtype: MediaMsgtype, content: Record<string, unknown>): Attachment {
  if (!Value.Check(MediaContentSchema, content)) {
    // Refused as it is, but any media it names is still withdrawn.
    return {
      msgtype,
      name: undefined,
      mimetype: undefined,
      url: typeof content['url'] === 'string' ? content['url'] : undefined,
      encryptedUrl: urlOf(content['file']),
      thumbnailUrl: undefined,
      encryptedThumbnailUrl: undefined,
      malformed: true,
    };
  }
  const media: MediaContent = content;
  const name = media.filename ?? (msgtype === 'm.sticker' ? undefined : media.body);
  return {
    msgtype,
    name,
    mimetype: media.info?.mimetype,
    url: media.url,
    encryptedUrl: media.file === undefined ? undefined : (urlOf(media.file) ?? ''),
    thumbnailUrl: media.info?.thumbnail_url,
    encryptedThumbnailUrl: media.info?.thumbnail_file === undefined ? undefined : (urlOf(media.info.thumbnail_file) ?? ''),
    malformed: false,
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function urlOf(file: unknown): string | undefined {
  return isObject(file) && typeof file['url'] === 'string' ? file['url'] : undefined;
}

/** Every mxc URL an attachment refers to, to quarantine them all when it is rejected. */
export function mediaUrlsOf(attachment: Attachment): string[] {
  return [attachment.url, attachment.encryptedUrl, attachment.thumbnailUrl, attachment.encryptedThumbnailUrl].filter(
    (u): u is string => typeof u === 'string' && u.startsWith('mxc://'),
  );
}
