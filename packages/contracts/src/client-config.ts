import Type, { type Static } from 'typebox';

/** `GET /api/v1/client-config`; TypeBox only, imported by the appservice and the web client. */
export const ClientConfigSchema = Type.Object({
  homeserverUrl: Type.String(),
  serverName: Type.String(),
  userPrefix: Type.String(),
  botUserId: Type.String(),
  /** Origins of the pages that may embed the client and send it `chattigo:*` messages (contracts/embed.ts). */
  embedAllowedOrigins: Type.Array(Type.String()),
});
export type ClientConfig = Static<typeof ClientConfigSchema>;
