import type { Database } from '../../db/database.ts';
import type { Feature } from '../feature.ts';
import { provisioningRoutes, type ProvisioningOptions } from './routes.ts';

export { runImport, type ImportCliResult } from './import-cli.ts';

export type ProvisioningDeps = ProvisioningOptions & { db: Database };

/**
 * The Chattigo platform's provisioning API: directory imports (accounts, campaigns,
 * typifications; `PUT /api/v1/provisioning/directory`, also sent by the `import` command) and
 * temporary passwords.
 */
export function createProvisioning(deps: ProvisioningDeps): Feature {
  return {
    name: 'provisioning',
    async plugin(app) {
      await app.register(provisioningRoutes, deps);
    },
  };
}
