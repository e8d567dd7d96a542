import type { Database } from '../../db/database.ts';
import type { MatrixGateway } from '../../matrix/gateway.ts';
import type { Logger } from '../../observability/logger.ts';
import type { AccountRepository } from '../accounts/index.ts';
import type { Feature } from '../feature.ts';
import { typificationCommands } from './commands.ts';
import { CatalogPublisher } from './publisher.ts';
import { typificationRoutes } from './routes.ts';
import { TypificationService } from './service.ts';

export { importTypifications, typificationProblems, TypificationImportRowSchema, type TypificationImportRow } from './import.ts';
export type { CatalogPublisher } from './publisher.ts';
export type { TypificationService } from './service.ts';

export interface TypificationsDeps {
  db: Database;
  gateway: MatrixGateway;
  accounts: AccountRepository;
  log: Logger;
}

export interface TypificationsFeature extends Feature {
  service: TypificationService;
  publisher: CatalogPublisher;
}

/** The typification catalogs: admins' bot commands, `/api/v1/typifications`, publication in campaign spaces. */
export function createTypifications(deps: TypificationsDeps): TypificationsFeature {
  const log = deps.log.child({ module: 'typifications' });
  const service = new TypificationService({ db: deps.db, log });
  const publisher = new CatalogPublisher({ service, gateway: deps.gateway, log });
  service.onChange(async (catalog) => void (await publisher.publish(catalog)));
  return {
    name: 'typifications',
    service,
    publisher,
    // Every catalog in its room state once Synapse answers (a change made while it was away too).
    tasks: [{ name: 'typifications.publish', atStartup: true, run: () => publisher.publishAll() }],
    commands: typificationCommands(service),
    async plugin(app) {
      await app.register(typificationRoutes, { service, accounts: deps.accounts });
    },
  };
}
