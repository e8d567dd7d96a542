/**
 * The duration histograms of the report rollup (migration 130, docs/decisions/0015): counts per
 * bucket, array index 1 (here 0) for [0, 1 s), then buckets 2 % wide. A percentile read from them
 * is the value at the same rank as percentile_cont's, placed inside its bucket as if the bucket's
 * values were spread evenly; it lies in the bucket of the exact figure, so it is within 2 % of it
 * (within 1 s below one second).
 */

/** Ratio between a bucket's upper and lower bound. */
export const BUCKET_RATIO = 1.02;

/** Counts per bucket (0-based here); null and missing elements count 0. */
export type Histogram = readonly (number | null)[];

/** [lower, upper) bound in milliseconds of bucket `i` (0-based). */
export function bucketBounds(i: number): [number, number] {
  if (i === 0) return [0, 1000];
  return [1000 * BUCKET_RATIO ** (i - 1), 1000 * BUCKET_RATIO ** i];
}

/** The bucket (0-based) of a value in milliseconds, as chat_rollup_bucket() minus one. */
export function bucketOf(ms: number): number {
  return ms < 1000 ? 0 : 1 + Math.floor(Math.log(ms / 1000) / Math.log(BUCKET_RATIO));
}

/** a + sign·b, element by element (histograms of different lengths). */
export function combine(a: Histogram, b: Histogram, sign: 1 | -1 = 1): number[] {
  const out = new Array<number>(Math.max(a.length, b.length));
  for (let i = 0; i < out.length; i++) out[i] = (a[i] ?? 0) + sign * (b[i] ?? 0);
  return out;
}

export function total(h: Histogram): number {
  let n = 0;
  for (const c of h) n += c ?? 0;
  return n;
}

/** The estimated value (ms) of the `rank`-th smallest (0-based) of the counted values. */
function valueAt(h: Histogram, rank: number): number {
  let before = 0;
  for (let i = 0; i < h.length; i++) {
    const count = h[i] ?? 0;
    if (count <= 0) continue;
    if (rank < before + count) {
      const [lo, hi] = bucketBounds(i);
      return lo + ((rank - before + 0.5) / count) * (hi - lo);
    }
    before += count;
  }
  throw new RangeError(`rank ${rank} is beyond the histogram's ${before} values`);
}

/** percentile_cont(p) estimated from the histogram: null when it counts nothing. */
export function percentileOf(h: Histogram, p: number): number | null {
  const n = total(h);
  if (n <= 0) return null;
  const rank = p * (n - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const a = valueAt(h, lo);
  return lo === hi ? a : a + (rank - lo) * (valueAt(h, hi) - a);
}

/** Median and p90 from a histogram. */
export const spreadOf = (h: Histogram): { median: number | null; p90: number | null } => ({ median: percentileOf(h, 0.5), p90: percentileOf(h, 0.9) });
