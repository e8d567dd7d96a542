import { Alert } from '../../components/Alert.tsx';
import { Spinner } from '../../components/Spinner.tsx';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { useUnreadCounts } from '../../matrix/hooks.ts';
import { Link } from '../../router/Router.tsx';
import { paths } from '../../router/routes.ts';
import { useChats } from './ChatsProvider.tsx';

/** The agent's chats, open ones first, each with its unread count. */
export function ChatList({ activeRoomId }: { activeRoomId: string | null }) {
  const { t } = useI18n();
  const { state, refresh } = useChats();
  const unread = useUnreadCounts();

  return (
    <nav className="chat-list" aria-labelledby="chat-list-title">
      <h2 id="chat-list-title" className="panel-title">
        {t('chatsTitle')}
        {state.status === 'ready' && state.openCount > 0 ? <span className="muted"> · {t('openChatsCount', { count: state.openCount })}</span> : null}
      </h2>
      {state.status === 'loading' ? (
        <p className="panel-note">
          <Spinner small /> {t('loading')}
        </p>
      ) : state.status === 'failed' ? (
        <div className="panel-note">
          <Alert kind="error">{state.message}</Alert>
          <button type="button" className="button" onClick={() => void refresh()}>
            {t('retry')}
          </button>
        </div>
      ) : state.chats.length === 0 ? (
        <p className="panel-note">{t('chatsEmpty')}</p>
      ) : (
        <ul>
          {state.chats.map((chat) => {
            const count = chat.roomId === activeRoomId ? 0 : (unread.get(chat.roomId) ?? 0);
            const current = chat.roomId === activeRoomId;
            return (
              <li key={chat.roomId}>
                <Link
                  to={paths.chat(chat.roomId)}
                  className={`chat-link ${chat.status}${current ? ' current' : ''}`}
                  aria-current={current ? 'page' : undefined}
                >
                  <span className="chat-link-name">{chat.other.displayName}</span>
                  <span className="chat-link-meta">
                    <span className={`status-tag ${chat.status}`}>{chat.status === 'open' ? t('chatOpen') : t('chatClosed')}</span>
                    {chat.campaignName ? <span className="muted"> · {chat.campaignName}</span> : null}
                    {chat.typification ? <span className="muted"> · {chat.typification.code}</span> : null}
                  </span>
                  {count > 0 ? (
                    <span className="badge" aria-label={t('unreadCount', { count })}>
                      {count}
                    </span>
                  ) : null}
                </Link>
              </li>
            );
          })}
        </ul>
      )}
    </nav>
  );
}
