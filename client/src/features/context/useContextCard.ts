import { CONTEXT_EVENT_TYPE, ContextContentSchema, type ContextContent } from '@chattigo/contracts/event-types';
import { RoomEvent, RoomStateEvent, type Room } from 'matrix-js-sdk';
import { useEffect, useState } from 'react';
import { Check } from 'typebox/schema';

function readContext(room: Room): ContextContent | null {
  const content: unknown = room.currentState.getStateEvents(CONTEXT_EVENT_TYPE, '')?.getContent();
  return Check(ContextContentSchema, content) ? content : null;
}

/** The room's `com.chattigo.context` (the customer chat it is about), following state changes live. */
export function useContextCard(room: Room): ContextContent | null {
  const [context, setContext] = useState<ContextContent | null>(() => readContext(room));
  useEffect(() => {
    const update = () => setContext(readContext(room));
    update();
    room.on(RoomStateEvent.Events, update);
    room.on(RoomEvent.TimelineReset, update);
    return () => {
      room.off(RoomStateEvent.Events, update);
      room.off(RoomEvent.TimelineReset, update);
    };
  }, [room]);
  return context;
}
