import type { ProcessGroup } from './cpu.ts';

export interface Quantiles {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export interface RateResult {
  population: 'managed' | 'bare';
  rate: number;
  sent: number;
  errors: number;
  lost: number;
  send: Quantiles;
  delivery: Quantiles;
  /** CPU milliseconds per message (both populations) of each process group during the rate. */
  cpuMsPerMessage: Record<string, number>;
  /** The appservice's work counters during the rate (bench/messaging/metrics.ts); empty without metrics. */
  counters: Record<string, number>;
}

/** The q-quantile (0..1) of samples, NaN when there are none. */
export function percentile(samples: readonly number[], q: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
}

/** The highest rate whose delivery p99 is ≤ 1 s for both populations with nothing lost. */
export function knee(results: readonly RateResult[]): number | undefined {
  const rates = [...new Set(results.map((r) => r.rate))].sort((a, b) => a - b);
  let best: number | undefined;
  for (const rate of rates) {
    const rows = results.filter((r) => r.rate === rate);
    if (rows.every((r) => r.delivery.p99 <= 1000 && r.lost === 0 && r.errors === 0)) best = rate;
    else break;
  }
  return best;
}

const ms = (n: number) => (Number.isFinite(n) ? Math.round(n).toString() : '—');

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]?.length ?? 0)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function renderReport(r: {
  label: string;
  pairs: number;
  seconds: number;
  results: readonly RateResult[];
  openMs: readonly number[];
  closeMs: readonly number[];
  syncErrors: number;
  processes: readonly ProcessGroup[];
  /** The appservice's work counters over the whole run (set-up, rates, closes). */
  runCounters: Record<string, number>;
}): string {
  const rows = r.results.map((x) => [
    x.population,
    `${x.rate}/s`,
    String(x.sent),
    String(x.lost),
    String(x.errors),
    ms(x.send.p50),
    ms(x.send.p99),
    ms(x.delivery.p50),
    ms(x.delivery.p95),
    ms(x.delivery.p99),
    ms(x.delivery.max),
  ]);
  const rates = [...new Set(r.results.map((x) => x.rate))];
  const cpu = rates.map((rate) => {
    const row = r.results.find((x) => x.rate === rate);
    const m = r.results.find((x) => x.rate === rate && x.population === 'managed');
    const b = r.results.find((x) => x.rate === rate && x.population === 'bare');
    return [
      `${rate}/s`,
      '',
      ...r.processes.map((p) => (row?.cpuMsPerMessage[p.name] ?? Number.NaN).toFixed(1)),
      m && b ? (m.delivery.p50 / b.delivery.p50).toFixed(2) : '—',
    ];
  });
  // The appservice works for managed messages only (bare rooms are not its users'): its CPU per managed message.
  const counterNames = [...new Set(r.results.flatMap((x) => Object.keys(x.counters)))];
  const work = rates.map((rate) => {
    const m = r.results.find((x) => x.rate === rate && x.population === 'managed');
    const b = r.results.find((x) => x.rate === rate && x.population === 'bare');
    const all = (m?.sent ?? 0) + (b?.sent ?? 0);
    const perManaged = m && m.sent > 0 ? ((m.cpuMsPerMessage['appservice'] ?? Number.NaN) * all) / m.sent : Number.NaN;
    return [`${rate}/s`, String(m?.sent ?? 0), perManaged.toFixed(2), ...counterNames.map((n) => String(Math.round(m?.counters[n] ?? 0)))];
  });
  const k = knee(r.results);
  const atKnee = k === undefined ? undefined : r.results.filter((x) => x.rate === k);
  const ratio = atKnee ? (atKnee.find((x) => x.population === 'managed')?.delivery.p50 ?? NaN) / (atKnee.find((x) => x.population === 'bare')?.delivery.p50 ?? NaN) : NaN;
  return [
    `# bench/messaging — ${r.label}, ${r.pairs}+${r.pairs} pairs, ${r.seconds} s per rate, ${new Date().toISOString()}`,
    '',
    'Latencies in ms (send: until the homeserver answered; delivery: until the peer\'s /sync saw it).',
    '',
    table(['population', 'rate', 'sent', 'lost', 'errors', 'send p50', 'send p99', 'deliv p50', 'deliv p95', 'deliv p99', 'deliv max'], rows),
    '',
    'CPU ms per message (both populations) and the managed/bare delivery p50 ratio:',
    '',
    table(['rate', '', ...r.processes.map((p) => `${p.name} (${p.pids.length})`), 'managed/bare'], cpu),
    '',
    'The appservice per managed message (CPU ms), and its work counters during the rate:',
    '',
    table(['rate', 'managed', 'appservice ms/managed msg', ...counterNames], work),
    '',
    `Over the whole run (set-up and closes included): ${Object.entries(r.runCounters).map(([n, v]) => `${n} ${Math.round(v)}`).join(', ') || 'no metrics'}`,
    '',
    `"Mensaje directo" → peer joined: p50 ${ms(percentile(r.openMs, 0.5))} ms, max ${ms(percentile(r.openMs, 1))} ms (${r.openMs.length}); ` +
      `close → peer sees read-only: p50 ${ms(percentile(r.closeMs, 0.5))} ms, max ${ms(percentile(r.closeMs, 1))} ms (${r.closeMs.length}); sync errors: ${r.syncErrors}`,
    '',
    `knee (highest rate with delivery p99 ≤ 1 s, nothing lost): ${k === undefined ? 'below the lowest rate tried' : `${k} msg/s`}`,
    `managed/bare delivery p50 ratio at the knee: ${Number.isFinite(ratio) ? ratio.toFixed(2) : '—'}`,
  ].join('\n');
}
