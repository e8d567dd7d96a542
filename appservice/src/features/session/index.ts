import fastifyPlugin from 'fastify-plugin';
import type { Database } from '../../db/database.ts';
import type { MatrixGateway } from '../../matrix/gateway.ts';
import type { Logger } from '../../observability/logger.ts';
import { createAccountRepository } from '../accounts/index.ts';
import type { Feature } from '../feature.ts';
import { authPlugin } from './auth.ts';
import { SessionRevocation, type SessionStreams } from './revocation.ts';
import { sessionRoutes } from './routes.ts';

export { requireRole, type Agent } from './auth.ts';
export type { SessionRevocation, SessionStreams } from './revocation.ts';

export interface SessionDeps {
  db: Database;
  gateway: MatrixGateway;
  /** secrets.jwt_key */
  jwtKey: string;
  /** Streams that end with their session (the directory's live stream). */
  streams: SessionStreams;
  log: Logger;
}

export interface SessionFeature extends Feature {
  revocation: SessionRevocation;
}

/**
 * API sessions: `POST /api/v1/session`, `GET /api/v1/me`, and `app.authenticate` for every route
 * that acts for an agent. Its plugin is not encapsulated (the decorator must reach the features
 * registered after it), so it comes first in the feature list.
 */
export function createSession(deps: SessionDeps): SessionFeature {
  const accounts = createAccountRepository(deps.db);
  return {
    name: 'session',
    revocation: new SessionRevocation({ db: deps.db, streams: deps.streams, log: deps.log.child({ module: 'session' }) }),
    plugin: fastifyPlugin(
      async (app) => {
        await app.register(authPlugin, { accounts, jwtKey: deps.jwtKey });
        await app.register(sessionRoutes, { accounts, gateway: deps.gateway });
      },
      { name: 'chattigo-session' },
    ),
  };
}
