import { Preset } from 'matrix-js-sdk';
import type { Queryable } from '../../db/database.ts';
import { translate } from '../../i18n/index.ts';
import type { SynapseAdmin } from '../../matrix/admin.ts';
import type { MatrixGateway } from '../../matrix/gateway.ts';
import type { Logger } from '../../observability/logger.ts';
import { createAccountSyncRepository, type AccountSyncRepository, type PendingAccount, type PendingCampaign } from './repository.ts';

export interface SyncResult {
  synced: number;
  failed: number;
}

/**
 * Brings Matrix in line with the directory: each account is a user of the namespace with its
 * display name (locked and logged out while deactivated); each campaign is a space whose joined
 * members are exactly its active agents. Works from `version`/`matrix_version`, so anything that
 * failed is retried by the next run (after each import, at start-up and periodically); one run at
 * a time.
 */
export interface AccountSyncDeps {
  db: Queryable;
  gateway: MatrixGateway;
  admin: SynapseAdmin;
  log: Logger;
  userPrefix: string;
}

export class AccountSync {
  private running: Promise<SyncResult> = Promise.resolve({ synced: 0, failed: 0 });
  private readonly repo: AccountSyncRepository;
  private readonly gateway: MatrixGateway;
  private readonly admin: SynapseAdmin;
  private readonly log: Logger;
  private readonly userPrefix: string;

  constructor(deps: AccountSyncDeps) {
    this.repo = createAccountSyncRepository(deps.db);
    this.gateway = deps.gateway;
    this.admin = deps.admin;
    this.log = deps.log;
    this.userPrefix = deps.userPrefix;
  }

  /** Syncs everything pending, after any run already in progress. */
  syncPending(): Promise<SyncResult> {
    const next = this.running.then(() => this.run());
    this.running = next.catch(() => ({ synced: 0, failed: 0 }));
    return next;
  }

  /** Resolves when no run is in progress. */
  async idle(): Promise<void> {
    await this.running;
  }

  private async run(): Promise<SyncResult> {
    const result: SyncResult = { synced: 0, failed: 0 };
    const accounts = await this.repo.pendingAccounts();
    for (const account of accounts) {
      await this.attempt(result, { account: account.username }, () => this.syncAccount(account));
    }
    const campaigns = await this.repo.pendingCampaigns();
    for (const campaign of campaigns) {
      await this.attempt(result, { campaign: campaign.id }, () => this.syncCampaign(campaign));
    }
    if (result.synced + result.failed > 0) this.log.info(result, 'directory synced to Matrix');
    return result;
  }

  private async attempt(result: SyncResult, what: Record<string, string>, work: () => Promise<void>): Promise<void> {
    try {
      await work();
      result.synced++;
    } catch (err) {
      result.failed++;
      this.log.warn({ err, ...what }, 'Matrix sync failed; will retry');
    }
  }

  private async syncAccount(account: PendingAccount): Promise<void> {
    const { userId } = await this.gateway.registerUser(`${this.userPrefix}${account.username}`);
    const intent = this.gateway.intent(userId);
    const profile = await intent.getProfileInfo(userId).catch(() => ({ displayname: undefined }));
    if (profile.displayname !== account.display_name) await intent.setDisplayName(account.display_name);
    if (!account.active) {
      await this.admin.setLocked(userId, true);
      await this.admin.logoutDevices(userId);
    } else if (account.matrix_locked) {
      await this.admin.setLocked(userId, false);
    }
    await this.repo.accountSynced(account.username, account.version, !account.active);
  }

  private async syncCampaign(campaign: PendingCampaign): Promise<void> {
    const bot = this.gateway.intent();
    let spaceId = campaign.space_room_id;
    if (!spaceId) {
      spaceId = await this.createSpace(campaign);
      await this.repo.setSpace(campaign.id, spaceId);
    } else {
      const current = await bot.getStateEvent(spaceId, 'm.room.name', '').catch(() => ({ name: undefined }));
      if ((current as { name?: string }).name !== campaign.name) await bot.setRoomName(spaceId, campaign.name);
    }

    const members = await this.repo.activeMembers(campaign.id);
    const wanted = new Set(members.map((username) => this.gateway.userIdFor(username)));
    const { joined } = await bot.getJoinedRoomMembers(spaceId);
    for (const userId of wanted) {
      if (joined[userId]) continue;
      await bot.invite(spaceId, userId).catch((err: unknown) => {
        // Already invited (an earlier run stopped half-way) is fine; the join below settles it.
        if ((err as { errcode?: string }).errcode !== 'M_FORBIDDEN') throw err;
      });
      await this.gateway.intent(userId).joinRoom(spaceId);
    }
    for (const userId of Object.keys(joined)) {
      if (wanted.has(userId) || !this.gateway.usernameOf(userId)) continue;
      await bot.kick(spaceId, userId, translate('es', 'accounts.leftCampaign'));
    }
    await this.repo.campaignSynced(campaign.id, campaign.version);
  }

  private async createSpace(campaign: PendingCampaign): Promise<string> {
    const bot = this.gateway.intent();
    const { room_id: roomId } = await bot.createRoom({
      name: campaign.name,
      topic: translate('es', 'accounts.spaceTopic', { name: campaign.name }),
      preset: Preset.PrivateChat,
      creation_content: { type: 'm.space' },
      // Room version 12 gives the creator (the bot) unlimited power and forbids listing it in `users`.
      power_level_content_override: {
        users_default: 0,
        events_default: 100,
        state_default: 100,
        invite: 100,
        kick: 100,
        ban: 100,
        redact: 100,
      },
      initial_state: [{ type: 'm.room.history_visibility', state_key: '', content: { history_visibility: 'shared' } }],
    });
    return roomId;
  }
}
