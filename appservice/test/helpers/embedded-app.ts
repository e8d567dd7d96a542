import { buildApp, type App, type AppDeps } from '../../src/app.ts';
import { parseConfig } from '../../src/config/load.ts';
import { secretNames, type Secrets } from '../../src/config/secrets.ts';
import type { Database } from '../../src/db/database.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { openMigratedStore } from './embedded-store.ts';

export const testSecrets: Secrets = Object.fromEntries(
  secretNames.map((name) => [name, `test-${name}-0123456789abcdef`]),
) as Secrets;

export interface EmbeddedApp {
  app: App;
  db: Database;
  close(): Promise<void>;
}

/**
 * The app on a throwaway embedded database, for `inject` tests (no homeserver behind it).
 * `config` adds configuration sections (merged over the test defaults section by section).
 */
export async function buildEmbeddedApp(
  deps: Partial<Omit<AppDeps, 'db' | 'secrets' | 'log'>> = {},
  config: Record<string, Record<string, unknown>> = {},
): Promise<EmbeddedApp> {
  const db = await openMigratedStore();
  const base: Record<string, Record<string, unknown>> = {
    matrix: { homeserverUrl: 'http://127.0.0.1:9' },
    client: { distDir: '/nonexistent' },
    database: { embeddedDir: 'memory://' },
  };
  for (const [section, fields] of Object.entries(config)) base[section] = { ...base[section], ...fields };
  const parsed = parseConfig(base, process.cwd());
  const app = await buildApp(parsed, { ...deps, db, secrets: testSecrets, log: createLogger('silent') });
  return {
    app,
    db,
    async close() {
      await app.server.close();
      await db.close();
    },
  };
}

/** A minimal valid room event. */
export function roomEvent(n: number, roomId = '!room:chattigo.test') {
  return {
    event_id: `$event${n}`,
    room_id: roomId,
    type: 'm.room.message',
    sender: '@someone:chattigo.test',
    origin_server_ts: 1_700_000_000_000 + n,
    content: { msgtype: 'm.text', body: `message ${n}` },
  };
}
