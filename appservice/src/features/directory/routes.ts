import type { FastifyPluginAsyncTypebox, TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { requireToken } from '../../matrix/auth.ts';
import { feedProblems } from './feed-validation.ts';
import type { DirectoryLive } from './live.ts';
import { DirectoryPageSchema, DirectoryQuerySchema, WorkloadFeedResultSchema, WorkloadFeedSchema } from '@chattigo/contracts/directory';
import { invalidFeed, type DirectoryService } from './service.ts';

export interface DirectoryRoutesOptions {
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
 * The agent picker's API (`GET /api/v1/directory`, `GET /api/v1/directory/events`) and the
 * platform's workload feed (`PUT /api/v1/platform/workload`).
 */
export const directoryRoutes: FastifyPluginAsyncTypebox<DirectoryRoutesOptions> = async (app, options) => {
  const { service, live, platformToken } = options;

  await app.register(async (scope) => {
    const agentScope = scope.withTypeProvider<TypeBoxTypeProvider>();
    agentScope.addHook('onRequest', agentScope.authenticate);
    agentScope.get(
      '/api/v1/directory',
      { schema: { querystring: DirectoryQuerySchema, response: { 200: DirectoryPageSchema } } },
      async (request) => service.list(request.agent.username, request.query),
    );
  });

  await app.register(async (scope) => {
    const streamScope = scope.withTypeProvider<TypeBoxTypeProvider>();
    // A browser's EventSource cannot send headers, so on this route only the session token may
    // also come as the `access_token` query parameter (the logger scrubs it from logged URLs).
    // The stream ends when the session expires or is ended (password change, deactivation).
    streamScope.addHook('onRequest', streamScope.authenticate);
    streamScope.get('/api/v1/directory/events', { config: { tokenInQuery: true }, schema: { querystring: StreamQuerySchema } }, async (request, reply) => {
      reply.hijack();
      const { username, issuedAt, expiresAt } = request.agent;
      live.attach(reply.raw, { username, issuedAt, expiresAt });
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
