import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { CsvError, parse } from 'csv-parse/sync';
import type { FieldProblem } from '../../validation.ts';
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
  language: 'language',
  idioma: 'language',
};

const campaignColumns: Record<string, keyof CampaignRow> = {
  id: 'id',
  name: 'name',
  nombre: 'name',
  timezone: 'timeZone',
  time_zone: 'timeZone',
  zona_horaria: 'timeZone',
};

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

/** A CSV record with the 1-based line it starts on. */
export interface CsvRecord {
  line: number;
  cells: string[];
}

export class CsvSyntaxError extends Error {
  readonly line: number;
  constructor(line: number, message: string) {
    super(message);
    this.name = 'CsvSyntaxError';
    this.line = line;
  }
}

/** Our words for csv-parse's syntax errors; anything else keeps csv-parse's message. */
const CSV_ERRORS: Readonly<Partial<Record<string, string>>> = {
  CSV_QUOTE_NOT_CLOSED: 'a quoted field is not closed',
  INVALID_OPENING_QUOTE: 'a quote inside an unquoted field; quote the whole field',
  CSV_INVALID_CLOSING_QUOTE: 'a closing quote must be followed by a comma or the end of the line',
};

const lineBreaks = (cells: readonly string[]) => cells.reduce((n, cell) => n + cell.split('\n').length - 1, 0);

/**
 * RFC 4180 CSV with csv-parse: fields optionally double-quoted (commas, quotes and line breaks
 * inside), CRLF, LF or CR line ends, an optional UTF-8 byte-order mark, blank lines skipped. Rows
 * may have any number of fields (the caller names the row that does not fit its header). Line
 * ends are made LF first: csv-parse counts a CRLF inside a quoted field as two lines.
 */
export function parseCsv(text: string): CsvRecord[] {
  let last = { lines: 0, emptyLines: 0 };
  const starts: number[] = [];
  try {
    const rows = parse(text.replace(/\r\n?/g, '\n'), {
      bom: true,
      record_delimiter: '\n',
      skip_empty_lines: true,
      relax_column_count: true,
      on_record: (cells, context) => {
        last = { lines: context.lines, emptyLines: context.empty_lines };
        // `lines` is where the record ends; it starts as many lines up as its cells have breaks.
        starts.push(context.lines - lineBreaks(cells));
        return cells;
      },
    });
    return rows.map((cells, i) => ({ line: starts[i] ?? last.lines, cells }));
  } catch (err) {
    if (!(err instanceof CsvError)) throw err;
    const message = CSV_ERRORS[err.code] ?? err.message;
    if (err.code === 'CSV_QUOTE_NOT_CLOSED') {
      // Reported where the file ends; the record starts after the last one and any blank lines.
      const skipped = typeof err['empty_lines'] === 'number' ? err['empty_lines'] - last.emptyLines : 0;
      throw new CsvSyntaxError(last.lines + 1 + skipped, message);
    }
    throw new CsvSyntaxError(typeof err['lines'] === 'number' ? err['lines'] : last.lines + 1, message);
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
      if (!(err instanceof CsvSyntaxError)) throw err;
      problems.push({ path: `${name} line ${err.line}`, message: err.message });
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
