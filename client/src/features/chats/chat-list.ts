import type { ChatListItem } from '@chattigo/contracts/chats';
import type { ChatStateContent } from '@chattigo/contracts/event-types';

/**
 * Open chats first, by last activity (the newest message in `activity`, by room id, else when the
 * chat was opened), newest first; then closed ones, most recently closed first.
 */
export function orderChats(chats: readonly ChatListItem[], activity: ReadonlyMap<string, number> = new Map()): ChatListItem[] {
  const when = (c: ChatListItem) =>
    c.status === 'open' ? Math.max(Date.parse(c.openedAt), activity.get(c.roomId) ?? 0) : Date.parse(c.closedAt ?? c.openedAt);
  return [...chats].sort((a, b) => {
    if (a.status !== b.status) return a.status === 'open' ? -1 : 1;
    return when(b) - when(a);
  });
}

/**
 * The appservice's list with what the rooms' `com.chattigo.chat` state says on top: a chat the
 * list still has open but whose room says closed is shown closed (with its typification and time),
 * and the open count goes down by as many. The pane reads the room's state; the list then never
 * contradicts it while the appservice's answer is on its way or failed.
 */
export function withMatrixClosures(
  list: { chats: readonly ChatListItem[]; openCount: number },
  closed: ReadonlyMap<string, ChatStateContent>,
): { chats: ChatListItem[]; openCount: number } {
  let closedHere = 0;
  const chats = list.chats.map((chat): ChatListItem => {
    const state = closed.get(chat.roomId);
    if (chat.status !== 'open' || !state) return chat;
    closedHere++;
    return {
      ...chat,
      status: 'closed',
      closedAt: state.closed_at !== undefined ? new Date(state.closed_at).toISOString() : chat.closedAt,
      typification: state.typification ?? chat.typification,
    };
  });
  if (closedHere === 0) return { chats: [...list.chats], openCount: list.openCount };
  return { chats: orderChats(chats), openCount: Math.max(0, list.openCount - closedHere) };
}
