import { REPORT_GROUPINGS, type ReportGrouping, type ReportQuery } from '@chattigo/contracts/reports';

/**
 * The report shown is in the address (so the bot's !reporte can link to it and a reload keeps
 * it): `?desde=AAAA-MM-DD&hasta=…&campana=…&por=…`. Anything malformed is left out, and the
 * server's defaults apply.
 */
const DATE = /^\d{4}-\d{2}-\d{2}$/;

const isGrouping = (value: string | null): value is ReportGrouping => REPORT_GROUPINGS.some((g) => g === value);

export function readReportQuery(params: URLSearchParams): ReportQuery {
  const from = params.get('desde');
  const to = params.get('hasta');
  const campaign = params.get('campana');
  const by = params.get('por');
  return {
    ...(from && DATE.test(from) ? { from } : {}),
    ...(to && DATE.test(to) ? { to } : {}),
    ...(campaign ? { campaign } : {}),
    by: isGrouping(by) ? by : 'typification',
  };
}

export function writeReportQuery(query: ReportQuery): URLSearchParams {
  const params = new URLSearchParams();
  if (query.from) params.set('desde', query.from);
  if (query.to) params.set('hasta', query.to);
  if (query.campaign) params.set('campana', query.campaign);
  if (query.by && query.by !== 'typification') params.set('por', query.by);
  return params;
}

/** Days in a range, both ends included. */
export function daysIn(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}
