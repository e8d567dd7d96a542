import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../src/app.ts';
import { parseConfig } from '../../src/config/load.ts';
import type { Database } from '../../src/db/database.ts';
import { openMigratedStore } from '../helpers/embedded-store.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { testSecrets } from '../helpers/embedded-app.ts';
import { report, seedAccounts, sessionToken } from '../helpers/directory.ts';
import { openStream, type SseStream } from '../helpers/sse.ts';
import { waitFor } from '../helpers/wait.ts';

const platform = { authorization: `Bearer ${testSecrets.provisioning_token}`, 'content-type': 'application/json' };

describe('directory live updates (Server-Sent Events)', () => {
  let app: App;
  let db: Database;
  let base: string;
  const logLines: string[] = [];
  const streams: SseStream[] = [];

  beforeAll(async () => {
    db = await openMigratedStore();
    const config = parseConfig(
      { matrix: { homeserverUrl: 'http://127.0.0.1:9' }, client: { distDir: '/nonexistent' }, database: { embeddedDir: 'memory://' } },
      process.cwd(),
    );
    const sink = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        logLines.push(chunk.toString());
        callback();
      },
    });
    app = await buildApp(config, {
      db,
      secrets: testSecrets,
      log: createLogger('info', sink),
      directory: { publishToMatrix: false, live: { flushMs: 50, heartbeatMs: 100 } },
    });
    await seedAccounts(db, [
      { username: 'ana', displayName: 'Ana Gómez' },
      { username: 'beto', displayName: 'Beto Díaz' },
      { username: 'jperez', displayName: 'José Pérez' },
    ]);
    base = await app.server.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    for (const s of streams) s.close();
    await app?.server.close();
    await db?.close();
  });

  const open = async (query: string, headers: Record<string, string> = {}) => {
    const stream = await openStream(`${base}/api/v1/directory/events${query}`, headers);
    streams.push(stream);
    return stream;
  };
  const feed = (reports: unknown[]) =>
    fetch(`${base}/api/v1/platform/workload`, { method: 'PUT', headers: platform, body: JSON.stringify({ reports }) });
  const changesOf = (data: string): { username: string; active: boolean; chatsInAttention: number; at: string }[] =>
    JSON.parse(data).changes;

  it('sends a workload change to every connected client', async () => {
    const anaToken = sessionToken(app, 'ana');
    const first = await open(`?access_token=${anaToken}`);
    const second = await open('', { authorization: `Bearer ${sessionToken(app, 'beto')}` });
    expect([first.status, second.status]).toEqual([200, 200]);
    await first.next((e) => e.event === 'ready');
    await second.next((e) => e.event === 'ready');

    expect((await feed([report('jperez', 3, '2024-06-01T12:00:00Z')])).status).toBe(200);
    for (const stream of [first, second]) {
      const event = await stream.next((e) => e.event === 'workload');
      expect(changesOf(event.data)).toEqual([{ username: 'jperez', active: true, chatsInAttention: 3, atLimit: false, at: '2024-06-01T12:00:00Z' }]);
    }
    // The session token given in the URL is not written to the log.
    const log = logLines.join('');
    expect(log).toContain('/api/v1/directory/events?access_token=[Redacted]');
    expect(log).not.toContain(anaToken);
  });

  it('sends the latest value per agent of a burst, in order, and nothing for a stale report', async () => {
    const stream = await open(`?access_token=${sessionToken(app, 'ana')}`);
    await stream.next((e) => e.event === 'ready');
    for (let i = 0; i < 20; i++) {
      await feed([report('beto', i + 1, `2024-06-01T13:00:${String(i).padStart(2, '0')}Z`)]);
    }
    await stream.next((e) => e.event === 'workload' && changesOf(e.data).some((c) => c.username === 'beto' && c.chatsInAttention === 20));
    const counts = stream.events
      .filter((e) => e.event === 'workload')
      .flatMap((e) => changesOf(e.data))
      .filter((c) => c.username === 'beto')
      .map((c) => c.chatsInAttention);
    expect(counts).toEqual([...counts].sort((a, b) => a - b));

    const before = stream.events.length;
    await feed([report('beto', 1, '2024-06-01T12:59:00Z')]);
    await feed([report('jperez', 4, '2024-06-01T13:30:00Z')]);
    await stream.next((e) => e.event === 'workload' && changesOf(e.data).some((c) => c.username === 'jperez' && c.chatsInAttention === 4));
    const later = stream.events.slice(before).filter((e) => e.event === 'workload');
    expect(later.flatMap((e) => changesOf(e.data).map((c) => c.username))).toEqual(['jperez']);
  });

  it('gathers changes published together into one message', async () => {
    const stream = await open(`?access_token=${sessionToken(app, 'ana')}`);
    await stream.next((e) => e.event === 'ready');
    const at = new Date().toISOString();
    app.directory.live.publish(Array.from({ length: 20 }, (_, i) => ({ username: 'beto', active: true, chatsInAttention: 100 + i, atLimit: false, at })));
    app.directory.live.publish([{ username: 'jperez', active: false, chatsInAttention: 0, atLimit: false, at }]);
    const event = await stream.next((e) => e.event === 'workload' && e.data.includes('"chatsInAttention":119'));
    expect(changesOf(event.data)).toEqual([
      { username: 'beto', active: true, chatsInAttention: 119, atLimit: false, at },
      { username: 'jperez', active: false, chatsInAttention: 0, atLimit: false, at },
    ]);
  });

  it('sends presence changes from the homeserver too', async () => {
    const stream = await open(`?access_token=${sessionToken(app, 'jperez')}`);
    await stream.next((e) => e.event === 'ready');
    const response = await fetch(`${base}/_matrix/app/v1/transactions/live-1`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${testSecrets.hs_token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        events: [],
        ephemeral: [{ type: 'm.presence', sender: '@chattigo_ana:chattigo.localhost', content: { presence: 'online' } }],
      }),
    });
    expect(response.status).toBe(200);
    const event = await stream.next((e) => e.event === 'workload' && changesOf(e.data).some((c) => c.username === 'ana'));
    expect(changesOf(event.data).find((c) => c.username === 'ana')).toMatchObject({ active: true, chatsInAttention: 0 });
  });

  it('keeps the stream alive with heartbeats and forgets a client that leaves', async () => {
    await waitFor(() => app.directory.live.size > 0, 'earlier streams to be attached');
    for (const s of streams.splice(0)) s.close();
    await waitFor(() => app.directory.live.size === 0, 'closed streams to be detached');
    const stream = await open(`?access_token=${sessionToken(app, 'ana')}`);
    await waitFor(() => stream.comments >= 2, 'two heartbeats');
    expect(app.directory.live.size).toBe(1);
    stream.close();
    await waitFor(() => app.directory.live.size === 0, 'the stream to be detached');
  });

  it('refuses a missing or bad session, and ends the stream when the session ends', async () => {
    expect((await open('')).status).toBe(401);
    expect((await open('?access_token=not-a-jwt')).status).toBe(401);
    const expiring = await open(`?access_token=${sessionToken(app, 'ana', 'agent', 1)}`);
    expect(expiring.status).toBe(200);
    await expiring.next((e) => e.event === 'session-expired', 5000);
    await waitFor(() => expiring.ended, 'the stream to end');
  });

  it('ends a stream within a heartbeat when its sessions were ended elsewhere (another replica) or its account deactivated', async () => {
    await seedAccounts(db, [
      { username: 'replica1', displayName: 'Réplica Uno' },
      { username: 'replica2', displayName: 'Réplica Dos' },
    ]);
    const ended = await open(`?access_token=${sessionToken(app, 'replica1')}`);
    const deactivated = await open(`?access_token=${sessionToken(app, 'replica2')}`);
    const untouched = await open(`?access_token=${sessionToken(app, 'beto')}`);
    await Promise.all([ended, deactivated, untouched].map((s) => s.next((e) => e.event === 'ready')));
    // Written as another process would: this one is not told.
    await db.query(`UPDATE accounts SET sessions_valid_after = now() + interval '1 second' WHERE username = 'replica1'`);
    await db.query(`UPDATE accounts SET active = false WHERE username = 'replica2'`);
    await ended.next((e) => e.event === 'session-expired', 5000);
    await deactivated.next((e) => e.event === 'session-expired', 5000);
    await waitFor(() => ended.ended && deactivated.ended, 'both streams to end');
    expect(untouched.ended).toBe(false);
    untouched.close();
  });
});
