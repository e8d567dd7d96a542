import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Database } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { bearerToken } from '../../matrix/auth.ts';
import type { MatrixGateway } from '../../matrix/gateway.ts';
import { findAccount } from '../accounts/repository.ts';
import { AccountView, SessionResponse } from './schemas.ts';
import { API_AUDIENCE, requireAgent, SESSION_TTL_SECONDS, unauthenticated, type SessionClaims } from './auth.ts';

export interface SessionOptions {
  db: Database;
  gateway: MatrixGateway;
}

/**
 * `POST /api/v1/session`: the client proves its Matrix identity with its Matrix access token
 * (checked with Synapse, never trusted as sent) and gets a short-lived API session token.
 */
export const sessionRoutes: FastifyPluginAsyncTypebox<SessionOptions> = async (app, { db, gateway }) => {
  app.post('/api/v1/session', { schema: { response: { 200: SessionResponse } } }, async (request) => {
    const matrixToken = bearerToken(request);
    if (!matrixToken) throw unauthenticated();
    const userId = await gateway.whoami(matrixToken);
    if (!userId) throw unauthenticated();
    const username = gateway.usernameOf(userId);
    const account = username ? await findAccount(db, username) : undefined;
    if (!account?.active) {
      throw new AppError(403, 'M_FORBIDDEN', {
        es: 'Esta cuenta no es una cuenta de agente activa.',
        en: 'This account is not an active agent account.',
      });
    }
    const claims: SessionClaims = { sub: account.username, uid: userId, role: account.role };
    const token = await app.jwt.sign(claims, { expiresIn: SESSION_TTL_SECONDS, aud: API_AUDIENCE });
    return {
      token,
      expiresAt: new Date(Date.now() + SESSION_TTL_SECONDS * 1000).toISOString(),
      account: { username: account.username, userId, displayName: account.displayName, role: account.role, campaigns: account.campaigns },
    };
  });

  // `GET /api/v1/me`: the agent of the session.
  await app.register(async (scope) => {
    scope.addHook('onRequest', requireAgent(db));
    scope.get('/api/v1/me', { schema: { response: { 200: AccountView } } }, async (request) => {
      const account = await findAccount(db, request.agent.username);
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
