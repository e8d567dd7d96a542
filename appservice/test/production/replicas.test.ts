import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadSecrets, type Secrets } from '../../src/config/secrets.ts';
import { JOURNAL_CONSUMER_LOCK } from '../../src/server.ts';
import { appserviceProcess, type AppserviceProcess } from '../fault/helpers/appservice-process.ts';
import { AgentApi } from '../fault/helpers/api.ts';
import { clean } from '../fault/helpers/checks.ts';
import type { Agent } from '../fault/helpers/matrix.ts';
import { countNow, expectClean, openChats, pairs, Scenario, settle } from '../fault/helpers/scenario.ts';
import { provisionAgents } from '../fault/helpers/stack.ts';
import { sleep, waitUntil } from '../fault/helpers/time.ts';
import { startTraffic } from '../fault/helpers/traffic.ts';
import { freePort } from '../helpers/ports.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { openStream, type SseStream } from '../helpers/sse.ts';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.ts';

/** The pid of the backend holding the journal consumer's advisory lock (the leader's connection). */
const LEADER_SQL = `SELECT pid FROM pg_locks
  WHERE locktype = 'advisory' AND granted AND objsubid = 1
    AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
    AND (classid::bigint << 32) + objid::bigint = $1`;

/**
 * The appservice's part of the production topology: two `cli.ts serve` processes on one
 * PostgreSQL database behind one address (a TCP proxy taking turns, where Synapse's registration
 * points), on the production Synapse of the integration-production project. The first to start
 * holds the journal consumer's lock; the other stores transactions, hands their rooms over, and
 * serves HTTP.
 */
describe('two appservice processes on one database', () => {
  const stack = inject('stack');
  const dir = path.join(stack.workDir, 'replicas');
  let database: TestDatabase;
  let proxy: TcpProxy;
  let checker: pg.Pool;
  let secrets: Secrets;
  let a: AppserviceProcess;
  let b: AppserviceProcess;
  let agents: Agent[];
  let apiOnB: Map<string, AgentApi>;
  const streams: SseStream[] = [];

  const leaderPid = async () => (await checker.query<{ pid: number }>(LEADER_SQL, [JOURNAL_CONSUMER_LOCK])).rows[0]?.pid;
  const start = async (name: string) => {
    const port = await freePort();
    const raw = {
      server: { host: '127.0.0.1', port, publicUrl: `http://127.0.0.1:${port}` },
      matrix: { homeserverUrl: stack.homeserverUrl, serverName: stack.serverName, appserviceUrl: `http://127.0.0.1:${proxy.port}` },
      database: { url: database.url },
      secrets: { dir: stack.secretsDir },
      client: { distDir: path.join(dir, 'no-client-build') },
      log: { level: 'info' },
      mail: { outboxDir: path.join(dir, 'mail') },
      metrics: { port: 0 },
    };
    await mkdir(path.join(dir, name), { recursive: true });
    const process = await appserviceProcess(raw, path.join(dir, name, 'config.yaml'), port);
    await process.start();
    return process;
  };

  beforeAll(async () => {
    secrets = await loadSecrets(stack.secretsDir, { generate: false });
    database = await createTestDatabase('chattigo_replicas');
    checker = new pg.Pool({ connectionString: database.url, max: 2 });
    checker.on('error', () => undefined);
    await mkdir(dir, { recursive: true });
    // The proxy reads its targets per connection: each process joins it once started.
    const targets: { host: string; port: number }[] = [];
    const join = (process: AppserviceProcess) => targets.push({ host: '127.0.0.1', port: Number(new URL(process.url).port) });
    proxy = await startTcpProxy(targets, stack.appservicePort);
    a = await start('a');
    join(a);
    expect(await waitUntil(async () => (await leaderPid()) !== undefined, 20_000), 'process A leads').toBe(true);
    b = await start('b');
    join(b);
    ({ agents } = await provisionAgents({ appserviceUrl: a.url, homeserverUrl: stack.homeserverUrl, secrets }, 'replicas', 6));
    // The same agents' API sessions, on process B.
    apiOnB = await sessionsOn(b.url, agents);
  });
  afterAll(async () => {
    for (const stream of streams) stream.close();
    await a?.kill('SIGTERM');
    await b?.kill('SIGTERM');
    await proxy?.close();
    await checker?.end().catch(() => undefined);
    await database?.drop().catch(() => undefined);
    if (!process.env['CHATTIGO_KEEP_TEST_DIR']) await rm(dir, { recursive: true, force: true });
  });

  it('a live-stream client of process B sees a workload change fed through process A', async () => {
    const agent = agents[0];
    if (!agent) throw new Error('no agent');
    const session = await fetch(`${b.url}/api/v1/session`, { method: 'POST', headers: { authorization: `Bearer ${agent.token}` } });
    const { token } = (await session.json()) as { token: string };
    const stream = await openStream(`${b.url}/api/v1/directory/events`, { authorization: `Bearer ${token}` });
    streams.push(stream);
    await stream.next((e) => e.event === 'ready');
    const fed = await fetch(`${a.url}/api/v1/platform/workload`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${secrets.provisioning_token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ reports: [{ username: 'agente2', status: 'online', chatsInAttention: 7, at: new Date().toISOString() }] }),
    });
    expect(fed.status).toBe(200);
    const change = await stream.next((e) => e.event === 'workload' && e.data.includes('"agente2"'), 10_000);
    expect(JSON.parse(change.data)).toMatchObject({ changes: [{ username: 'agente2', chatsInAttention: 7 }] });
  });

  it('"Mensaje directo" for the same pair on both processes at once opens one room', async () => {
    const [starter, peer] = [agents[4], agents[5]];
    if (!starter || !peer) throw new Error('no agents');
    const opens = await Promise.all([
      provisionedApi(a.url, starter).then((api) => api.open(peer.username)),
      apiOnB.get(starter.username)?.open(peer.username),
    ]);
    const rooms = new Set(opens.map((o) => o?.roomId));
    expect([...rooms].every(Boolean), JSON.stringify(opens)).toBe(true);
    expect(rooms.size, JSON.stringify(opens)).toBe(1);
    expect(opens.filter((o) => o?.created).length).toBe(1);
  });

  it('the leader SIGKILLed under traffic: the follower leads within 10 s, every command answered exactly once', async () => {
    const scenario = await new Scenario('appservice leader SIGKILL, follower takes over').snapshot(stack.homeserverUrl, secrets.as_token);
    const rooms = await openChats({ api: apiOnB }, scenario, pairs(agents, 2));
    const traffic = startTraffic(stack.homeserverUrl, rooms, new Map(), { everyMs: 150 });
    await sleep(4000);
    const before = await leaderPid();
    expect(before).toBeDefined();
    await a.kill('SIGKILL');
    const killedAt = Date.now();
    const tookOver = await waitUntil(async () => {
      const pid = await leaderPid();
      return pid !== undefined && pid !== before;
    }, 15_000, 100);
    const takeoverSeconds = (Date.now() - killedAt) / 1000;
    expect(tookOver, 'a new leader').toBe(true);
    expect(takeoverSeconds).toBeLessThan(10);
    await sleep(5000);
    const sent = await traffic.stop();
    const counts = await settle(
      () => countNow({ homeserverUrl: stack.homeserverUrl, secrets, pg: checker, botUserId: `@chattigo:${stack.serverName}` }, scenario.watched(), killedAt),
      clean,
      45_000,
    );
    const log = await readFile(path.join(dir, 'b', 'appservice.log'), 'utf8');
    expect(log).toContain('this process consumes appservice transactions (leader)');
    process.stdout.write(
      `leader SIGKILL: takeover ${takeoverSeconds.toFixed(1)} s; sent ${sent.sent} (failed ${sent.failed}); ${counts.detail}; ` +
        `first answer after the kill ${counts.recoverySeconds?.toFixed(1) ?? 'never'} s\n`,
    );
    expectClean(counts);
    expect(counts.events).toBeGreaterThanOrEqual(sent.sent);
  });
});

/** An API session for `agent` on the appservice at `url`. */
async function provisionedApi(url: string, agent: Agent): Promise<AgentApi> {
  const api = new AgentApi(url, agent);
  await api.login();
  return api;
}

async function sessionsOn(url: string, agents: readonly Agent[]): Promise<Map<string, AgentApi>> {
  const api = new Map<string, AgentApi>();
  for (const agent of agents) api.set(agent.username, await provisionedApi(url, agent));
  return api;
}
