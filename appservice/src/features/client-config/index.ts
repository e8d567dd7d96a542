import type { Config } from '../../config/schema.ts';
import type { Feature } from '../feature.ts';
import { clientConfigRoutes } from './routes.ts';

/** `GET /api/v1/client-config`. */
export function createClientConfig(deps: { config: Config }): Feature {
  return {
    name: 'client-config',
    async plugin(app) {
      await app.register(clientConfigRoutes, { config: deps.config });
    },
  };
}
