import { beforeAll } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { CommandRegistry } from '../../src/commands/registry.ts';
import { typificationCommands } from '../../src/features/typifications/commands.ts';
import { TypificationService } from '../../src/features/typifications/service.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { useEmbeddedDatabase } from './embedded-db.ts';

/**
 * The registry of the typification commands on an embedded database with one campaign, "ventas",
 * for the tests of the enclosing `describe` (see useEmbeddedDatabase). Read as `typifications.registry`.
 */
export function useTypificationCommands(): { readonly db: Database; readonly registry: CommandRegistry } {
  const store = useEmbeddedDatabase();
  let registry: CommandRegistry | undefined;
  beforeAll(async () => {
    const { db } = store;
    await db.query(`INSERT INTO campaigns (id, name) VALUES ('ventas', 'Ventas')`);
    const log = createLogger('silent');
    registry = new CommandRegistry({ commands: typificationCommands(new TypificationService({ db, log })), log });
  });
  return {
    get db() {
      return store.db;
    },
    get registry() {
      if (!registry) throw new Error('the typification commands are ready only in the hooks and tests of their describe');
      return registry;
    },
  };
}
