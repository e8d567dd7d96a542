/**
 * The appservice's own counters around a bench rate: how much work the messages caused
 * (presence updates stored, campaign-space state writes, transactions), read from its Prometheus
 * endpoint (`metrics.port`).
 */

/** The counters the report shows, by a short name. */
export const COUNTERS: Record<string, (series: string) => boolean> = {
  transactions: (s) => s.startsWith('chattigo_appservice_transactions_total'),
  'events stored': (s) => s === 'chattigo_journal_events_total{outcome="stored"}',
  'presence in': (s) => s.startsWith('chattigo_presence_updates_total{source="transaction"'),
  'presence out': (s) => s.startsWith('chattigo_matrix_publishes_total{target="presence"'),
  'space state': (s) => s.startsWith('chattigo_matrix_publishes_total{target="space_state"'),
};

/** The sum of each of COUNTERS at `url` now; an empty record when the endpoint does not answer. */
export async function readCounters(url: string | undefined): Promise<Record<string, number>> {
  if (!url) return {};
  const text = await fetch(url, { signal: AbortSignal.timeout(5000) })
    .then((r) => (r.ok ? r.text() : ''))
    .catch(() => '');
  const totals: Record<string, number> = {};
  if (!text) return totals;
  for (const name of Object.keys(COUNTERS)) totals[name] = 0;
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    const series = line.slice(0, space);
    const value = Number(line.slice(space + 1));
    for (const [name, matches] of Object.entries(COUNTERS)) if (matches(series) && Number.isFinite(value)) totals[name] = (totals[name] ?? 0) + value;
  }
  return totals;
}

export function counterDeltas(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.keys(after).map((name) => [name, (after[name] ?? 0) - (before[name] ?? 0)]));
}
