import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../observability/logger.ts';
import type { Database } from './database.ts';
import { queryBuilder } from './kysely.ts';

export const migrationsDir = fileURLToPath(new URL('./migrations', import.meta.url));

/** Arbitrary constant naming the migration lock among the database's advisory locks. */
const MIGRATION_LOCK_KEY = 7_403_112_001;

const fileName = /^(\d{3})_[a-z0-9_]+\.sql$/;

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export class MigrationError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'MigrationError';
  }
}

/** Reads `NNN_name.sql` files in number order; a badly named file or a repeated number is an error. */
export async function readMigrations(dir = migrationsDir): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
  const migrations: Migration[] = [];
  for (const file of files) {
    const match = fileName.exec(file);
    if (!match) throw new MigrationError(`migration file ${file} is not named NNN_name.sql`);
    const version = Number(match[1]);
    const clash = migrations.find((m) => m.version === version);
    if (clash) throw new MigrationError(`migrations ${clash.name} and ${file} have the same number`);
    migrations.push({ version, name: file, sql: await readFile(path.join(dir, file), 'utf8') });
  }
  return migrations;
}

/**
 * Applies the migrations not yet applied, each in its own transaction, while holding an advisory
 * lock so that two processes starting together do not both migrate. A failing migration is rolled
 * back and raised with its file name; the ones before it stay applied.
 */
export async function migrate(db: Database, log?: Logger, dir = migrationsDir): Promise<string[]> {
  const migrations = await readMigrations(dir);
  return db.session(async (session) => {
    await session.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await session.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version integer PRIMARY KEY,
        name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
      const qb = queryBuilder(session);
      const rows = await qb.selectFrom('schema_migrations').select('version').execute();
      const applied = new Set(rows.map((r) => r.version));
      const done: string[] = [];
      for (const migration of migrations) {
        if (applied.has(migration.version)) continue;
        await session.exec('BEGIN');
        try {
          await session.exec(migration.sql);
          await qb.insertInto('schema_migrations').values({ version: migration.version, name: migration.name }).execute();
          await session.exec('COMMIT');
        } catch (err) {
          await session.exec('ROLLBACK').catch(() => undefined);
          throw new MigrationError(`migration ${migration.name} failed: ${(err as Error).message}`, { cause: err });
        }
        log?.info({ migration: migration.name }, 'migration applied');
        done.push(migration.name);
      }
      return done;
    } finally {
      await session.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  });
}
