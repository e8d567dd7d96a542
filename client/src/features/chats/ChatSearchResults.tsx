import type { ChatListItem } from '@chattigo/contracts/chats';
import { Link } from 'react-router';
import { Alert } from '../../components/Alert.tsx';
import { errorText } from '../../components/ErrorText.ts';
import { Spinner } from '../../components/Spinner.tsx';
import { formatListStamp } from '../../i18n/format.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { paths } from '../../router/paths.ts';
import { snippet } from './search.ts';
import type { ChatSearchState } from './useChatSearch.ts';

/** The messages a search found: the chat's other agent, the message with the words marked, its date; each opens the chat there. */
export function ChatSearchResults({ state, chats, myUserId }: { state: Exclude<ChatSearchState, { status: 'idle' }>; chats: readonly ChatListItem[]; myUserId: string }) {
  const { t, lang } = useI18n();
  const now = new Date();
  const byRoom = new Map(chats.map((c) => [c.roomId, c] as const));
  return (
    <section className="search-results" aria-label={t('searchResults')} aria-busy={state.status === 'searching'}>
      {state.status === 'searching' ? (
        <p className="panel-note" role="status">
          <Spinner small /> {t('searching')}
        </p>
      ) : state.status === 'failed' ? (
        <div className="panel-note">
          <Alert kind="error">{errorText(state.error, t)}</Alert>
        </div>
      ) : state.hits.length === 0 ? (
        <div className="panel-note" role="status">
          <p>{t('searchNoResults', { query: state.term })}</p>
          <p className="search-hint">{t('searchHint')}</p>
        </div>
      ) : (
        <>
          <p className="visually-hidden" role="status">
            {t('searchResultsCount', { count: state.hits.length })}
          </p>
          <ul>
            {state.hits.map((hit) => {
              const at = new Date(hit.ts);
              const segments = snippet(hit.text, state.words);
              return (
                <li key={hit.eventId}>
                  <Link to={paths.chatAt(hit.roomId, hit.eventId)} className="search-hit" data-testid="search-hit">
                    <span className="chat-link-name">{byRoom.get(hit.roomId)?.other.displayName ?? hit.roomId}</span>
                    <time className="chat-link-time" dateTime={at.toISOString()}>
                      {formatListStamp(lang, at, now)}
                    </time>
                    <span className="search-snippet">
                      {hit.senderId === myUserId ? t('previewMine', { text: '' }) : null}
                      {segments.map((segment, i) => (segment.match ? <mark key={i}>{segment.text}</mark> : <span key={i}>{segment.text}</span>))}
                    </span>
                  </Link>
                </li>
              );
            })}
          </ul>
        </>
      )}
    </section>
  );
}
