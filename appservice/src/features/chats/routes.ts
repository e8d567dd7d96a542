import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { CAMPAIGN_ID_PATTERN, USERNAME_PATTERN } from '../accounts/index.ts';
import type { Chat } from './repository.ts';
import { ChatListSchema, OpenedChatSchema, TypificationsSchema, type Chat as ChatBody } from '@chattigo/contracts/chats';
import type { ChatService } from './service.ts';

const view = (chat: Chat): ChatBody => ({
  roomId: chat.roomId,
  status: chat.status,
  openedBy: chat.openedBy,
  peer: chat.peer,
  campaignId: chat.campaignId,
  openedAt: chat.openedAt.toISOString(),
  closedBy: chat.closedBy,
  closedAt: chat.closedAt?.toISOString() ?? null,
  typification: chat.typification,
});

const RoomParams = Type.Object({ roomId: Type.String({ minLength: 3, maxLength: 255, pattern: '^!' }) });

/** The agent's chats: open one ("Mensaje directo"), list, catalog, close. */
export const chatRoutes: FastifyPluginAsyncTypebox<{ chats: ChatService }> = async (app, { chats }) => {
  app.addHook('onRequest', app.authenticate);

  app.post(
    '/api/v1/chats',
    {
      schema: {
        body: Type.Object(
          {
            agent: Type.String({ pattern: USERNAME_PATTERN, description: 'username of the other agent' }),
            campaign: Type.Optional(Type.String({ pattern: CAMPAIGN_ID_PATTERN })),
          },
          { additionalProperties: false },
        ),
        response: { 200: OpenedChatSchema, 201: OpenedChatSchema },
      },
    },
    async (request, reply) => {
      const { chat, created } = await chats.open(request.agent.username, request.body.agent, request.body.campaign);
      return reply.status(created ? 201 : 200).send({ created, chat: view(chat) });
    },
  );

  app.get(
    '/api/v1/chats',
    {
      schema: {
        querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })) }),
        response: { 200: ChatListSchema },
      },
    },
    async (request) => {
      const list = await chats.repo.listFor(request.agent.username, request.query.limit ?? 100);
      return {
        openCount: await chats.repo.countOpen(request.agent.username),
        chats: list.map((c) => ({ ...view(c), other: c.other, campaignName: c.campaignName })),
      };
    },
  );

  app.get('/api/v1/chats/:roomId', { schema: { params: RoomParams } }, async (request) =>
    view(await chats.get(request.params.roomId, request.agent.username)),
  );

  app.get(
    '/api/v1/chats/:roomId/typifications',
    { schema: { params: RoomParams, response: { 200: TypificationsSchema } } },
    async (request) => ({
      typifications: (await chats.typifications(request.params.roomId, request.agent.username)).map((t) => ({ code: t.code, label: t.label })),
    }),
  );

  app.post(
    '/api/v1/chats/:roomId/close',
    {
      schema: {
        params: RoomParams,
        body: Type.Object({ code: Type.String({ maxLength: 64 }) }, { additionalProperties: false }),
      },
    },
    async (request) =>
      view((await chats.close(request.params.roomId, request.agent.username, request.body.code)).chat),
  );
};
