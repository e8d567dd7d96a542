import { slaNoticeOf } from '@chattigo/contracts/event-types';
import type { Language } from '@chattigo/contracts/language';
import { NOTICE_FIELD, NoticeMetaSchema } from '@chattigo/contracts/notices';
import Type from 'typebox';
import { Check } from 'typebox/schema';
import { aggregateReactions, annotationOf, editOf, preview, REACTION_TYPE, replyTarget, stripReplyFallback, type Reaction, type ReactionSource } from './relations.ts';

/**
 * Turns Matrix timeline events into what the chat shows, as plain data: messages (text, notice,
 * image, file, deleted), with the sender, the time, whether they continue the previous sender's
 * run, the message they reply to, their latest edit and their reactions (relations.ts), day
 * separators and the "new messages" divider. Pure, so it is tested without a browser or a homeserver.
 */

/** The parts of a matrix-js-sdk MatrixEvent this module reads. */
export interface EventLike {
  getId(): string | undefined;
  getTxnId?(): string | undefined;
  getType(): string;
  getSender(): string | undefined;
  getTs(): number;
  getContent(): object;
  /** The content as sent, before any edit the SDK applied (MatrixEvent has it; getContent() otherwise). */
  getOriginalContent?(): object;
  isRedacted(): boolean;
  /** Redacted here, the redaction not yet confirmed by the server. */
  isBeingRedacted?(): boolean;
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

/** The message a reply answers: who wrote it and its first words (null when it is not loaded). */
export interface ReplyQuote {
  eventId: string;
  senderId: string | null;
  text: string | null;
}

export interface MessageItem {
  kind: 'message';
  key: string;
  eventId: string | null;
  senderId: string;
  mine: boolean;
  /** A notice of the appservice's bot (opened, closed, attachment refused…). */
  system: boolean;
  /** The bot's answer-time reminder (com.chattigo.sla) to this agent: a question waits for their answer. */
  slaReminder: boolean;
  /** Same sender as the message just before, within a few minutes: the name is not repeated. */
  continued: boolean;
  ts: number;
  body: MessageBody;
  status: SendStatus;
  /** Changed by its sender after it was sent (the latest edit is shown). */
  edited: boolean;
  replyTo: ReplyQuote | null;
  reactions: Reaction[];
}

export interface DayItem {
  kind: 'day';
  key: string;
  ts: number;
}

/** "New messages": the first message that was unread when the chat was opened comes next. */
export interface UnreadItem {
  kind: 'unread';
  key: 'unread';
}

export type TimelineItem = MessageItem | DayItem | UnreadItem;

export interface TimelineContext {
  myUserId: string;
  botUserId: string;
  /** The event before which the "new messages" divider goes (firstUnreadId at opening). */
  unreadFrom?: string | null;
  /** The client's language: the bot's notices are shown in it (their `com.chattigo.notice` texts). */
  lang?: Language;
}

/** A bot notice's text for the web client in `lang`, when it carries one (contracts/notices.ts). */
export function noticeText(content: object, lang: Language): string | null {
  const meta: unknown = Reflect.get(content, NOTICE_FIELD);
  return Check(NoticeMetaSchema, meta) ? meta.texts[lang] : null;
}

const RUN_GAP_MS = 5 * 60 * 1000;

function originalContent(event: EventLike): object {
  return event.getOriginalContent?.() ?? event.getContent();
}

function deleted(event: EventLike): boolean {
  return event.isRedacted() || (event.isBeingRedacted?.() ?? false);
}

export function messageBody(event: EventLike): MessageBody {
  if (deleted(event)) return { type: 'redacted' };
  const content = originalContent(event);
  const body = contentBody(content);
  // The legacy reply fallback quotes the answered message at the start of the body.
  return body.type === 'text' && replyTarget(content) ? { ...body, text: stripReplyFallback(body.text) } : body;
}

function contentBody(content: object): MessageBody {
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

function isMessage(event: EventLike): boolean {
  return event.getType() === 'm.room.message' && !event.isState();
}

/** An edit event (hidden: it changes the message it replaces). */
function isEdit(event: EventLike): boolean {
  return !deleted(event) && editOf(originalContent(event)) !== null;
}

interface Relations {
  /** The latest edit per target, whoever sent it (checked against the target's sender later). */
  edits: Map<string, { sender: string; newContent: object }[]>;
  reactions: Map<string, Reaction[]>;
}

function collectRelations(events: readonly EventLike[], me: string): Relations {
  const edits = new Map<string, { sender: string; newContent: object }[]>();
  const reactions: ReactionSource[] = [];
  for (const event of events) {
    const sender = event.getSender();
    if (!sender || deleted(event)) continue;
    if (isMessage(event)) {
      const edit = editOf(originalContent(event));
      if (edit) edits.set(edit.target, [...(edits.get(edit.target) ?? []), { sender, newContent: edit.newContent }]);
    } else if (event.getType() === REACTION_TYPE) {
      const annotation = annotationOf(event.getContent());
      const id = event.getId() ?? null;
      if (annotation) reactions.push({ ...annotation, sender, eventId: id?.startsWith('$') ? id : null });
    }
  }
  return { edits, reactions: aggregateReactions(reactions, me) };
}

/** The body after its sender's latest edit (edits by anyone else are ignored), and whether there was one. */
function editedBody(event: EventLike, senderId: string, relations: Relations): { body: MessageBody; edited: boolean } {
  const body = messageBody(event);
  const id = event.getId();
  if (body.type === 'redacted' || !id) return { body, edited: false };
  const latest = (relations.edits.get(id) ?? []).filter((e) => e.sender === senderId).at(-1);
  const next = latest ? contentBody(latest.newContent) : null;
  return next && next.type !== 'unsupported' ? { body: next, edited: true } : { body, edited: false };
}

function quoteText(body: MessageBody): string | null {
  switch (body.type) {
    case 'text':
    case 'notice':
      return preview(body.text);
    case 'image':
    case 'file':
      return body.name;
    default:
      return null;
  }
}

/**
 * The message the agent had not read when the chat opened: the first message from someone else
 * after their read receipt (`readUpTo`) and after their own last message (which reads everything
 * before it), as matrix/unread.ts counts. Null when everything loaded is read.
 */
export function firstUnreadId(events: readonly EventLike[], readUpTo: string | null, me: string): string | null {
  let first: string | null = null;
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i];
    if (!event) continue;
    if ((readUpTo !== null && event.getId() === readUpTo) || event.getSender() === me) break;
    if (isMessage(event) && !deleted(event) && !isEdit(event)) first = event.getId() ?? first;
  }
  return first;
}

/** The items to show for a room's timeline events (oldest first). State, edits, reactions and other events are left out. */
export function timelineItems(events: readonly EventLike[], context: TimelineContext): TimelineItem[] {
  const relations = collectRelations(events, context.myUserId);
  const shown = new Map<string, { senderId: string; body: MessageBody }>();
  const items: TimelineItem[] = [];
  let previous: MessageItem | null = null;
  for (const event of events) {
    if (!isMessage(event) || isEdit(event)) continue;
    const senderId = event.getSender();
    if (!senderId) continue;
    const ts = event.getTs();
    if (!previous || !sameDay(previous.ts, ts)) {
      items.push({ kind: 'day', key: `day-${ts}`, ts });
      previous = null;
    }
    const id = event.getId() ?? null;
    if (id !== null && id === context.unreadFrom) {
      items.push({ kind: 'unread', key: 'unread' });
      previous = null;
    }
    const { body: shownBody, edited } = editedBody(event, senderId, relations);
    const system = senderId === context.botUserId && (shownBody.type === 'notice' || shownBody.type === 'text');
    // Only the bot's own notices are trusted to say what the web client shows instead of their body.
    const localized = system && shownBody.type === 'notice' && context.lang ? noticeText(originalContent(event), context.lang) : null;
    const body: MessageBody = localized !== null ? { type: 'notice', text: localized } : shownBody;
    const replyId = deleted(event) ? null : replyTarget(originalContent(event));
    const quoted = replyId ? shown.get(replyId) : undefined;
    const sla = system ? slaNoticeOf(originalContent(event) as Record<string, unknown>) : null;
    const item: MessageItem = {
      kind: 'message',
      key: event.getTxnId?.() ?? id ?? `${senderId}-${ts}`,
      eventId: id && id.startsWith('$') ? id : null,
      senderId,
      mine: senderId === context.myUserId,
      system,
      slaReminder: sla?.kind === 'reminder' && sla.askee === context.myUserId,
      continued: previous !== null && previous.senderId === senderId && !previous.system && ts - previous.ts < RUN_GAP_MS,
      ts,
      body,
      status: sendStatus(event.status),
      edited,
      replyTo: replyId ? { eventId: replyId, senderId: quoted?.senderId ?? null, text: quoted ? quoteText(quoted.body) : null } : null,
      reactions: (id && relations.reactions.get(id)) || [],
    };
    if (id) shown.set(id, { senderId, body });
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
