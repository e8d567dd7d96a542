import type { ChatListItem } from '@chattigo/contracts/chats';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, type ReactNode } from 'react';
import { useAgentApi } from '../../api/AgentApiProvider.tsx';
import { queryKeys } from '../../api/queries.ts';
import { errorText } from '../../components/ErrorText.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { useChatsChanged, useClosedChats } from '../../matrix/hooks.ts';
import { orderChats, withMatrixClosures } from './chat-list.ts';

export type ChatsState =
  | { status: 'loading' }
  | { status: 'ready'; chats: ChatListItem[]; openCount: number }
  | { status: 'failed'; message: string };

interface ChatsValue {
  state: ChatsState;
  /** Loads the list again now (after opening or closing a chat). */
  refresh(): Promise<void>;
  find(roomId: string): ChatListItem | undefined;
}

const ChatsContext = createContext<ChatsValue | null>(null);

/**
 * The agent's chats from the appservice (names, campaigns, typifications), loaded again whenever
 * Matrix shows a change: a room joined, a chat's state opened or closed. A failed reload keeps
 * the list that was shown; a chat whose room says it is closed shows closed at once either way.
 */
export function ChatsProvider({ children }: { children: ReactNode }) {
  const api = useAgentApi();
  const queryClient = useQueryClient();
  const { t } = useI18n();
  const query = useQuery({
    queryKey: queryKeys.chats,
    queryFn: async ({ signal }) => {
      const list = await api.listChats(signal);
      return { chats: orderChats(list.chats), openCount: list.openCount };
    },
  });
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const refresh = useCallback(() => queryClient.invalidateQueries({ queryKey: queryKeys.chats }), [queryClient]);
  useEffect(() => () => clearTimeout(timer.current), []);

  const soon = useCallback(() => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => void refresh(), 250);
  }, [refresh]);
  useChatsChanged(soon);
  const closedInMatrix = useClosedChats();

  const { data: listed, error } = query;
  const data = useMemo(() => (listed ? withMatrixClosures(listed, closedInMatrix) : undefined), [listed, closedInMatrix]);
  const value = useMemo<ChatsValue>(() => {
    const state: ChatsState = data
      ? { status: 'ready', chats: data.chats, openCount: data.openCount }
      : error
        ? { status: 'failed', message: errorText(error, t) }
        : { status: 'loading' };
    return { state, refresh, find: (roomId) => data?.chats.find((c) => c.roomId === roomId) };
  }, [data, error, t, refresh]);
  return <ChatsContext.Provider value={value}>{children}</ChatsContext.Provider>;
}

export function useChats(): ChatsValue {
  const chats = useContext(ChatsContext);
  if (!chats) throw new Error('useChats must be used inside <ChatsProvider>');
  return chats;
}
