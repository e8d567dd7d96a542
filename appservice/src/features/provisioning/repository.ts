import { sql, type Selectable } from 'kysely';
import type { Queryable } from '../../db/database.ts';
import { queryBuilder } from '../../db/kysely.ts';
import type { Accounts, Campaigns } from '../../db/schema.ts';

/** An account as the import compares it: its stored row and the last hash an import gave it. */
export type ExistingAccount = Pick<
  Selectable<Accounts>,
  'username' | 'display_name' | 'email' | 'role' | 'active' | 'password_hash' | 'imported_password_hash' | 'language'
>;

/** The account columns an import writes. */
export interface ImportedAccount {
  username: string;
  display_name: string;
  email: string | null;
  role: Selectable<Accounts>['role'];
  active: boolean;
  password_hash: string | null;
}

export interface AccountUpdate extends ImportedAccount {
  /** Whether Matrix must see the change (bumps `version`). */
  matrixRelevant: boolean;
  /** The hash this import carries, remembered so a re-import does not undo a later password. */
  importedHash: string | null;
  /** Ends the account's sessions at `at`. */
  endSessions: boolean;
  at: Date;
}

/** The directory's bulk writes, inside the import's transaction. */
export interface ProvisioningRepository {
  /** Which of these campaigns the directory holds. */
  knownCampaigns(ids: readonly string[]): Promise<Set<string>>;
  /** The names of those of these campaigns that exist. */
  campaignNames(ids: readonly string[]): Promise<Map<string, string>>;
  insertCampaign(id: string, name: string): Promise<void>;
  renameCampaign(id: string, name: string): Promise<void>;
  /** The campaign's answer-time SLA in minutes (null: the configured default). */
  setCampaignSla(id: string, minutes: number | null): Promise<void>;
  /** The campaign's time zone for reports' days (null: the configured default). */
  setCampaignTimeZone(id: string, timeZone: Campaigns['time_zone']): Promise<void>;
  /** Marks campaigns changed (their Matrix space is synced again). */
  touchCampaigns(ids: readonly string[]): Promise<void>;
  existingAccounts(usernames: readonly string[]): Promise<Map<string, ExistingAccount>>;
  memberships(usernames: readonly string[]): Promise<Map<string, Set<string>>>;
  insertAccount(account: ImportedAccount): Promise<void>;
  updateAccount(update: AccountUpdate): Promise<void>;
  /** The language to speak to the account in (null: not given); false when it had that one already. */
  setLanguage(username: string, language: Accounts['language']): Promise<boolean>;
  addMemberships(username: string, campaignIds: readonly string[]): Promise<void>;
  removeMemberships(username: string, campaignIds: readonly string[]): Promise<void>;
}

export function createProvisioningRepository(tx: Queryable): ProvisioningRepository {
  const qb = queryBuilder(tx);
  // One array parameter, however long the batch (a list of parameters has a limit).
  const campaignsIn = (ids: readonly string[]) => qb.selectFrom('campaigns').where((eb) => eb('id', '=', eb.fn.any(eb.val(ids))));
  return {
    async knownCampaigns(ids) {
      if (ids.length === 0) return new Set();
      return new Set((await campaignsIn(ids).select('id').execute()).map((r) => r.id));
    },
    async campaignNames(ids) {
      const rows = await campaignsIn(ids).select(['id', 'name']).execute();
      return new Map(rows.map((r) => [r.id, r.name]));
    },
    async insertCampaign(id, name) {
      await qb.insertInto('campaigns').values({ id, name }).execute();
    },
    async setCampaignSla(id, minutes) {
      await qb.updateTable('campaigns').set({ sla_minutes: minutes }).where('id', '=', id).execute();
    },
    async setCampaignTimeZone(id, timeZone) {
      await qb.updateTable('campaigns').set({ time_zone: timeZone }).where('id', '=', id).where('time_zone', 'is distinct from', timeZone).execute();
    },
    async renameCampaign(id, name) {
      await qb
        .updateTable('campaigns')
        .set((eb) => ({ name, version: eb('version', '+', 1), updated_at: sql`now()` }))
        .where('id', '=', id)
        .execute();
    },
    async touchCampaigns(ids) {
      await qb
        .updateTable('campaigns')
        .set((eb) => ({ version: eb('version', '+', 1), updated_at: sql`now()` }))
        .where((eb) => eb('id', '=', eb.fn.any(eb.val(ids))))
        .execute();
    },
    async existingAccounts(usernames) {
      const rows = await qb
        .selectFrom('accounts')
        .select(['username', 'display_name', 'email', 'role', 'active', 'password_hash', 'imported_password_hash', 'language'])
        .where((eb) => eb('username', '=', eb.fn.any(eb.val(usernames))))
        .execute();
      return new Map(rows.map((r) => [r.username, r]));
    },
    async memberships(usernames) {
      const memberships = new Map<string, Set<string>>();
      const rows = await qb
        .selectFrom('memberships')
        .select(['username', 'campaign_id'])
        .where((eb) => eb('username', '=', eb.fn.any(eb.val(usernames))))
        .execute();
      for (const row of rows) {
        const set = memberships.get(row.username) ?? new Set<string>();
        set.add(row.campaign_id);
        memberships.set(row.username, set);
      }
      return memberships;
    },
    async insertAccount(a) {
      await qb
        .insertInto('accounts')
        .values({
          username: a.username,
          display_name: a.display_name,
          email: a.email,
          role: a.role,
          active: a.active,
          password_hash: a.password_hash,
          imported_password_hash: a.password_hash,
        })
        .execute();
    },
    async updateAccount(u) {
      await qb
        .updateTable('accounts')
        .set((eb) => ({
          display_name: u.display_name,
          email: u.email,
          role: u.role,
          active: u.active,
          password_hash: u.password_hash,
          imported_password_hash: eb.fn.coalesce(eb.val(u.importedHash), 'imported_password_hash'),
          version: eb('version', '+', u.matrixRelevant ? 1 : 0),
          updated_at: sql`now()`,
          ...(u.endSessions ? { sessions_valid_after: sql<Date>`GREATEST(sessions_valid_after, ${u.at})` } : {}),
        }))
        .where('username', '=', u.username)
        .execute();
    },
    async setLanguage(username, language) {
      const rows = await qb
        .updateTable('accounts')
        .set({ language, updated_at: sql`now()` })
        .where('username', '=', username)
        .where('language', 'is distinct from', language)
        .returning('username')
        .execute();
      return rows.length > 0;
    },
    async addMemberships(username, campaignIds) {
      await qb
        .insertInto('memberships')
        .values(campaignIds.map((campaignId) => ({ username, campaign_id: campaignId })))
        .execute();
    },
    async removeMemberships(username, campaignIds) {
      await qb
        .deleteFrom('memberships')
        .where('username', '=', username)
        .where((eb) => eb('campaign_id', '=', eb.fn.any(eb.val(campaignIds))))
        .execute();
    },
  };
}
