import { setTimeout as sleep } from 'node:timers/promises';
import { EventType, MatrixError } from 'matrix-js-sdk';
import Type from 'typebox';
import Value from 'typebox/value';
import { SynapseAdminError, type SynapseAdmin } from '../../matrix/admin.ts';
import type { RoomEvent } from '../../matrix/events.ts';
import type { MatrixGateway } from '../../matrix/gateway.ts';
import { readerLanguage, sendNotice, type LanguageOf } from '../../matrix/notices.ts';
import type { RoomEventHandler } from '../../matrix/processor.ts';
import type { Logger } from '../../observability/logger.ts';
import type { Metrics } from '../../observability/metrics.ts';
import { transactionId as eventTransactionId } from '../../util/transaction-id.ts';
import { attachmentsOf, mediaUrlsOf, type Attachment } from './content.ts';
import { fetchMedia, isMxcUrl, parseMxc, TransientMediaError, type Fetched } from './media.ts';
import { redactionReason, rejectionNotice, type Sender } from './messages.ts';
import { judge, judgeThumbnail, type AttachmentPolicy, type Rejection, type Verdict } from './policy.ts';
import { detect } from './sniff.ts';

export interface AttachmentHandlerOptions {
  gateway: MatrixGateway;
  admin: Pick<SynapseAdmin, 'quarantineMedia' | 'request'>;
  /** The homeserver's server_name: its own media can be deleted, other servers' only quarantined. */
  serverName: string;
  policy: AttachmentPolicy;
  metrics: Metrics;
  log: Logger;
  /** The sender's language from the directory: the notice and the redaction reason are written in it. */
  languageOf: LanguageOf;
  /** Downloads tried before a file that cannot be fetched is refused as unverifiable. */
  downloadAttempts?: number;
}

/** A verdict with the real kind (or what the bytes looked like) for the metrics and the log. */
interface Inspection {
  verdict: Verdict;
  kind: string;
  attachment: Attachment;
}

/**
 * Inspects every file, image or sticker sent in a room the bot is in: downloads it as the bot,
 * determines its real type from its bytes and judges it against the policy. A refused file's
 * event is redacted, the media it names that its sender uploaded withdrawn (quarantined, or deleted
 * when the bytes are an allowed kind that was only mislabelled; either way no one can download it
 * any more; a colleague's file named in the event is left alone) and its sender told
 * why in the room. Files that cannot be inspected (encrypted, missing, unreachable) are refused.
 */
export class AttachmentHandler implements RoomEventHandler {
  readonly name = 'attachments';
  private readonly options: AttachmentHandlerOptions;
  private readonly log: Logger;

  constructor(options: AttachmentHandlerOptions) {
    this.options = options;
    this.log = options.log;
  }

  async handle(event: RoomEvent): Promise<void> {
    const { gateway, metrics } = this.options;
    if (event.sender === gateway.botUserId || event.unsigned?.['redacted_because'] !== undefined) return;
    const attachments = attachmentsOf(event);
    if (attachments.length === 0) return;
    if (!(await this.botIsJoined(event.room_id))) {
      this.log.debug({ roomId: event.room_id, eventId: event.event_id }, 'file in a room without the bot; not inspected');
      return;
    }
    const started = performance.now();
    let last: Inspection | undefined;
    for (const attachment of attachments) {
      last = await this.inspect(attachment);
      if (!last.verdict.accepted) break;
    }
    if (!last) return;
    const { verdict, kind, attachment } = last;
    const fields = { roomId: event.room_id, eventId: event.event_id, sender: event.sender, kind };
    if (verdict.accepted) {
      metrics.attachmentsChecked.inc({ outcome: 'accepted', kind, reason: 'none' });
      metrics.attachmentCheckDuration.observe({ outcome: 'accepted' }, (performance.now() - started) / 1000);
      this.log.debug(fields, 'file accepted');
      return;
    }
    await this.reject(event, attachment, attachments, verdict.rejection);
    const ms = performance.now() - started;
    metrics.attachmentsChecked.inc({ outcome: 'rejected', kind, reason: verdict.rejection.reason });
    metrics.attachmentCheckDuration.observe({ outcome: 'rejected' }, ms / 1000);
    this.log.info(
      { ...fields, reason: verdict.rejection.reason, checkMs: Math.round(ms), sinceSentMs: Date.now() - event.origin_server_ts },
      'file rejected: event redacted, media quarantined, sender told',
    );
  }

  private async inspect(attachment: Attachment): Promise<Inspection> {
    const { policy } = this.options;
    const refuse = (rejection: Rejection, kind = 'none'): Inspection => ({
      verdict: { accepted: false, rejection },
      kind,
      attachment,
    });
    if (attachment.malformed) return refuse({ reason: 'no-media' });
    if (attachment.encryptedUrl !== undefined || attachment.encryptedThumbnailUrl !== undefined) {
      return refuse({ reason: 'encrypted' }, 'encrypted');
    }
    if (attachment.msgtype === 'm.video' || attachment.msgtype === 'm.audio') {
      return refuse({ reason: 'msgtype', msgtype: attachment.msgtype });
    }
    if (attachment.url === undefined || !isMxcUrl(attachment.url)) return refuse({ reason: 'no-media' });

    const fetched = await this.fetch(attachment.url);
    if (!fetched.ok) {
      return refuse(fetched.reason === 'too-large' ? { reason: 'too-large', limitBytes: policy.maxSizeBytes } : { reason: 'unverifiable' });
    }
    const detection = await detect(fetched.bytes);
    const kind = detection.recognized ? detection.kind : detection.what;
    const verdict = judge(detection, attachment, policy);
    if (!verdict.accepted || attachment.thumbnailUrl === undefined) return { verdict, kind, attachment };

    if (!isMxcUrl(attachment.thumbnailUrl)) return refuse({ reason: 'thumbnail' }, kind);
    const thumbnail = await this.fetch(attachment.thumbnailUrl);
    if (!thumbnail.ok || !judgeThumbnail(await detect(thumbnail.bytes), policy).accepted) return refuse({ reason: 'thumbnail' }, kind);
    return { verdict, kind, attachment };
  }

  /** Downloads as the bot, retrying transient failures; after the last one the file is unavailable. */
  private async fetch(mxcUrl: string): Promise<Fetched> {
    const attempts = this.options.downloadAttempts ?? 3;
    for (let attempt = 1; ; attempt++) {
      try {
        return await fetchMedia(this.options.gateway.intent(), mxcUrl, this.options.policy.maxSizeBytes);
      } catch (err) {
        if (!(err instanceof TransientMediaError)) throw err;
        if (attempt >= attempts) {
          this.log.warn({ err, mxcUrl, attempts }, 'media could not be downloaded for inspection');
          return { ok: false, reason: 'unavailable', status: 0 };
        }
        await sleep(250 * 2 ** (attempt - 1));
      }
    }
  }

  private async botIsJoined(roomId: string): Promise<boolean> {
    const { gateway } = this.options;
    try {
      const member = await gateway.intent().getStateEvent(roomId, EventType.RoomMember, gateway.botUserId);
      return member['membership'] === 'join';
    } catch (err) {
      if (err instanceof MatrixError && (err.httpStatus === 403 || err.httpStatus === 404)) return false;
      throw err;
    }
  }

  /**
   * Redacts, withdraws the media, tells the sender. Each step is safe to repeat: the redaction and the
   * notice carry transaction ids derived from the event, so a retried event does not post twice.
   */
  private async reject(event: RoomEvent, attachment: Attachment, all: readonly Attachment[], rejection: Rejection): Promise<void> {
    const { gateway, policy } = this.options;
    const bot = gateway.intent();
    const sender = await this.sender(event);
    try {
      await bot.redactEvent(event.room_id, event.event_id, transactionId('redact', event.event_id), {
        reason: redactionReason(sender.lang, rejection),
      });
    } catch (err) {
      if (!(err instanceof MatrixError && err.httpStatus === 403)) throw err;
      this.log.warn({ err, roomId: event.room_id, eventId: event.event_id }, 'the bot may not redact in this room');
    }
    const how = MISLABELLED.has(rejection.reason) ? 'delete' : 'quarantine';
    for (const mxcUrl of new Set(all.flatMap(mediaUrlsOf))) {
      try {
        if (!(await this.uploadedBy(mxcUrl, event.sender))) {
          this.log.info({ mxcUrl, sender: event.sender, eventId: event.event_id }, 'media not uploaded by the sender: left alone');
          continue;
        }
        await this.withdraw(mxcUrl, how);
      } catch (err) {
        if (!(err instanceof SynapseAdminError && err.status < 500)) throw err;
        this.log.warn({ err, mxcUrl, how }, 'media could not be withdrawn');
      }
    }
    await sendNotice(gateway, event.room_id, rejectionNotice(sender, attachment.name, rejection, policy), transactionId('notice', event.event_id));
  }

  /** The sender as the notice names them: their display name in the room, and their language. */
  private async sender(event: RoomEvent): Promise<Sender> {
    const { gateway, languageOf } = this.options;
    const member = await gateway.getState<{ displayname?: unknown }>(event.room_id, 'm.room.member', event.sender).catch(() => undefined);
    const name = typeof member?.displayname === 'string' && member.displayname.trim() ? member.displayname.trim() : (gateway.usernameOf(event.sender) ?? event.sender);
    return { userId: event.sender, name, lang: await readerLanguage(gateway, languageOf, event.sender) };
  }

  /**
   * Whether `sender` uploaded the media (Admin API media info), so that a refused event withdraws
   * only its sender's own files: naming a colleague's mxc URI must not destroy the colleague's
   * file. Media of other servers has no known uploader and is never withdrawn.
   */
  private async uploadedBy(mxcUrl: string, sender: string): Promise<boolean> {
    const media = parseMxc(mxcUrl);
    if (media?.server !== this.options.serverName) return false;
    let answer: unknown;
    try {
      answer = await this.options.admin.request(
        'GET',
        `/_synapse/admin/v1/media/${encodeURIComponent(media.server)}/${encodeURIComponent(media.mediaId)}`,
      );
    } catch (err) {
      if (err instanceof SynapseAdminError && err.status === 404) return false;
      throw err;
    }
    return Value.Check(MediaInfoAnswer, answer) && answer.media_info.user_id === sender;
  }

  /**
   * Makes media undownloadable. Quarantine also makes Synapse quarantine every later upload of the
   * same bytes: right for a forbidden file, wrong for an allowed file that was only mislabelled
   * (it could never be sent again, even correctly named), so such media is deleted instead.
   */
  private async withdraw(mxcUrl: string, how: 'quarantine' | 'delete'): Promise<void> {
    const media = parseMxc(mxcUrl);
    if (how === 'delete' && media?.server === this.options.serverName) {
      await this.options.admin.request(
        'DELETE',
        `/_synapse/admin/v1/media/${encodeURIComponent(media.server)}/${encodeURIComponent(media.mediaId)}`,
      );
      return;
    }
    await this.options.admin.quarantineMedia(mxcUrl);
  }
}

/** The part of `GET /_synapse/admin/v1/media/{server}/{id}` used here (Synapse 1.163). */
const MediaInfoAnswer = Type.Object({ media_info: Type.Object({ user_id: Type.Union([Type.String(), Type.Null()]) }) });

/** Refusals of a file whose bytes are an allowed kind, only declared as something else. */
const MISLABELLED: ReadonlySet<Rejection['reason']> = new Set(['mime-mismatch', 'extension-mismatch', 'not-an-image']);

function transactionId(step: string, eventId: string): string {
  return eventTransactionId('attachments', step, eventId);
}
