import path from 'node:path';
import { inject } from 'vitest';
import { parseConfig } from '../../src/config/load.ts';
import type { Config } from '../../src/config/schema.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { startAppservice, type RunningAppservice, type StartOptions } from '../../src/server.ts';
import type { TestStack } from './global-setup.ts';
import { createTestDatabase, type TestDatabase } from './postgres.ts';
import { waitFor } from './wait.ts';

export interface TestAppservice {
  running: RunningAppservice;
  config: Config;
  stack: TestStack;
  database: TestDatabase;
  stop(): Promise<void>;
}

/** The configuration of an appservice wired to the integration stack, on a fresh database. */
export function testConfig(stack: TestStack, databaseUrl: string, extra: Record<string, unknown> = {}): Config {
  const base: Record<string, Record<string, unknown>> = {
    server: { host: '127.0.0.1', port: stack.appservicePort, publicUrl: `http://127.0.0.1:${stack.appservicePort}` },
    matrix: {
      homeserverUrl: stack.homeserverUrl,
      serverName: stack.serverName,
      appserviceUrl: `http://127.0.0.1:${stack.appservicePort}`,
    },
    database: { url: databaseUrl },
    secrets: { dir: stack.secretsDir },
    client: { distDir: path.join(stack.workDir, 'no-client-build') },
    log: { level: 'warn' },
    mail: { outboxDir: path.join(stack.workDir, 'mail') },
    // Test files run side by side: each metrics listener on a free port.
    metrics: { port: 0 },
  };
  // Sections given in `extra` are merged over the defaults field by field.
  for (const [section, fields] of Object.entries(extra)) {
    base[section] = { ...base[section], ...(fields as Record<string, unknown>) };
  }
  return parseConfig(base, stack.workDir);
}

/** Starts the appservice on its own new PostgreSQL database, listening where Synapse expects it. */
export async function startTestAppservice(
  deps: StartOptions['deps'] = {},
  configOverrides: Record<string, unknown> = {},
): Promise<TestAppservice> {
  const stack = inject('stack');
  const database = await createTestDatabase();
  const config = testConfig(stack, database.url, configOverrides);
  const log = createLogger(process.env['CHATTIGO_TEST_LOG'] ?? 'warn');
  const running = await startAppservice(config, { log, deps });
  return {
    running,
    config,
    stack,
    database,
    async stop() {
      await running.stop();
      await database.drop();
    },
  };
}

/** Waits until the appservice has processed the room event `eventId` (its journal row says so). */
export async function waitUntilProcessed(as: TestAppservice, eventId: string, what = `event ${eventId} to be processed`): Promise<void> {
  await waitFor(async () => {
    const [row] = await as.running.db.query<{ done: boolean }>('SELECT processed_at IS NOT NULL AS done FROM appservice_events WHERE event_id = $1', [eventId]);
    return row?.done === true;
  }, what);
}
