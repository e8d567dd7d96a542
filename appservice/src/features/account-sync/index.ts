import type { Database } from '../../db/database.ts';
import type { SynapseAdmin } from '../../matrix/admin.ts';
import type { MatrixGateway } from '../../matrix/gateway.ts';
import type { Logger } from '../../observability/logger.ts';
import type { Feature } from '../feature.ts';
import { AccountSync } from './service.ts';

export type { AccountSync, SyncResult } from './service.ts';

export interface AccountSyncDeps {
  db: Database;
  gateway: MatrixGateway;
  admin: SynapseAdmin;
  log: Logger;
  userPrefix: string;
}

export interface AccountSyncFeature extends Feature {
  sync: AccountSync;
}

/**
 * Brings Matrix in line with the accounts and campaigns: users of the namespace, campaign spaces
 * and their members. Run after each import (provisioning), at start-up and periodically (server.ts).
 */
export function createAccountSync(deps: AccountSyncDeps): AccountSyncFeature {
  const sync = new AccountSync({ ...deps, log: deps.log.child({ module: 'account-sync' }) });
  return {
    name: 'account-sync',
    sync,
    // Whatever failed (Synapse away, a refused call) is retried at start-up and then every minute.
    tasks: [{ name: 'account-sync', everyMs: 60_000, atStartup: true, run: () => sync.syncPending(), idle: () => sync.idle() }],
  };
}
