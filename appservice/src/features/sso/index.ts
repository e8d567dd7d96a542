import type { Database } from '../../db/database.ts';
import type { MatrixGateway } from '../../matrix/gateway.ts';
import type { Logger } from '../../observability/logger.ts';
import type { Feature } from '../feature.ts';
import { ssoRoutes } from './routes.ts';
import { SsoService } from './service.ts';

export { SsoService } from './service.ts';

export interface SsoDeps {
  db: Database;
  gateway: MatrixGateway;
  log: Logger;
  publicUrl: string;
  ttlSeconds: number;
  provisioningToken: string;
}

export interface SsoFeature extends Feature {
  service: SsoService;
}

/** Single sign-on from the platform: one-time login codes (provisioning) exchanged by the web client. */
export function createSso(deps: SsoDeps): SsoFeature {
  const service = new SsoService({ db: deps.db, gateway: deps.gateway, log: deps.log.child({ module: 'sso' }), publicUrl: deps.publicUrl, ttlSeconds: deps.ttlSeconds });
  return {
    name: 'sso',
    service,
    async plugin(app) {
      await app.register(ssoRoutes, { service, provisioningToken: deps.provisioningToken });
    },
  };
}
