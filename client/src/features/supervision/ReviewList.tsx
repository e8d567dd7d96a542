import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useAgentApi } from '../../api/AgentApiProvider.tsx';
import { queryKeys } from '../../api/queries.ts';
import { QueryView } from '../../components/QueryView.tsx';
import { formatDateTime } from '../../i18n/format.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { paths } from '../../router/paths.ts';
import { RowList } from './RowList.tsx';

/** The chats a supervisor may review (their campaigns; an admin: all), newest first, by agent. */
export function ReviewList({ campaign }: { campaign: string | undefined }) {
  const { t, lang } = useI18n();
  const api = useAgentApi();
  const [agent, setAgent] = useState('');
  const query = { ...(campaign ? { campaign } : {}), ...(agent ? { agent } : {}), limit: 50 };
  const chats = useQuery({ queryKey: queryKeys.reviewChats(query), queryFn: ({ signal }) => api.reviewChats(query, signal) });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const value = new FormData(event.currentTarget).get('agent');
    setAgent(typeof value === 'string' ? value.trim().toLowerCase() : '');
  };
  return (
    <section className="review-list" aria-labelledby="review-heading">
      <h2 id="review-heading">{t('reviewTitle')}</h2>
      <p className="report-note">{t('reviewIntro')}</p>
      <form className="report-filters" onSubmit={submit}>
        <label>
          {t('reviewAgent')}
          <input name="agent" defaultValue={agent} autoComplete="off" />
        </label>
        <button type="submit" className="button">
          {t('reviewSearch')}
        </button>
      </form>
      <QueryView query={chats}>
        {({ chats }) => (
          <RowList items={chats} empty={t('reviewNone')}>
            {(c) => (
              <li key={c.roomId} className="review-chat">
                <span className="review-chat-who">{t('reviewChatOf', { a: c.openedBy.displayName, b: c.peer.displayName })}</span>
                <span className="review-chat-meta">
                  {c.campaignName ?? '—'} · {formatDateTime(lang, new Date(c.closedAt ?? c.openedAt))} ·{' '}
                  {c.typification ? t('reviewClosedChat', { code: c.typification.code }) : t('reviewOpenChat')}
                </span>
                <Link className="button" to={paths.review(c.roomId)}>
                  {t('reviewOpen')}
                </Link>
              </li>
            )}
          </RowList>
        )}
      </QueryView>
    </section>
  );
}

/** Admins: the latest reviews (who read which chat, when). */
export function AuditList() {
  const { t, lang } = useI18n();
  const api = useAgentApi();
  const audit = useQuery({ queryKey: queryKeys.reviewAudit, queryFn: ({ signal }) => api.reviewAudit(signal) });
  return (
    <section className="review-audit" aria-labelledby="audit-heading">
      <h2 id="audit-heading">{t('auditTitle')}</h2>
      <QueryView query={audit}>
        {({ reviews }) => (
          <RowList items={reviews} empty={t('auditNone')}>
            {(r) => (
              <li key={r.id} className="review-chat">
                <span className="review-chat-who">{t('auditRow', { reviewer: r.reviewer.displayName, participants: r.participants.join(', ') })}</span>
                <span className="review-chat-meta">
                  {formatDateTime(lang, new Date(r.reviewedAt))} · {r.campaignId ?? '—'}
                </span>
              </li>
            )}
          </RowList>
        )}
      </QueryView>
    </section>
  );
}
