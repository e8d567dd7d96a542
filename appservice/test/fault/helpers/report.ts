import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { repoRoot } from '@chattigo/synapse';
import type { ScenarioCounts } from './checks.ts';

/**
 * The fault table. Each scenario writes its row to a file as soon as it is counted (test files run
 * in separate workers); the project's global teardown prints the table and writes the report.
 */
export const artifactsDir = path.join(repoRoot, 'test-artifacts');
const rowsDir = path.join(artifactsDir, 'fault-rows');
export const reportFile = path.join(artifactsDir, 'fault-report.md');

export interface Row extends Partial<ScenarioCounts> {
  scenario: string;
  /** Set when the harness itself could not count (a stack that did not start, …). */
  error?: string;
  seconds: number;
}

export async function clearRows(): Promise<void> {
  await rm(rowsDir, { recursive: true, force: true });
  await mkdir(rowsDir, { recursive: true });
}

export async function recordRow(row: Row): Promise<void> {
  await mkdir(rowsDir, { recursive: true });
  const slug = row.scenario.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
  await writeFile(path.join(rowsDir, `${Date.now()}-${slug}.json`), JSON.stringify(row));
}

export async function readRows(): Promise<Row[]> {
  const files = (await readdir(rowsDir).catch(() => [] as string[])).filter((f) => f.endsWith('.json')).sort();
  return Promise.all(files.map(async (f) => JSON.parse(await readFile(path.join(rowsDir, f), 'utf8')) as Row));
}

const cell = (value: number | null | undefined, digits = 0) => (value === undefined ? '?' : value === null ? 'never' : value.toFixed(digits));

export function renderTable(rows: readonly Row[]): string {
  const header = ['scenario', 'events', 'lost', 'duplicated', 'recovery s', 'orphan rooms', 'half-closed', 'journal left', 'took s', 'detail'];
  const lines = rows.map((r) => [
    r.scenario,
    cell(r.events),
    cell(r.lost),
    cell(r.duplicated),
    cell(r.recoverySeconds, 1),
    cell(r.orphans),
    cell(r.halfClosed),
    cell(r.journalPending),
    cell(r.seconds),
    r.error ? `harness error: ${r.error}` : (r.detail ?? ''),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const format = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [format(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...lines.map(format)].join('\n');
}

export async function writeReport(rows: readonly Row[]): Promise<string> {
  const table = renderTable(rows);
  const ok = rows.length > 0 && rows.every((r) => !r.error && r.lost === 0 && r.duplicated === 0 && r.orphans === 0 && r.halfClosed === 0 && r.journalPending === 0);
  const text =
    `# Fault tests (${new Date().toISOString()})\n\n${ok ? 'All scenarios clean.' : 'Some scenarios lost, doubled or stranded work.'}\n\n` +
    `lost = commands with no bot reply + refused files not redacted + closes not recorded or without their notice; ` +
    `duplicated = extra replies and extra closure notices; recovery = end of the fault → first command answered after it.\n\n${table}\n`;
  await mkdir(artifactsDir, { recursive: true });
  await writeFile(reportFile, text);
  return table;
}
