export interface Summary {
  name: string;
  count: number;
  p50: number;
  p95: number;
  max: number;
  note?: string;
}

export function summarize(name: string, samplesMs: readonly number[], note?: string): Summary {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
  return { name, count: sorted.length, p50: at(0.5), p95: at(0.95), max: sorted.at(-1) ?? Number.NaN, ...(note ? { note } : {}) };
}

/** A plain-text table: one row per measurement, times in milliseconds. */
export function table(rows: readonly Summary[]): string {
  const header = ['measurement', 'n', 'p50 ms', 'p95 ms', 'max ms', 'note'];
  const body = rows.map((r) => [r.name, String(r.count), r.p50.toFixed(2), r.p95.toFixed(2), r.max.toFixed(2), r.note ?? '']);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]?.length ?? 0)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 || i === 5 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}
