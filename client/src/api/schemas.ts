import Type, { type Static } from 'typebox';
import { DirectoryAgentSchema, DirectoryPageSchema, WorkloadChangeSchema } from '../../../appservice/src/features/directory/schemas.ts';

/**
 * The shapes of what the client receives, checked at runtime when it arrives (never cast).
 *
 * They mirror the appservice's response schemas (`appservice/src/features/<name>/routes.ts`).
 * Those files also import fastify and the database layer, which must stay out of the browser
 * build and its type-check (the client is type-checked without Node's types), so the shapes are
 * restated here; objects accept extra fields, so the appservice may add some without breaking the
 * client. Where the appservice keeps a shape in a file that depends on TypeBox only (the
 * directory's schemas, `matrix/event-types.ts`), the client imports it from there.
 */

/** An error answer of the appservice (`errors.ts`) or of Synapse. */
export const ErrorBody = Type.Object({
  errcode: Type.String(),
  error: Type.Optional(Type.String()),
  problems: Type.Optional(Type.Array(Type.Object({ path: Type.String(), message: Type.String() }))),
  retry_after_ms: Type.Optional(Type.Number()),
});

/** `GET /api/v1/client-config` (features/client-config/routes.ts). */
export const ClientConfig = Type.Object({
  homeserverUrl: Type.String(),
  serverName: Type.String(),
  userPrefix: Type.String(),
  botUserId: Type.String(),
});
export type ClientConfig = Static<typeof ClientConfig>;

/** Synapse's answer to `POST /_matrix/client/v3/login`. */
export const MatrixLogin = Type.Object({
  user_id: Type.String(),
  access_token: Type.String(),
  device_id: Type.String(),
});

/** An answer whose content does not matter (Synapse's `{}`). */
export const Empty = Type.Object({});

const Role = Type.Union([Type.Literal('agent'), Type.Literal('supervisor'), Type.Literal('admin')]);

/** features/session/routes.ts: AccountView. */
export const Account = Type.Object({
  username: Type.String(),
  userId: Type.String(),
  displayName: Type.String(),
  role: Role,
  campaigns: Type.Array(Type.String()),
});
export type Account = Static<typeof Account>;

/** `POST /api/v1/session`. */
export const SessionResponse = Type.Object({
  token: Type.String(),
  expiresAt: Type.String(),
  account: Account,
});
export type SessionResponse = Static<typeof SessionResponse>;

/** `POST /api/v1/password/forgot` (202) and `/reset` (200). */
export const ForgotResponse = Type.Object({ message: Type.String() });
export const ResetResponse = Type.Object({ username: Type.String(), message: Type.String() });

export const Typification = Type.Object({ code: Type.String(), label: Type.String() });
export type Typification = Static<typeof Typification>;

/** features/chats/routes.ts: ChatView. */
export const Chat = Type.Object({
  roomId: Type.String(),
  status: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
  openedBy: Type.String(),
  peer: Type.String(),
  campaignId: Type.Union([Type.String(), Type.Null()]),
  openedAt: Type.String(),
  closedBy: Type.Union([Type.String(), Type.Null()]),
  closedAt: Type.Union([Type.String(), Type.Null()]),
  typification: Type.Union([Typification, Type.Null()]),
});
export type Chat = Static<typeof Chat>;

/** features/chats/routes.ts: ChatListItemView. */
export const ChatListItem = Type.Intersect([
  Chat,
  Type.Object({
    other: Type.Object({ username: Type.String(), displayName: Type.String() }),
    campaignName: Type.Union([Type.String(), Type.Null()]),
  }),
]);
export type ChatListItem = Static<typeof ChatListItem>;

export const ChatList = Type.Object({ openCount: Type.Integer(), chats: Type.Array(ChatListItem) });
export type ChatList = Static<typeof ChatList>;

export const OpenedChat = Type.Object({ created: Type.Boolean(), chat: Chat });

export const Typifications = Type.Object({ typifications: Type.Array(Typification) });

/** `GET /api/v1/attachments/policy` (features/attachments/routes.ts). */
export const AttachmentPolicy = Type.Object({
  maxSizeBytes: Type.Integer({ minimum: 1 }),
  kinds: Type.Array(Type.Object({ kind: Type.String(), mime: Type.String(), extensions: Type.Array(Type.String()), image: Type.Boolean() })),
});

/** The directory's shapes, straight from the appservice (features/directory/schemas.ts: TypeBox only). */
export const DirectoryAgent = DirectoryAgentSchema;
export type DirectoryAgent = Static<typeof DirectoryAgentSchema>;
export const DirectoryPage = DirectoryPageSchema;
export type DirectoryPage = Static<typeof DirectoryPageSchema>;
export const WorkloadChange = WorkloadChangeSchema;
export type WorkloadChange = Static<typeof WorkloadChangeSchema>;
/** The data of the live stream's `workload` event (features/directory/live.ts). */
export const WorkloadEvent = Type.Object({ changes: Type.Array(WorkloadChangeSchema) });
