import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.ts';
import type { Database } from '../../src/db/database.ts';
import { openMigratedStore } from '../helpers/embedded-store.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { startAppservice, type RunningAppservice } from '../../src/server.ts';
import { freePort } from '../helpers/ports.ts';

/** /metrics is not public on the client port (issue 12): it has its own listener. */
describe('metrics listener', () => {
  let running: RunningAppservice | undefined;
  let db: Database | undefined;
  let dir: string | undefined;

  const start = async (metrics: Record<string, unknown>) => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'chattigo-metrics-'));
    db = await openMigratedStore();
    const config = parseConfig(
      {
        server: { port: await freePort() },
        matrix: { homeserverUrl: 'http://127.0.0.1:9' },
        client: { distDir: '/nonexistent' },
        secrets: { dir: path.join(dir, 'secrets') },
        metrics,
      },
      process.cwd(),
    );
    running = await startAppservice(config, { log: createLogger('silent'), deps: { db }, generateSecrets: true, pingTimeoutMs: 0 });
    return running;
  };
  afterEach(async () => {
    await running?.stop();
    await db?.close();
    running = undefined;
    db = undefined;
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('is 404 on the client port and served on its own loopback port, closed by stop()', async () => {
    const as = await start({ port: 0 });
    expect((await fetch(`${as.url}/metrics`)).status).toBe(404);
    expect(as.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const metrics = await fetch(as.metricsUrl ?? '');
    expect(metrics.status).toBe(200);
    const body = await metrics.text();
    expect(body).toContain('chattigo_http_request_duration_seconds');
    expect(body).toContain('chattigo_appservice_transactions_total');
    await as.stop();
    running = undefined;
    await expect(fetch(as.metricsUrl ?? '')).rejects.toThrow();
  });

  it('is not served at all when disabled', async () => {
    const as = await start({ enabled: false });
    expect(as.metricsUrl).toBeUndefined();
    expect((await fetch(`${as.url}/metrics`)).status).toBe(404);
  });

  it('binds to loopback by default', () => {
    const config = parseConfig({}, '/srv');
    expect(config.metrics).toEqual({ enabled: true, host: '127.0.0.1', port: 9464 });
  });
});
