import type { Feature } from '../feature.ts';
import { chatCommands } from './commands.ts';
import { elementDirectChatHandler } from './element-dm.ts';
import { chatMembersGuard } from './guard.ts';
import { chatRoutes } from './routes.ts';
import { ChatService, type ChatServiceOptions } from './service.ts';

export type { Chat, ChatRepository } from './repository.ts';
export { chatForEvent } from './lookup.ts';
export type { ChatService } from './service.ts';

/** How often the leader finishes interrupted chats. */
export const RECONCILE_INTERVAL_MS = 60_000;

/** What the chat service needs (its `catalog` is the typifications feature), without the tests' knobs. */
export type ChatsDeps = Omit<ChatServiceOptions, 'abandonedAfterMs'>;

export interface ChatsFeature extends Feature {
  service: ChatService;
}

/** Internal chats between agents: `/api/v1/chats`, `!cerrar`/`!chatear`, and the guards of chat rooms. */
export function createChats(deps: ChatsDeps): ChatsFeature {
  const log = deps.log.child({ module: 'chats' });
  const service = new ChatService({ ...deps, log });
  return {
    name: 'chats',
    service,
    commands: chatCommands(service),
    // Finishes what crashes and outages interrupted (chats left opening or closing, orphan rooms).
    tasks: [{ name: 'chats.reconcile', everyMs: RECONCILE_INTERVAL_MS, atStartup: true, onLeadership: true, run: () => service.reconcile() }],
    roomHandlers: [
      chatMembersGuard({ gateway: deps.gateway, repo: service.repo, languageOf: deps.languageOf, log }),
      elementDirectChatHandler({ gateway: deps.gateway, chats: service, languageOf: deps.languageOf, log }),
    ],
    async plugin(app) {
      await app.register(chatRoutes, { chats: service });
    },
  };
}
