import { CONTEXT_EVENT_TYPE, ContextContentSchema, type ContextContent } from '@chattigo/contracts/event-types';
import type { Room } from 'matrix-js-sdk';
import { Check } from 'typebox/schema';
import { useRoomStateValue } from '../../matrix/hooks.ts';

function readContext(room: Room): ContextContent | null {
  const content: unknown = room.currentState.getStateEvents(CONTEXT_EVENT_TYPE, '')?.getContent();
  return Check(ContextContentSchema, content) ? content : null;
}

/** The room's `com.chattigo.context` (the customer chat it is about), following state changes live. */
export function useContextCard(room: Room): ContextContent | null {
  return useRoomStateValue(room, readContext);
}
