import { Method } from 'matrix-js-sdk';
import Type from 'typebox';
import Value from 'typebox/value';
import type { Caller, Scope } from '../../commands/command.ts';
import type { CommandRegistry } from '../../commands/registry.ts';
import type { Queryable } from '../../db/database.ts';
import type { RoomEvent } from '../../matrix/events.ts';
import type { MatrixGateway } from '../../matrix/gateway.ts';
import type { RoomEventHandler } from '../../matrix/processor.ts';
import type { Logger } from '../../observability/logger.ts';
import { findAccount } from '../accounts/repository.ts';
import { sendNotice } from './notices.ts';

const MemberContent = Type.Object({ membership: Type.String() }, { additionalProperties: true });
const MembersResponse = Type.Object(
  { chunk: Type.Array(Type.Object({ state_key: Type.String(), content: MemberContent }, { additionalProperties: true })) },
  { additionalProperties: true },
);
const TextContent = Type.Object(
  {
    msgtype: Type.Literal('m.text'),
    body: Type.String(),
    'm.relates_to': Type.Optional(Type.Object({ rel_type: Type.Optional(Type.String()) }, { additionalProperties: true })),
  },
  { additionalProperties: true },
);

export interface BotOptions {
  gateway: MatrixGateway;
  db: Queryable;
  registry: CommandRegistry;
  log: Logger;
  /** Tells chat rooms between agents apart (from the chats feature); none are known without it. */
  isChatRoom?: (roomId: string) => Promise<boolean>;
  /** Retry delay of a failed reply (tests shorten it). */
  replyRetryDelayMs?: number;
}

const GREETING =
  'Hola, soy el bot de Chattigo. Escriba !ayuda para ver los comandos.\nHi, I am the Chattigo bot. Type !help to see the commands.';

/**
 * The bot in its rooms: it joins when invited by a user of this homeserver, and answers text
 * messages that start with `!` (commands from the registry) with an `m.notice` replying to them.
 * Its own messages, notices and edits are ignored. In a room that is neither a direct chat with
 * the bot nor a chat room, it stays silent.
 */
export function createBotHandler(options: BotOptions): RoomEventHandler {
  const { gateway, db, registry, log } = options;
  const bot = gateway.intent();
  const serverSuffix = gateway.botUserId.slice(gateway.botUserId.indexOf(':'));

  async function onInvite(event: RoomEvent): Promise<void> {
    if (!event.sender.endsWith(serverSuffix)) {
      log.warn({ roomId: event.room_id, inviter: event.sender }, 'declining an invite from another server');
      await bot.leave(event.room_id).catch((err: unknown) => log.warn({ err }, 'could not decline the invite'));
      return;
    }
    try {
      await bot.joinRoom(event.room_id);
    } catch (err) {
      if (isClientError(err)) {
        log.warn({ err, roomId: event.room_id }, 'could not join the room the bot was invited to');
        return;
      }
      throw err;
    }
    log.info({ roomId: event.room_id, inviter: event.sender }, 'bot joined a room it was invited to');
    if ((await scopeOf(event.room_id, event.sender)) === 'direct') {
      await sendNotice(bot, event.room_id, GREETING, log, { retryDelayMs: options.replyRetryDelayMs });
    }
  }

  /**
   * `direct` when the bot has joined and nobody but `sender` is joined or invited besides it;
   * `chat` for a chat room between agents; otherwise none.
   */
  async function scopeOf(roomId: string, sender: string): Promise<Scope | undefined> {
    if (await options.isChatRoom?.(roomId)) return 'chat';
    let response: unknown;
    try {
      response = await bot.http.authedRequest(Method.Get, `/rooms/${encodeURIComponent(roomId)}/members`, { not_membership: 'leave' });
    } catch (err) {
      if (isClientError(err)) return undefined; // the bot is not in the room
      throw err;
    }
    if (!Value.Check(MembersResponse, response)) throw new Error(`unexpected /members response for ${roomId}`);
    const present = response.chunk.filter((m) => m.content.membership === 'join' || m.content.membership === 'invite');
    const botJoined = present.some((m) => m.state_key === gateway.botUserId && m.content.membership === 'join');
    const others = present.map((m) => m.state_key).filter((id) => id !== gateway.botUserId);
    return botJoined && others.every((id) => id === sender) ? 'direct' : undefined;
  }

  async function callerOf(userId: string): Promise<Caller> {
    const username = gateway.usernameOf(userId);
    const account = username ? await findAccount(db, username) : undefined;
    return { userId, username, role: account?.active ? account.role : undefined };
  }

  async function onMessage(event: RoomEvent): Promise<void> {
    if (!Value.Check(TextContent, event.content)) return;
    const content = event.content;
    if (content['m.relates_to']?.rel_type === 'm.replace') return;
    if (!content.body.trimStart().startsWith('!')) return;
    const scope = await scopeOf(event.room_id, event.sender);
    if (!scope) return;
    const caller = await callerOf(event.sender);
    const outcome = await registry.execute(content.body, { caller, roomId: event.room_id, scope, eventId: event.event_id });
    log.info(
      { roomId: event.room_id, sender: event.sender, command: outcome.commandId, status: outcome.status, lang: outcome.lang },
      'bot command',
    );
    await sendNotice(bot, event.room_id, outcome.reply, log, { inReplyTo: event.event_id, retryDelayMs: options.replyRetryDelayMs });
  }

  return {
    name: 'bot',
    async handle(event) {
      if (event.sender === gateway.botUserId) return;
      if (event.type === 'm.room.member' && event.state_key === gateway.botUserId) {
        if (Value.Check(MemberContent, event.content) && event.content.membership === 'invite') await onInvite(event);
        return;
      }
      if (event.type === 'm.room.message') await onMessage(event);
    },
  };
}

/** A 4xx answer from the homeserver: retrying the same request will not help. */
function isClientError(err: unknown): boolean {
  const status = (err as { httpStatus?: unknown } | null)?.httpStatus;
  return typeof status === 'number' && status >= 400 && status < 500 && status !== 429;
}
