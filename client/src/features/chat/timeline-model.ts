import Type from 'typebox';
import { Check } from 'typebox/schema';

/**
 * Turns Matrix timeline events into what the chat shows, as plain data: messages (text, notice,
 * image, file, deleted), with the sender, the time, whether they continue the previous sender's
 * run, and day separators. Pure, so it is tested without a browser or a homeserver.
 */

/** The parts of a matrix-js-sdk MatrixEvent this module reads. */
export interface EventLike {
  getId(): string | undefined;
  getTxnId?(): string | undefined;
  getType(): string;
  getSender(): string | undefined;
  getTs(): number;
  getContent(): object;
  isRedacted(): boolean;
  isState(): boolean;
  /** null once the server has the event; 'sending', 'not_sent', … for a local echo. */
  status: string | null;
}

const TextContent = Type.Object({ msgtype: Type.String(), body: Type.String() });

const MediaContent = Type.Object({
  msgtype: Type.Union([Type.Literal('m.image'), Type.Literal('m.file')]),
  body: Type.String(),
  url: Type.String(),
  filename: Type.Optional(Type.String()),
  info: Type.Optional(
    Type.Object({
      mimetype: Type.Optional(Type.String()),
      size: Type.Optional(Type.Number({ minimum: 0 })),
      w: Type.Optional(Type.Number({ minimum: 0 })),
      h: Type.Optional(Type.Number({ minimum: 0 })),
    }),
  ),
});

export type MessageBody =
  | { type: 'text'; text: string }
  | { type: 'notice'; text: string }
  | { type: 'image'; name: string; url: string; mimetype: string | null; size: number | null; width: number | null; height: number | null }
  | { type: 'file'; name: string; url: string; mimetype: string | null; size: number | null }
  | { type: 'redacted' }
  | { type: 'unsupported' };

export type SendStatus = 'sent' | 'sending' | 'failed';

export interface MessageItem {
  kind: 'message';
  key: string;
  eventId: string | null;
  senderId: string;
  mine: boolean;
  /** A notice of the appservice's bot (opened, closed, attachment refused…). */
  system: boolean;
  /** Same sender as the message just before, within a few minutes: the name is not repeated. */
  continued: boolean;
  ts: number;
  body: MessageBody;
  status: SendStatus;
}

export interface DayItem {
  kind: 'day';
  key: string;
  ts: number;
}

export type TimelineItem = MessageItem | DayItem;

export interface TimelineContext {
  myUserId: string;
  botUserId: string;
}

const RUN_GAP_MS = 5 * 60 * 1000;

export function messageBody(event: EventLike): MessageBody {
  if (event.isRedacted()) return { type: 'redacted' };
  const content = event.getContent();
  if (Check(MediaContent, content)) {
    const name = content.filename ?? content.body;
    const common = { name, url: content.url, mimetype: content.info?.mimetype ?? null, size: content.info?.size ?? null };
    return content.msgtype === 'm.image'
      ? { type: 'image', ...common, width: content.info?.w ?? null, height: content.info?.h ?? null }
      : { type: 'file', ...common };
  }
  if (Check(TextContent, content)) {
    if (content.msgtype === 'm.notice') return { type: 'notice', text: content.body };
    if (content.msgtype === 'm.text' || content.msgtype === 'm.emote') return { type: 'text', text: content.body };
  }
  return { type: 'unsupported' };
}

function sendStatus(status: string | null): SendStatus {
  if (status === null || status === 'sent') return 'sent';
  return status === 'not_sent' || status === 'cancelled' ? 'failed' : 'sending';
}

function sameDay(a: number, b: number): boolean {
  const x = new Date(a);
  const y = new Date(b);
  return x.getFullYear() === y.getFullYear() && x.getMonth() === y.getMonth() && x.getDate() === y.getDate();
}

/** The items to show for a room's timeline events (oldest first). State and other events are left out. */
export function timelineItems(events: readonly EventLike[], context: TimelineContext): TimelineItem[] {
  const items: TimelineItem[] = [];
  let previous: MessageItem | null = null;
  for (const event of events) {
    if (event.getType() !== 'm.room.message' || event.isState()) continue;
    const senderId = event.getSender();
    if (!senderId) continue;
    const ts = event.getTs();
    if (!previous || !sameDay(previous.ts, ts)) {
      items.push({ kind: 'day', key: `day-${ts}`, ts });
      previous = null;
    }
    const body = messageBody(event);
    const id = event.getId() ?? null;
    const item: MessageItem = {
      kind: 'message',
      key: event.getTxnId?.() ?? id ?? `${senderId}-${ts}`,
      eventId: id && id.startsWith('$') ? id : null,
      senderId,
      mine: senderId === context.myUserId,
      system: senderId === context.botUserId && (body.type === 'notice' || body.type === 'text'),
      continued: previous !== null && previous.senderId === senderId && !previous.system && ts - previous.ts < RUN_GAP_MS,
      ts,
      body,
      status: sendStatus(event.status),
    };
    items.push(item);
    previous = item;
  }
  return items;
}

/** The newest message of mine that the server has, for the "Visto" marker. */
export function lastSentByMe(items: readonly TimelineItem[]): MessageItem | null {
  for (let i = items.length - 1; i >= 0; i--) {
    const item = items[i];
    if (item?.kind === 'message' && item.mine && item.eventId) return item;
  }
  return null;
}
