import type { ChatListItem } from '../../api/schemas.ts';

/** Open chats first (newest opened first), then closed ones (most recently closed first). */
export function orderChats(chats: readonly ChatListItem[]): ChatListItem[] {
  const when = (c: ChatListItem) => Date.parse(c.status === 'open' ? c.openedAt : (c.closedAt ?? c.openedAt));
  return [...chats].sort((a, b) => {
    if (a.status !== b.status) return a.status === 'open' ? -1 : 1;
    return when(b) - when(a);
  });
}
