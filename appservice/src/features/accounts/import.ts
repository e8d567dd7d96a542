import type { Database, Queryable } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { findProblems, type FieldProblem } from '../../validation.ts';
import { DirectoryImport, type AccountRow, type ImportReport } from './import-schema.ts';
import { importTypifications } from '../typifications/import.ts';
import { isSupportedHash } from './passwords.ts';
import type { AccountRow as StoredAccount } from './repository.ts';

export class InvalidImportError extends AppError {
  constructor(problems: readonly FieldProblem[]) {
    super(
      400,
      'CHATTIGO_INVALID_IMPORT',
      {
        es: `La importación tiene ${problems.length} error(es) y no se aplicó nada.`,
        en: `The import has ${problems.length} error(s); nothing was applied.`,
      },
      { problems },
    );
  }
}

type ExistingAccount = Omit<StoredAccount, 'campaigns'> & { imported_password_hash: string | null };

export interface ImportOutcome {
  report: ImportReport;
  /** Accounts and campaigns whose Matrix side must be brought in line. */
  changedAccounts: string[];
  changedCampaigns: string[];
  /** Typification catalogs to publish to their campaign spaces (null: the global one). */
  changedCatalogs: (string | null)[];
}

/** Checks an import batch: its shape, then what a schema cannot say. Throws InvalidImportError. */
export async function validateImport(db: Queryable, input: unknown): Promise<DirectoryImport> {
  const shapeProblems = findProblems(DirectoryImport, input);
  if (shapeProblems.length > 0) throw new InvalidImportError(shapeProblems);
  const batch = input as DirectoryImport;
  const problems: FieldProblem[] = [];

  const campaignsInBatch = new Map<string, number>();
  (batch.campaigns ?? []).forEach((c, i) => {
    const first = campaignsInBatch.get(c.id);
    if (first !== undefined) problems.push({ path: `campaigns.${i}.id`, message: `"${c.id}" appears again (first at campaigns.${first})` });
    else campaignsInBatch.set(c.id, i);
  });

  const referenced = new Set((batch.accounts ?? []).flatMap((a) => a.campaigns ?? []));
  const unknown = [...referenced].filter((id) => !campaignsInBatch.has(id));
  const known = new Set(
    unknown.length === 0
      ? []
      : (await db.query<{ id: string }>('SELECT id FROM campaigns WHERE id = ANY($1)', [unknown])).map((r) => r.id),
  );

  const usernames = new Map<string, number>();
  (batch.accounts ?? []).forEach((a, i) => {
    const first = usernames.get(a.username);
    if (first !== undefined) problems.push({ path: `accounts.${i}.username`, message: `"${a.username}" appears again (first at accounts.${first})` });
    else usernames.set(a.username, i);
    (a.campaigns ?? []).forEach((id, j) => {
      if (!campaignsInBatch.has(id) && !known.has(id)) {
        problems.push({ path: `accounts.${i}.campaigns.${j}`, message: `campaign "${id}" is neither in this import nor in the directory` });
      }
    });
    if (a.passwordHash !== undefined && !isSupportedHash(a.passwordHash)) {
      problems.push({ path: `accounts.${i}.passwordHash`, message: 'is not an Argon2id ($argon2id$…) or bcrypt ($2b$…) hash' });
    }
  });
  if (problems.length > 0) throw new InvalidImportError(problems);
  return batch;
}

class DryRun extends Error {
  readonly outcome: ImportOutcome;
  constructor(outcome: ImportOutcome) {
    super('dry run');
    this.outcome = outcome;
  }
}

/**
 * Applies an import batch in one transaction: creates or changes only what differs, so a
 * re-import is a no-op. With `dryRun` it reports what it would do and changes nothing.
 */
export async function importDirectory(db: Database, input: unknown, options: { dryRun?: boolean } = {}): Promise<ImportOutcome> {
  try {
    return await db.transaction(async (tx) => {
      const batch = await validateImport(tx, input);
      const outcome = await apply(tx, batch, options.dryRun ?? false);
      if (options.dryRun) throw new DryRun(outcome);
      return outcome;
    });
  } catch (err) {
    if (err instanceof DryRun) return err.outcome;
    throw err;
  }
}

async function apply(tx: Queryable, batch: DirectoryImport, dryRun: boolean): Promise<ImportOutcome> {
  const report: ImportReport = {
    dryRun,
    campaigns: { created: [], renamed: [], unchanged: 0 },
    accounts: { created: [], updated: [], deactivated: [], reactivated: [], unchanged: 0 },
    memberships: { added: 0, removed: 0 },
    typifications: { created: 0, updated: 0, deactivated: 0, reactivated: 0, unchanged: 0 },
  };
  const changedAccounts = new Set<string>();
  const changedCampaigns = new Set<string>();

  const campaigns = batch.campaigns ?? [];
  const existingCampaigns = new Map(
    (await tx.query<{ id: string; name: string }>('SELECT id, name FROM campaigns WHERE id = ANY($1)', [campaigns.map((c) => c.id)])).map(
      (r) => [r.id, r.name],
    ),
  );
  for (const campaign of campaigns) {
    const name = existingCampaigns.get(campaign.id);
    if (name === undefined) {
      await tx.query('INSERT INTO campaigns (id, name) VALUES ($1, $2)', [campaign.id, campaign.name]);
      report.campaigns.created.push(campaign.id);
      changedCampaigns.add(campaign.id);
    } else if (name !== campaign.name) {
      await tx.query('UPDATE campaigns SET name = $2, version = version + 1, updated_at = now() WHERE id = $1', [campaign.id, campaign.name]);
      report.campaigns.renamed.push(campaign.id);
      changedCampaigns.add(campaign.id);
    } else {
      report.campaigns.unchanged++;
    }
  }

  const accounts = batch.accounts ?? [];
  const usernames = accounts.map((a) => a.username);
  const existing = new Map(
    (
      await tx.query<ExistingAccount>(
        'SELECT username, display_name, email, role, active, password_hash, imported_password_hash FROM accounts WHERE username = ANY($1)',
        [usernames],
      )
    ).map((r) => [r.username, r]),
  );
  const memberships = new Map<string, Set<string>>();
  for (const row of await tx.query<{ username: string; campaign_id: string }>(
    'SELECT username, campaign_id FROM memberships WHERE username = ANY($1)',
    [usernames],
  )) {
    const set = memberships.get(row.username) ?? new Set<string>();
    set.add(row.campaign_id);
    memberships.set(row.username, set);
  }

  for (const row of accounts) {
    const before = existing.get(row.username);
    const wanted = desired(row, before);
    let changed: boolean;
    if (!before) {
      await tx.query(
        `INSERT INTO accounts (username, display_name, email, role, active, password_hash, imported_password_hash)
         VALUES ($1, $2, $3, $4, $5, $6, $6)`,
        [row.username, wanted.display_name, wanted.email, wanted.role, wanted.active, wanted.password_hash],
      );
      report.accounts.created.push(row.username);
      changedAccounts.add(row.username);
      changed = true;
    } else {
      const matrixRelevant = before.display_name !== wanted.display_name || before.active !== wanted.active;
      changed =
        matrixRelevant || before.email !== wanted.email || before.role !== wanted.role || before.password_hash !== wanted.password_hash;
      if (changed) {
        await tx.query(
          `UPDATE accounts SET display_name = $2, email = $3, role = $4, active = $5, password_hash = $6,
                  imported_password_hash = COALESCE($8, imported_password_hash), version = version + $7, updated_at = now()
            WHERE username = $1`,
          [
            row.username,
            wanted.display_name,
            wanted.email,
            wanted.role,
            wanted.active,
            wanted.password_hash,
            matrixRelevant ? 1 : 0,
            row.passwordHash ?? null,
          ],
        );
        if (before.active && !wanted.active) report.accounts.deactivated.push(row.username);
        else if (!before.active && wanted.active) report.accounts.reactivated.push(row.username);
        else report.accounts.updated.push(row.username);
        if (matrixRelevant) changedAccounts.add(row.username);
        // Whether the account is in a campaign's space depends on it being active.
        if (before.active !== wanted.active) for (const id of memberships.get(row.username) ?? []) changedCampaigns.add(id);
      }
    }
    if (row.campaigns !== undefined) {
      const current = memberships.get(row.username) ?? new Set<string>();
      const target = new Set(row.campaigns);
      const added = [...target].filter((id) => !current.has(id));
      const removed = [...current].filter((id) => !target.has(id));
      if (added.length > 0) {
        await tx.query('INSERT INTO memberships (username, campaign_id) SELECT $1, unnest($2::text[])', [row.username, added]);
      }
      if (removed.length > 0) {
        await tx.query('DELETE FROM memberships WHERE username = $1 AND campaign_id = ANY($2)', [row.username, removed]);
      }
      report.memberships.added += added.length;
      report.memberships.removed += removed.length;
      for (const id of [...added, ...removed]) changedCampaigns.add(id);
      if (!changed && added.length + removed.length > 0) {
        report.accounts.updated.push(row.username);
        changed = true;
      }
    }
    if (!changed) report.accounts.unchanged++;
  }

  const touched = [...changedCampaigns].filter((id) => !report.campaigns.created.includes(id) && !report.campaigns.renamed.includes(id));
  if (touched.length > 0) {
    await tx.query('UPDATE campaigns SET version = version + 1, updated_at = now() WHERE id = ANY($1)', [touched]);
  }
  // Typifications last: their campaigns may be new in this same batch.
  let changedCatalogs: (string | null)[] = [];
  if (batch.typifications && batch.typifications.length > 0) {
    const { changedCatalogs: catalogs, ...counts } = await importTypifications(tx, batch.typifications, { actor: 'import' });
    report.typifications = counts;
    changedCatalogs = catalogs;
  }
  return { report, changedAccounts: [...changedAccounts], changedCampaigns: [...changedCampaigns], changedCatalogs };
}

function desired(row: AccountRow, before: ExistingAccount | undefined) {
  return {
    display_name: row.displayName,
    email: row.email === undefined ? (before?.email ?? null) : row.email,
    role: row.role ?? before?.role ?? 'agent',
    active: row.active ?? before?.active ?? true,
    // A hash is taken from the import only when it is new: re-sending the last imported one does
    // not undo a password the agent has set (or a rehash) since.
    password_hash:
      row.passwordHash !== undefined && row.passwordHash !== before?.imported_password_hash
        ? row.passwordHash
        : (before?.password_hash ?? row.passwordHash ?? null),
  };
}
