import Type, { type Static } from 'typebox';

/** Response shapes of the chats API; TypeBox only, so the web client imports them too. */

export const TypificationView = Type.Object({ code: Type.String(), label: Type.String() });

export const ChatView = Type.Object({
  roomId: Type.String(),
  status: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
  openedBy: Type.String(),
  peer: Type.String(),
  campaignId: Type.Union([Type.String(), Type.Null()]),
  openedAt: Type.String(),
  closedBy: Type.Union([Type.String(), Type.Null()]),
  closedAt: Type.Union([Type.String(), Type.Null()]),
  typification: Type.Union([TypificationView, Type.Null()]),
});
export type ChatView = Static<typeof ChatView>;

export const ChatListItemView = Type.Intersect([
  ChatView,
  Type.Object({
    other: Type.Object({ username: Type.String(), displayName: Type.String() }),
    campaignName: Type.Union([Type.String(), Type.Null()]),
  }),
]);

/** `GET /api/v1/chats` */
export const ChatListView = Type.Object({ openCount: Type.Integer(), chats: Type.Array(ChatListItemView) });
/** `POST /api/v1/chats` */
export const OpenedChatView = Type.Object({ created: Type.Boolean(), chat: ChatView });
/** `GET /api/v1/chats/:roomId/typifications` */
export const TypificationsView = Type.Object({ typifications: Type.Array(TypificationView) });
