import { useSearchParams } from 'react-router';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { useSignedIn } from '../../session/SessionProvider.tsx';
import { NotFoundPage } from '../shell/NotFoundPage.tsx';
import { readReportQuery } from './report-params.ts';
import { ReportSection } from './ReportSection.tsx';
import { AuditList, ReviewList } from './ReviewList.tsx';
import { SlaSection } from './SlaSection.tsx';

/** The supervisor section: reports, the answer-time SLA, chats to review and (admins) the review log. Agents never see it. */
export function SupervisionPage() {
  const { t } = useI18n();
  const { account } = useSignedIn();
  const [params] = useSearchParams();
  if (account.role !== 'supervisor' && account.role !== 'admin') return <NotFoundPage />;
  return (
    <div className="supervision">
      <h1 className="supervision-title">{t('supervisionTitle')}</h1>
      <ReportSection />
      <SlaSection />
      <ReviewList campaign={readReportQuery(params).campaign} />
      {account.role === 'admin' ? <AuditList /> : null}
    </div>
  );
}
