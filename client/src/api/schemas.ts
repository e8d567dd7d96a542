import Type, { type Static } from 'typebox';
import { AttachmentPolicyView } from '../../../appservice/src/features/attachments/schemas.ts';
import {
  ChatListItemView,
  ChatListView,
  ChatView,
  OpenedChatView,
  TypificationsView,
  TypificationView,
} from '../../../appservice/src/features/chats/schemas.ts';
import { ClientConfigView } from '../../../appservice/src/features/client-config/schemas.ts';
import { DirectoryAgentSchema, DirectoryPageSchema, WorkloadChangeSchema } from '../../../appservice/src/features/directory/schemas.ts';
import { AccountView, SessionResponse as SessionResponseView } from '../../../appservice/src/features/session/schemas.ts';

/**
 * The shapes of what the client receives, checked at runtime when it arrives (never cast). The
 * appservice's response shapes come from its TypeBox-only `features/<name>/schemas.ts` files (the
 * same schemas its routes answer with); only Synapse's and the error shape are defined here.
 */

/** An error answer of the appservice (`errors.ts`) or of Synapse. */
export const ErrorBody = Type.Object({
  errcode: Type.String(),
  error: Type.Optional(Type.String()),
  problems: Type.Optional(Type.Array(Type.Object({ path: Type.String(), message: Type.String() }))),
  retry_after_ms: Type.Optional(Type.Number()),
});

export const ClientConfig = ClientConfigView;
export type ClientConfig = Static<typeof ClientConfigView>;

/** Synapse's answer to `POST /_matrix/client/v3/login`. */
export const MatrixLogin = Type.Object({
  user_id: Type.String(),
  access_token: Type.String(),
  device_id: Type.String(),
});

/** An answer whose content does not matter (Synapse's `{}`). */
export const Empty = Type.Object({});

export const Account = AccountView;
export type Account = Static<typeof AccountView>;
export const SessionResponse = SessionResponseView;
export type SessionResponse = Static<typeof SessionResponseView>;

/** `POST /api/v1/password/forgot` (202) and `/reset` (200). */
export const ForgotResponse = Type.Object({ message: Type.String() });
export const ResetResponse = Type.Object({ username: Type.String(), message: Type.String() });

export const Typification = TypificationView;
export type Typification = Static<typeof TypificationView>;
export const Chat = ChatView;
export type Chat = Static<typeof ChatView>;
export const ChatListItem = ChatListItemView;
export type ChatListItem = Static<typeof ChatListItemView>;
export const ChatList = ChatListView;
export type ChatList = Static<typeof ChatListView>;
export const OpenedChat = OpenedChatView;
export const Typifications = TypificationsView;
export const AttachmentPolicy = AttachmentPolicyView;

/** The directory's shapes, straight from the appservice (features/directory/schemas.ts: TypeBox only). */
export const DirectoryAgent = DirectoryAgentSchema;
export type DirectoryAgent = Static<typeof DirectoryAgentSchema>;
export const DirectoryPage = DirectoryPageSchema;
export type DirectoryPage = Static<typeof DirectoryPageSchema>;
export const WorkloadChange = WorkloadChangeSchema;
export type WorkloadChange = Static<typeof WorkloadChangeSchema>;
/** The data of the live stream's `workload` event (features/directory/live.ts). */
export const WorkloadEvent = Type.Object({ changes: Type.Array(WorkloadChangeSchema) });
