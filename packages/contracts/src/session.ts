import Type, { type Static } from 'typebox';
import { ROLES } from './roles.ts';

/** Response shapes of the session API; TypeBox only, imported by the appservice and the web client. */

export const AccountSchema = Type.Object({
  username: Type.String(),
  userId: Type.String(),
  displayName: Type.String(),
  role: Type.Enum([...ROLES]),
  campaigns: Type.Array(Type.String()),
});
export type Account = Static<typeof AccountSchema>;

/** `POST /api/v1/session` */
export const SessionResponseSchema = Type.Object({
  token: Type.String(),
  expiresAt: Type.String({ format: 'date-time' }),
  account: AccountSchema,
});
export type SessionResponse = Static<typeof SessionResponseSchema>;
