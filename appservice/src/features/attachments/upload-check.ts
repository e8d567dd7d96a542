import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { requireToken } from '../../matrix/auth.ts';
import type { Logger } from '../../observability/logger.ts';
import type { Metrics } from '../../observability/metrics.ts';
import { uploadRefusal } from './messages.ts';
import { judge, type AttachmentPolicy, type Verdict } from './policy.ts';
import { detect } from './sniff.ts';

export interface UploadCheckOptions {
  /** Shared with Synapse's chattigo_policy module. */
  secret: string;
  policy: AttachmentPolicy;
  metrics: Metrics;
  log: Logger;
}

/** The answer to Synapse's chattigo_policy module: allowed, or why not (shown to the uploader). */
export const UploadVerdict = Type.Union([
  Type.Object({ allowed: Type.Literal(true), kind: Type.String() }),
  Type.Object({ allowed: Type.Literal(false), errcode: Type.String(), error: Type.String(), reason: Type.String() }),
]);

/**
 * `POST /_chattigo/policy/media`: Synapse's chattigo_policy module sends each uploaded file's bytes
 * (`application/octet-stream`) and refuses the upload unless this says it is allowed. The file is
 * judged from its bytes alone, with the policy that judges files sent in rooms: Synapse does not
 * give its spam checkers the declared name or type. The declared name and type are still checked
 * when the file is sent (handler.ts).
 */
export const uploadCheckRoutes: FastifyPluginAsyncTypebox<UploadCheckOptions> = async (app, options) => {
  const { secret, policy, metrics, log } = options;
  // One byte more than the limit is read, so a larger file gets a verdict rather than a 413.
  const bodyLimit = policy.maxSizeBytes + 1;
  app.addHook('onRequest', async (request) => requireToken(request, secret));
  app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer', bodyLimit }, (_request, body, done) => done(null, body));
  app.post('/_chattigo/policy/media', { bodyLimit, schema: { response: { 200: UploadVerdict } } }, async (request) => {
    const bytes = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const detection = await detect(bytes);
    const kind = detection.recognized ? detection.kind : detection.what;
    const verdict: Verdict =
      bytes.byteLength > policy.maxSizeBytes
        ? { accepted: false, rejection: { reason: 'too-large', limitBytes: policy.maxSizeBytes } }
        : judge(detection, { msgtype: 'm.file', mimetype: undefined, name: undefined }, policy);
    if (verdict.accepted) {
      metrics.uploadsChecked.inc({ outcome: 'accepted', kind });
      return { allowed: true as const, kind: verdict.kind };
    }
    metrics.uploadsChecked.inc({ outcome: 'refused', kind });
    log.info({ kind, reason: verdict.rejection.reason, bytes: bytes.byteLength }, 'upload refused');
    return {
      allowed: false as const,
      errcode: 'M_FORBIDDEN',
      error: uploadRefusal(verdict.rejection, policy),
      reason: verdict.rejection.reason,
    };
  });
};
