import Type from 'typebox';

/** Response shapes of the session API; TypeBox only, so the web client imports them too. */

export const AccountView = Type.Object({
  username: Type.String(),
  userId: Type.String(),
  displayName: Type.String(),
  role: Type.Union([Type.Literal('agent'), Type.Literal('supervisor'), Type.Literal('admin')]),
  campaigns: Type.Array(Type.String()),
});

/** `POST /api/v1/session` */
export const SessionResponse = Type.Object({
  token: Type.String(),
  expiresAt: Type.String({ format: 'date-time' }),
  account: AccountView,
});
