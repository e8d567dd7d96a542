import type { Config } from '../../config/schema.ts';
import type { Database } from '../../db/database.ts';
import type { SynapseAdmin } from '../../matrix/admin.ts';
import type { MatrixGateway } from '../../matrix/gateway.ts';
import type { Logger } from '../../observability/logger.ts';
import type { Feature } from '../feature.ts';
import type { SessionRevocation } from '../session/index.ts';
import { createMailer } from './mailer.ts';
import { passwordRoutes } from './routes.ts';
import { PasswordService } from './service.ts';

export type { PasswordService } from './service.ts';

export interface PasswordDeps {
  db: Database;
  gateway: MatrixGateway;
  admin: SynapseAdmin;
  sessions: SessionRevocation;
  config: Config;
  log: Logger;
}

export interface PasswordFeature extends Feature {
  service: PasswordService;
}

/** Password links (recovery and welcome) and their mail; `/api/v1/password/*`. */
export async function createPassword(deps: PasswordDeps): Promise<PasswordFeature> {
  const { config, log } = deps;
  const service = new PasswordService({
    db: deps.db,
    gateway: deps.gateway,
    admin: deps.admin,
    sessions: deps.sessions,
    mailer: await createMailer(config.mail, config.secrets.dir, log.child({ module: 'mail' })),
    log: log.child({ module: 'password' }),
    publicUrl: config.server.publicUrl,
    userPrefix: config.matrix.userPrefix,
    serverName: config.matrix.serverName,
    resetMinutes: config.password.resetMinutes,
    welcomeHours: config.password.welcomeHours,
  });
  return {
    name: 'password',
    service,
    async plugin(app) {
      await app.register(passwordRoutes, { service, addressLimit: config.password.addressLimit });
    },
  };
}
