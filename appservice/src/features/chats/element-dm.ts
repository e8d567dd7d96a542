import { Method } from 'matrix-js-sdk';
import type { Logger } from '../../observability/logger.ts';
import type { RoomEvent } from '../../matrix/events.ts';
import type { MatrixGateway } from '../../matrix/gateway.ts';
import type { RoomEventHandler } from '../../matrix/processor.ts';
import { translate } from '../../i18n/index.ts';
import { readerLanguage, type LanguageOf } from '../../matrix/notices.ts';
import { isTransient } from '../../matrix/transient.ts';
import type { ChatService } from './service.ts';

interface StrippedState {
  type?: string;
  sender?: string;
}

/**
 * A direct chat that an agent starts from a stock client (Element's "Start chat") is not one the
 * bot manages, so it could not be closed with a typification. The appservice declines the invite
 * on the other agent's behalf, saying why, and opens (or reuses) the managed chat between the two,
 * exactly as "Mensaje directo" would.
 */
export function elementDirectChatHandler(deps: { gateway: MatrixGateway; chats: ChatService; languageOf: LanguageOf; log: Logger }): RoomEventHandler {
  const { gateway, chats, languageOf, log } = deps;
  return {
    name: 'element-direct-chat',
    async handle(event: RoomEvent) {
      // Only direct-chat invites (clients mark them is_direct); group rooms are left alone.
      if (event.type !== 'm.room.member' || event.content['membership'] !== 'invite' || event.content['is_direct'] !== true) return;
      const invitee = event.state_key ?? '';
      const starter = gateway.usernameOf(event.sender);
      const peer = gateway.usernameOf(invitee);
      if (!starter || !peer || starter === peer) return;
      if (await managedByBot(event, gateway)) return;

      // Declining with a reason shows the reason to the inviter in every client: in their language.
      const guidance = translate(await readerLanguage(gateway, languageOf, event.sender), 'chats.openedForYou');
      await gateway
        .intent(invitee)
        .http.authedRequest(Method.Post, `/rooms/${encodeURIComponent(event.room_id)}/leave`, undefined, { reason: guidance })
        .catch((err: unknown) => {
          if (isTransient(err)) throw err;
          log.warn({ err }, 'could not decline the invite');
        });
      try {
        const { chat } = await chats.open(starter, peer, undefined);
        log.info({ from: event.room_id, to: chat.roomId, starter, peer }, 'direct chat from a stock client redirected to a managed chat');
      } catch (err) {
        if (isTransient(err)) throw err; // retried once the homeserver or the database is back
        log.warn({ err, starter, peer }, 'could not open the managed chat for a stock-client direct chat');
      }
    },
  };
}

/** Whether the bot created the room (managed chat rooms and campaign spaces are the bot's). */
async function managedByBot(event: RoomEvent, gateway: MatrixGateway): Promise<boolean> {
  const stripped = (event.unsigned?.['invite_room_state'] ?? []) as StrippedState[];
  const create = stripped.find((e) => e.type === 'm.room.create');
  if (create?.sender) return create.sender === gateway.botUserId;
  const state = await gateway.getState(event.room_id, 'm.room.create').catch(() => undefined);
  return state !== undefined;
}
