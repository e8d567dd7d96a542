import { humanDuration, type Report, type ReportRow } from '@chattigo/contracts/reports';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import type { MessageKey } from '../../i18n/messages.ts';

export const groupingLabels: Record<Report['by'], MessageKey> = {
  typification: 'reportByTypification',
  campaign: 'reportByCampaign',
  opener: 'reportByOpener',
  closer: 'reportByCloser',
  day: 'reportByDay',
  week: 'reportByWeek',
};

/** The report's table: one row per group, the total last. */
export function ReportTable({ report }: { report: Report }) {
  const { t } = useI18n();
  const cells = (r: ReportRow) => (
    <>
      <td className="num">{r.closed}</td>
      <td className="num">{r.answered}</td>
      <td className="num">{humanDuration(r.duration.median)}</td>
      <td className="num">{humanDuration(r.duration.p90)}</td>
      <td className="num">{humanDuration(r.firstAnswer.median)}</td>
      <td className="num">{humanDuration(r.firstAnswer.p90)}</td>
    </>
  );
  const labelOf = (r: ReportRow) => (report.by === 'typification' && r.label !== r.key ? `${r.key} — ${r.label}` : r.label);
  return (
    <div className="report-table-wrap">
      <table className="report-table">
        <caption>{t('reportTableCaption', { grouping: t(groupingLabels[report.by]).toLowerCase() })}</caption>
        <thead>
          <tr>
            <th scope="col">{t(groupingLabels[report.by])}</th>
            <th scope="col">{t('reportColClosed')}</th>
            <th scope="col">{t('reportColAnswered')}</th>
            <th scope="col">{t('reportColDuration')}</th>
            <th scope="col">{t('reportColDurationP90')}</th>
            <th scope="col">{t('reportColAnswer')}</th>
            <th scope="col">{t('reportColAnswerP90')}</th>
          </tr>
        </thead>
        <tbody>
          {report.rows.map((r) => (
            <tr key={r.key}>
              <th scope="row">{labelOf(r)}</th>
              {cells(r)}
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{t('reportTotal')}</th>
            {cells(report.total)}
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
