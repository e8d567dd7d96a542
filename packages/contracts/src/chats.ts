import Type, { type Static } from 'typebox';

/** Response shapes of the chats API; TypeBox only, imported by the appservice and the web client. */

export const TypificationSchema = Type.Object({ code: Type.String(), label: Type.String() });
export type Typification = Static<typeof TypificationSchema>;

export const ChatSchema = Type.Object({
  roomId: Type.String(),
  status: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
  openedBy: Type.String(),
  peer: Type.String(),
  campaignId: Type.Union([Type.String(), Type.Null()]),
  openedAt: Type.String(),
  closedBy: Type.Union([Type.String(), Type.Null()]),
  closedAt: Type.Union([Type.String(), Type.Null()]),
  typification: Type.Union([TypificationSchema, Type.Null()]),
});
export type Chat = Static<typeof ChatSchema>;

export const ChatListItemSchema = Type.Intersect([
  ChatSchema,
  Type.Object({
    other: Type.Object({ username: Type.String(), displayName: Type.String() }),
    campaignName: Type.Union([Type.String(), Type.Null()]),
  }),
]);
export type ChatListItem = Static<typeof ChatListItemSchema>;

/** `GET /api/v1/chats` */
export const ChatListSchema = Type.Object({ openCount: Type.Integer(), chats: Type.Array(ChatListItemSchema) });
export type ChatList = Static<typeof ChatListSchema>;
/** `POST /api/v1/chats` */
export const OpenedChatSchema = Type.Object({ created: Type.Boolean(), chat: ChatSchema });
export type OpenedChat = Static<typeof OpenedChatSchema>;
/** `GET /api/v1/chats/:roomId/typifications` */
export const TypificationsSchema = Type.Object({ typifications: Type.Array(TypificationSchema) });
export type Typifications = Static<typeof TypificationsSchema>;
