import { humanDuration, REPORT_GROUPINGS, type ReportQuery } from '@chattigo/contracts/reports';
import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { useAgentApi } from '../../api/AgentApiProvider.tsx';
import { queryKeys } from '../../api/queries.ts';
import { Alert } from '../../components/Alert.tsx';
import { errorText } from '../../components/ErrorText.ts';
import { QueryView } from '../../components/QueryView.tsx';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { daysIn, readReportQuery, writeReportQuery } from './report-params.ts';
import { groupingLabels, ReportTable } from './ReportTable.tsx';

// chart.js comes only with the charts, after the figures are there.
const ReportCharts = lazy(() => import('./ReportCharts.tsx'));

/** Weeks instead of days on the line when a range is longer than this. */
const MAX_DAYS_ON_LINE = 62;

/** The report: filters (kept in the address), totals, charts, the table and its CSV export. */
export function ReportSection() {
  const { t } = useI18n();
  const api = useAgentApi();
  const [params, setParams] = useSearchParams();
  const query = readReportQuery(params);
  const main = useQuery({ queryKey: queryKeys.report(query), queryFn: ({ signal }) => api.report(query, signal) });
  // The charts' reports: by typification, and over time (over the dates the main report settled on).
  const range = main.data ? { from: main.data.from, to: main.data.to } : undefined;
  const base: ReportQuery = { ...(query.campaign ? { campaign: query.campaign } : {}), ...range };
  const overTimeBy = range && daysIn(range.from, range.to) > MAX_DAYS_ON_LINE ? 'week' : 'day';
  const byTypification = useQuery({
    queryKey: queryKeys.report({ ...base, by: 'typification' }),
    queryFn: ({ signal }) => api.report({ ...base, by: 'typification' }, signal),
    enabled: range !== undefined,
  });
  const overTime = useQuery({
    queryKey: queryKeys.report({ ...base, by: overTimeBy }),
    queryFn: ({ signal }) => api.report({ ...base, by: overTimeBy }, signal),
    enabled: range !== undefined,
  });
  // Every campaign in scope, as the first answer without a campaign named them.
  const [campaigns, setCampaigns] = useState<{ id: string; name: string }[]>([]);
  if (main.data && !query.campaign && main.data.campaigns.length !== campaigns.length) setCampaigns(main.data.campaigns);

  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<unknown>(null);
  const exportCsv = async () => {
    setExporting(true);
    setExportError(null);
    try {
      const { blob, filename } = await api.reportCsv({ ...query, ...range });
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = filename;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      setExportError(err);
    } finally {
      setExporting(false);
    }
  };

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => {
      const value = form.get(name);
      return typeof value === 'string' && value !== '' ? value : undefined;
    };
    const by = REPORT_GROUPINGS.find((g) => g === text('by')) ?? 'typification';
    const next: ReportQuery = { by };
    const [from, to, campaign] = [text('from'), text('to'), text('campaign')];
    if (from) next.from = from;
    if (to) next.to = to;
    if (campaign) next.campaign = campaign;
    setParams(writeReportQuery(next));
  };

  const report = main.data;
  return (
    <section className="report" aria-labelledby="report-heading">
      <h2 id="report-heading" className="visually-hidden">
        {t('reportFilters')}
      </h2>
      <form className="report-filters" onSubmit={submit} aria-label={t('reportFilters')} key={params.toString()}>
        <label>
          {t('reportCampaign')}
          <select name="campaign" defaultValue={query.campaign ?? ''}>
            <option value="">{t('reportAllCampaigns')}</option>
            {campaigns
              .filter((c) => c.id !== '')
              .map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
          </select>
        </label>
        <label>
          {t('reportFrom')}
          <input type="date" name="from" defaultValue={report?.from ?? query.from ?? ''} />
        </label>
        <label>
          {t('reportTo')}
          <input type="date" name="to" defaultValue={report?.to ?? query.to ?? ''} />
        </label>
        <label>
          {t('reportBy')}
          <select name="by" defaultValue={query.by ?? 'typification'}>
            {REPORT_GROUPINGS.map((g) => (
              <option key={g} value={g}>
                {t(groupingLabels[g])}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="button primary">
          {t('reportApply')}
        </button>
        <button type="button" className="button" disabled={exporting || !report} onClick={() => void exportCsv()}>
          {exporting ? t('reportExporting') : t('reportExport')}
        </button>
      </form>
      {exportError ? <Alert kind="error">{errorText(exportError, t)}</Alert> : null}
      <QueryView query={main}>
        {(loaded) => (
          <>
            <p className="report-totals">
              {t('reportTotals', {
                closed: loaded.total.closed,
                median: humanDuration(loaded.total.duration.median),
                p90: humanDuration(loaded.total.duration.p90),
                answer: humanDuration(loaded.total.firstAnswer.median),
                answerP90: humanDuration(loaded.total.firstAnswer.p90),
              })}
            </p>
            <p className="report-note">
              {t('reportTimeZones', { zones: [...new Set(loaded.campaigns.map((c) => c.timeZone))].join(', ') })}
              {loaded.approximate ? ` ${t('reportApproximate')}` : ''}
            </p>
            {loaded.total.closed === 0 ? <p className="pane-status">{t('reportEmpty')}</p> : null}
            {byTypification.data && overTime.data ? (
              <Suspense fallback={<p className="pane-status">{t('reportChartsLoading')}</p>}>
                <ReportCharts byTypification={byTypification.data} overTime={overTime.data} />
              </Suspense>
            ) : null}
            <ReportTable report={loaded} />
          </>
        )}
      </QueryView>
    </section>
  );
}
