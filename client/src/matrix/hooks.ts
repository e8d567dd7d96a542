import {
  ClientEvent,
  RoomEvent,
  RoomMemberEvent,
  RoomStateEvent,
  type MatrixEvent,
  type Room,
  type RoomMember,
  type SyncState,
} from 'matrix-js-sdk';
import { useEffect, useState } from 'react';
import { Check } from 'typebox/schema';
import { CHAT_STATE, ChatStateContent } from '../../../appservice/src/matrix/event-types.ts';
import { useMatrixClient } from './MatrixProvider.tsx';
import { countUnread } from './unread.ts';

/**
 * Hooks over matrix-js-sdk events. Each registers its listeners in an effect and removes them in
 * the effect's cleanup; components never touch the SDK's emitters themselves.
 */

export function useSyncState(): SyncState | null {
  const client = useMatrixClient();
  const [state, setState] = useState<SyncState | null>(() => client.getSyncState());
  useEffect(() => {
    const onSync = (next: SyncState) => setState(next);
    setState(client.getSyncState());
    client.on(ClientEvent.Sync, onSync);
    return () => {
      client.off(ClientEvent.Sync, onSync);
    };
  }, [client]);
  return state;
}

/** The joined room with this id, once the sync has brought it (null until then). */
export function useJoinedRoom(roomId: string): Room | null {
  const client = useMatrixClient();
  const find = () => {
    const room = client.getRoom(roomId);
    return room?.getMyMembership() === 'join' ? room : null;
  };
  const [room, setRoom] = useState<Room | null>(find);
  useEffect(() => {
    const update = () => {
      const r = client.getRoom(roomId);
      setRoom(r?.getMyMembership() === 'join' ? r : null);
    };
    update();
    client.on(ClientEvent.Room, update);
    client.on(RoomEvent.MyMembership, update);
    client.on(ClientEvent.Sync, update);
    return () => {
      client.off(ClientEvent.Room, update);
      client.off(RoomEvent.MyMembership, update);
      client.off(ClientEvent.Sync, update);
    };
  }, [client, roomId]);
  return room;
}

/**
 * The events of the room's live timeline (oldest first), a new array whenever it changes: new
 * events, older ones paginated in, local echoes sent or failed, redactions.
 */
export function useLiveEvents(room: Room): MatrixEvent[] {
  const [events, setEvents] = useState<MatrixEvent[]>(() => [...room.getLiveTimeline().getEvents()]);
  useEffect(() => {
    const update = () => setEvents([...room.getLiveTimeline().getEvents()]);
    update();
    const events = [RoomEvent.Timeline, RoomEvent.TimelineReset, RoomEvent.LocalEchoUpdated, RoomEvent.Redaction] as const;
    for (const name of events) room.on(name, update);
    return () => {
      for (const name of events) room.off(name, update);
    };
  }, [room]);
  return events;
}

function readChatState(room: Room): ChatStateContent | null {
  const content: unknown = room.currentState.getStateEvents(CHAT_STATE, '')?.getContent();
  return Check(ChatStateContent, content) ? content : null;
}

export interface RoomAccess {
  /** The room's `com.chattigo.chat` state (null in a room that is not a Chattigo chat). */
  chat: ChatStateContent | null;
  /** Whether the power levels let this user post messages (a closed chat is read-only). */
  canSend: boolean;
}

/** The chat state and whether the agent may write, following state changes live. */
export function useRoomAccess(room: Room): RoomAccess {
  const client = useMatrixClient();
  const read = (): RoomAccess => ({ chat: readChatState(room), canSend: room.currentState.maySendMessage(client.getSafeUserId()) });
  const [access, setAccess] = useState<RoomAccess>(read);
  useEffect(() => {
    const update = () => setAccess({ chat: readChatState(room), canSend: room.currentState.maySendMessage(client.getSafeUserId()) });
    update();
    room.on(RoomStateEvent.Events, update);
    room.on(RoomEvent.TimelineReset, update);
    return () => {
      room.off(RoomStateEvent.Events, update);
      room.off(RoomEvent.TimelineReset, update);
    };
  }, [client, room]);
  return access;
}

/** The other members who are typing in the room now. */
export function useTypingMembers(room: Room): RoomMember[] {
  const client = useMatrixClient();
  const [typing, setTyping] = useState<RoomMember[]>([]);
  useEffect(() => {
    const me = client.getSafeUserId();
    const update = () => setTyping(room.getJoinedMembers().filter((m) => m.typing && m.userId !== me));
    const onTyping = (_event: MatrixEvent, member: RoomMember) => {
      if (member.roomId === room.roomId) update();
    };
    update();
    client.on(RoomMemberEvent.Typing, onTyping);
    return () => {
      client.off(RoomMemberEvent.Typing, onTyping);
    };
  }, [client, room]);
  return typing;
}

/** A counter that changes whenever someone's read receipt in the room moves (re-render trigger). */
export function useReceiptsVersion(room: Room): number {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    const bump = () => setVersion((v) => v + 1);
    room.on(RoomEvent.Receipt, bump);
    return () => {
      room.off(RoomEvent.Receipt, bump);
    };
  }, [room]);
  return version;
}

/** Unread messages per room id (see unread.ts), following every sync, new event and receipt. */
export function useUnreadCounts(): ReadonlyMap<string, number> {
  const client = useMatrixClient();
  const [counts, setCounts] = useState<ReadonlyMap<string, number>>(() => unreadCounts(client.getRooms(), client.getSafeUserId()));
  useEffect(() => {
    const update = () =>
      setCounts((previous) => {
        const next = unreadCounts(client.getRooms(), client.getSafeUserId());
        return sameCounts(previous, next) ? previous : next;
      });
    update();
    client.on(ClientEvent.Sync, update);
    client.on(RoomEvent.Receipt, update);
    client.on(RoomEvent.Timeline, update);
    return () => {
      client.off(ClientEvent.Sync, update);
      client.off(RoomEvent.Receipt, update);
      client.off(RoomEvent.Timeline, update);
    };
  }, [client]);
  return counts;
}

function unreadCounts(rooms: readonly Room[], me: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const room of rooms) {
    if (room.getMyMembership() !== 'join') continue;
    const count = countUnread(room.getLiveTimeline().getEvents(), room.getEventReadUpTo(me), me);
    if (count > 0) counts.set(room.roomId, count);
  }
  return counts;
}

function sameCounts(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): boolean {
  if (a.size !== b.size) return false;
  for (const [key, value] of a) if (b.get(key) !== value) return false;
  return true;
}

/**
 * Calls `onChange` when the agent's set of chats may have changed: a room joined or left, or a
 * chat's `com.chattigo.chat` state changed (opened, closed).
 */
export function useChatsChanged(onChange: () => void): void {
  const client = useMatrixClient();
  useEffect(() => {
    const onState = (event: MatrixEvent) => {
      if (event.getType() === CHAT_STATE) onChange();
    };
    client.on(RoomEvent.MyMembership, onChange);
    client.on(RoomStateEvent.Events, onState);
    return () => {
      client.off(RoomEvent.MyMembership, onChange);
      client.off(RoomStateEvent.Events, onState);
    };
  }, [client, onChange]);
}
