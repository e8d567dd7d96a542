import type { RoomEvent } from '../../matrix/events.ts';
import { translate } from '../../i18n/index.ts';
import type { MatrixGateway } from '../../matrix/gateway.ts';
import { readerLanguage, type LanguageOf } from '../../matrix/notices.ts';
import type { RoomEventHandler } from '../../matrix/processor.ts';
import type { Logger } from '../../observability/logger.ts';
import type { ChatRepository } from './repository.ts';

/**
 * A chat room holds its two agents and the bot, nobody else. While a room is being set up its
 * power levels let the starting agent invite (so that the other agent's invite comes from them);
 * anyone else invited or joined then, or by any other way, is removed at once. Kicking someone no
 * longer in the room is refused by Synapse with 403, which makes a replay harmless.
 */
export function chatMembersGuard(deps: { gateway: MatrixGateway; repo: ChatRepository; languageOf: LanguageOf; log: Logger }): RoomEventHandler {
  const { gateway, repo, languageOf, log } = deps;
  return {
    name: 'chat-members',
    async handle(event: RoomEvent) {
      if (event.type !== 'm.room.member' || typeof event.state_key !== 'string') return;
      const membership = event.content['membership'];
      if (membership !== 'invite' && membership !== 'join' && membership !== 'knock') return;
      const userId = event.state_key;
      if (userId === gateway.botUserId) return;
      const chat = await repo.find(event.room_id);
      if (!chat) return;
      const allowed = [gateway.userIdFor(chat.openedBy), gateway.userIdFor(chat.peer)];
      if (allowed.includes(userId)) return;
      const current = await gateway.getState<{ membership?: string }>(event.room_id, 'm.room.member', userId);
      if (current?.membership === 'leave' || current?.membership === 'ban' || current === undefined) return;
      // The reason is for the one removed, in their language.
      await gateway.intent().kick(event.room_id, userId, translate(await readerLanguage(gateway, languageOf, userId), 'chats.twoPeople'));
      log.warn({ roomId: event.room_id, userId, by: event.sender }, 'removed a third person from a chat between two agents');
    },
  };
}
