import { describe, expect, it } from 'vitest';
import type { RoomEvent } from '../../src/matrix/events.ts';
import { hasInlineImage, violationOf } from '../../src/features/room-policy/rules.ts';

const event = (fields: Partial<RoomEvent>): RoomEvent => ({
  event_id: '$e',
  room_id: '!chat:chattigo.test',
  type: 'm.room.message',
  sender: '@chattigo_ana:chattigo.test',
  origin_server_ts: 2_000,
  content: {},
  ...fields,
});
const open = { status: 'open' as const, closedAt: null };
const closed = { status: 'closed' as const, closedAt: new Date(1_000) };
const nothing = async () => undefined;

describe('room policy rules', () => {
  it('finds any inline image element in a message or its edit, not escaped text', () => {
    expect(hasInlineImage({ formatted_body: 'a <img src="mxc://x/y">' })).toBe(true);
    expect(hasInlineImage({ formatted_body: '<IMG\nsrc="&#109;xc://x/y"/>' })).toBe(true);
    expect(hasInlineImage({ body: '*', 'm.new_content': { formatted_body: '<img/>' } })).toBe(true);
    expect(hasInlineImage({ formatted_body: '&lt;img src="mxc://x/y"&gt; <b>hola</b> <imagen>' })).toBe(false);
    expect(hasInlineImage({ body: '<img src="mxc://x/y">' })).toBe(false);
  });

  it('names encrypted events and inline images in any managed chat', async () => {
    expect(await violationOf(event({ type: 'm.room.encrypted' }), open, nothing)).toBe('encrypted');
    expect(await violationOf(event({ content: { msgtype: 'm.text', formatted_body: '<img src="mxc://a/b">' } }), open, nothing)).toBe('inline-image');
    expect(await violationOf(event({ content: { msgtype: 'm.text', body: 'hola' } }), open, nothing)).toBeUndefined();
  });

  it('names a profile change after the close, not a real join, not before the close, not in an open chat', async () => {
    const member = (fields: Partial<RoomEvent>) =>
      event({ type: 'm.room.member', state_key: '@chattigo_ana:chattigo.test', content: { membership: 'join', displayname: 'X' }, ...fields });
    const wasJoined = { unsigned: { prev_content: { membership: 'join' } } };
    expect(await violationOf(member(wasJoined), closed, nothing)).toBe('member-change');
    expect(await violationOf(member(wasJoined), open, nothing)).toBeUndefined();
    expect(await violationOf(member({ ...wasJoined, origin_server_ts: 500 }), closed, nothing)).toBeUndefined();
    expect(await violationOf(member({ unsigned: { prev_content: { membership: 'invite' } } }), closed, nothing)).toBeUndefined();
    expect(await violationOf(member({}), closed, nothing)).toBeUndefined();
    // Without prev_content, the replaced state event says what the membership was.
    const replaced = member({ unsigned: { replaces_state: '$before' } });
    expect(await violationOf(replaced, closed, async (id) => (id === '$before' ? { membership: 'join' } : undefined))).toBe('member-change');
  });
});
