import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Database } from '../../db/database.ts';
import { requireAgent } from '../session/auth.ts';
import { KIND_INFO } from './kinds.ts';
import type { AttachmentPolicy } from './policy.ts';
import { AttachmentPolicyView } from './schemas.ts';

export interface AttachmentRoutesOptions {
  db: Database;
  policy: AttachmentPolicy;
}

/**
 * `GET /api/v1/attachments/policy`: what files an agent may send, so a client can filter its file
 * picker and refuse early. The appservice checks every file anyway, whatever the client did.
 */
export const attachmentRoutes: FastifyPluginAsyncTypebox<AttachmentRoutesOptions> = async (app, { db, policy }) => {
  app.addHook('onRequest', requireAgent(db));
  app.get('/api/v1/attachments/policy', { schema: { response: { 200: AttachmentPolicyView } } }, async () => ({
    maxSizeBytes: policy.maxSizeBytes,
    kinds: policy.allowedKinds.map((kind) => ({
      kind,
      mime: KIND_INFO[kind].mime,
      extensions: [...KIND_INFO[kind].extensions],
      image: KIND_INFO[kind].image,
    })),
  }));
};
