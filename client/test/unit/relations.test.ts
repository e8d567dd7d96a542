import { describe, expect, it } from 'vitest';
import { presenceLabel } from '../../src/features/chat/presence.ts';
import { aggregateReactions, preview, stripReplyFallback, stripReplyFallbackHtml } from '../../src/features/chat/relations.ts';
import { editContent, reactionContent, replyContent } from '../../src/features/chat/send.ts';
import { firstUnreadId, timelineItems, type EventLike, type MessageItem } from '../../src/features/chat/timeline-model.ts';
import { base, bot, fakeEvent, jose, me, type FakeEventFields } from '../helpers/timeline-events.ts';

let clock = base;

/** An event a second after the one before. */
const event = (over: Partial<Omit<FakeEventFields, 'ts' | 'state' | 'txn'>>) => fakeEvent({ ...over, ts: (clock += 1000) });
const text = (id: string, body: string, sender = jose, extra: object = {}) => event({ id, sender, content: { msgtype: 'm.text', body, ...extra } });
const messages = (events: EventLike[], unreadFrom: string | null = null) =>
  timelineItems(events, { myUserId: me, botUserId: bot, unreadFrom }).filter((i): i is MessageItem => i.kind === 'message');

// What Element sends (matrix-react-sdk): a reply with the legacy fallback, an edit, a reaction.
const elementReply = {
  msgtype: 'm.text',
  body: '> <@chattigo_ana:x> ¿Tiene el número de pedido?\n> Es urgente\n\nSí, es el 4471',
  format: 'org.matrix.custom.html',
  formatted_body: '<mx-reply><blockquote><a href="https://matrix.to/#/!r/$1">In reply to</a> ¿Tiene el número?</blockquote></mx-reply>Sí, es el 4471',
  'm.relates_to': { 'm.in_reply_to': { event_id: '$1' } },
};
const elementEdit = (target: string, body: string) => ({
  msgtype: 'm.text',
  body: `* ${body}`,
  'm.new_content': { msgtype: 'm.text', body },
  'm.relates_to': { rel_type: 'm.replace', event_id: target },
});
const reaction = (id: string, sender: string, target: string, key: string, redacted = false) =>
  event({ id, sender, type: 'm.reaction', content: redacted ? {} : { 'm.relates_to': { rel_type: 'm.annotation', event_id: target, key } }, redacted });

describe('replies', () => {
  it('strips the legacy fallback and quotes the answered message with its sender and first words', () => {
    const [question, answer] = messages([text('$1', '¿Tiene el número de pedido?\nEs urgente', me), event({ id: '$2', content: elementReply })]);
    expect(question?.replyTo).toBeNull();
    expect(answer?.body).toEqual({ type: 'text', text: 'Sí, es el 4471' });
    expect(answer?.replyTo).toEqual({ eventId: '$1', senderId: me, text: '¿Tiene el número de pedido? Es urgente' });
  });

  it('keeps a quote typed by hand in a message that is no reply, and says when the answered message is not loaded', () => {
    expect(messages([text('$1', '> citado\n\nmío')])[0]?.body).toEqual({ type: 'text', text: '> citado\n\nmío' });
    expect(messages([text('$2', 'respuesta', jose, { 'm.relates_to': { 'm.in_reply_to': { event_id: '$old' } } })])[0]?.replyTo).toEqual({ eventId: '$old', senderId: null, text: null });
  });

  it('strips fallbacks as plain functions, and cuts previews at a word', () => {
    expect(stripReplyFallback('> <@a:x> uno\n> dos\n\ntres\ncuatro')).toBe('tres\ncuatro');
    expect(stripReplyFallback('sin cita')).toBe('sin cita');
    expect(stripReplyFallbackHtml('<mx-reply><blockquote>x</blockquote></mx-reply><b>y</b>')).toBe('<b>y</b>');
    expect(preview('palabra '.repeat(20), 30)).toBe('palabra palabra palabra…');
  });
});

describe('edits', () => {
  it('shows the latest edit by the sender, hides the edit events, and ignores edits by anyone else', () => {
    const items = messages([
      text('$1', 'Hola, mañana a las 10', me),
      event({ id: '$e1', sender: me, content: elementEdit('$1', 'Hola, mañana a las 11') }),
      event({ id: '$e2', sender: jose, content: elementEdit('$1', 'hackeado') }),
      event({ id: '$e3', sender: me, content: elementEdit('$1', 'Hola, mañana a las 12') }),
      text('$2', 'ok'),
    ]);
    expect(items.map((i) => i.eventId)).toEqual(['$1', '$2']);
    expect(items[0]).toMatchObject({ body: { type: 'text', text: 'Hola, mañana a las 12' }, edited: true });
    expect(items[1]?.edited).toBe(false);
  });

  it('reads the original content when the SDK already applied the edit, and a deleted message stays deleted', () => {
    const applied = event({ id: '$1', sender: me, content: { msgtype: 'm.text', body: 'nuevo' }, original: { msgtype: 'm.text', body: 'viejo' } });
    expect(messages([applied])[0]?.body).toEqual({ type: 'text', text: 'viejo' });
    const items = messages([event({ id: '$1', sender: me, redacted: true, content: {} }), event({ id: '$e', sender: me, content: elementEdit('$1', 'nuevo') })]);
    expect(items[0]).toMatchObject({ body: { type: 'redacted' }, edited: false });
  });

  it('quotes a reply with the edited text, and ignores a deleted edit (whose relation the redaction removed)', () => {
    const items = messages([
      text('$1', 'primero', me),
      event({ id: '$e', sender: me, content: elementEdit('$1', 'corregido') }),
      event({ id: '$e2', sender: me, redacted: true, content: {} }),
      text('$2', 'respuesta', jose, { 'm.relates_to': { 'm.in_reply_to': { event_id: '$1' } } }),
    ]);
    expect(items.find((i) => i.eventId === '$2')?.replyTo?.text).toBe('corregido');
  });
});

describe('deletes', () => {
  it('shows a message redacted by the server, or being redacted here, as deleted with no reply nor reactions to act on', () => {
    const items = messages([event({ id: '$1', redacted: true, content: {} }), event({ id: '$2', sender: me, beingRedacted: true, content: {} })]);
    expect(items.map((i) => i.body.type)).toEqual(['redacted', 'redacted']);
  });
});

describe('reactions', () => {
  it('aggregates per key with counts and who, one vote per sender, and drops redacted reactions', () => {
    const items = messages([
      text('$1', 'Listo el envío', me),
      reaction('$r1', jose, '$1', '👍'),
      reaction('$r2', me, '$1', '👍'),
      reaction('$r3', jose, '$1', '👍'),
      reaction('$r4', jose, '$1', '❤️', true),
      reaction('$r5', jose, '$1', '🎉'),
      event({ id: '$r6', type: 'm.reaction', content: { 'm.relates_to': { rel_type: 'm.annotation', event_id: '$1' } } }),
    ]);
    expect(items[0]?.reactions).toEqual([
      { key: '👍', count: 2, senders: [jose, me], mine: { eventId: '$r2' } },
      { key: '🎉', count: 1, senders: [jose], mine: null },
    ]);
  });

  it('keeps a local echo of the agent’s own reaction without an event id yet', () => {
    const byTarget = aggregateReactions([{ eventId: null, sender: me, target: '$1', key: '👍' }], me);
    expect(byTarget.get('$1')).toEqual([{ key: '👍', count: 1, senders: [me], mine: { eventId: null } }]);
  });
});

describe('new messages divider', () => {
  it('goes before the first message from someone else after the read receipt and the agent’s last message', () => {
    const events = [text('$1', 'a'), text('$2', 'b', me), text('$3', 'c'), event({ id: '$e', content: elementEdit('$3', 'c2') }), text('$4', 'd')];
    expect(firstUnreadId(events, null, me)).toBe('$3');
    expect(firstUnreadId(events, '$3', me)).toBe('$4');
    expect(firstUnreadId(events, '$4', me)).toBeNull();
    const items = timelineItems(events, { myUserId: me, botUserId: bot, unreadFrom: '$3' });
    expect(items.map((i) => (i.kind === 'message' ? i.eventId : i.kind))).toEqual(['day', '$1', '$2', 'unread', '$3', '$4']);
    expect(items[4]).toMatchObject({ continued: false });
  });
});

describe('contents sent, as Element reads them', () => {
  it('builds replies, edits and reactions', () => {
    expect(replyContent('sí', '$1')).toEqual({ msgtype: 'm.text', body: 'sí', 'm.relates_to': { 'm.in_reply_to': { event_id: '$1' } } });
    expect(editContent('nuevo', '$1')).toEqual(elementEdit('$1', 'nuevo'));
    expect(reactionContent('$1', '👍')).toEqual({ 'm.relates_to': { rel_type: 'm.annotation', event_id: '$1', key: '👍' } });
  });
});

describe('presence', () => {
  const now = base;
  it('says active, active N minutes ago (under an hour), or inactive', () => {
    expect(presenceLabel(null, now)).toEqual({ kind: 'unknown' });
    expect(presenceLabel({ presence: 'online', currentlyActive: true, lastActiveAgo: 0, lastPresenceTs: now }, now)).toEqual({ kind: 'active' });
    expect(presenceLabel({ presence: 'online', currentlyActive: false, lastActiveAgo: 5 * 60_000, lastPresenceTs: now - 2 * 60_000 }, now)).toEqual({ kind: 'ago', minutes: 7 });
    expect(presenceLabel({ presence: 'unavailable', currentlyActive: false, lastActiveAgo: 2 * 3_600_000, lastPresenceTs: now }, now)).toEqual({ kind: 'inactive' });
    expect(presenceLabel({ presence: 'offline', currentlyActive: false, lastActiveAgo: 0, lastPresenceTs: now }, now)).toEqual({ kind: 'inactive' });
  });
});
