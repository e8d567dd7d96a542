import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { embeddedDatabase } from '../../src/db/embedded.ts';
import { migrate, readMigrations } from '../../src/db/migrate.ts';

/**
 * A snapshot of a migrated in-memory embedded store, for the unit tests
 * (docs/decisions/0019-unit-tests-on-a-migrated-snapshot.md): made once per run by the unit
 * project's global setup, loaded by each store the tests open instead of running PostgreSQL's
 * initdb and every migration again.
 */
export interface MigratedSnapshot {
  /** The data directory as an uncompressed tarball (PGlite's `dumpDataDir`). */
  path: string;
  /** What it was made from: see {@link snapshotKey}. */
  key: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    migratedSnapshot?: MigratedSnapshot;
  }
}

/**
 * The PGlite version and the name and text of every migration, hashed: a snapshot whose key is
 * not the current one (a migration edited during a watch run, another PGlite) is never loaded.
 */
export async function snapshotKey(): Promise<string> {
  const pgliteEntry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const pglite = JSON.parse(await readFile(path.join(path.dirname(pgliteEntry), '..', 'package.json'), 'utf8')) as { name: string; version: string };
  if (pglite.name !== '@electric-sql/pglite') throw new Error(`expected PGlite's package.json beside ${pgliteEntry}, found ${pglite.name}`);
  const hash = createHash('sha256').update(`pglite ${pglite.version}\n`);
  for (const migration of await readMigrations()) hash.update(`${migration.name}\n${migration.sql.length}\n${migration.sql}\n`);
  return hash.digest('hex');
}

/** Runs the migrations on a new in-memory store and writes its data directory to `file`. */
export async function writeMigratedSnapshot(file: string): Promise<MigratedSnapshot> {
  const key = await snapshotKey();
  const pg = await PGlite.create('memory://');
  try {
    await migrate(embeddedDatabase(pg));
    // Everything on disk, so that loading it needs no WAL replay.
    await pg.exec('CHECKPOINT');
    const tarball = await pg.dumpDataDir('none');
    await writeFile(file, new Uint8Array(await tarball.arrayBuffer()));
  } finally {
    await pg.close();
  }
  return { path: file, key };
}
