import { describe, expect, it } from 'vitest';
import { lastSentByMe, messageBody, timelineItems } from '../../src/features/chat/timeline-model.ts';
import { countUnread } from '../../src/matrix/unread.ts';
import { base, bot, fakeEvent, jose, me } from '../helpers/timeline-events.ts';

describe('timeline items', () => {
  it('shows messages with day separators, runs of one sender, bot notices and send states', () => {
    const items = timelineItems(
      [
        fakeEvent({ id: '$create', type: 'm.room.create', state: true, content: {} }),
        fakeEvent({ id: '$n', sender: bot, content: { msgtype: 'm.notice', body: 'Ana abrió este chat' } }),
        fakeEvent({ id: '$1', sender: me, ts: base + 60_000 }),
        fakeEvent({ id: '$2', sender: me, ts: base + 120_000, content: { msgtype: 'm.text', body: 'línea 1\nlínea 2' } }),
        fakeEvent({ id: '$3', ts: base + 10 * 60_000 }),
        fakeEvent({ id: '~local', sender: me, ts: base + 86_400_000, status: 'not_sent', txn: 'txn1' }),
      ],
      { myUserId: me, botUserId: bot },
    );
    expect(items.map((i) => (i.kind !== 'message' ? i.kind : `${i.eventId ?? i.key}${i.system ? ' system' : ''}${i.continued ? ' cont' : ''}${i.mine ? ' mine' : ''} ${i.status}`))).toEqual([
      'day',
      '$n system sent',
      '$1 mine sent',
      '$2 cont mine sent',
      '$3 sent',
      'day',
      'txn1 mine failed',
    ]);
    expect(lastSentByMe(items)?.eventId).toBe('$2');
  });

  it('reads files, images and deleted messages, and refuses malformed content', () => {
    expect(messageBody(fakeEvent({ content: { msgtype: 'm.file', body: 'informe.pdf', url: 'mxc://x/abc', info: { mimetype: 'application/pdf', size: 594 } } }))).toEqual({
      type: 'file',
      name: 'informe.pdf',
      url: 'mxc://x/abc',
      mimetype: 'application/pdf',
      size: 594,
    });
    expect(messageBody(fakeEvent({ content: { msgtype: 'm.image', body: 'x', filename: 'foto.png', url: 'mxc://x/i', info: { w: 64, h: 48 } } }))).toMatchObject({
      type: 'image',
      name: 'foto.png',
      width: 64,
      height: 48,
    });
    expect(messageBody(fakeEvent({ redacted: true }))).toEqual({ type: 'redacted' });
    expect(messageBody(fakeEvent({ content: { msgtype: 'm.image', body: 'no url' } }))).toEqual({ type: 'unsupported' });
    expect(messageBody(fakeEvent({ content: { msgtype: 'm.text', body: 42 } }))).toEqual({ type: 'unsupported' });
  });

  it("shows the bot's notices in the client's language, without the command instructions of their plain body", () => {
    const meta = {
      kind: 'chat.opened',
      recipients: [me],
      texts: { es: 'José abrió este chat.', en: 'José opened this chat.' },
    };
    const opened = { msgtype: 'm.notice', body: 'José opened this chat. To close it: !close <code>; valid codes: !typifications.', 'com.chattigo.notice': meta };
    const texts = (lang: 'es' | 'en', sender = bot) =>
      timelineItems([fakeEvent({ id: '$n', sender, content: opened })], { myUserId: me, botUserId: bot, lang }).flatMap((i) =>
        i.kind === 'message' && i.body.type === 'notice' ? [i.body.text] : [],
      );
    expect(texts('es')).toEqual(['José abrió este chat.']);
    expect(texts('en')).toEqual(['José opened this chat.']);
    // Anyone else's notice is shown as they sent it: the field is trusted only from the bot.
    expect(texts('es', jose)).toEqual([opened.body]);
    // A malformed field is ignored.
    const broken = { ...opened, 'com.chattigo.notice': { ...meta, texts: { es: 1 } } };
    expect(timelineItems([fakeEvent({ id: '$b', sender: bot, content: broken })], { myUserId: me, botUserId: bot, lang: 'es' })[1]).toMatchObject({ body: { text: opened.body } });
  });
});

describe('answer-time reminders', () => {
  it("marks the bot's SLA reminder addressed to this agent, not the other agent's or a look-alike", () => {
    const sla = (askee: string, sender = bot) =>
      fakeEvent({
        id: `$r-${askee}-${sender}`,
        sender,
        content: {
          msgtype: 'm.notice',
          body: '⏰ Recordatorio',
          'com.chattigo.sla': { kind: 'reminder', room_id: '!r:x', question: '$q', asker: jose, askee, asked_at: base, sla_seconds: 300 },
        },
      });
    const items = timelineItems([sla(me), sla(jose), sla(me, jose), fakeEvent({ id: '$plain', sender: bot, content: { msgtype: 'm.notice', body: 'x' } })], {
      myUserId: me,
      botUserId: bot,
    });
    expect(items.flatMap((i) => (i.kind === 'message' ? [[i.eventId, i.slaReminder]] : []))).toEqual([
      [`$r-${me}-${bot}`, true],
      [`$r-${jose}-${bot}`, false],
      [`$r-${me}-${jose}`, false],
      ['$plain', false],
    ]);
  });
});

describe('unread counts', () => {
  const events = [
    fakeEvent({ id: '$a', sender: jose }),
    fakeEvent({ id: '$b', sender: me }),
    fakeEvent({ id: '$c', sender: jose }),
    fakeEvent({ id: '$s', type: 'm.room.member', sender: jose, state: true }),
    fakeEvent({ id: '$d', sender: bot, content: { msgtype: 'm.notice', body: 'cerrado' } }),
    fakeEvent({ id: '$e', sender: jose, redacted: true }),
  ];
  it('counts messages from others after the read receipt or the agent’s own last message', () => {
    expect(countUnread(events, null, me)).toBe(2);
    expect(countUnread(events, '$c', me)).toBe(1);
    expect(countUnread(events, '$d', me)).toBe(0);
    expect(countUnread(events.slice(0, 1), null, me)).toBe(1);
  });
});
