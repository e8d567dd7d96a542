import { sql, type Selectable } from 'kysely';
import type { Queryable } from '../../db/database.ts';
import { queryBuilder } from '../../db/kysely.ts';
import type { Accounts, Campaigns } from '../../db/schema.ts';

export type PendingAccount = Pick<Selectable<Accounts>, 'username' | 'display_name' | 'active' | 'matrix_locked' | 'version'>;

export type PendingCampaign = Pick<Selectable<Campaigns>, 'id' | 'name' | 'space_room_id' | 'version'>;

/** What Matrix has seen of the directory: `matrix_version` trails `version` until a sync catches up. */
export interface AccountSyncRepository {
  pendingAccounts(): Promise<PendingAccount[]>;
  /** Campaigns changed since their last sync, or without a space yet. */
  pendingCampaigns(): Promise<PendingCampaign[]>;
  accountSynced(username: string, version: number, locked: boolean): Promise<void>;
  setSpace(campaignId: string, spaceRoomId: string): Promise<void>;
  /** The active agents of a campaign: the joined members its space should have. */
  activeMembers(campaignId: string): Promise<string[]>;
  campaignSynced(campaignId: string, version: number): Promise<void>;
}

export function createAccountSyncRepository(db: Queryable): AccountSyncRepository {
  const qb = queryBuilder(db);
  return {
    pendingAccounts() {
      return qb
        .selectFrom('accounts')
        .select(['username', 'display_name', 'active', 'matrix_locked', 'version'])
        .whereRef('matrix_version', '<', 'version')
        .orderBy('username')
        .execute();
    },
    pendingCampaigns() {
      return qb
        .selectFrom('campaigns')
        .select(['id', 'name', 'space_room_id', 'version'])
        .where((eb) => eb.or([eb('matrix_version', '<', eb.ref('version')), eb('space_room_id', 'is', null)]))
        .orderBy('id')
        .execute();
    },
    async accountSynced(username, version, locked) {
      await qb
        .updateTable('accounts')
        .set({ matrix_version: sql<number>`GREATEST(matrix_version, ${version})`, matrix_locked: locked })
        .where('username', '=', username)
        .execute();
    },
    async setSpace(campaignId, spaceRoomId) {
      await qb.updateTable('campaigns').set({ space_room_id: spaceRoomId }).where('id', '=', campaignId).execute();
    },
    async activeMembers(campaignId) {
      const rows = await qb
        .selectFrom('memberships as m')
        .innerJoin('accounts as a', 'a.username', 'm.username')
        .select('m.username')
        .where('m.campaign_id', '=', campaignId)
        .where('a.active', '=', true)
        .execute();
      return rows.map((r) => r.username);
    },
    async campaignSynced(campaignId, version) {
      await qb
        .updateTable('campaigns')
        .set({ matrix_version: sql<number>`GREATEST(matrix_version, ${version})` })
        .where('id', '=', campaignId)
        .execute();
    },
  };
}
