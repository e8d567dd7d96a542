import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { KIND_INFO } from '@chattigo/contracts/attachment-kinds';
import type { AttachmentPolicy } from './policy.ts';
import { AttachmentPolicySchema } from '@chattigo/contracts/attachments';

export interface AttachmentRoutesOptions {
  policy: AttachmentPolicy;
}

/**
 * `GET /api/v1/attachments/policy`: what files an agent may send, so a client can filter its file
 * picker and refuse early. The appservice checks every file anyway, whatever the client did.
 */
export const attachmentRoutes: FastifyPluginAsyncTypebox<AttachmentRoutesOptions> = async (app, { policy }) => {
  app.addHook('onRequest', app.authenticate);
  app.get('/api/v1/attachments/policy', { schema: { response: { 200: AttachmentPolicySchema } } }, async () => ({
    maxSizeBytes: policy.maxSizeBytes,
    kinds: policy.allowedKinds.map((kind) => ({
      kind,
      mime: KIND_INFO[kind].mime,
      extensions: [...KIND_INFO[kind].extensions],
      image: KIND_INFO[kind].image,
    })),
  }));
};
