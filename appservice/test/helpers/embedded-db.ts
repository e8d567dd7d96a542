import { afterAll, beforeAll } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { openMigratedStore } from './embedded-store.ts';

/**
 * A migrated throwaway embedded database (PGlite in memory, from the run's snapshot:
 * embedded-store.ts) for the tests of the enclosing
 * `describe`: opened before them (ahead of the `beforeAll` hooks declared after this call) and
 * closed after them. Read it as `store.db` in hooks and tests.
 */
export function useEmbeddedDatabase(): { readonly db: Database } {
  let db: Database | undefined;
  beforeAll(async () => {
    db = await openMigratedStore();
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
