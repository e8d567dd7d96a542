import Value from 'typebox/value';
import type { Database, Queryable } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { message } from '../../i18n/index.ts';
import { findProblems, type FieldProblem } from '../../validation.ts';
import { DirectoryImport, type AccountRow, type ImportReport } from './import-schema.ts';
import { isSupportedHash } from '../accounts/index.ts';
import { importTypifications } from '../typifications/index.ts';
import { createProvisioningRepository, type ExistingAccount, type ImportedAccount } from './repository.ts';

export class InvalidImportError extends AppError {
  constructor(problems: readonly FieldProblem[]) {
    super(
      400,
      'CHATTIGO_INVALID_IMPORT',
      message('accounts.invalidImport', { count: problems.length }),
      { problems },
    );
  }
}

export interface ImportOutcome {
  report: ImportReport;
  /** Accounts and campaigns whose Matrix side must be brought in line. */
  changedAccounts: string[];
  changedCampaigns: string[];
  /** Typification catalogs to publish to their campaign spaces (null: the global one). */
  changedCatalogs: (string | null)[];
  /** Existing accounts deactivated or given a new password: their sessions end. */
  endedSessions: string[];
}

/** Checks an import batch: its shape, then what a schema cannot say. Throws InvalidImportError. */
export async function validateImport(db: Queryable, input: unknown): Promise<DirectoryImport> {
  if (!Value.Check(DirectoryImport, input)) throw new InvalidImportError(findProblems(DirectoryImport, input));
  const batch = input;
  const problems: FieldProblem[] = [];

  const campaignsInBatch = new Map<string, number>();
  (batch.campaigns ?? []).forEach((c, i) => {
    const first = campaignsInBatch.get(c.id);
    if (first !== undefined) problems.push({ path: `campaigns.${i}.id`, message: `"${c.id}" appears again (first at campaigns.${first})` });
    else campaignsInBatch.set(c.id, i);
  });

  const referenced = new Set((batch.accounts ?? []).flatMap((a) => a.campaigns ?? []));
  const unknown = [...referenced].filter((id) => !campaignsInBatch.has(id));
  const known = await createProvisioningRepository(db).knownCampaigns(unknown);

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
  const endedSessions: string[] = [];
  const now = new Date();
  const repo = createProvisioningRepository(tx);

  const campaigns = batch.campaigns ?? [];
  const existingCampaigns = await repo.campaignNames(campaigns.map((c) => c.id));
  for (const campaign of campaigns) {
    const name = existingCampaigns.get(campaign.id);
    if (name === undefined) {
      await repo.insertCampaign(campaign.id, campaign.name);
      report.campaigns.created.push(campaign.id);
      changedCampaigns.add(campaign.id);
    } else if (name !== campaign.name) {
      await repo.renameCampaign(campaign.id, campaign.name);
      report.campaigns.renamed.push(campaign.id);
      changedCampaigns.add(campaign.id);
    } else {
      report.campaigns.unchanged++;
    }
    // Reports' days (features/reports); not something Matrix shows.
    if (campaign.timeZone !== undefined) {
      await repo.setCampaignTimeZone(campaign.id, campaign.timeZone);
    }
    if (campaign.slaMinutes !== undefined) await repo.setCampaignSla(campaign.id, campaign.slaMinutes);
  }

  const accounts = batch.accounts ?? [];
  const usernames = accounts.map((a) => a.username);
  const existing = await repo.existingAccounts(usernames);
  const memberships = await repo.memberships(usernames);

  for (const row of accounts) {
    const before = existing.get(row.username);
    const wanted = desired(row, before);
    let changed: boolean;
    if (!before) {
      await repo.insertAccount({ username: row.username, ...wanted });
      report.accounts.created.push(row.username);
      changedAccounts.add(row.username);
      changed = true;
    } else {
      const matrixRelevant = before.display_name !== wanted.display_name || before.active !== wanted.active;
      changed =
        matrixRelevant || before.email !== wanted.email || before.role !== wanted.role || before.password_hash !== wanted.password_hash;
      // Deactivation and a new password end the account's sessions (and a reactivation does not bring them back).
      const endsSessions = (before.active && !wanted.active) || before.password_hash !== wanted.password_hash;
      if (changed) {
        await repo.updateAccount({
          username: row.username,
          ...wanted,
          matrixRelevant,
          importedHash: row.passwordHash ?? null,
          endSessions: endsSessions,
          at: now,
        });
        if (endsSessions) endedSessions.push(row.username);
        if (before.active && !wanted.active) report.accounts.deactivated.push(row.username);
        else if (!before.active && wanted.active) report.accounts.reactivated.push(row.username);
        else report.accounts.updated.push(row.username);
        if (matrixRelevant) changedAccounts.add(row.username);
        // Whether the account is in a campaign's space depends on it being active.
        if (before.active !== wanted.active) for (const id of memberships.get(row.username) ?? []) changedCampaigns.add(id);
      }
    }
    // The account's language (issue 17): changed only when the row gives one (null clears it).
    if (row.language !== undefined) {
      const set = await repo.setLanguage(row.username, row.language);
      if (set && !changed) {
        report.accounts.updated.push(row.username);
        changed = true;
      }
    }
    if (row.campaigns !== undefined) {
      const current = memberships.get(row.username) ?? new Set<string>();
      const target = new Set(row.campaigns);
      const added = [...target].filter((id) => !current.has(id));
      const removed = [...current].filter((id) => !target.has(id));
      if (added.length > 0) {
        await repo.addMemberships(row.username, added);
      }
      if (removed.length > 0) {
        await repo.removeMemberships(row.username, removed);
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
    await repo.touchCampaigns(touched);
  }
  // Typifications last: their campaigns may be new in this same batch.
  let changedCatalogs: (string | null)[] = [];
  if (batch.typifications && batch.typifications.length > 0) {
    const { changedCatalogs: catalogs, ...counts } = await importTypifications(tx, batch.typifications, { actor: 'import' });
    report.typifications = counts;
    changedCatalogs = catalogs;
  }
  return { report, changedAccounts: [...changedAccounts], changedCampaigns: [...changedCampaigns], changedCatalogs, endedSessions };
}

function desired(row: AccountRow, before: ExistingAccount | undefined): Omit<ImportedAccount, 'username'> {
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
