import { describe, expect, it } from 'vitest';
import { badgeText, faviconUrl, titleWithCount, unreadTotal } from '../../src/features/notifications/badge.ts';
import { firstWords, isRoomMuted, shouldNotify, STALE_AFTER_MS, type Arrival, type Situation } from '../../src/features/notifications/decide.ts';
import { defaultPreferences, readPreferences } from '../../src/features/notifications/preferences.ts';

const now = Date.parse('2026-11-24T20:00:00Z');
const message = (over: Partial<Arrival> = {}): Arrival => ({ kind: 'message', roomId: '!a:x', sender: '@chattigo_jose:x', msgtype: 'm.text', ts: now - 1000, ...over });
const situation = (over: Partial<Situation> = {}): Situation => ({
  me: '@chattigo_ana:x',
  botUserId: '@chattigo:x',
  activeRoomId: null,
  visible: false,
  muted: false,
  closed: false,
  now,
  ...over,
});

describe('whether a message or a new chat notifies', () => {
  it('notifies a message from the other agent while the page is hidden, or while another chat or the list is on screen', () => {
    expect(shouldNotify(message(), situation())).toBe(true);
    expect(shouldNotify(message(), situation({ visible: true, activeRoomId: '!b:x' }))).toBe(true);
    expect(shouldNotify(message(), situation({ visible: true, activeRoomId: null }))).toBe(true);
    expect(shouldNotify(message(), situation({ visible: false, activeRoomId: '!a:x' }))).toBe(true);
    expect(shouldNotify(message({ kind: 'new-chat', msgtype: null }), situation())).toBe(true);
  });

  it('stays silent for the agent’s own messages, the bot, notices, muted or closed chats, the chat on screen and old history', () => {
    expect(shouldNotify(message({ sender: '@chattigo_ana:x' }), situation())).toBe(false);
    expect(shouldNotify(message({ sender: '@chattigo:x' }), situation())).toBe(false);
    expect(shouldNotify(message({ msgtype: 'm.notice' }), situation())).toBe(false);
    expect(shouldNotify(message(), situation({ muted: true }))).toBe(false);
    expect(shouldNotify(message(), situation({ closed: true }))).toBe(false);
    expect(shouldNotify(message(), situation({ visible: true, activeRoomId: '!a:x' }))).toBe(false);
    expect(shouldNotify(message({ ts: now - STALE_AFTER_MS - 1 }), situation())).toBe(false);
  });

  it("notifies the bot's answer-time reminder to the agent who must answer, even in a muted chat, and to nobody else", () => {
    const reminder = (askee: string, over: Partial<Arrival> = {}) => message({ sender: '@chattigo:x', msgtype: 'm.notice', slaAskee: askee, ...over });
    expect(shouldNotify(reminder('@chattigo_ana:x'), situation())).toBe(true);
    expect(shouldNotify(reminder('@chattigo_ana:x'), situation({ muted: true }))).toBe(true);
    expect(shouldNotify(reminder('@chattigo_ana:x'), situation({ visible: true, activeRoomId: '!b:x' }))).toBe(true);
    // The other agent's reminder, a chat on screen (highlighted there), a closed chat, old history, a forged sender.
    expect(shouldNotify(reminder('@chattigo_jose:x'), situation())).toBe(false);
    expect(shouldNotify(reminder('@chattigo_ana:x'), situation({ visible: true, activeRoomId: '!a:x' }))).toBe(false);
    expect(shouldNotify(reminder('@chattigo_ana:x'), situation({ closed: true }))).toBe(false);
    expect(shouldNotify(reminder('@chattigo_ana:x', { ts: now - STALE_AFTER_MS - 1 }), situation())).toBe(false);
    expect(shouldNotify(reminder('@chattigo_ana:x', { sender: '@chattigo_jose:x' }), situation())).toBe(false);
  });

  it('takes a muted room from the push rules as Element writes them', () => {
    const rules = {
      global: {
        override: [{ rule_id: '!a:x', enabled: true, actions: [] }],
        room: [
          { rule_id: '!b:x', enabled: true, actions: ['dont_notify'] },
          { rule_id: '!c:x', enabled: true, actions: ['notify'] },
          { rule_id: '!d:x', enabled: false, actions: [] },
        ],
      },
    };
    expect(['!a:x', '!b:x', '!c:x', '!d:x', '!e:x'].map((id) => isRoomMuted(rules, id))).toEqual([true, true, false, false, false]);
    expect(isRoomMuted(undefined, '!a:x')).toBe(false);
  });

  it('shows the first words of a long message, cut between words', () => {
    expect(firstWords('  Hola,\n¿cómo   estás?  ')).toBe('Hola, ¿cómo estás?');
    const long = 'palabra '.repeat(30);
    const cut = firstWords(long, 40);
    expect(cut.endsWith('palabra…')).toBe(true);
    expect(cut.length).toBeLessThanOrEqual(41);
  });
});

describe('the unread total in the tab', () => {
  it('puts the count before the title, and nothing at zero', () => {
    expect(titleWithCount('Chattigo', 3)).toBe('(3) Chattigo');
    expect(titleWithCount('Chattigo', 0)).toBe('Chattigo');
  });

  it('draws the count on the favicon, 9+ beyond nine', () => {
    expect(badgeText(4)).toBe('4');
    expect(badgeText(12)).toBe('9+');
    expect(decodeURIComponent(faviconUrl(0))).not.toContain('<text');
    expect(decodeURIComponent(faviconUrl(3))).toContain('>3</text>');
    expect(faviconUrl(3).startsWith('data:image/svg+xml,')).toBe(true);
  });

  it('adds up the chats, leaving out muted ones and the chat on screen while the page is seen', () => {
    const counts = new Map([
      ['!a:x', 2],
      ['!b:x', 1],
      ['!m:x', 5],
    ]);
    const muted = (id: string) => id === '!m:x';
    expect(unreadTotal(counts, { activeRoomId: '!a:x', visible: true, muted })).toBe(1);
    expect(unreadTotal(counts, { activeRoomId: '!a:x', visible: false, muted })).toBe(3);
    expect(unreadTotal(new Map(), { activeRoomId: null, visible: true, muted })).toBe(0);
  });
});

describe('notification preferences (account data com.chattigo.preferences)', () => {
  it('reads what is stored, with defaults for what is missing or malformed', () => {
    expect(readPreferences(undefined)).toEqual(defaultPreferences);
    expect(readPreferences({ sound: false })).toEqual({ desktop: true, sound: false });
    expect(readPreferences({ desktop: false, sound: true })).toEqual({ desktop: false, sound: true });
    expect(readPreferences({ desktop: 'no' })).toEqual(defaultPreferences);
    expect(readPreferences(null)).toEqual(defaultPreferences);
  });
});
