import { readFile } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { inject } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { embeddedDatabase, openEmbedded } from '../../src/db/embedded.ts';
import { migrate } from '../../src/db/migrate.ts';
import { snapshotKey } from './embedded-snapshot.ts';

let snapshot: Promise<Blob | undefined> | undefined;

/**
 * The run's snapshot of a migrated store (global-setup-unit.ts), read once per test file; none
 * when the project has no such global setup or when its key is not the current one.
 */
export function migratedSnapshot(): Promise<Blob | undefined> {
  snapshot ??= (async () => {
    const provided = inject('migratedSnapshot');
    if (!provided || provided.key !== (await snapshotKey())) return undefined;
    return new Blob([await readFile(provided.path)]);
  })();
  return snapshot;
}

/**
 * A new in-memory embedded store with every migration applied, of its own (nothing shared with
 * another store). It is loaded from the run's snapshot when there is one (some 0.3–0.4 s), else made
 * as production makes it: initdb, then the migrations (some 3 s).
 */
export async function openMigratedStore(): Promise<Database> {
  const from = await migratedSnapshot();
  if (from) return embeddedDatabase(await PGlite.create({ dataDir: 'memory://', loadDataDir: from }));
  const db = await openEmbedded('memory://');
  try {
    await migrate(db);
  } catch (err) {
    await db.close();
    throw err;
  }
  return db;
}
