import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ReviewAuditSchema, ReviewChatListSchema, ReviewChatsQuerySchema, ReviewTranscriptSchema } from '@chattigo/contracts/reports';
import Type from 'typebox';
import type { ReviewService } from './service.ts';

const RoomParams = Type.Object({ roomId: Type.String({ minLength: 3, maxLength: 255, pattern: '^!' }) });

/**
 * `GET /api/v1/review/chats`: chats a supervisor (their campaigns) or an admin may review.
 * `GET /api/v1/review/chats/:roomId`: a chat's history, read-only; every call is one audited review.
 * `GET /api/v1/review/audit`: the reviews, newest first (admins).
 */
export const reviewRoutes: FastifyPluginAsyncTypebox<{ review: ReviewService }> = async (app, { review }) => {
  app.addHook('onRequest', app.authenticate);

  app.get('/api/v1/review/chats', { schema: { querystring: ReviewChatsQuerySchema, response: { 200: ReviewChatListSchema } } }, async (request) => ({
    chats: await review.chats(request.agent, request.query),
  }));

  app.get('/api/v1/review/chats/:roomId', { schema: { params: RoomParams, response: { 200: ReviewTranscriptSchema } } }, async (request, reply) => {
    void reply.header('cache-control', 'no-store');
    return review.review(request.agent, request.params.roomId);
  });

  app.get(
    '/api/v1/review/audit',
    {
      schema: {
        querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })) }, { additionalProperties: false }),
        response: { 200: ReviewAuditSchema },
      },
    },
    async (request) => review.audit(request.agent, request.query.limit ?? 100),
  );
};
