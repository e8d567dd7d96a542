import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { requireToken } from '../../matrix/auth.ts';
import { CodeExchangeRequestSchema, CodeExchangeResponseSchema, LoginCodeResponseSchema } from '@chattigo/contracts/sso';
import type { SsoService } from './service.ts';

export interface SsoRouteOptions {
  service: SsoService;
  /** The Chattigo platform's service token. */
  provisioningToken: string;
}

/**
 * `POST /api/v1/provisioning/accounts/<username>/login-code` (service token): a one-time login code.
 * `POST /api/v1/sso/exchange` (public; the code is the credential): the Matrix login it stands for.
 */
export const ssoRoutes: FastifyPluginAsyncTypebox<SsoRouteOptions> = async (app, { service, provisioningToken }) => {
  const platformScope: FastifyPluginAsyncTypebox = async (platform) => {
    platform.addHook('onRequest', async (request) => requireToken(request, provisioningToken));
    platform.post(
      '/api/v1/provisioning/accounts/:username/login-code',
      {
        schema: {
          params: Type.Object({ username: Type.String({ minLength: 1, maxLength: 64 }) }),
          response: { 200: LoginCodeResponseSchema },
        },
      },
      async (request) => service.issue(request.params.username),
    );
  };
  await app.register(platformScope);

  app.post(
    '/api/v1/sso/exchange',
    { bodyLimit: 1024, schema: { body: CodeExchangeRequestSchema, response: { 200: CodeExchangeResponseSchema } } },
    async (request, reply) => {
      void reply.header('cache-control', 'no-store');
      return service.exchange(request.body.code, request.ip || null);
    },
  );
};
