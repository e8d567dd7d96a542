import type { FastifyPluginAsyncTypebox, TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { Database } from '../../db/database.ts';
import { bearerToken, requireToken } from '../../matrix/auth.ts';
import { findAccount } from '../accounts/repository.ts';
import { requireAgent, unauthenticated, type SessionClaims } from '../session/auth.ts';
import { feedProblems } from './feed-validation.ts';
import type { DirectoryLive } from './live.ts';
import { DirectoryPageSchema, DirectoryQuerySchema, WorkloadFeedResultSchema, WorkloadFeedSchema } from './schemas.ts';
import { invalidFeed, type DirectoryService } from './service.ts';

export interface DirectoryRoutesOptions {
  db: Database;
  service: DirectoryService;
  live: DirectoryLive;
  /** The service token of the Chattigo platform (secrets.provisioning_token). */
  platformToken: string;
}

/** A feed batch of 10,000 reports is about 1 MB of JSON. */
const FEED_BODY_LIMIT = 4 * 1024 * 1024;

const StreamQuerySchema = Type.Object(
  { access_token: Type.Optional(Type.String({ minLength: 1, maxLength: 4096 })) },
  { additionalProperties: false },
);

/**
 * The session check of the live stream. A browser's EventSource cannot send headers, so on this
 * route only the session token may also come as the `access_token` query parameter (the logger
 * scrubs it from logged URLs). The stream ends when the session does.
 */
function requireStreamAgent(db: Database, expiries: WeakMap<FastifyRequest, number>) {
  return async function authenticate(request: FastifyRequest): Promise<void> {
    const token = bearerToken(request);
    if (!token) throw unauthenticated();
    let claims: SessionClaims & { exp?: number };
    try {
      claims = request.server.jwt.verify<SessionClaims & { exp?: number }>(token);
    } catch {
      throw unauthenticated();
    }
    const account = await findAccount(db, claims.sub);
    if (!account?.active || claims.exp === undefined) throw unauthenticated();
    request.agent = { username: account.username, userId: claims.uid, role: account.role };
    expiries.set(request, claims.exp * 1000);
  };
}

/**
 * The agent picker's API (`GET /api/v1/directory`, `GET /api/v1/directory/events`) and the
 * platform's workload feed (`PUT /api/v1/platform/workload`).
 */
export const directoryRoutes: FastifyPluginAsyncTypebox<DirectoryRoutesOptions> = async (app, options) => {
  const { db, service, live, platformToken } = options;

  await app.register(async (scope) => {
    const agentScope = scope.withTypeProvider<TypeBoxTypeProvider>();
    agentScope.addHook('onRequest', requireAgent(db));
    agentScope.get(
      '/api/v1/directory',
      { schema: { querystring: DirectoryQuerySchema, response: { 200: DirectoryPageSchema } } },
      async (request) => service.list(request.agent.username, request.query),
    );
  });

  await app.register(async (scope) => {
    const streamScope = scope.withTypeProvider<TypeBoxTypeProvider>();
    const expiries = new WeakMap<FastifyRequest, number>();
    streamScope.addHook('onRequest', requireStreamAgent(db, expiries));
    streamScope.get('/api/v1/directory/events', { schema: { querystring: StreamQuerySchema } }, async (request, reply) => {
      reply.hijack();
      live.attach(reply.raw, expiries.get(request) ?? Date.now());
      request.log.debug({ agent: request.agent.username, clients: live.size }, 'directory stream opened');
    });
  });

  await app.register(async (scope) => {
    const platformScope = scope.withTypeProvider<TypeBoxTypeProvider>();
    platformScope.addHook('onRequest', async (request) => requireToken(request, platformToken));
    platformScope.put(
      '/api/v1/platform/workload',
      {
        bodyLimit: FEED_BODY_LIMIT,
        // Validated here rather than by fastify so that the answer lists every problem, by field.
        attachValidation: true,
        schema: { body: WorkloadFeedSchema, response: { 200: WorkloadFeedResultSchema } },
      },
      async (request) => {
        if (request.validationError) {
          const problems = feedProblems(request.body);
          throw invalidFeed(problems.length > 0 ? problems : [{ path: '(root)', message: request.validationError.message }]);
        }
        return { results: await service.report(request.body.reports) };
      },
    );
  });
};
