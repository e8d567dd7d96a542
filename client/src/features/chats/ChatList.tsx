import { useState } from 'react';
import { Link } from 'react-router';
import { SearchInput } from '../../components/Form.tsx';
import { PanelFailure, PanelLoading } from '../../components/Loading.tsx';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { useUnreadCounts } from '../../matrix/hooks.ts';
import { useMatrixClient } from '../../matrix/MatrixProvider.tsx';
import { paths } from '../../router/paths.ts';
import { useSignedIn } from '../../session/SessionProvider.tsx';
import { chatRows, type ChatRow } from './chat-rows.ts';
import { ChatSearchResults } from './ChatSearchResults.tsx';
import { useChats } from './ChatsProvider.tsx';
import { useChatSearch } from './useChatSearch.ts';
import { useLastMessages } from './useLastMessages.ts';

/**
 * "Mis chats": the agent's chats (open ones first by last activity, then closed ones by close
 * date), each with the other agent, the last message and its time, the campaign and, once
 * closed, the typification and the date; above them, a search across the chats' messages.
 */
export function ChatList({ activeRoomId }: { activeRoomId: string | null }) {
  const { t, lang } = useI18n();
  const { config } = useSignedIn();
  const me = useMatrixClient().getSafeUserId();
  const { state, refresh } = useChats();
  const unread = useUnreadCounts();
  const lastMessages = useLastMessages(config.botUserId);
  const [search, setSearch] = useState('');
  const chats = state.status === 'ready' ? state.chats : [];
  const found = useChatSearch(
    search,
    chats.map((c) => c.roomId),
    config.botUserId,
  );
  const rows = chatRows(chats, { lastMessages, unread, activeRoomId, lang, now: new Date(), t });

  return (
    <nav className="chat-list" aria-labelledby="chat-list-title">
      <h2 id="chat-list-title" className="panel-title">
        {t('chatsTitle')}
        {state.status === 'ready' && state.openCount > 0 ? <span className="muted"> · {t('openChatsCount', { count: state.openCount })}</span> : null}
      </h2>
      {state.status === 'ready' && state.chats.length > 0 ? (
        <div className="chat-search" role="search">
          <SearchInput
            id="chat-search-input"
            label={t('searchChats')}
            placeholder={t('searchChatsPlaceholder')}
            value={search}
            onValueChange={setSearch}
            onKeyDown={(e) => {
              if (e.key === 'Escape') setSearch('');
            }}
          />
        </div>
      ) : null}
      {found.status !== 'idle' ? (
        <ChatSearchResults state={found} chats={chats} myUserId={me} />
      ) : state.status === 'loading' ? (
        <PanelLoading />
      ) : state.status === 'failed' ? (
        <PanelFailure message={state.message} onRetry={() => void refresh()} />
      ) : rows.length === 0 ? (
        <p className="panel-note">{t('chatsEmpty')}</p>
      ) : (
        <ul>
          {rows.map((row) => (
            <li key={row.chat.roomId}>
              <ChatRowLink row={row} current={row.chat.roomId === activeRoomId} />
            </li>
          ))}
        </ul>
      )}
    </nav>
  );
}

function ChatRowLink({ row, current }: { row: ChatRow; current: boolean }) {
  const { t } = useI18n();
  const { chat, preview, time, closedOn, badge } = row;
  return (
    <Link
      to={paths.chat(chat.roomId)}
      className={`chat-link ${chat.status}${current ? ' current' : ''}`}
      aria-current={current ? 'page' : undefined}
      data-testid="chat-row"
    >
      <span className="chat-link-name">{chat.other.displayName}</span>
      {time ? (
        <time className="chat-link-time" dateTime={time.iso}>
          {time.label}
        </time>
      ) : null}
      <span className="chat-link-preview">{preview ?? '\u00a0'}</span>
      {badge > 0 ? (
        <span className="badge" aria-label={t('unreadCount', { count: badge })}>
          {badge}
        </span>
      ) : null}
      <span className="chat-link-meta">
        <span className={`status-tag ${chat.status}`}>
          {chat.status === 'open' ? t('chatOpen') : closedOn ? t('chatClosedOn', { date: closedOn.label }) : t('chatClosed')}
        </span>
        {chat.campaignName ? <span className="muted"> · {chat.campaignName}</span> : null}
        {chat.status === 'closed' && chat.typification ? (
          <span className="chat-link-typification" title={chat.typification.code}>
            {' '}
            · {chat.typification.label}
          </span>
        ) : null}
      </span>
    </Link>
  );
}
