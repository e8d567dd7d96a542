/**
 * The statistics of a report, as PostgreSQL's `percentile_cont` computes them (the repository
 * asks the database; this is the same definition, for the bot's summary of rows already read and
 * for checking the database's figures): the value at rank p·(n−1) of the sorted values,
 * interpolated linearly between the two neighbours.
 */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  if (p < 0 || p > 1) throw new RangeError(`percentile ${p} is not between 0 and 1`);
  const rank = p * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const a = sorted[lo] ?? 0;
  const b = sorted[hi] ?? a;
  return a + (rank - lo) * (b - a);
}

/** Median and 90th percentile of `values` (any order). */
export function spread(values: readonly number[]): { median: number | null; p90: number | null } {
  const sorted = [...values].sort((x, y) => x - y);
  return { median: percentile(sorted, 0.5), p90: percentile(sorted, 0.9) };
}

/** Milliseconds → seconds with at most three decimals (what the API shows). */
export const seconds = (ms: number | null): number | null => (ms === null ? null : Math.round(ms) / 1000);
