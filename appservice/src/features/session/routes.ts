import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AppError } from '../../errors.ts';
import { message } from '../../i18n/index.ts';
import { bearerToken } from '../../matrix/auth.ts';
import type { MatrixGateway } from '../../matrix/gateway.ts';
import type { AccountRepository } from '../accounts/index.ts';
import { AccountSchema, SessionResponseSchema } from '@chattigo/contracts/session';
import { API_AUDIENCE, newSessionClaims, SESSION_TTL_SECONDS, unauthenticated } from './auth.ts';

export interface SessionOptions {
  accounts: AccountRepository;
  gateway: MatrixGateway;
}

/**
 * `POST /api/v1/session`: the client proves its Matrix identity with its Matrix access token
 * (checked with Synapse, never trusted as sent) and gets a short-lived API session token.
 */
export const sessionRoutes: FastifyPluginAsyncTypebox<SessionOptions> = async (app, { accounts, gateway }) => {
  app.post('/api/v1/session', { schema: { response: { 200: SessionResponseSchema } } }, async (request) => {
    const matrixToken = bearerToken(request);
    if (!matrixToken) throw unauthenticated();
    const userId = await gateway.whoami(matrixToken);
    if (!userId) throw unauthenticated();
    const username = gateway.usernameOf(userId);
    const account = username ? await accounts.find(username) : undefined;
    if (!account?.active) {
      throw new AppError(403, 'M_FORBIDDEN', message('session.notAnAgent'));
    }
    const now = Date.now();
    const token = await app.jwt.sign(newSessionClaims(account, userId, now), {
      expiresIn: SESSION_TTL_SECONDS,
      aud: API_AUDIENCE,
      clockTimestamp: now,
    });
    return {
      token,
      expiresAt: new Date(now + SESSION_TTL_SECONDS * 1000).toISOString(),
      account: { username: account.username, userId, displayName: account.displayName, role: account.role, campaigns: account.campaigns },
    };
  });

  // `GET /api/v1/me`: the agent of the session.
  await app.register(async (scope) => {
    scope.addHook('onRequest', scope.authenticate);
    scope.get('/api/v1/me', { schema: { response: { 200: AccountSchema } } }, async (request) => {
      const account = await accounts.find(request.agent.username);
      if (!account) throw unauthenticated();
      return {
        username: account.username,
        userId: request.agent.userId,
        displayName: account.displayName,
        role: account.role,
        campaigns: account.campaigns,
      };
    });
  });
};
