import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { ContextRequestedSchema, ContextRequestSchema } from '@chattigo/contracts/context';
import type { ContextService } from './service.ts';

/** `POST /api/v1/chats/<roomId>/context`: attach a customer chat to an internal chat (202; the card comes later). */
export const contextRoutes: FastifyPluginAsyncTypebox<{ service: ContextService }> = async (app, { service }) => {
  app.addHook('onRequest', app.authenticate);
  app.post(
    '/api/v1/chats/:roomId/context',
    {
      schema: {
        params: Type.Object({ roomId: Type.String({ minLength: 3, maxLength: 255, pattern: '^!' }) }),
        body: ContextRequestSchema,
        response: { 202: ContextRequestedSchema },
      },
    },
    async (request, reply) => {
      await service.request(request.params.roomId, request.agent.username, request.body.conversationId);
      return reply.status(202).send({ accepted: true as const });
    },
  );
};
