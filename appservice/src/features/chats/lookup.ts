import type { EventContext } from '../../matrix/processor.ts';
import type { Chat, ChatRepository } from './repository.ts';

/**
 * The chat of a room as the handlers of one event see it: read once per event when a context is
 * given (room policy, first answer and SLA all look at every message's chat), else read now.
 */
export function chatForEvent(repo: Pick<ChatRepository, 'find'>, roomId: string, context: EventContext | undefined): Promise<Chat | undefined> {
  return context ? context.once(`chats.find:${roomId}`, () => repo.find(roomId)) : repo.find(roomId);
}
