import type { Config } from '../../config/schema.ts';
import type { SynapseAdmin } from '../../matrix/admin.ts';
import type { MatrixGateway } from '../../matrix/gateway.ts';
import type { LanguageOf } from '../../matrix/notices.ts';
import type { Logger } from '../../observability/logger.ts';
import type { Metrics } from '../../observability/metrics.ts';
import type { Feature } from '../feature.ts';
import { AttachmentHandler } from './handler.ts';
import { attachmentRoutes } from './routes.ts';
import { uploadCheckRoutes } from './upload-check.ts';

export interface AttachmentsDeps {
  gateway: MatrixGateway;
  admin: SynapseAdmin;
  config: Config;
  /** Shared with Synapse's chattigo_policy module (secrets.synapse_auth_secret). */
  secret: string;
  metrics: Metrics;
  languageOf: LanguageOf;
  log: Logger;
}

/** Files: the policy for clients, Synapse's upload check, and the check of every file sent. */
export function createAttachments(deps: AttachmentsDeps): Feature {
  const { gateway, admin, config, metrics } = deps;
  const log = deps.log.child({ module: 'attachments' });
  return {
    name: 'attachments',
    roomHandlers: [new AttachmentHandler({ gateway, admin, serverName: config.matrix.serverName, policy: config.attachments, metrics, languageOf: deps.languageOf, log })],
    async plugin(app) {
      await app.register(attachmentRoutes, { policy: config.attachments });
      await app.register(uploadCheckRoutes, { secret: deps.secret, policy: config.attachments, metrics, log });
    },
  };
}
