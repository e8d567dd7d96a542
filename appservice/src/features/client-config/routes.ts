import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Config } from '../../config/schema.ts';
import { ClientConfigSchema } from '@chattigo/contracts/client-config';

/** `GET /api/v1/client-config`: what the web client needs before anyone logs in. */
export const clientConfigRoutes: FastifyPluginAsyncTypebox<{ config: Config }> = async (app, { config }) => {
  const body = {
    homeserverUrl: config.matrix.publicHomeserverUrl ?? config.matrix.homeserverUrl,
    serverName: config.matrix.serverName,
    userPrefix: config.matrix.userPrefix,
    botUserId: `@${config.matrix.botLocalpart}:${config.matrix.serverName}`,
    embedAllowedOrigins: config.embed.allowedOrigins,
  };
  app.get('/api/v1/client-config', { schema: { response: { 200: ClientConfigSchema } } }, async () => body);
};
