import type { Feature } from '../feature.ts';
import { createBotHandler, type BotOptions } from './handler.ts';

/** The bot in its rooms: joins when invited, answers `!` commands from the command table. */
export function createBot(deps: BotOptions): Feature {
  return {
    name: 'bot',
    roomHandlers: [createBotHandler({ ...deps, log: deps.log.child({ module: 'bot' }) })],
  };
}
