import {
  ClientEvent,
  EventType,
  RoomEvent,
  RoomMemberEvent,
  RoomStateEvent,
  UserEvent,
  type MatrixEvent,
  type Room,
  type RoomMember,
  type AccountDataEvents,
  type IPushRules,
  type SyncState,
} from 'matrix-js-sdk';
import { useCallback, useEffect, useEffectEvent, useState, useSyncExternalStore } from 'react';
import { Check } from 'typebox/schema';
import { CHAT_STATE, ChatStateContentSchema, type ChatStateContent } from '@chattigo/contracts/event-types';
import { useMatrixClient } from './MatrixProvider.tsx';
import { eventsToResend, resendFailed, watchConnection } from './resend.ts';
import { countUnread } from './unread.ts';

/**
 * Hooks over matrix-js-sdk events. Each registers its listeners in an effect and removes them in
 * the effect's cleanup; components never touch the SDK's emitters themselves.
 */

export function useSyncState(): SyncState | null {
  const client = useMatrixClient();
  const subscribe = useCallback(
    (onChange: () => void) => {
      client.on(ClientEvent.Sync, onChange);
      return () => {
        client.off(ClientEvent.Sync, onChange);
      };
    },
    [client],
  );
  return useSyncExternalStore(subscribe, () => client.getSyncState());
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
  return Check(ChatStateContentSchema, content) ? content : null;
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
  const read = useCallback(
    (room: Room): RoomAccess => ({ chat: readChatState(room), canSend: room.currentState.maySendMessage(client.getSafeUserId()) }),
    [client],
  );
  return useRoomStateValue(room, read);
}

/**
 * `read(room)`, read again whenever the room's state changes or its timeline is reset. `read` must
 * keep its identity between renders (a module function, or useCallback): a new one reads again.
 */
export function useRoomStateValue<T>(room: Room, read: (room: Room) => T): T {
  const [value, setValue] = useState<T>(() => read(room));
  useEffect(() => {
    const update = () => setValue(read(room));
    update();
    room.on(RoomStateEvent.Events, update);
    room.on(RoomEvent.TimelineReset, update);
    return () => {
      room.off(RoomStateEvent.Events, update);
      room.off(RoomEvent.TimelineReset, update);
    };
  }, [room, read]);
  return value;
}

/**
 * The other members who are typing in the room now.
 *
 * Recomputed at every `m.typing` event the sync brings (the SDK has set each member's `typing` by
 * then). The client's re-emitted `RoomMemberEvent.Typing` alone is not enough: members that the
 * SDK built from an invite's stripped state (in the invitee's client: the agent who opened the
 * chat and invited them) never forward it to the client, so the opener was never shown typing.
 */
export function useTypingMembers(room: Room): RoomMember[] {
  const client = useMatrixClient();
  const [typing, setTyping] = useState<RoomMember[]>([]);
  useEffect(() => {
    const me = client.getSafeUserId();
    const update = () =>
      setTyping((previous) => {
        const next = room.getJoinedMembers().filter((m) => m.typing && m.userId !== me);
        return sameMembers(previous, next) ? previous : next;
      });
    const onEvent = (event: MatrixEvent) => {
      if (event.getType() === EventType.Typing) update();
    };
    const onTyping = (_event: MatrixEvent, member: RoomMember) => {
      if (member.roomId === room.roomId) update();
    };
    update();
    client.on(ClientEvent.Event, onEvent);
    client.on(RoomMemberEvent.Typing, onTyping);
    return () => {
      client.off(ClientEvent.Event, onEvent);
      client.off(RoomMemberEvent.Typing, onTyping);
    };
  }, [client, room]);
  return typing;
}

function sameMembers(a: readonly RoomMember[], b: readonly RoomMember[]): boolean {
  return a.length === b.length && a.every((m, i) => m === b[i]);
}

export interface Presence {
  presence: string;
  currentlyActive: boolean;
  lastActiveAgo: number;
  lastPresenceTs: number;
}

/**
 * A user's presence as the sync reports it (null until the server has said anything about them),
 * following `User.presence`, `User.currentlyActive` and `User.lastPresenceTs`.
 */
export function usePresence(userId: string | null): Presence | null {
  const client = useMatrixClient();
  const read = useCallback((): Presence | null => {
    const user = userId ? client.getUser(userId) : null;
    return user ? { presence: user.presence, currentlyActive: user.currentlyActive, lastActiveAgo: user.lastActiveAgo, lastPresenceTs: user.lastPresenceTs } : null;
  }, [client, userId]);
  const [state, setState] = useState(() => ({ userId, presence: read() }));
  useEffect(() => {
    const update = (_event: MatrixEvent | undefined, user: { userId: string }) => {
      if (user.userId === userId) setState({ userId, presence: read() });
    };
    const names = [UserEvent.Presence, UserEvent.CurrentlyActive, UserEvent.LastPresenceTs] as const;
    for (const name of names) client.on(name, update);
    return () => {
      for (const name of names) client.off(name, update);
    };
  }, [client, userId, read]);
  return state.userId === userId ? state.presence : read();
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
 * The `com.chattigo.chat` state of every joined room that is a closed chat, by room id, following
 * state changes and every sync: the chat list shows a chat closed as soon as Matrix says so, even
 * before (or without) the appservice's list saying it too.
 */
export function useClosedChats(): ReadonlyMap<string, ChatStateContent> {
  const client = useMatrixClient();
  const [closed, setClosed] = useState<ReadonlyMap<string, ChatStateContent>>(() => closedChats(client.getRooms()));
  useEffect(() => {
    const update = () =>
      setClosed((previous) => {
        const next = closedChats(client.getRooms());
        return previous.size === next.size && [...next.keys()].every((id) => previous.has(id)) ? previous : next;
      });
    const onState = (event: MatrixEvent) => {
      if (event.getType() === CHAT_STATE) update();
    };
    update();
    client.on(RoomStateEvent.Events, onState);
    client.on(RoomEvent.MyMembership, update);
    client.on(ClientEvent.Sync, update);
    return () => {
      client.off(RoomStateEvent.Events, onState);
      client.off(RoomEvent.MyMembership, update);
      client.off(ClientEvent.Sync, update);
    };
  }, [client]);
  return closed;
}

function closedChats(rooms: readonly Room[]): Map<string, ChatStateContent> {
  const closed = new Map<string, ChatStateContent>();
  for (const room of rooms) {
    if (room.getMyMembership() !== 'join') continue;
    const chat = readChatState(room);
    if (chat?.status === 'closed') closed.set(room.roomId, chat);
  }
  return closed;
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

/**
 * Sends again, in order, the messages that failed while the homeserver was out of reach, as soon
 * as the sync is live again after failing, the browser is back online, or (a blip the sync never
 * saw) at the next look for waiting messages (resend.ts). Mounted once for the signed-in agent.
 */
export function useResendWhenReconnected(): void {
  const client = useMatrixClient();
  useEffect(() => {
    let away = watchConnection(false, client.getSyncState()).away;
    let running = false;
    let stopped = false;
    const attempt = () => {
      if (running || stopped) return;
      running = true;
      void resendFailed<MatrixEvent, Room>(client.getRooms(), (event, room) => client.resendEvent(event, room), () => stopped).finally(() => {
        running = false;
      });
    };
    const onSync = (state: SyncState) => {
      const step = watchConnection(away, state);
      away = step.away;
      if (step.returned) attempt();
    };
    // The sync may never notice a short outage (its long poll outlives it): the browser's "online"
    // and a look every few seconds for messages that wait catch those.
    const waiting = setInterval(() => {
      if (client.getRooms().some((room) => eventsToResend(room).length > 0)) attempt();
    }, RESEND_CHECK_MS);
    client.on(ClientEvent.Sync, onSync);
    window.addEventListener('online', attempt);
    return () => {
      stopped = true;
      clearInterval(waiting);
      client.off(ClientEvent.Sync, onSync);
      window.removeEventListener('online', attempt);
    };
  }, [client]);
}

/** How often waiting messages (not sent for want of a connection) are tried again. */
const RESEND_CHECK_MS = 5000;

/**
 * Calls `onMessage` for each new message that arrives live in a joined room after the first sync
 * (not the history the first sync or a pagination brings, not a local echo of one's own).
 */
export function useLiveMessages(onMessage: (event: MatrixEvent, room: Room) => void): void {
  const client = useMatrixClient();
  const handle = useEffectEvent(onMessage);
  useEffect(() => {
    const onTimeline = (
      event: MatrixEvent,
      room: Room | undefined,
      toStartOfTimeline: boolean | undefined,
      removed: boolean,
      data: { liveEvent?: boolean },
    ) => {
      if (!room || toStartOfTimeline || removed || !data.liveEvent || !client.isInitialSyncComplete()) return;
      if (event.getType() !== EventType.RoomMessage || event.isRedacted() || event.status !== null) return;
      handle(event, room);
    };
    client.on(RoomEvent.Timeline, onTimeline);
    return () => {
      client.off(RoomEvent.Timeline, onTimeline);
    };
  }, [client]);
}

/**
 * Calls `onJoined` with a Chattigo chat the agent has just joined (after the first sync) that
 * someone else opened: a new chat for this agent.
 */
export function useChatOpenedByOthers(onJoined: (room: Room, chat: ChatStateContent) => void): void {
  const client = useMatrixClient();
  const handle = useEffectEvent(onJoined);
  useEffect(() => {
    const me = client.getSafeUserId();
    const onMembership = (room: Room, membership: string, previous?: string) => {
      if (membership !== 'join' || previous === 'join' || !client.isInitialSyncComplete()) return;
      const chat = readChatState(room);
      if (chat && chat.status === 'open' && chat.opened_by !== me) handle(room, chat);
    };
    client.on(RoomEvent.MyMembership, onMembership);
    return () => {
      client.off(RoomEvent.MyMembership, onMembership);
    };
  }, [client]);
}

/** The content of one of the agent's account data events (undefined until there is one). */
export function useAccountData<K extends keyof AccountDataEvents>(type: K): unknown {
  const client = useMatrixClient();
  const subscribe = useCallback(
    (onChange: () => void) => {
      const onAccountData = (event: MatrixEvent) => {
        if (event.getType() === type) onChange();
      };
      client.on(ClientEvent.AccountData, onAccountData);
      return () => {
        client.off(ClientEvent.AccountData, onAccountData);
      };
    },
    [client, type],
  );
  return useSyncExternalStore(subscribe, () => client.getAccountData(type)?.getContent());
}

/** The agent's push rules (mutes set by Element or another client included), kept current. */
export function usePushRules(): IPushRules | undefined {
  const client = useMatrixClient();
  const subscribe = useCallback(
    (onChange: () => void) => {
      client.on(ClientEvent.AccountData, onChange);
      client.on(ClientEvent.Sync, onChange);
      return () => {
        client.off(ClientEvent.AccountData, onChange);
        client.off(ClientEvent.Sync, onChange);
      };
    },
    [client],
  );
  return useSyncExternalStore(subscribe, () => client.pushRules);
}
