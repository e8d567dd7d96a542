import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { requireToken, secretsEqual } from '../../matrix/auth.ts';
import type { MatrixGateway } from '../../matrix/gateway.ts';
import type { Metrics } from '../../observability/metrics.ts';
import { MAX_PASSWORD_LENGTH } from '@chattigo/contracts/passwords';
import { hashPassword, verifyAgainstNothing, verifyPassword } from './passwords.ts';
import type { AccountRepository } from './repository.ts';

export interface AuthCheckOptions {
  accounts: AccountRepository;
  gateway: MatrixGateway;
  metrics: Metrics;
  /** Shared with Synapse's chattigo_auth module. */
  secret: string;
  userPrefix: string;
  serverName: string;
  /** The appservice's Synapse admin account, whose password is derived from a secret (matrix/admin.ts). */
  admin: { userId: string; password: string };
}

const CheckBody = Type.Object(
  {
    user: Type.String({ minLength: 1, maxLength: 300 }),
    password: Type.String({ maxLength: MAX_PASSWORD_LENGTH }),
  },
  { additionalProperties: false },
);

/** "jperez", "chattigo_jperez", "@chattigo_jperez:server" and "@jperez:server" all mean jperez. */
export function usernameFromLogin(user: string, userPrefix: string, serverName: string): string | undefined {
  let name = user.trim().toLowerCase();
  if (name.startsWith('@')) {
    const colon = name.indexOf(':');
    if (colon < 0 || name.slice(colon + 1) !== serverName.toLowerCase()) return undefined;
    name = name.slice(1, colon);
  }
  if (name.startsWith(userPrefix)) name = name.slice(userPrefix.length);
  return name.length > 0 ? name : undefined;
}

/** Whether a login names the admin account, by localpart or full user id. */
function isAdminLogin(user: string, adminUserId: string, serverName: string): boolean {
  const name = user.trim().toLowerCase();
  const id = adminUserId.toLowerCase();
  return name === id || `@${name}:${serverName.toLowerCase()}` === id;
}

/**
 * `POST /_chattigo/auth/check`: Synapse's chattigo_auth module asks whether a username and
 * password are right. Only active accounts with a password pass; a wrong or unknown account takes
 * as long as a right one. The appservice's admin account (not an agent) is checked here too, as
 * Synapse's own password database is off. Imported bcrypt hashes are replaced by Argon2id on a
 * successful check.
 */
export const authCheckRoutes: FastifyPluginAsyncTypebox<AuthCheckOptions> = async (app, options) => {
  const { accounts, gateway, metrics } = options;
  app.post('/_chattigo/auth/check', { schema: { body: CheckBody } }, async (request) => {
    requireToken(request, options.secret);
    const { user, password } = request.body;
    if (isAdminLogin(user, options.admin.userId, options.serverName)) {
      return secretsEqual(password, options.admin.password) ? { valid: true, user_id: options.admin.userId } : { valid: false };
    }
    const username = usernameFromLogin(user, options.userPrefix, options.serverName);
    const account = username ? await accounts.find(username) : undefined;
    if (!account?.active || !account.passwordHash) {
      await verifyAgainstNothing(password);
      metrics.loginChecks.inc({ outcome: account && !account.active ? 'deactivated' : 'unknown' });
      return { valid: false };
    }
    const { valid, needsRehash } = await verifyPassword(password, account.passwordHash);
    metrics.loginChecks.inc({ outcome: valid ? 'ok' : 'wrong_password' });
    if (!valid) return { valid: false };
    if (needsRehash) {
      await accounts.rehash(account.username, await hashPassword(password));
    }
    return { valid: true, user_id: gateway.userIdFor(account.username) };
  });
};
