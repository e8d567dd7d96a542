import type { MatrixGateway } from '../../matrix/gateway.ts';
import type { LanguageOf } from '../../matrix/notices.ts';
import type { Metrics } from '../../observability/metrics.ts';
import type { Database } from '../../db/database.ts';
import type { Feature } from '../feature.ts';
import { authCheckRoutes, type AuthCheckOptions } from './auth-check.ts';
import { createAccountRepository, type AccountRepository } from './repository.ts';

export { usernameFromLogin } from './auth-check.ts';
export { CAMPAIGN_ID_PATTERN, USERNAME_PATTERN } from './names.ts';
export { hashPassword, isSupportedHash, temporaryPassword, verifyPassword } from './passwords.ts';
export { createAccountRepository, type Account, type AccountRepository, type AccountRow, type SessionState } from './repository.ts';

/** Each account's language from the directory (for notices written in their reader's language). */
export function accountLanguages(db: Database): LanguageOf {
  const accounts = createAccountRepository(db);
  return async (username) => (await accounts.find(username))?.language ?? null;
}

export interface AccountsDeps extends Omit<AuthCheckOptions, 'accounts'> {
  db: Database;
  gateway: MatrixGateway;
  metrics: Metrics;
}

export interface AccountsFeature extends Feature {
  repository: AccountRepository;
}

/** Chattigo accounts: their store, password hashes, and the password check Synapse asks for. */
export function createAccounts(deps: AccountsDeps): AccountsFeature {
  const { db, ...options } = deps;
  const repository = createAccountRepository(db);
  return {
    name: 'accounts',
    repository,
    async plugin(app) {
      await app.register(authCheckRoutes, { ...options, accounts: repository });
    },
  };
}
