/**
 * What the appservice benchmarks share (bench/directory, bench/reports): a fresh, migrated
 * PostgreSQL database that is dropped at the end whatever happens, and the appservice built on it
 * with no homeserver behind it, listening on a free port.
 */
import { buildApp, type App } from '../appservice/src/app.ts';
import { parseConfig } from '../appservice/src/config/load.ts';
import type { Config } from '../appservice/src/config/schema.ts';
import type { Database } from '../appservice/src/db/database.ts';
import { migrate } from '../appservice/src/db/migrate.ts';
import { openPostgres } from '../appservice/src/db/postgres.ts';
import { createLogger } from '../appservice/src/observability/logger.ts';
import { testSecrets } from '../appservice/test/helpers/embedded-app.ts';
import { createTestDatabase } from '../appservice/test/helpers/postgres.ts';

export interface BenchDatabase {
  db: Database;
  url: string;
}

/**
 * Runs `bench` on a new database `name` (CHATTIGO_TEST_PG_URL's server), migrated; closes and
 * drops it afterwards, and gives up (exit code 1) after `limitMs`.
 */
export async function withBenchDatabase(
  name: string,
  limitMs: number,
  out: (text: string) => void,
  bench: (database: BenchDatabase) => Promise<void>,
): Promise<void> {
  const database = await createTestDatabase(name);
  const db = openPostgres(database.url);
  const timer = setTimeout(() => {
    out(`bench: still running after ${limitMs / 60_000} min; giving up`);
    process.exitCode = 1;
    void db.close().finally(() => database.drop().finally(() => process.exit(1)));
  }, limitMs);
  timer.unref();
  try {
    await migrate(db);
    await bench({ db, url: database.url });
  } finally {
    clearTimeout(timer);
    await db.close();
    await database.drop();
  }
}

/**
 * The appservice on the bench's database, listening on 127.0.0.1 on a free port (`base` is its
 * URL). No homeserver behind it: Matrix publishing (presence, space state) is off.
 */
export async function startBenchApp(database: BenchDatabase): Promise<{ app: App; config: Config; base: string }> {
  const config = parseConfig(
    { matrix: { homeserverUrl: 'http://127.0.0.1:9' }, database: { url: database.url }, client: { distDir: '/nonexistent' } },
    process.cwd(),
  );
  const app = await buildApp(config, { db: database.db, secrets: testSecrets, log: createLogger('silent'), directory: { publishToMatrix: false } });
  const base = await app.server.listen({ host: '127.0.0.1', port: 0 });
  return { app, config, base };
}

export const seconds = (since: number) => ((performance.now() - since) / 1000).toFixed(1);
