import { Method } from 'matrix-js-sdk';
import Type from 'typebox';
import Value from 'typebox/value';
import type { Caller, Scope } from '../../commands/command.ts';
import type { CommandRegistry } from '../../commands/registry.ts';
import type { Queryable } from '../../db/database.ts';
import { message } from '../../i18n/index.ts';
import type { RoomEvent } from '../../matrix/events.ts';
import type { MatrixGateway } from '../../matrix/gateway.ts';
import { composeNotice, sharedLanguage, type NoticeService } from '../../matrix/notices.ts';
import type { RoomEventHandler } from '../../matrix/processor.ts';
import type { Logger } from '../../observability/logger.ts';
import { createAccountRepository } from '../accounts/index.ts';

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
  notices: NoticeService;
  log: Logger;
  /** Tells chat rooms between agents apart (from the chats feature); none are known without it. */
  isChatRoom?: (roomId: string) => Promise<boolean>;
}

/** The key of the bot's reply to a command event (the closure of a chat by command uses it too). */
export const replyKey = (eventId: string) => `reply:${eventId}`;

/**
 * The bot in its rooms: it joins when invited by a user of this homeserver, and answers text
 * messages that start with `!` (commands from the registry) with an `m.notice` replying to them.
 * Its own messages, notices and edits are ignored. In a room that is neither a direct chat with
 * the bot nor a chat room, it stays silent.
 *
 * Each command is answered once: the reply is recorded (matrix/notices.ts) before it is sent and
 * sent with a transaction id derived from the command event, and a replay of an answered command
 * does nothing.
 */
export function createBotHandler(options: BotOptions): RoomEventHandler {
  const { gateway, registry, notices, log } = options;
  const accounts = createAccountRepository(options.db);
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
      // For the one who invited the bot, in their language.
      const username = gateway.usernameOf(event.sender);
      const lang = sharedLanguage([username ? ((await accounts.find(username))?.language ?? null) : null]);
      const greeting = composeNotice({ kind: 'bot.greeting', recipients: [event.sender], lang, text: message('bot.greeting') });
      await notices.send(`greeting:${event.event_id}`, event.room_id, greeting);
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
    const account = username ? await accounts.find(username) : undefined;
    return { userId, username, role: account?.active ? account.role : undefined, language: account?.language ?? null };
  }

  async function onMessage(event: RoomEvent): Promise<void> {
    if (!Value.Check(TextContent, event.content)) return;
    const content = event.content;
    if (content['m.relates_to']?.rel_type === 'm.replace') return;
    if (!content.body.trimStart().startsWith('!')) return;
    // Answered already (a replay after a crash): nothing is left to do. A replay whose reply was
    // not sent yet runs the command again — commands are idempotent for the same event (a close
    // by the same command event is the same close) — and sends the reply recorded first.
    if ((await notices.repo.find(replyKey(event.event_id)))?.sent) return;
    const scope = await scopeOf(event.room_id, event.sender);
    if (!scope) return;
    const caller = await callerOf(event.sender);
    const outcome = await registry.execute(content.body, { caller, roomId: event.room_id, scope, eventId: event.event_id });
    log.info(
      { roomId: event.room_id, sender: event.sender, command: outcome.commandId, status: outcome.status, lang: outcome.lang },
      'bot command',
    );
    await notices.send(replyKey(event.event_id), event.room_id, outcome.reply, event.event_id);
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
