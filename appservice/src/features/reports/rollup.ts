import type { ReportGrouping } from '@chattigo/contracts/reports';
import { combine, spreadOf, type Histogram } from './histogram.ts';
import { addDays, type LocalDate, type Period } from './periods.ts';
import type { Cumulative, Figures, RollupDim } from './repository.ts';

/**
 * A report read from the rollup (migration 130) instead of the chats: every group's figures over
 * a range of local days are its cumulative row at the range's last day minus the one at the day
 * before its first. Counts are exact; medians and p90 come from the histograms (histogram.ts).
 */

/** The rollup dimension whose groups are a report's rows. */
export const dimOf = (by: ReportGrouping): RollupDim => (by === 'typification' || by === 'opener' || by === 'closer' ? by : 'all');

/** The local days whose cumulative rows a report needs: the day before `from`, then each period's last day. */
export const boundaries = (from: LocalDate, spans: readonly Period[]): LocalDate[] => [addDays(from, -1), ...spans.map((p) => p.to)];

interface Sum {
  label: string | null;
  closed: number;
  answered: number;
  duration: Histogram;
  firstAnswer: Histogram;
}

const empty = (): Sum => ({ label: null, closed: 0, answered: 0, duration: [], firstAnswer: [] });

function add(into: Sum, row: Sum, sign: 1 | -1): Sum {
  return {
    label: sign > 0 ? (row.label ?? into.label) : into.label,
    closed: into.closed + sign * row.closed,
    answered: into.answered + sign * row.answered,
    duration: combine(into.duration, row.duration, sign),
    firstAnswer: combine(into.firstAnswer, row.firstAnswer, sign),
  };
}

const toFigures = (key: string, s: Sum): Figures => ({
  key,
  label: s.label,
  closed: s.closed,
  answered: s.answered,
  duration: spreadOf(s.duration),
  firstAnswer: spreadOf(s.firstAnswer),
});

/**
 * The figures per group of `by` (and their total) from the cumulative rows read at
 * `boundaries(from, spans)` for each campaign. `rows` are of dimOf(by); `all` are of 'all' (the
 * total; the same rows when by has no dimension of its own).
 */
export function rollupFigures(
  by: ReportGrouping,
  from: LocalDate,
  spans: readonly Period[],
  campaigns: readonly string[],
  rows: readonly Cumulative[],
  all: readonly Cumulative[],
): { rows: Figures[]; total: Figures } {
  const days = boundaries(from, spans);
  const first = days[0] ?? from;
  const last = days.at(-1) ?? from;
  const index = (list: readonly Cumulative[]) => {
    const map = new Map<string, Map<string, Cumulative>>();
    for (const r of list) {
      const key = `${r.campaign}\u0000${r.at}`;
      let at = map.get(key);
      if (!at) map.set(key, (at = new Map()));
      at.set(r.value, r);
    }
    return (campaign: string, day: string) => map.get(`${campaign}\u0000${day}`) ?? new Map<string, Cumulative>();
  };
  const groups = new Map<string, Sum>();
  const put = (key: string, row: Sum, sign: 1 | -1) => groups.set(key, add(groups.get(key) ?? empty(), row, sign));
  const at = index(rows);
  for (const campaign of campaigns) {
    if (by === 'day' || by === 'week') {
      // Each period: its last day's row minus the previous boundary's.
      spans.forEach((period, i) => {
        const end = at(campaign, days[i + 1] ?? last).get('');
        const start = at(campaign, days[i] ?? first).get('');
        if (end) put(period.key, end, 1);
        if (start) put(period.key, start, -1);
      });
      continue;
    }
    const ends = at(campaign, last);
    const starts = at(campaign, first);
    for (const [value, end] of ends) {
      const key = by === 'campaign' ? campaign : value;
      put(key, end, 1);
      const start = starts.get(value);
      if (start) put(key, start, -1);
    }
  }
  let total = empty();
  const atAll = index(all);
  for (const campaign of campaigns) {
    const end = atAll(campaign, last).get('');
    const start = atAll(campaign, first).get('');
    if (end) total = add(total, end, 1);
    if (start) total = add(total, start, -1);
  }
  const figures = [...groups].filter(([, s]) => s.closed > 0).map(([key, s]) => toFigures(key, s));
  figures.sort((a, b) => b.closed - a.closed || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { rows: figures, total: toFigures('total', total) };
}

/** How many chats the range holds, from the 'all' rows read at its boundaries. */
export function closedIn(from: LocalDate, spans: readonly Period[], campaigns: readonly string[], all: readonly Cumulative[]): number {
  const days = boundaries(from, spans);
  const first = days[0];
  const last = days.at(-1);
  let n = 0;
  for (const r of all) {
    if (r.value !== '' || !campaigns.includes(r.campaign)) continue;
    if (r.at === last) n += r.closed;
    if (r.at === first) n -= r.closed;
  }
  return n;
}
