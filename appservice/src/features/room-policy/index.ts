import type { Feature } from '../feature.ts';
import { RoomPolicyHandler, type RoomPolicyOptions } from './handler.ts';

/** What power levels cannot forbid in a managed chat, redacted by the bot. */
export function createRoomPolicy(deps: RoomPolicyOptions): Feature {
  return {
    name: 'room-policy',
    roomHandlers: [new RoomPolicyHandler({ ...deps, log: deps.log.child({ module: 'room-policy' }) })],
  };
}
