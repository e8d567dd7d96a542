import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useAgentApi } from '../../api/AgentApiProvider.tsx';
import { queryKeys } from '../../api/queries.ts';
import { Alert } from '../../components/Alert.tsx';
import { QueryView } from '../../components/QueryView.tsx';
import { formatDateTime } from '../../i18n/format.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { paths } from '../../router/paths.ts';

/**
 * A chat's history, read-only, for a supervisor or an admin. Each load is one audited review on
 * the server, so the query is never refetched by itself (and not retried).
 */
export function ReviewPage({ roomId }: { roomId: string }) {
  const { t, lang } = useI18n();
  const api = useAgentApi();
  const review = useQuery({
    queryKey: queryKeys.reviewChat(roomId),
    queryFn: ({ signal }) => api.reviewChat(roomId, signal),
    staleTime: Infinity,
    gcTime: 0,
    retry: false,
  });
  return (
    <div className="supervision review">
      <p>
        <Link to={paths.supervision}>{t('reviewBack')}</Link>
      </p>
      <QueryView query={review}>
        {({ chat, truncated, messages }) => (
          <>
            <h1 className="supervision-title">{t('reviewChatOf', { a: chat.openedBy.displayName, b: chat.peer.displayName })}</h1>
            <p className="report-note">
              {chat.campaignName ?? '—'} ·{' '}
              {chat.typification
                ? `${t('reviewClosedChat', { code: chat.typification.code })} — ${chat.typification.label}`
                : t('reviewOpenChat')}
            </p>
            <Alert kind="info">{t('reviewReadOnly')}</Alert>
            {truncated ? <Alert kind="info">{t('reviewTruncated')}</Alert> : null}
            {messages.length === 0 ? (
              <p className="pane-status">{t('reviewNoMessages')}</p>
            ) : (
              <ol className="review-transcript" aria-label={t('reviewTitle')}>
                {messages.map((m) => (
                  <li key={m.eventId} className={`review-message ${m.kind}`}>
                    <span className="review-message-head">
                      <strong>{m.senderName}</strong> <time dateTime={m.at}>{formatDateTime(lang, new Date(m.at))}</time>
                    </span>
                    <span className="review-message-body">{m.kind === 'file' || m.kind === 'image' ? t('reviewFile', { name: m.body }) : m.body}</span>
                  </li>
                ))}
              </ol>
            )}
          </>
        )}
      </QueryView>
    </div>
  );
}
