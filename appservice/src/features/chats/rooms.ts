import { EventType, Preset } from 'matrix-js-sdk';
import type { MatrixGateway } from '../../matrix/gateway.ts';
import { CHAT_STATE, type ChatStateContent } from '@chattigo/contracts/event-types';
import { isTransient } from '../../matrix/transient.ts';

/** State events only the bot may send in a chat room: agents get 403 from Synapse for these. */
const BOT_ONLY = [
  CHAT_STATE,
  'm.room.power_levels',
  'm.room.encryption',
  'm.room.name',
  'm.room.topic',
  'm.room.avatar',
  'm.room.join_rules',
  'm.room.history_visibility',
  'm.room.guest_access',
  'm.room.canonical_alias',
  'm.room.server_acl',
  'm.room.tombstone',
  'm.space.parent',
  'io.element.functional_members',
];

/** Power levels of a chat room (the bot, as creator, has unlimited power in room version 12). */
export function chatPowerLevels(phase: 'setup' | 'open' | 'closed'): Record<string, unknown> {
  return {
    users_default: 0,
    // Agents write messages while the chat is open; a closed chat is read-only.
    events_default: phase === 'closed' ? 100 : 0,
    state_default: 100,
    // Only while setting up: the starting agent invites the other, so the invite comes from them.
    invite: phase === 'setup' ? 0 : 100,
    kick: 100,
    ban: 100,
    redact: 100,
    notifications: { room: 100 },
    events: Object.fromEntries(BOT_ONLY.map((type) => [type, 100])),
  };
}

export interface NewChatRoom {
  starterId: string;
  peerId: string;
  state: ChatStateContent;
  /** The campaign's space, linked as the room's parent. */
  spaceId: string | null;
  serverName: string;
}

/**
 * Creates the room of a chat: the bot creates it, with the chat state set to open and nobody else
 * in it yet. The chat is recorded before anyone is invited; `setUpChatRoom` then brings the agents in.
 */
export async function createChatRoom(gateway: MatrixGateway, room: NewChatRoom): Promise<string> {
  const { room_id: roomId } = await gateway.intent().createRoom({
    preset: Preset.PrivateChat,
    is_direct: true,
    power_level_content_override: chatPowerLevels('setup'),
    initial_state: [
      { type: CHAT_STATE, state_key: '', content: room.state },
      { type: 'io.element.functional_members', state_key: '', content: { service_members: [gateway.botUserId] } },
      { type: 'm.room.history_visibility', state_key: '', content: { history_visibility: 'shared' } },
      { type: 'm.room.guest_access', state_key: '', content: { guest_access: 'forbidden' } },
      ...(room.spaceId
        ? [{ type: 'm.space.parent', state_key: room.spaceId, content: { via: [room.serverName], canonical: true } }]
        : []),
    ],
  });
  return roomId;
}

/**
 * Brings both agents into a chat room, each step safe to repeat (reconciliation finishes a set-up
 * that a crash interrupted): the bot invites the starting agent, who joins and invites the other
 * agent (so clients show the DM as being with the starter), the other agent is joined by the
 * appservice, invites are then closed, and both agents' `m.direct` lists the room.
 */
export async function setUpChatRoom(gateway: MatrixGateway, roomId: string, starterId: string, peerId: string): Promise<void> {
  await ensureJoined(gateway, roomId, starterId, gateway.botUserId);
  await ensureJoined(gateway, roomId, peerId, starterId);
  const levels = await gateway.getState<{ invite?: number }>(roomId, 'm.room.power_levels');
  if (levels?.invite !== 100) await gateway.sendState(roomId, 'm.room.power_levels', chatPowerLevels('open'));
  await addDirect(gateway, starterId, peerId, roomId);
  await addDirect(gateway, peerId, starterId, roomId);
}

async function ensureJoined(gateway: MatrixGateway, roomId: string, userId: string, inviterId: string): Promise<void> {
  const member = await gateway.getState<{ membership?: string }>(roomId, 'm.room.member', userId);
  if (member?.membership === 'join') return;
  if (member?.membership !== 'invite') await gateway.intent(inviterId).invite(roomId, userId);
  await gateway.intent(userId).joinRoom(roomId);
}

/** Takes down a chat room that was never set up: everyone but the bot is removed, then the bot leaves. */
export async function tearDownChatRoom(gateway: MatrixGateway, roomId: string, reason: string): Promise<void> {
  const bot = gateway.intent();
  const members = await bot.getJoinedRoomMembers(roomId).catch(() => ({ joined: {} as Record<string, unknown> }));
  for (const userId of Object.keys(members.joined)) {
    if (userId !== gateway.botUserId) await bot.kick(roomId, userId, reason);
  }
  await bot.leave(roomId);
}

async function addDirect(gateway: MatrixGateway, userId: string, otherId: string, roomId: string): Promise<void> {
  const client = gateway.intent(userId);
  const current = ((await client.getAccountDataFromServer(EventType.Direct).catch((err: unknown) => {
    if (isTransient(err)) throw err; // never overwrite the list with only this room because Synapse was away
    return null;
  })) ?? {}) as Record<string, string[]>;
  const rooms = current[otherId] ?? [];
  if (rooms.includes(roomId)) return;
  await client.setAccountData(EventType.Direct, { ...current, [otherId]: [...rooms, roomId] });
}

/**
 * Writes the closure: read-only power levels first (from then on nobody can write), then the chat
 * state. Both are plain state writes, safe to repeat.
 */
export async function closeChatRoom(gateway: MatrixGateway, roomId: string, state: ChatStateContent): Promise<void> {
  await gateway.sendState(roomId, 'm.room.power_levels', chatPowerLevels('closed'));
  await gateway.sendState(roomId, CHAT_STATE, state);
}
