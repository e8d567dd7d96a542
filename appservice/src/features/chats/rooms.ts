import { EventType, Preset } from 'matrix-js-sdk';
import type { MatrixGateway } from '../../matrix/gateway.ts';
import { CHAT_STATE, type ChatStateContent } from '../../matrix/event-types.ts';

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
 * Creates a direct chat room: the bot creates it with the chat state set to open, the starting
 * agent joins and invites the other agent (so clients show the DM as being with the starter), the
 * other agent is joined by the appservice, invites are then closed, and both agents' `m.direct`
 * lists the room.
 */
export async function createChatRoom(gateway: MatrixGateway, room: NewChatRoom): Promise<string> {
  const bot = gateway.intent();
  const { room_id: roomId } = await bot.createRoom({
    preset: Preset.PrivateChat,
    is_direct: true,
    invite: [room.starterId],
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
  const starter = gateway.intent(room.starterId);
  await starter.joinRoom(roomId);
  await starter.invite(roomId, room.peerId);
  await gateway.intent(room.peerId).joinRoom(roomId);
  await gateway.sendState(roomId, 'm.room.power_levels', chatPowerLevels('open'));
  await addDirect(gateway, room.starterId, room.peerId, roomId);
  await addDirect(gateway, room.peerId, room.starterId, roomId);
  return roomId;
}

async function addDirect(gateway: MatrixGateway, userId: string, otherId: string, roomId: string): Promise<void> {
  const client = gateway.intent(userId);
  const current = ((await client.getAccountDataFromServer(EventType.Direct).catch(() => null)) ?? {}) as Record<string, string[]>;
  const rooms = current[otherId] ?? [];
  if (rooms.includes(roomId)) return;
  await client.setAccountData(EventType.Direct, { ...current, [otherId]: [...rooms, roomId] });
}

/** Writes the closure: the chat state, then read-only power levels. */
export async function closeChatRoom(gateway: MatrixGateway, roomId: string, state: ChatStateContent): Promise<void> {
  await gateway.sendState(roomId, CHAT_STATE, state);
  await gateway.sendState(roomId, 'm.room.power_levels', chatPowerLevels('closed'));
}
