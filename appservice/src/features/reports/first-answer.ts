import type { RoomEvent } from '../../matrix/events.ts';
import type { MatrixGateway } from '../../matrix/gateway.ts';
import type { EventContext, RoomEventHandler } from '../../matrix/processor.ts';
import { chatForEvent, type ChatRepository } from '../chats/index.ts';
import type { ReportRepository } from './repository.ts';

/**
 * Records when a chat was first answered: the earliest message of the agent who did not open it
 * (its `origin_server_ts`). Idempotent and independent of delivery order: the earliest time wins,
 * so a replay or a late event changes nothing it should not. With `chats`, the chat the other
 * handlers read for the event says first whether the sender is its peer: the opener's messages
 * (half of them) and rooms that are no chat cost no write.
 */
export function firstAnswerRecorder(deps: { gateway: MatrixGateway; repo: ReportRepository; chats?: Pick<ChatRepository, 'find'> }): RoomEventHandler {
  return {
    name: 'first-answer',
    async handle(event: RoomEvent, context?: EventContext) {
      if (event.type !== 'm.room.message' || event.state_key !== undefined) return;
      const username = deps.gateway.usernameOf(event.sender);
      if (!username || !Number.isFinite(event.origin_server_ts)) return;
      if (deps.chats) {
        const chat = await chatForEvent(deps.chats, event.room_id, context);
        if (chat?.peer !== username) return;
      }
      await deps.repo.recordFirstAnswer(event.room_id, username, new Date(event.origin_server_ts));
    },
  };
}
