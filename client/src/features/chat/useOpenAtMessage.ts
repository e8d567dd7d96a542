import { Direction, type Room } from 'matrix-js-sdk';
import { useEffect, useState } from 'react';
import { useMatrixClient } from '../../matrix/MatrixProvider.tsx';

/** How far back a chat is paged to reach a message (pages of 50 events). */
const MAX_PAGES = 40;
const PAGE = 50;

export type OpenAtState = 'none' | 'finding' | 'found' | 'missing';

/**
 * A chat opened at one of its messages (`?evento=`, from a search result): asks the homeserver
 * for the event (`/rooms/{room}/event/{id}`: it exists and the agent may see it), then pages the
 * room's live timeline back until the event is in it, so the chat shows one timeline — the one
 * the composer, read receipts and "load older" already work on — with the message in place.
 */
export function useOpenAtMessage(room: Room, eventId: string | null): OpenAtState {
  const client = useMatrixClient();
  const [done, setDone] = useState<{ eventId: string; found: boolean } | null>(null);
  useEffect(() => {
    if (!eventId) return;
    let cancelled = false;
    const loaded = () => room.getLiveTimeline().getEvents().some((e) => e.getId() === eventId);
    const find = async (): Promise<boolean> => {
      if (loaded()) return true;
      const event = await client.fetchRoomEvent(room.roomId, eventId);
      const ts = event.origin_server_ts ?? 0;
      for (let page = 0; page < MAX_PAGES && !cancelled; page++) {
        if (loaded()) return true;
        const timeline = room.getLiveTimeline();
        const oldest = timeline.getEvents()[0]?.getTs() ?? Number.POSITIVE_INFINITY;
        if (timeline.getPaginationToken(Direction.Backward) === null || oldest < ts) return false;
        await client.scrollback(room, PAGE);
      }
      return loaded();
    };
    find().then(
      (found) => {
        if (!cancelled) setDone({ eventId, found });
      },
      () => {
        if (!cancelled) setDone({ eventId, found: false });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [client, room, eventId]);
  if (!eventId) return 'none';
  if (done?.eventId !== eventId) return 'finding';
  return done.found ? 'found' : 'missing';
}
