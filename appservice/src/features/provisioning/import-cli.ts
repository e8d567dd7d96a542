import type { Config } from '../../config/schema.ts';
import type { Secrets } from '../../config/secrets.ts';
import type { FieldProblem } from '../../validation.ts';
import { ImportFileError, locate, readImportFiles } from './import-files.ts';
import type { ImportReport } from './import-schema.ts';

export interface ImportCliResult {
  ok: boolean;
  text: string;
}

function summary(report: ImportReport): string {
  const { campaigns: c, accounts: a, memberships: m } = report;
  const list = (names: string[]) => (names.length > 0 ? ` (${names.slice(0, 10).join(', ')}${names.length > 10 ? ', …' : ''})` : '');
  const lines = [
    report.dryRun ? 'Dry run: nothing was changed. The import would make these changes:' : 'Import applied:',
    `  campaigns:   ${c.created.length} created${list(c.created)}, ${c.renamed.length} renamed${list(c.renamed)}, ${c.unchanged} unchanged`,
    `  accounts:    ${a.created.length} created${list(a.created)}, ${a.updated.length} updated${list(a.updated)}, ` +
      `${a.deactivated.length} deactivated${list(a.deactivated)}, ${a.reactivated.length} reactivated${list(a.reactivated)}, ${a.unchanged} unchanged`,
    `  memberships: ${m.added} added, ${m.removed} removed`,
    `  typifications: ${report.typifications.created} created, ${report.typifications.updated} updated, ` +
      `${report.typifications.deactivated} deactivated, ${report.typifications.reactivated} reactivated, ${report.typifications.unchanged} unchanged`,
  ];
  if (report.matrix) lines.push(`  Matrix:      ${report.matrix.synced} brought up to date, ${report.matrix.failed} still pending (retried automatically)`);
  return lines.join('\n');
}

const describe = (problems: readonly FieldProblem[]) => problems.map((p) => `  ${p.path}: ${p.message}`).join('\n');

/**
 * `chattigo-appservice import FILE…`: reads JSON/CSV files and sends them to the running
 * appservice's provisioning API, so the same validation and Matrix sync apply as for the platform.
 */
export async function runImport(config: Config, secrets: Secrets, files: string[], dryRun: boolean): Promise<ImportCliResult> {
  if (files.length === 0) return { ok: false, text: 'import needs at least one JSON or CSV file' };
  let built;
  try {
    built = await readImportFiles(files);
  } catch (err) {
    if (err instanceof ImportFileError) return { ok: false, text: `The files have errors; nothing was imported:\n${describe(err.problems)}` };
    throw err;
  }
  const host = config.server.host === '0.0.0.0' || config.server.host === '::' ? '127.0.0.1' : config.server.host;
  const url = `http://${host}:${config.server.port}/api/v1/provisioning/directory${dryRun ? '?dryRun=true' : ''}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'PUT',
      headers: { authorization: `Bearer ${secrets.provisioning_token}`, 'content-type': 'application/json', 'accept-language': 'en' },
      body: JSON.stringify(built.batch),
    });
  } catch {
    return { ok: false, text: `The appservice is not reachable at ${url}; start it first (./dev up).` };
  }
  const body = (await response.json()) as ImportReport & { error?: string; problems?: FieldProblem[] };
  if (!response.ok) {
    const problems = (body.problems ?? []).map((p) => locate(p, built.origins));
    return { ok: false, text: `${body.error ?? `HTTP ${response.status}`}\n${describe(problems)}`.trimEnd() };
  }
  return { ok: true, text: summary(body) };
}
