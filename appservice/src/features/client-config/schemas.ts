import Type from 'typebox';

/** `GET /api/v1/client-config`; TypeBox only, so the web client imports it too. */
export const ClientConfigView = Type.Object({
  homeserverUrl: Type.String(),
  serverName: Type.String(),
  userPrefix: Type.String(),
  botUserId: Type.String(),
});
