import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useAgentApi } from '../../api/AgentApiProvider.tsx';
import { queryKeys } from '../../api/queries.ts';
import { QueryView } from '../../components/QueryView.tsx';
import { formatDateTime } from '../../i18n/format.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { paths } from '../../router/paths.ts';
import { RowList } from './RowList.tsx';
import { slaLines, type SlaLine } from './sla-view.ts';

const REFRESH_MS = 30_000;

/**
 * The answer-time SLA for supervisors: questions still unanswered past their campaign's SLA (who
 * asked, who must answer, campaign, how long it waits) and the latest escalations, each with a
 * link to review the chat read-only (an audited review).
 */
export function SlaSection() {
  const { t } = useI18n();
  const api = useAgentApi();
  const sla = useQuery({ queryKey: queryKeys.sla, queryFn: ({ signal }) => api.sla(signal), refetchInterval: REFRESH_MS });
  return (
    <section className="sla-section" aria-labelledby="sla-heading">
      <h2 id="sla-heading">{t('slaTitle')}</h2>
      <p className="report-note">
        {t('slaIntro')} {t('slaUpdated')}
      </p>
      <QueryView query={sla}>
        {(data) => {
          // Waiting times as of the answer (refreshed with it).
          const lines = slaLines(data, sla.dataUpdatedAt);
          return (
            <>
              <h3>{t('slaOverdue')}</h3>
              <SlaList lines={lines.overdue} empty={t('slaOverdueNone')} testId="sla-overdue" />
              <h3>{t('slaEscalations')}</h3>
              <SlaList lines={lines.escalations} empty={t('slaEscalationsNone')} testId="sla-escalations" />
            </>
          );
        }}
      </QueryView>
    </section>
  );
}

function SlaList({ lines, empty, testId }: { lines: readonly SlaLine[]; empty: string; testId: string }) {
  const { t, lang } = useI18n();
  const badge = { escalated: t('slaEscalated'), reminded: t('slaReminded'), overdue: null } as const;
  return (
    <RowList items={lines} empty={empty} testId={testId}>
      {(l) => (
        <li key={l.key} className={`review-chat sla-line sla-${l.state}`}>
          <span className="review-chat-who">{t('slaWho', { asker: l.askerName, askee: l.askeeName })}</span>
          {l.escalatedAt === null && badge[l.state] ? <span className="sla-badge">{badge[l.state]}</span> : null}
          <span className="review-chat-meta">
            {t('slaMustAnswer', { name: l.askeeName })} · {l.campaign} · {t('slaWaiting', { time: l.waiting })} · {t('slaLimit', { time: l.limit })}
            {l.escalatedAt ? ` · ${t('slaEscalatedAt', { when: formatDateTime(lang, l.escalatedAt) })}` : ''}
          </span>
          <Link className="button" to={paths.review(l.roomId)}>
            {t('reviewOpen')}
          </Link>
        </li>
      )}
    </RowList>
  );
}
