import Type, { type Static } from 'typebox';

/**
 * Single sign-on from the Chattigo platform (issue 17): the platform asks for a one-time login
 * code for an agent; the web client exchanges it for a Matrix login without a login form.
 */

/** `POST /api/v1/provisioning/accounts/<username>/login-code` (service token). */
export const LoginCodeResponseSchema = Type.Object({
  code: Type.String({ minLength: 1 }),
  expiresAt: Type.String({ format: 'date-time' }),
  /** The client's page that signs the agent in with this code (`…/ingresar#code=…`). */
  url: Type.String(),
});
export type LoginCodeResponse = Static<typeof LoginCodeResponseSchema>;

/** `POST /api/v1/sso/exchange` */
export const CodeExchangeRequestSchema = Type.Object(
  { code: Type.String({ minLength: 16, maxLength: 128, pattern: '^[A-Za-z0-9_-]+$' }) },
  { additionalProperties: false },
);
export type CodeExchangeRequest = Static<typeof CodeExchangeRequestSchema>;

/** A Matrix login for the code's account, used as after a password login. */
export const CodeExchangeResponseSchema = Type.Object({
  userId: Type.String({ minLength: 1 }),
  deviceId: Type.String({ minLength: 1 }),
  accessToken: Type.String({ minLength: 1 }),
});
export type CodeExchangeResponse = Static<typeof CodeExchangeResponseSchema>;

/** The errcodes of a refused exchange, which the client tells apart. */
export const CODE_EXPIRED = 'CHATTIGO_CODE_EXPIRED';
export const CODE_USED = 'CHATTIGO_CODE_USED';
export const CODE_UNKNOWN = 'CHATTIGO_CODE_UNKNOWN';
