import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { FieldProblem } from '../../validation.ts';
import { parseCsv, type CsvRecord } from './csv.ts';
import type { AccountRow, CampaignRow, DirectoryImport } from './import-schema.ts';

/** A batch built from files, with where each row came from for error messages. */
export interface FileBatch {
  batch: DirectoryImport;
  /** `accounts.3` → `agents.csv line 5` */
  origins: Map<string, string>;
}

const accountColumns: Record<string, keyof AccountRow> = {
  username: 'username',
  usuario: 'username',
  displayname: 'displayName',
  display_name: 'displayName',
  nombre: 'displayName',
  email: 'email',
  correo: 'email',
  role: 'role',
  rol: 'role',
  active: 'active',
  activo: 'active',
  campaigns: 'campaigns',
  campanas: 'campaigns',
  passwordhash: 'passwordHash',
  password_hash: 'passwordHash',
};

const campaignColumns: Record<string, keyof CampaignRow> = { id: 'id', name: 'name', nombre: 'name' };

const typificationColumns: Record<string, string> = {
  campaign: 'campaign',
  campana: 'campaign',
  code: 'code',
  codigo: 'code',
  label: 'label',
  etiqueta: 'label',
  description: 'description',
  descripcion: 'description',
  active: 'active',
  activo: 'active',
};

const fold = (header: string) =>
  header
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .trim()
    .toLowerCase();

const truthy = new Set(['true', '1', 'si', 'yes', 'y', 's']);
const falsy = new Set(['false', '0', 'no', 'n']);

export class ImportFileError extends Error {
  readonly problems: FieldProblem[];
  constructor(problems: FieldProblem[]) {
    super(problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
    this.name = 'ImportFileError';
    this.problems = problems;
  }
}

/**
 * Reads JSON files (an object with `campaigns`, `accounts` and/or `typifications`, as the
 * provisioning API takes) and CSV files (accounts: a `username` column; typifications: `campaign`,
 * `code`, `label`, `description`, `active`; campaigns: `id` and `name` columns) into one batch.
 * In account CSVs, `campaigns` lists campaign ids separated by `;`, and `active` takes
 * true/false, sí/no or 1/0. Empty cells leave a field out.
 */
export async function readImportFiles(files: readonly string[]): Promise<FileBatch> {
  const batch: Required<DirectoryImport> = { campaigns: [], accounts: [], typifications: [] };
  const origins = new Map<string, string>();
  const problems: FieldProblem[] = [];

  for (const file of files) {
    const name = path.basename(file);
    const text = await readFile(file, 'utf8');
    if (file.toLowerCase().endsWith('.json')) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (err) {
        problems.push({ path: name, message: `is not valid JSON (${(err as Error).message})` });
        continue;
      }
      const obj = (parsed ?? {}) as { campaigns?: unknown; accounts?: unknown; typifications?: unknown };
      for (const key of ['campaigns', 'accounts', 'typifications'] as const) {
        const list = obj[key];
        if (list === undefined) continue;
        if (!Array.isArray(list)) {
          problems.push({ path: `${name} ${key}`, message: 'must be a list' });
          continue;
        }
        list.forEach((item: unknown, i) => {
          origins.set(`${key}.${batch[key].length}`, `${name} ${key}[${i}]`);
          (batch[key] as unknown[]).push(item);
        });
      }
      const extra = Object.keys(obj).filter((k) => !['campaigns', 'accounts', 'typifications'].includes(k));
      for (const key of extra) problems.push({ path: `${name} ${key}`, message: 'unknown section; expected campaigns, accounts or typifications' });
      continue;
    }
    let records: CsvRecord[];
    try {
      records = parseCsv(text);
    } catch (err) {
      problems.push({ path: name, message: (err as Error).message });
      continue;
    }
    const [header, ...rows] = records;
    if (!header) continue;
    const columns = header.cells.map(fold);
    const kind =
      columns.includes('username') || columns.includes('usuario')
        ? 'accounts'
        : columns.includes('code') || columns.includes('codigo')
          ? 'typifications'
          : columns.includes('id')
            ? 'campaigns'
            : undefined;
    if (!kind) {
      problems.push({
        path: `${name} line ${header.line}`,
        message: 'header must have a username column (accounts), a code column (typifications) or id and name columns (campaigns)',
      });
      continue;
    }
    const mapping: Record<string, string> = kind === 'accounts' ? accountColumns : kind === 'typifications' ? typificationColumns : campaignColumns;
    columns.forEach((column, i) => {
      if (!(column in mapping)) {
        problems.push({ path: `${name} line ${header.line}`, message: `unknown column "${header.cells[i]}"; expected ${[...new Set(Object.values(mapping))].join(', ')}` });
      }
    });
    for (const row of rows) {
      if (row.cells.length !== columns.length) {
        problems.push({ path: `${name} line ${row.line}`, message: `has ${row.cells.length} fields; the header has ${columns.length}` });
        continue;
      }
      const item: Record<string, unknown> = {};
      columns.forEach((column, i) => {
        const field = mapping[column];
        const raw = row.cells[i]?.trim() ?? '';
        if (!field || raw === '') return;
        if (field === 'campaigns') item[field] = raw.split(';').map((s) => s.trim()).filter(Boolean);
        else if (field === 'active' && kind === 'accounts') {
          const value = fold(raw);
          item[field] = truthy.has(value) ? true : falsy.has(value) ? false : raw;
        } else item[field] = raw;
      });
      origins.set(`${kind}.${batch[kind].length}`, `${name} line ${row.line}`);
      (batch[kind] as unknown[]).push(item);
    }
  }
  if (problems.length > 0) throw new ImportFileError(problems);
  return { batch, origins };
}

/** Rewrites `accounts.3.email` as `agents.csv line 5: email` using the batch's origins. */
export function locate(problem: FieldProblem, origins: Map<string, string>): FieldProblem {
  const [section, index, ...rest] = problem.path.split('.');
  const origin = origins.get(`${section}.${index}`);
  if (!origin) return problem;
  return { path: rest.length > 0 ? `${origin}, ${rest.join('.')}` : origin, message: problem.message };
}
