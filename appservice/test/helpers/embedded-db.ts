import { afterAll, beforeAll } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { openEmbedded } from '../../src/db/embedded.ts';
import { migrate } from '../../src/db/migrate.ts';

/**
 * A migrated throwaway embedded database (PGlite in memory) for the tests of the enclosing
 * `describe`: opened before them (ahead of the `beforeAll` hooks declared after this call) and
 * closed after them. Read it as `store.db` in hooks and tests.
 */
export function useEmbeddedDatabase(): { readonly db: Database } {
  let db: Database | undefined;
  beforeAll(async () => {
    db = await openEmbedded('memory://');
    await migrate(db);
  });
  afterAll(async () => {
    await db?.close();
  });
  return {
    get db() {
      if (!db) throw new Error('the embedded database is open only in the hooks and tests of its describe');
      return db;
    },
  };
}
