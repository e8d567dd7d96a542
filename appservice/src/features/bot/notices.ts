import type { MatrixClient } from 'matrix-js-sdk';
import { MsgType } from 'matrix-js-sdk';
import type { Logger } from '../../observability/logger.ts';

/** Longest reply sent in one notice; Synapse refuses events over 64 KiB. */
export const MAX_NOTICE_LENGTH = 16_000;

/** Cuts a long reply at a line break and says that it was cut. */
export function fitNotice(text: string, max = MAX_NOTICE_LENGTH): string {
  if (text.length <= max) return text;
  const note = '\n… (respuesta recortada / reply truncated)';
  const room = max - note.length;
  const cut = text.lastIndexOf('\n', room);
  return `${text.slice(0, cut > room / 2 ? cut : room)}${note}`;
}

export interface NoticeOptions {
  /** The event the notice answers (shown as a reply by clients). */
  inReplyTo?: string;
  /** Attempts before giving up; the command has run by then, so the event is not retried. */
  attempts?: number;
  retryDelayMs?: number;
}

/**
 * Sends an `m.notice` as `client`. A failure is retried a few times and then logged, not thrown:
 * the command it answers has already taken effect and must not run again.
 */
export async function sendNotice(client: MatrixClient, roomId: string, text: string, log: Logger, options: NoticeOptions = {}): Promise<boolean> {
  const attempts = options.attempts ?? 3;
  const body = fitNotice(text);
  const send = () =>
    options.inReplyTo
      ? client.sendMessage(roomId, { msgtype: MsgType.Notice, body, 'm.relates_to': { 'm.in_reply_to': { event_id: options.inReplyTo } } })
      : client.sendMessage(roomId, { msgtype: MsgType.Notice, body });
  for (let attempt = 1; ; attempt++) {
    try {
      await send();
      return true;
    } catch (err) {
      if (attempt >= attempts) {
        log.error({ err, roomId, inReplyTo: options.inReplyTo }, 'could not send the bot reply');
        return false;
      }
      await new Promise((resolve) => setTimeout(resolve, (options.retryDelayMs ?? 500) * 2 ** (attempt - 1)));
    }
  }
}
