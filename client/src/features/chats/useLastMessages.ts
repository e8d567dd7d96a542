import { ClientEvent, RoomEvent, type MatrixClient } from 'matrix-js-sdk';
import { useEffect, useState } from 'react';
import { useMatrixClient } from '../../matrix/MatrixProvider.tsx';
import { lastMessageOf, type LastMessage } from './chat-rows.ts';

/**
 * The last message of every joined room, by room id, from the rooms' live timelines: recomputed
 * at every timeline event (new messages, older ones paginated in), local echo sent or failed,
 * redaction and sync. The listeners are removed on cleanup.
 */
export function useLastMessages(botUserId: string): ReadonlyMap<string, LastMessage> {
  const client = useMatrixClient();
  const [last, setLast] = useState<ReadonlyMap<string, LastMessage>>(() => lastMessages(client, botUserId));
  useEffect(() => {
    const update = () =>
      setLast((previous) => {
        const next = lastMessages(client, botUserId);
        return sameMessages(previous, next) ? previous : next;
      });
    update();
    const events = [RoomEvent.Timeline, RoomEvent.TimelineReset, RoomEvent.LocalEchoUpdated, RoomEvent.Redaction, ClientEvent.Sync] as const;
    for (const name of events) client.on(name, update);
    return () => {
      for (const name of events) client.off(name, update);
    };
  }, [client, botUserId]);
  return last;
}

function lastMessages(client: MatrixClient, botUserId: string): Map<string, LastMessage> {
  const context = { myUserId: client.getSafeUserId(), botUserId };
  const last = new Map<string, LastMessage>();
  for (const room of client.getRooms()) {
    if (room.getMyMembership() !== 'join') continue;
    const message = lastMessageOf(room.getLiveTimeline().getEvents(), context);
    if (message) last.set(room.roomId, message);
  }
  return last;
}

function sameMessages(a: ReadonlyMap<string, LastMessage>, b: ReadonlyMap<string, LastMessage>): boolean {
  if (a.size !== b.size) return false;
  for (const [roomId, message] of b) {
    const before = a.get(roomId);
    if (!before || before.eventId !== message.eventId || before.ts !== message.ts || before.body.type !== message.body.type) return false;
  }
  return true;
}
