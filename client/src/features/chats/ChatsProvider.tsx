import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useAgentApi } from '../../api/AgentApiProvider.tsx';
import type { ChatListItem } from '../../api/schemas.ts';
import { errorText } from '../../components/ErrorText.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { useChatsChanged } from '../../matrix/hooks.ts';
import { orderChats } from './chat-list.ts';

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
 * Matrix shows a change: a room joined, a chat's state opened or closed.
 */
export function ChatsProvider({ children }: { children: ReactNode }) {
  const api = useAgentApi();
  const { t } = useI18n();
  const [state, setState] = useState<ChatsState>({ status: 'loading' });
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const refresh = useCallback(async () => {
    try {
      const list = await api.listChats();
      setState({ status: 'ready', chats: orderChats(list.chats), openCount: list.openCount });
    } catch (err) {
      setState((current) => (current.status === 'ready' ? current : { status: 'failed', message: errorText(err, t) }));
    }
  }, [api, t]);

  useEffect(() => {
    void refresh();
    return () => clearTimeout(timer.current);
  }, [refresh]);

  const soon = useCallback(() => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => void refresh(), 250);
  }, [refresh]);
  useChatsChanged(soon);

  const value = useMemo<ChatsValue>(
    () => ({
      state,
      refresh,
      find: (roomId) => (state.status === 'ready' ? state.chats.find((c) => c.roomId === roomId) : undefined),
    }),
    [state, refresh],
  );
  return <ChatsContext.Provider value={value}>{children}</ChatsContext.Provider>;
}

export function useChats(): ChatsValue {
  const chats = useContext(ChatsContext);
  if (!chats) throw new Error('useChats must be used inside <ChatsProvider>');
  return chats;
}
