import type { Language } from '@chattigo/contracts/language';
import type { Report, ReportGrouping, ReportQuery, ReportRow } from '@chattigo/contracts/reports';
import type { Role } from '@chattigo/contracts/roles';
import type { Queryable } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { message, translate } from '../../i18n/index.ts';
import { toCsv, type CsvSeparator } from './csv.ts';
import { seconds } from './math.ts';
import { addDays, daysBetween, instants, isLocalDate, isTimeZone, localDate, periods, type Period } from './periods.ts';
import { createReportRepository, type Figures, type ReportCampaign, type ReportRepository, type Slice } from './repository.ts';
import { boundaries, closedIn, dimOf, rollupFigures } from './rollup.ts';

/** Who asks for a report: supervisors see their campaigns, admins all of them, agents none. */
export interface Viewer {
  username: string;
  role: Role;
}

/** The longest period of one report, in days. */
export const MAX_REPORT_DAYS = 366;
/** Days in a report without `from`: four weeks up to `to`. */
export const DEFAULT_REPORT_DAYS = 28;
/**
 * Up to this many chats a report is computed exactly from the chats (percentile_cont); above it,
 * from the rollup (exact counts, medians and p90 within 2 %). docs/decisions/0015.
 */
export const EXACT_UP_TO = 20_000;

export const forbidden = () => new AppError(403, 'M_FORBIDDEN', message('session.notAllowed'));

/** Whether `viewer` may see reports and review chats at all. */
export const supervises = (viewer: Viewer) => viewer.role === 'supervisor' || viewer.role === 'admin';

/**
 * Reports on closed chats for supervisors and admins: counted by typification, campaign, opening
 * or closing agent, day or week; durations (open → close) and time to first answer as median and
 * p90. Days are each campaign's own (its time zone, else the configured default).
 */
export class ReportService {
  readonly repo: ReportRepository;
  readonly defaultTimeZone: string;
  readonly exactUpTo: number;
  private zoneSettled: Promise<boolean> | undefined;

  constructor(deps: { db: Queryable; defaultTimeZone: string; exactUpTo?: number }) {
    this.repo = createReportRepository(deps.db);
    if (!isTimeZone(deps.defaultTimeZone)) throw new Error(`reports.defaultTimeZone: unknown time zone ${deps.defaultTimeZone}`);
    this.defaultTimeZone = deps.defaultTimeZone;
    this.exactUpTo = deps.exactUpTo ?? EXACT_UP_TO;
  }

  /**
   * Makes the rollup count campaigns without a time zone in the configured default (rebuilding
   * them when the configuration changed it); once per process, before the first report.
   */
  settleTimeZone(): Promise<boolean> {
    this.zoneSettled ??= this.repo.useDefaultTimeZone(this.defaultTimeZone).catch((err: unknown) => {
      this.zoneSettled = undefined;
      throw err;
    });
    return this.zoneSettled;
  }

  /** The campaigns `viewer` may see, narrowed to `campaign` when given (403 outside them, 404 when it does not exist). */
  async scope(viewer: Viewer, campaign?: string): Promise<ReportCampaign[]> {
    if (!supervises(viewer)) throw forbidden();
    if (viewer.role === 'admin') {
      const all = await this.repo.campaigns('all');
      if (campaign === undefined) return all;
      const one = all.filter((c) => c.id === campaign);
      if (one.length === 0) throw new AppError(404, 'M_NOT_FOUND', message('reports.unknownCampaign', { campaign }));
      return one;
    }
    const own = await this.repo.campaignsOf(viewer.username);
    if (campaign !== undefined && !own.includes(campaign)) {
      throw new AppError(403, 'M_FORBIDDEN', message('reports.campaignNotAllowed', { campaign }));
    }
    return this.repo.campaigns(campaign === undefined ? own : [campaign]);
  }

  timeZoneOf(campaign: ReportCampaign): string {
    return campaign.timeZone && isTimeZone(campaign.timeZone) ? campaign.timeZone : this.defaultTimeZone;
  }

  /** `from`/`to` checked and defaulted: `to` today (default time zone), `from` four weeks before. */
  range(query: Pick<ReportQuery, 'from' | 'to'>, now = new Date()): { from: string; to: string } {
    const to = query.to ?? localDate(now, this.defaultTimeZone);
    const from = query.from ?? addDays(to, -(DEFAULT_REPORT_DAYS - 1));
    for (const date of [from, to]) {
      if (!isLocalDate(date)) throw new AppError(400, 'M_INVALID_PARAM', message('reports.badDate', { date }));
    }
    if (from > to) throw new AppError(400, 'M_INVALID_PARAM', message('reports.badRange', { from, to }));
    const days = daysBetween(from, to);
    if (days > MAX_REPORT_DAYS) throw new AppError(400, 'M_INVALID_PARAM', message('reports.tooLong', { days, max: MAX_REPORT_DAYS }));
    return { from, to };
  }

  async report(viewer: Viewer, query: ReportQuery, lang: Language, now = new Date()): Promise<Report> {
    const campaigns = await this.scope(viewer, query.campaign);
    const { from, to } = this.range(query, now);
    const by: ReportGrouping = query.by ?? 'typification';
    const split = by === 'day' || by === 'week' ? by : 'none';
    const spans = periods(from, to, split);
    const { rows, total, approximate } = await this.figures(campaigns, from, spans, by);
    const labels = await this.labels(by, rows, campaigns, lang);
    // Every day or week shows, also those without chats (a line over time needs them).
    const filled =
      split === 'none'
        ? rows
        : spans.map((p) => rows.find((r) => r.key === p.key) ?? emptyFigures(p.key));
    return {
      from,
      to,
      by,
      campaigns: campaigns.map((c) => ({ id: c.id, name: c.id === '' ? translate(lang, 'reports.noCampaign') : c.name, timeZone: this.timeZoneOf(c) })),
      approximate,
      total: toRow(total, translate(lang, 'reports.csv.total')),
      rows: filled.map((r) => toRow(r, labels.get(r.key) ?? r.label ?? r.key)),
    };
  }

  /**
   * The figures of a report: exact from the chats when the range holds at most `exactUpTo` of
   * them (the rollup counts them), else from the rollup.
   */
  private async figures(
    campaigns: readonly ReportCampaign[],
    from: string,
    spans: readonly Period[],
    by: ReportGrouping,
  ): Promise<{ rows: Figures[]; total: Figures; approximate: boolean }> {
    if (campaigns.length === 0 || spans.length === 0) return { rows: [], total: emptyFigures('total'), approximate: false };
    await this.settleTimeZone();
    const ids = campaigns.map((c) => c.id);
    const whole = [{ key: 'all', from, to: spans.at(-1)?.to ?? from }];
    const split = by === 'day' || by === 'week' ? spans : whole;
    const asked = ids.map((campaign) => ({ campaign, days: boundaries(from, split) }));
    const all = await this.repo.cumulative(asked, 'all');
    if (closedIn(from, whole, ids, all) > this.exactUpTo) {
      const dim = dimOf(by);
      const rows = dim === 'all' ? all : await this.repo.cumulative(asked, dim);
      return { ...rollupFigures(by, from, split, ids, rows, all), approximate: true };
    }
    const slices: Slice[] = campaigns.map((campaign) => {
      const zone = this.timeZoneOf(campaign);
      const bounds = spans.map((period) => ({ key: period.key, ...instants(period, zone) }));
      return { campaign: campaign.id, periods: bounds.map((b) => ({ key: b.key, start: b.start })), end: bounds.at(-1)?.end ?? new Date(0) };
    });
    return { ...(await this.repo.figures(slices, by)), approximate: false };
  }

  private async labels(by: ReportGrouping, rows: readonly Figures[], campaigns: readonly ReportCampaign[], lang: Language): Promise<Map<string, string>> {
    if (by === 'campaign') return new Map(campaigns.map((c) => [c.id, c.id === '' ? translate(lang, 'reports.noCampaign') : c.name]));
    if (by === 'opener' || by === 'closer') return this.repo.displayNames(rows.map((r) => r.key));
    return new Map();
  }

  /** The report as CSV: its grouping's columns, then the figures, then the total. */
  csv(report: Report, lang: Language, separator: CsvSeparator): string {
    const t = (key: `reports.csv.${ReportGrouping | 'code' | 'closed' | 'answered' | 'total' | `${'duration' | 'firstAnswer'}${'Median' | 'P90'}`}`) => translate(lang, key);
    const head = [
      t(`reports.csv.${report.by}`),
      report.by === 'typification' || report.by === 'opener' || report.by === 'closer' || report.by === 'campaign' ? t('reports.csv.code') : null,
      t('reports.csv.closed'),
      t('reports.csv.answered'),
      t('reports.csv.durationMedian'),
      t('reports.csv.durationP90'),
      t('reports.csv.firstAnswerMedian'),
      t('reports.csv.firstAnswerP90'),
    ];
    const withCode = head[1] !== null;
    const line = (r: ReportRow, first: string, code: string) => [
      first,
      ...(withCode ? [code] : []),
      r.closed,
      r.answered,
      r.duration.median,
      r.duration.p90,
      r.firstAnswer.median,
      r.firstAnswer.p90,
    ];
    return toCsv(
      [
        head.filter((h): h is string => h !== null),
        ...report.rows.map((r) => line(r, report.by === 'day' || report.by === 'week' ? r.key : r.label, r.key)),
        line(report.total, t('reports.csv.total'), ''),
      ],
      separator,
    );
  }
}

const emptyFigures = (key: string): Figures => ({
  key,
  label: null,
  closed: 0,
  answered: 0,
  duration: { median: null, p90: null },
  firstAnswer: { median: null, p90: null },
});

const toRow = (f: Figures, label: string): ReportRow => ({
  key: f.key,
  label,
  closed: f.closed,
  answered: f.answered,
  duration: { median: seconds(f.duration.median), p90: seconds(f.duration.p90) },
  firstAnswer: { median: seconds(f.firstAnswer.median), p90: seconds(f.firstAnswer.p90) },
});
