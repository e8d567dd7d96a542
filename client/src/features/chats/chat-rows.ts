import type { ChatListItem } from '@chattigo/contracts/chats';
import type { Language } from '@chattigo/contracts/language';
import { formatListStamp, formatShortDate } from '../../i18n/format.ts';
import type { MessageKey, MessageVars } from '../../i18n/messages.ts';
import { messageBody, type EventLike, type MessageBody } from '../chat/timeline-model.ts';
import { orderChats } from './chat-list.ts';

/**
 * What a row of "Mis chats" shows, as plain data: the other agent, the last message (preview and
 * time), the campaign, for a closed chat its typification and close date, and the unread badge.
 * Pure, so it is tested without a browser or a homeserver.
 */

/** The newest message of a room that a row previews. */
export interface LastMessage {
  eventId: string | null;
  ts: number;
  mine: boolean;
  body: MessageBody;
}

/**
 * The newest `m.room.message` among a room's live-timeline events (oldest first), leaving out
 * notices (the bot's: opened, closed, file refused…): the row previews what the agents wrote.
 */
export function lastMessageOf(events: readonly EventLike[], context: { myUserId: string; botUserId: string }): LastMessage | null {
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i];
    if (!event || event.getType() !== 'm.room.message' || event.isState()) continue;
    const sender = event.getSender();
    if (!sender || sender === context.botUserId) continue;
    const replacement = replacedContent(event.getContent());
    const body = messageBody(replacement ? withContent(event, replacement) : event);
    if (body.type === 'notice') continue;
    const id = event.getId() ?? null;
    return { eventId: id?.startsWith('$') ? id : null, ts: event.getTs(), mine: sender === context.myUserId, body };
  }
  return null;
}

/** An edit (`m.replace`) previews the new text, not its "* …" fallback. */
function replacedContent(content: object): object | null {
  const relation: unknown = Reflect.get(content, 'm.relates_to');
  const replacement: unknown = Reflect.get(content, 'm.new_content');
  const isEdit = typeof relation === 'object' && relation !== null && Reflect.get(relation, 'rel_type') === 'm.replace';
  return isEdit && typeof replacement === 'object' && replacement !== null ? replacement : null;
}

function withContent(event: EventLike, content: object): EventLike {
  return {
    getId: () => event.getId(),
    getType: () => event.getType(),
    getSender: () => event.getSender(),
    getTs: () => event.getTs(),
    getContent: () => content,
    isRedacted: () => event.isRedacted(),
    isState: () => event.isState(),
    status: event.status,
  };
}

const PREVIEW_CHARS = 60;

/** The first words of a text on one line, cut at a word boundary with "…" past `max` characters. */
export function firstWords(text: string, max = PREVIEW_CHARS): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max + 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : flat.slice(0, max)).trimEnd()}…`;
}

export type Translate = (key: MessageKey, vars?: MessageVars) => string;

/** "Tú: Hola, ¿me ayudas…", "📎 informe.pdf", "Mensaje eliminado.". */
export function previewText(last: LastMessage, t: Translate): string {
  const body = last.body;
  const text =
    body.type === 'text' || body.type === 'notice'
      ? firstWords(body.text)
      : body.type === 'file' || body.type === 'image'
        ? `📎 ${body.name}`
        : body.type === 'redacted'
          ? t('redacted')
          : t('unsupportedMessage');
  return last.mine ? t('previewMine', { text }) : text;
}

export interface ChatRow {
  chat: ChatListItem;
  /** The last message's preview, null before the room has one (or before the sync brought it). */
  preview: string | null;
  /** When the last message was sent: "14:05" today, the weekday this week, else a date. */
  time: { label: string; iso: string } | null;
  /** A closed chat's close date ("24 nov"). */
  closedOn: { label: string; iso: string } | null;
  /** Unread messages to show as a badge; always 0 for a closed chat and for the chat on screen. */
  badge: number;
}

export interface RowContext {
  lastMessages: ReadonlyMap<string, LastMessage>;
  unread: ReadonlyMap<string, number>;
  activeRoomId: string | null;
  lang: Language;
  now: Date;
  t: Translate;
}

/** The unread count a row shows: none for a closed chat (nothing more can be said in it) or the open one. */
export function badgeCount(chat: Pick<ChatListItem, 'roomId' | 'status'>, unread: number, activeRoomId: string | null): number {
  return chat.status === 'closed' || chat.roomId === activeRoomId ? 0 : unread;
}

/** The rows of "Mis chats", in order: open chats by last activity, then closed ones by close date. */
export function chatRows(chats: readonly ChatListItem[], context: RowContext): ChatRow[] {
  const { lastMessages, unread, activeRoomId, lang, now, t } = context;
  const activity = new Map([...lastMessages].map(([roomId, last]) => [roomId, last.ts] as const));
  return orderChats(chats, activity).map((chat) => {
    const last = lastMessages.get(chat.roomId) ?? null;
    const lastAt = last ? new Date(last.ts) : null;
    const closedAt = chat.status === 'closed' && chat.closedAt ? new Date(chat.closedAt) : null;
    return {
      chat,
      preview: last ? previewText(last, t) : null,
      time: lastAt ? { label: formatListStamp(lang, lastAt, now), iso: lastAt.toISOString() } : null,
      closedOn: closedAt ? { label: formatShortDate(lang, closedAt, now), iso: closedAt.toISOString() } : null,
      badge: badgeCount(chat, unread.get(chat.roomId) ?? 0, activeRoomId),
    };
  });
}
