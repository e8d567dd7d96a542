import { MatrixError } from 'matrix-js-sdk';
import { translate, type MessageKey } from '../../i18n/index.ts';
import type { RoomEvent } from '../../matrix/events.ts';
import type { MatrixGateway } from '../../matrix/gateway.ts';
import { readerLanguage, type LanguageOf } from '../../matrix/notices.ts';
import type { EventContext, RoomEventHandler } from '../../matrix/processor.ts';
import type { Logger } from '../../observability/logger.ts';
import type { Metrics } from '../../observability/metrics.ts';
import { transactionId } from '../../util/transaction-id.ts';
import { chatForEvent, type ChatRepository } from '../chats/index.ts';
import { violationOf, type Violation } from './rules.ts';

export interface RoomPolicyOptions {
  gateway: MatrixGateway;
  chats: Pick<ChatRepository, 'find'>;
  metrics: Metrics;
  /** The sender's language from the directory: the redaction reason is written in it. */
  languageOf: LanguageOf;
  log: Logger;
}

const REASONS: Readonly<Record<Violation, MessageKey>> = {
  encrypted: 'roomPolicy.encrypted',
  'inline-image': 'roomPolicy.inlineImage',
  'member-change': 'roomPolicy.memberChange',
};

/**
 * What a stock client can send into a managed chat that the chat's rules cannot forbid through
 * power levels: hand-made `m.room.encrypted` events (nothing in them can be checked), inline
 * `<img>` in a message's HTML (an mxc image that never went through the file check), and, once the
 * chat is closed, display name or avatar changes (member events, which power levels always allow
 * for oneself). Each is redacted by the bot, with a reason. Idempotent: the redaction's
 * transaction id comes from the event id, and a redacted event is skipped.
 */
export class RoomPolicyHandler implements RoomEventHandler {
  readonly name = 'room-policy';
  private readonly options: RoomPolicyOptions;

  constructor(options: RoomPolicyOptions) {
    this.options = options;
  }

  async handle(event: RoomEvent, context?: EventContext): Promise<void> {
    const { gateway, chats, metrics, log } = this.options;
    if (event.sender === gateway.botUserId || event.unsigned?.['redacted_because'] !== undefined) return;
    if (!candidate(event)) return;
    const chat = await chatForEvent(chats, event.room_id, context);
    if (!chat) return;
    const violation = await violationOf(event, chat, (eventId) => this.previousContent(event.room_id, eventId));
    if (!violation) return;
    const reason = translate(await readerLanguage(gateway, this.options.languageOf, event.sender), REASONS[violation]);
    try {
      await gateway.intent().redactEvent(event.room_id, event.event_id, transactionId('room-policy', 'redact', event.event_id), { reason });
    } catch (err) {
      if (!(err instanceof MatrixError && err.httpStatus === 403)) throw err;
      log.warn({ err, roomId: event.room_id, eventId: event.event_id }, 'the bot may not redact in this chat');
      return;
    }
    metrics.roomPolicyRedactions.inc({ reason: violation });
    log.info({ roomId: event.room_id, eventId: event.event_id, sender: event.sender, violation }, 'event redacted by the room policy');
  }

  /** The content of an earlier state event (the one a member event replaces), as the bot sees it. */
  private async previousContent(roomId: string, eventId: string): Promise<Record<string, unknown> | undefined> {
    try {
      const previous = await this.options.gateway.intent().fetchRoomEvent(roomId, eventId);
      return previous.content;
    } catch (err) {
      if (err instanceof MatrixError && err.httpStatus === 404) return undefined;
      throw err;
    }
  }
}

/** Cheap first look, before the database: only these event types can break a rule. */
function candidate(event: RoomEvent): boolean {
  return event.type === 'm.room.encrypted' || event.type === 'm.room.message' || event.type === 'm.room.member';
}
