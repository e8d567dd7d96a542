import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { requestLanguage } from '../../errors.ts';
import { MAX_PASSWORD_LENGTH } from '../accounts/passwords.ts';
import type { PasswordService } from './service.ts';

const forgotAnswer = {
  es:
    'Si la cuenta existe y tiene un correo registrado, le enviamos un enlace para restablecer la contraseña. ' +
    'Si su cuenta no tiene correo registrado, contacte al administrador de su campaña.',
  en:
    'If the account exists and has an email on file, we have sent it a link to reset the password. ' +
    'If your account has no email on file, contact your campaign administrator.',
};

/** "Forgot password?" and setting a password from a mailed link. No session needed. */
export const passwordRoutes: FastifyPluginAsyncTypebox<{ service: PasswordService }> = async (app, { service }) => {
  app.post(
    '/api/v1/password/forgot',
    { schema: { body: Type.Object({ identifier: Type.String({ minLength: 1, maxLength: 254 }) }, { additionalProperties: false }) } },
    async (request, reply) => {
      service.requestReset(request.body.identifier);
      return reply.status(202).send({ message: forgotAnswer[requestLanguage(request)] });
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
      const lang = requestLanguage(request);
      return {
        username,
        message: lang === 'es' ? 'Contraseña actualizada. Inicie sesión con la nueva contraseña.' : 'Password updated. Log in with the new password.',
      };
    },
  );
};
