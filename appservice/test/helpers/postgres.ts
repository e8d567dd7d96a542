import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Database } from '../../src/db/database.ts';
import { openPostgres } from '../../src/db/postgres.ts';

export const defaultAdminUrl = 'postgres://postgres@127.0.0.1:5432/postgres';

/** The PostgreSQL server tests use: $CHATTIGO_TEST_PG_URL, else the local one on 5432. */
export function adminUrl(): string {
  return process.env['CHATTIGO_TEST_PG_URL'] ?? defaultAdminUrl;
}

export async function assertPostgresReachable(url = adminUrl()): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (err) {
    throw new Error(
      `PostgreSQL is not reachable at ${url} (${(err as Error).message}). ` +
        'Start one, or set CHATTIGO_TEST_PG_URL to a server where the user may create databases.',
      { cause: err },
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A fresh, empty database for one test file; `drop()` removes it. */
export async function createTestDatabase(prefix = 'chattigo_test'): Promise<TestDatabase> {
  const admin = adminUrl();
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => dropTestDatabase(name) };
}

/** Drops a database of the test server, ending its connections. */
export async function dropTestDatabase(name: string): Promise<void> {
  const c = new pg.Client({ connectionString: adminUrl() });
  await c.connect();
  try {
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await c.end();
  }
}

/** A store on a fresh PostgreSQL database, for repository contract suites; `dispose` drops it. */
export async function openTestPostgres(): Promise<{ db: Database; dispose(): Promise<void> }> {
  const database = await createTestDatabase();
  const db = openPostgres(database.url);
  return {
    db,
    async dispose() {
      await db.close();
      await database.drop();
    },
  };
}

/**
 * Two small pools on one fresh PostgreSQL database: two appservice processes, for the contract
 * suites of what works across processes; `dispose` closes both and drops the database.
 */
export async function openTwoPostgresHandles(): Promise<{ a: Database; b: Database; dispose(): Promise<void> }> {
  const database = await createTestDatabase();
  const a = openPostgres(database.url, 2);
  const b = openPostgres(database.url, 2);
  return {
    a,
    b,
    async dispose() {
      await Promise.all([a.close(), b.close()]);
      await database.drop();
    },
  };
}
