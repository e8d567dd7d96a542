import { acceptHostMessage, type HostMessage } from '@chattigo/contracts/embed';
import { useEffect, useMemo, useRef } from 'react';
import { useMatch, useNavigate } from 'react-router';
import { useAgentApi } from '../../api/AgentApiProvider.tsx';
import { useUnreadCounts } from '../../matrix/hooks.ts';
import { paths, roomIdParam } from '../../router/paths.ts';
import { useSignedIn } from '../../session/SessionProvider.tsx';
import { useChats } from '../chats/ChatsProvider.tsx';
import { hostOrigin, postToHost } from './host.ts';

/**
 * The client's side of the postMessage contract (contracts/embed.ts), while signed in and
 * embedded: obeys `chattigo:open-picker` and `chattigo:open-chat` from the parent window of an
 * allowed origin (anything else is ignored), and tells the host `ready`, the unread count, and
 * which chat it shows.
 */
export function EmbedBridge() {
  const { config } = useSignedIn();
  const allowed = config.embedAllowedOrigins;
  const origin = useMemo(() => hostOrigin(allowed), [allowed]);
  const navigate = useNavigate();
  const api = useAgentApi();
  const { refresh } = useChats();

  useEffect(() => {
    const obey = async (message: HostMessage) => {
      if (message.type === 'chattigo:open-picker') {
        await navigate(paths.picker);
        return;
      }
      const { chat } = await api.openChat(message.username);
      // The context card comes later (or not at all): opening the chat never waits for the platform.
      if (message.conversationId) void api.attachContext(chat.roomId, message.conversationId).catch(() => undefined);
      await refresh();
      await navigate(paths.chat(chat.roomId));
    };
    const onMessage = (event: MessageEvent) => {
      const message = acceptHostMessage(event, window.parent, allowed);
      if (message) void obey(message).catch(() => undefined);
    };
    window.addEventListener('message', onMessage);
    postToHost({ type: 'chattigo:ready' }, origin);
    return () => window.removeEventListener('message', onMessage);
  }, [allowed, origin, navigate, api, refresh]);

  const unread = useUnreadCounts();
  const total = useMemo(() => [...unread.values()].reduce((sum, n) => sum + n, 0), [unread]);
  useEffect(() => postToHost({ type: 'chattigo:unread', count: total }, origin), [total, origin]);

  const chat = useMatch('/chats/:roomId');
  const roomId = roomIdParam(chat?.params['roomId']);
  const shown = useRef<string | null>(null);
  useEffect(() => {
    if (roomId === shown.current) return;
    if (shown.current) postToHost({ type: 'chattigo:chat-closed', roomId: shown.current }, origin);
    if (roomId) postToHost({ type: 'chattigo:chat-opened', roomId }, origin);
    shown.current = roomId;
  }, [roomId, origin]);

  return null;
}
