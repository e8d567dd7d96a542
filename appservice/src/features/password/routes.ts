import rateLimit from '@fastify/rate-limit';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { AppError, requestLanguage } from '../../errors.ts';
import { message, translate } from '../../i18n/index.ts';
import { MAX_PASSWORD_LENGTH } from '@chattigo/contracts/passwords';
import type { PasswordService } from './service.ts';

export interface PasswordRoutesOptions {
  service: PasswordService;
  /** Requests to these routes allowed per client address and window (config `password.addressLimit`). */
  addressLimit: { max: number; windowSeconds: number };
}

export const tooManyRequests = (seconds: number) => {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  return new AppError(429, 'M_LIMIT_EXCEEDED', message('password.tooManyRequests', { minutes }));
};

/**
 * "Forgot password?" and setting a password from a mailed link. No session needed, so both share
 * one limit per client address (docs/decisions/0008-sessions-and-password-limits.md).
 */
export const passwordRoutes: FastifyPluginAsyncTypebox<PasswordRoutesOptions> = async (app, { service, addressLimit }) => {
  // Registered in this plugin's scope: it limits these routes only, with one counter per address for both.
  await app.register(rateLimit, {
    global: true,
    max: addressLimit.max,
    timeWindow: addressLimit.windowSeconds * 1000,
    errorResponseBuilder: (_request, context) => tooManyRequests(context.ttl / 1000),
  });
  app.post(
    '/api/v1/password/forgot',
    { schema: { body: Type.Object({ identifier: Type.String({ minLength: 1, maxLength: 254 }) }, { additionalProperties: false }) } },
    async (request, reply) => {
      service.requestReset(request.body.identifier);
      return reply.status(202).send({ message: translate(requestLanguage(request), 'password.forgotAnswer') });
    },
  );

  app.post(
    '/api/v1/password/reset',
    {
      schema: {
        body: Type.Object(
          { token: Type.String({ minLength: 10, maxLength: 200 }), password: Type.String({ maxLength: MAX_PASSWORD_LENGTH }) },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => {
      const { username } = await service.reset(request.body.token, request.body.password);
      return { username, message: translate(requestLanguage(request), 'password.updated') };
    },
  );
};
