import Type, { type Static } from 'typebox';
import Value from 'typebox/value';
import type { Queryable } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { message, render } from '../../i18n/index.ts';
import { findProblems, type FieldProblem } from '../../validation.ts';
import { checkCatalog, checkCode, checkDescription, checkLabel, snapshot, type CatalogId, type Typification } from './model.ts';
import { createAuditRepository as auditIn, createCampaignRepository as campaignsIn, createTypificationRepository as typificationsIn, type AuditAction } from './repository.ts';

/** One typification in an import (JSON object or CSV row, with the same field names). */
export const TypificationImportRowSchema = Type.Object(
  {
    campaign: Type.Union([Type.String({ maxLength: 64 }), Type.Null()], {
      description: 'Campaign id; null, "" or "global" for the global catalog.',
    }),
    code: Type.String({ maxLength: 64, description: 'Code, unique in its catalog; upper-cased on import.' }),
    label: Type.String({ maxLength: 1000, description: 'Spanish label, 1 to 120 characters.' }),
    description: Type.Optional(Type.Union([Type.String({ maxLength: 2000 }), Type.Null()], { description: 'Up to 500 characters.' })),
    active: Type.Optional(
      Type.Union(
        [Type.Boolean(), Type.Union(['true', 'false', '1', '0', 'si', 'sí', 'no', 'yes'].map((v) => Type.Literal(v)))],
        { description: 'Default true; false imports the typification deactivated.' },
      ),
    ),
  },
  { additionalProperties: false },
);
export type TypificationImportRow = Static<typeof TypificationImportRowSchema>;

export interface ImportOptions {
  /** Recorded as the actor of the audit entries; default "import". */
  actor?: string;
  /** Recorded as the source of the audit entries (e.g. the file name). */
  source?: string;
  /** How problems name a row: default `typifications.<index>`; a CSV import may say `line 12`. */
  locate?: (index: number) => string;
  /**
   * Full snapshot of the catalogs in the batch: an active code of such a catalog that the batch
   * does not list is deactivated. Default false (only listed codes are touched).
   */
  replace?: boolean;
}

export interface ImportReport {
  created: number;
  updated: number;
  deactivated: number;
  reactivated: number;
  unchanged: number;
  /** The catalogs that changed: publish them once the transaction is committed. */
  changedCatalogs: CatalogId[];
}

interface CleanRow {
  index: number;
  catalog: CatalogId;
  code: string;
  label: string;
  description: string | null;
  active: boolean;
}

const truthy = new Set(['true', '1', 'si', 'sí', 'yes']);
const key = (catalog: CatalogId, code: string) => `${catalog ?? ''}\u0000${code}`;

/**
 * Imports typifications inside the caller's transaction `tx` (the account and campaign import
 * runs it after writing campaigns). Every row is checked first; any problem throws an `AppError`
 * listing all of them by row, before anything is written. Importing the same rows again changes
 * nothing. Each change is audited.
 */
export async function importTypifications(tx: Queryable, items: readonly unknown[], options: ImportOptions = {}): Promise<ImportReport> {
  const { rows, problems } = await checkRows(tx, items, options);
  if (problems.length > 0) {
    throw new AppError(
      400,
      'M_BAD_JSON',
      message('typifications.invalidImport', { count: problems.length }),
      { problems, detail: problems.map((p) => `${p.path}: ${p.message}`).join('\n') },
    );
  }
  const actor = { name: options.actor ?? 'import', source: options.source ?? null };
  const report: ImportReport = { created: 0, updated: 0, deactivated: 0, reactivated: 0, unchanged: 0, changedCatalogs: [] };
  const changed = new Set<CatalogId>();

  const catalogs = [...new Set(rows.map((r) => r.catalog))];
  const existing = new Map<string, Typification>();
  for (const catalog of catalogs) {
    for (const t of await typificationsIn(tx).list(catalog, { includeInactive: true })) existing.set(key(catalog, t.code), t);
  }

  const record = async (action: AuditAction, before: Typification | null, after: Typification) => {
    await auditIn(tx).record({
      actor: actor.name,
      via: 'import',
      action,
      campaignId: after.campaignId,
      code: after.code,
      before: before ? snapshot(before) : null,
      after: snapshot(after),
      source: actor.source,
    });
    changed.add(after.campaignId);
  };

  for (const row of rows) {
    const current = existing.get(key(row.catalog, row.code));
    if (!current) {
      const created = await typificationsIn(tx).insert({ campaignId: row.catalog, code: row.code, label: row.label, description: row.description, active: row.active });
      if (!created) throw new Error(`typification ${row.code} appeared during the import`);
      await record('create', null, created);
      report.created++;
      continue;
    }
    if (current.label === row.label && current.description === row.description && current.active === row.active) {
      report.unchanged++;
      continue;
    }
    const after = await typificationsIn(tx).update(current.id, { label: row.label, description: row.description, active: row.active });
    const action: AuditAction = current.active === row.active ? 'update' : row.active ? 'reactivate' : 'deactivate';
    await record(action, current, after);
    if (action === 'update') report.updated++;
    else if (action === 'reactivate') report.reactivated++;
    else report.deactivated++;
  }

  if (options.replace) {
    const listed = new Set(rows.map((r) => key(r.catalog, r.code)));
    for (const [k, t] of existing) {
      if (listed.has(k) || !t.active) continue;
      const after = await typificationsIn(tx).update(t.id, { label: t.label, description: t.description, active: false });
      await record('deactivate', t, after);
      report.deactivated++;
    }
  }
  report.changedCatalogs = [...changed];
  return report;
}

/**
 * What is wrong with an import's typification rows, without writing anything (for a dry run or a
 * validation pass). `campaignsInBatch` are campaign ids the same import creates, which the
 * directory may not hold yet.
 */
export async function typificationProblems(
  q: Queryable,
  items: readonly unknown[],
  options: Pick<ImportOptions, 'locate'> & { campaignsInBatch?: Iterable<string> } = {},
): Promise<FieldProblem[]> {
  return (await checkRows(q, items, options)).problems;
}

async function checkRows(
  tx: Queryable,
  items: readonly unknown[],
  options: Pick<ImportOptions, 'locate'> & { campaignsInBatch?: Iterable<string> },
): Promise<{ rows: CleanRow[]; problems: FieldProblem[] }> {
  const locate = options.locate ?? ((i: number) => `typifications.${i}`);
  const problems: FieldProblem[] = [];
  const clean: CleanRow[] = [];
  const seen = new Map<string, number>();
  const add = (index: number, field: string, message: string) => problems.push({ path: `${locate(index)}${field ? `.${field}` : ''}`, message });

  items.forEach((item, index) => {
    if (!Value.Check(TypificationImportRowSchema, item)) {
      for (const p of findProblems(TypificationImportRowSchema, item)) add(index, p.path === '(root)' ? '' : p.path, p.message);
      return;
    }
    const row = item;
    const campaignText = row.campaign === null || row.campaign.trim() === '' ? null : row.campaign;
    const catalog = checkCatalog(campaignText);
    const code = checkCode(row.code);
    const label = checkLabel(row.label);
    const description = checkDescription(row.description);
    if (!catalog.ok) add(index, 'campaign', render('en', catalog.problem));
    if (!code.ok) add(index, 'code', render('en', code.problem));
    if (!label.ok) add(index, 'label', render('en', label.problem));
    if (!description.ok) add(index, 'description', render('en', description.problem));
    if (!catalog.ok || !code.ok || !label.ok || !description.ok) return;
    const k = key(catalog.value, code.value);
    const first = seen.get(k);
    if (first !== undefined) {
      add(index, 'code', `${code.value} is already in ${locate(first)} for the same catalog`);
      return;
    }
    seen.set(k, index);
    const active = row.active === undefined ? true : typeof row.active === 'boolean' ? row.active : truthy.has(row.active);
    clean.push({ index, catalog: catalog.value, code: code.value, label: label.value, description: description.value, active });
  });

  const campaignIds = [...new Set(clean.map((r) => r.catalog).filter((c): c is string => c !== null))];
  if (campaignIds.length > 0) {
    const known = new Set([...(await campaignsIn(tx).existing(campaignIds)), ...(options.campaignsInBatch ?? [])]);
    for (const row of clean) {
      if (row.catalog !== null && !known.has(row.catalog)) add(row.index, 'campaign', `campaign ${row.catalog} does not exist`);
    }
  }

  problems.sort((a, b) => a.path.localeCompare(b.path, 'en', { numeric: true }));
  return { rows: clean, problems };
}
