import type { ChatListItem } from '@chattigo/contracts/chats';
import { describe, expect, it } from 'vitest';
import type { EventLike } from '../../src/features/chat/timeline-model.ts';
import { badgeCount, chatRows, firstWords, lastMessageOf, previewText, type LastMessage } from '../../src/features/chats/chat-rows.ts';
import { searchHits, searchWords, snippet } from '../../src/features/chats/search.ts';
import { formatListStamp } from '../../src/i18n/format.ts';
import { translate, type MessageKey, type MessageVars } from '../../src/i18n/messages.ts';

const me = '@chattigo_ana:x';
const jose = '@chattigo_jose:x';
const bot = '@chattigo:x';
const t = (key: MessageKey, vars?: MessageVars) => translate('es', key, vars);
// Tuesday 24 November 2026, 15:00 local time.
const now = new Date(2026, 10, 24, 15, 0);

let seq = 0;
function event(sender: string, content: object, over: Partial<{ ts: number; type: string; redacted: boolean }> = {}): EventLike {
  const id = `$e${++seq}`;
  return {
    getId: () => id,
    getType: () => over.type ?? 'm.room.message',
    getSender: () => sender,
    getTs: () => over.ts ?? now.getTime(),
    getContent: () => content,
    isRedacted: () => over.redacted ?? false,
    isState: () => false,
    status: null,
  };
}
const text = (sender: string, body: string, ts?: number) => event(sender, { msgtype: 'm.text', body }, ts === undefined ? {} : { ts });
const last = (body: LastMessage['body'], mine = false, ts = now.getTime()): LastMessage => ({ eventId: '$x', ts, mine, body });

const chat = (roomId: string, over: Partial<ChatListItem> = {}): ChatListItem => ({
  roomId,
  status: 'open',
  openedBy: 'ana',
  peer: 'jose',
  campaignId: 'ventas',
  openedAt: new Date(2026, 10, 20, 9, 0).toISOString(),
  closedBy: null,
  closedAt: null,
  typification: null,
  other: { username: 'jose', displayName: 'José Pérez' },
  campaignName: 'Ventas',
  ...over,
});

describe('the last message of a chat', () => {
  it('is the newest message, skipping the bot’s notices and state; an edit previews its new text', () => {
    const events = [
      text(jose, 'Hola Ana'),
      text(me, '¿Qué tal?'),
      event(bot, { msgtype: 'm.notice', body: 'Ana cerró este chat' }),
      event(jose, { membership: 'join' }, { type: 'm.room.member' }),
    ];
    expect(lastMessageOf(events, { myUserId: me, botUserId: bot })).toMatchObject({ mine: true, body: { type: 'text', text: '¿Qué tal?' } });
    const edited = [
      ...events,
      event(jose, { msgtype: 'm.text', body: '* Hola Ana!', 'm.new_content': { msgtype: 'm.text', body: 'Hola Ana!' }, 'm.relates_to': { rel_type: 'm.replace', event_id: '$e1' } }),
    ];
    expect(lastMessageOf(edited, { myUserId: me, botUserId: bot })?.body).toEqual({ type: 'text', text: 'Hola Ana!' });
    expect(lastMessageOf([event(bot, { msgtype: 'm.notice', body: 'abierto' })], { myUserId: me, botUserId: bot })).toBeNull();
  });
});

describe('a row’s preview', () => {
  it('says "Tú:" before one’s own message and keeps the first words on one line', () => {
    expect(previewText(last({ type: 'text', text: 'Hola José,\n¿me ayudas?' }, true), t)).toBe('Tú: Hola José, ¿me ayudas?');
    expect(previewText(last({ type: 'text', text: 'Claro' }), t)).toBe('Claro');
    const long = 'Necesito la cotización del cliente de Valparaíso antes de las cinco, por favor revisa el correo';
    const cut = firstWords(long);
    expect(cut).toBe('Necesito la cotización del cliente de Valparaíso antes de…');
    expect(cut.length).toBeLessThanOrEqual(61);
    expect(firstWords('x'.repeat(100))).toBe(`${'x'.repeat(60)}…`);
  });

  it('shows a file or an image by its name with a clip, a deleted message as such', () => {
    expect(previewText(last({ type: 'file', name: 'archivo.pdf', url: 'mxc://x/1', mimetype: 'application/pdf', size: 10 }), t)).toBe('📎 archivo.pdf');
    expect(previewText(last({ type: 'image', name: 'foto.png', url: 'mxc://x/2', mimetype: null, size: null, width: null, height: null }, true), t)).toBe(
      'Tú: 📎 foto.png',
    );
    expect(previewText(last({ type: 'redacted' }), t)).toBe('Mensaje eliminado.');
  });
});

describe('a row’s time', () => {
  it('is the time today, the weekday this week, a date before', () => {
    expect(formatListStamp('es', new Date(2026, 10, 24, 14, 5), now)).toBe('14:05');
    expect(formatListStamp('es', new Date(2026, 10, 23, 22, 0), now)).toBe('lunes');
    expect(formatListStamp('es', new Date(2026, 10, 18, 9, 0), now)).toBe('miércoles');
    expect(formatListStamp('es', new Date(2026, 10, 17, 9, 0), now)).toBe('17 nov');
    expect(formatListStamp('es', new Date(2025, 10, 24, 9, 0), now)).toBe('24/11/2025');
    expect(formatListStamp('en', new Date(2026, 10, 23, 22, 0), now)).toBe('Monday');
  });
});

describe('the rows of "Mis chats"', () => {
  const context = (lastMessages: Map<string, LastMessage>, unread = new Map<string, number>()) => ({
    lastMessages,
    unread,
    activeRoomId: null,
    lang: 'es' as const,
    now,
    t,
  });

  it('never shows an unread badge on a closed chat, nor on the chat on screen', () => {
    expect(badgeCount({ roomId: '!a', status: 'open' }, 3, null)).toBe(3);
    expect(badgeCount({ roomId: '!a', status: 'closed' }, 3, null)).toBe(0);
    expect(badgeCount({ roomId: '!a', status: 'open' }, 3, '!a')).toBe(0);
  });

  it('puts open chats first by last activity, then closed ones by close date, with their typification and date', () => {
    const chats = [
      chat('!closed-old', { status: 'closed', closedAt: new Date(2026, 10, 10, 12).toISOString(), typification: { code: 'VENTA', label: 'Venta cerrada' } }),
      chat('!open-quiet', { openedAt: new Date(2026, 10, 24, 8).toISOString() }),
      chat('!closed-new', { status: 'closed', closedAt: new Date(2026, 10, 22, 12).toISOString(), typification: { code: 'SIN', label: 'Sin respuesta' } }),
      chat('!open-busy', { openedAt: new Date(2026, 10, 1).toISOString() }),
    ];
    const messages = new Map([
      ['!open-busy', last({ type: 'text', text: 'Recién' }, false, new Date(2026, 10, 24, 14, 5).getTime())],
      ['!closed-old', last({ type: 'text', text: 'Chao' }, true, new Date(2026, 10, 24, 14, 30).getTime())],
    ]);
    const rows = chatRows(chats, context(messages, new Map([['!closed-old', 2], ['!open-busy', 1]])));
    expect(rows.map((r) => r.chat.roomId)).toEqual(['!open-busy', '!open-quiet', '!closed-new', '!closed-old']);
    expect(rows[0]).toMatchObject({ preview: 'Recién', time: { label: '14:05' }, closedOn: null, badge: 1 });
    expect(rows[1]).toMatchObject({ preview: null, time: null, badge: 0 });
    expect(rows[2]).toMatchObject({ closedOn: { label: '22 nov' } });
    expect(rows[3]).toMatchObject({ preview: 'Tú: Chao', closedOn: { label: '10 nov' }, badge: 0 });
  });
});

describe('the search across chats', () => {
  it('marks the searched words ignoring accents and case, leaving Synapse’s operators out', () => {
    expect(searchWords('cotizacion -urgente OR "Valparaíso"')).toEqual(['cotizacion', 'valparaiso']);
    expect(snippet('La Cotización de Valparaíso', ['cotizacion'])).toEqual([
      { text: 'La ', match: false },
      { text: 'Cotización', match: true },
      { text: ' de Valparaíso', match: false },
    ]);
  });

  it('cuts a long message around its first match', () => {
    const long = `${'palabra '.repeat(30)}la cotización pendiente ${'otra '.repeat(30)}`;
    const parts = snippet(long, ['cotizacion'], 60);
    expect(parts[0]).toEqual({ text: '…', match: false });
    expect(parts.at(-1)).toEqual({ text: '…', match: false });
    expect(parts.filter((p) => p.match).map((p) => p.text)).toEqual(['cotización']);
    expect(parts.map((p) => p.text).join('').length).toBeLessThanOrEqual(62);
  });

  it('reads Synapse’s answer, newest first as given', () => {
    const result = (id: string, body?: string) => ({
      result: { event_id: id, room_id: '!r', sender: jose, origin_server_ts: 5, content: body === undefined ? {} : { msgtype: 'm.text', body } },
    });
    const answer = { search_categories: { room_events: { results: [result('$1', 'uno'), result('$2'), result('$3', 'tres')] } } };
    expect(searchHits(answer).map((h) => [h.eventId, h.text])).toEqual([
      ['$1', 'uno'],
      ['$3', 'tres'],
    ]);
  });
});
