/**
 * bench/appservice: the appservice's own CPU per managed message, without Synapse or the rest of
 * the machine in the figure. It builds the app on each store asked for — the embedded one in a
 * temporary folder (as `./dev up` runs it) and PostgreSQL on a throwaway database of the server
 * tests use (127.0.0.1:5432 or $CHATTIGO_TEST_PG_URL, created and dropped here; the production
 * topology's store) —, provisions two agents and an open chat between them, then feeds the
 * transaction endpoint what Synapse sends for a conversation: one transaction per message (one
 * `m.room.message` from alternating agents), some carrying the senders' `m.presence`, and waits
 * until every event is processed. The stores take turns in rounds, so the machine's load falls on
 * both alike. It prints the process CPU (user + system) per message for each store side by side,
 * on PostgreSQL also the CPU of the database's backends serving the app (`pg_stat_activity` pids,
 * `/proc/<pid>/stat`; only when the server runs on this machine), and the counters of what the
 * appservice did. No homeserver answers: nothing in this path calls one.
 *
 * With `--idle SECONDS` it measures instead the idle floor: the appservice started as `serve`
 * starts it (leadership, sweeps, scans, the homeserver watch; no homeserver answers), its CPU per
 * second of doing nothing, on each store.
 *
 *   node bench/appservice/run.ts [--store both|embedded|postgres] [--messages 2000] [--rounds 4]
 *                                [--presence-every 2] [--warmup 300] [--memory] [--idle SECONDS]
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { buildApp, type App } from '../../appservice/src/app.ts';
import { parseConfig } from '../../appservice/src/config/load.ts';
import { secretNames, type Secrets } from '../../appservice/src/config/secrets.ts';
import type { Database } from '../../appservice/src/db/database.ts';
import { openEmbedded } from '../../appservice/src/db/embedded.ts';
import { migrate } from '../../appservice/src/db/migrate.ts';
import { openPostgres } from '../../appservice/src/db/postgres.ts';
import { createLogger } from '../../appservice/src/observability/logger.ts';
import { startAppservice } from '../../appservice/src/server.ts';
import { freePort } from '../../appservice/test/helpers/ports.ts';
import { createTestDatabase } from '../../appservice/test/helpers/postgres.ts';
import { readCounters } from '../messaging/metrics.ts';

const { values: flags } = parseArgs({
  options: {
    store: { type: 'string', default: 'both' },
    messages: { type: 'string', default: '2000' },
    rounds: { type: 'string', default: '4' },
    warmup: { type: 'string', default: '300' },
    // A presence event of the sender in every n-th transaction (0: none), as Synapse pushes them.
    'presence-every': { type: 'string', default: '2' },
    memory: { type: 'boolean', default: false },
    idle: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
const say = (text: string) => process.stdout.write(`${text}\n`);
if (flags.help) {
  say('usage: node bench/appservice/run.ts [--store both|embedded|postgres] [--messages N] [--rounds N] [--warmup N] [--presence-every N] [--memory]');
  say('  --store     embedded (in-process PGlite, as ./dev up), postgres (a throwaway database on $CHATTIGO_TEST_PG_URL');
  say('              or 127.0.0.1:5432, as the production topology), or both, taking turns (default)');
  say('  --messages  messages measured per store, split over --rounds turns (default 2000, 4 rounds)');
  say('  --memory    the embedded store in memory instead of a temporary folder');
  say('  --idle S    the CPU per second of a started, idle appservice over S seconds (after 10 s to settle), per store');
  process.exit(0);
}
type StoreKind = 'embedded' | 'postgres';
const isStoreKind = (value: string | undefined): value is StoreKind => value === 'embedded' || value === 'postgres';
if (flags.store !== 'both' && !isStoreKind(flags.store)) throw new Error(`--store: embedded, postgres or both, not ${flags.store}`);
const storeKinds: StoreKind[] = isStoreKind(flags.store) ? [flags.store] : ['embedded', 'postgres'];

const secrets = Object.fromEntries(secretNames.map((n) => [n, `bench-${n}-0123456789abcdef`])) as Secrets;
const server = 'chattigo.localhost';
const room = '!bench-chat:chattigo.localhost';
const agents = ['bench_ana', 'bench_beto'] as const;
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const load = () => os.loadavg().map((l) => l.toFixed(1)).join(' ');

/** Clock ticks per second of /proc/<pid>/stat (100 on Linux, asked once). */
const clockTicks = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU ms (user + system) of a process of this machine, undefined when it cannot be read. */
function processCpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After "pid (comm) ": state is field 3, utime field 14, stime field 15.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks;
  } catch {
    return undefined;
  }
}

interface Target {
  kind: StoreKind;
  app: App;
  send(): Promise<void>;
  /** CPU ms so far of each PostgreSQL backend of the app's database (postgres only). */
  backends?: () => Promise<Map<number, number | undefined>>;
  close(): Promise<void>;
}

async function setUp(kind: StoreKind): Promise<Target> {
  let db: Database;
  let cleanUp: () => Promise<void>;
  let backends: Target['backends'];
  if (kind === 'embedded') {
    const dir = flags.memory ? undefined : await mkdtemp(path.join(os.tmpdir(), 'chattigo-bench-'));
    db = await openEmbedded(dir ? path.join(dir, 'pglite') : 'memory://');
    cleanUp = async () => {
      if (dir) await rm(dir, { recursive: true, force: true });
    };
  } else {
    const database = await createTestDatabase('chattigo_bench');
    db = openPostgres(database.url);
    // A connection of its own to read which backends serve the app's database.
    const watcher = new pg.Client({ connectionString: database.url });
    await watcher.connect();
    backends = async () => {
      const rows = await watcher.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
      return new Map(rows.rows.map((r) => [r.pid, processCpuMs(r.pid)]));
    };
    cleanUp = async () => {
      await watcher.end();
      await database.drop();
    };
  }
  await migrate(db);
  const config = parseConfig(
    {
      matrix: { homeserverUrl: 'http://127.0.0.1:9', serverName: server },
      client: { distDir: '/nonexistent' },
      database: { embeddedDir: 'memory://' },
      metrics: { enabled: true },
    },
    process.cwd(),
  );
  const app = await buildApp(config, { db, secrets, log: createLogger('error') });
  const inject = (method: 'PUT' | 'POST', url: string, token: string, payload: object) =>
    app.server.inject({ method, url, headers: { authorization: `Bearer ${token}` }, payload });

  await inject('PUT', '/api/v1/provisioning/directory', secrets.provisioning_token, {
    campaigns: [{ id: 'bench', name: 'Bench' }],
    accounts: agents.map((username) => ({ username, displayName: username, campaigns: ['bench'] })),
  });
  await app.chats.repo.insert({ roomId: room, openedBy: agents[0], peer: agents[1], campaignId: 'bench', openedAt: new Date(Date.now() - 60_000) });
  await app.chats.repo.markOpen(room);

  let n = 0;
  const every = Number(flags['presence-every']);
  const send = async () => {
    n++;
    const sender = `@chattigo_${agents[n % 2]}:${server}`;
    const event = {
      event_id: `$bench${n}`,
      room_id: room,
      type: 'm.room.message',
      sender,
      origin_server_ts: Date.now(),
      content: { msgtype: 'm.text', body: `mensaje ${n}` },
      unsigned: { age: 5 },
    };
    const presence = every > 0 && n % every === 0 ? [{ type: 'm.presence', sender, content: { presence: 'online', currently_active: true, last_active_ago: 10 } }] : [];
    const response = await inject('PUT', `/_matrix/app/v1/transactions/${n}`, secrets.hs_token, {
      events: [event],
      ephemeral: presence,
      'de.sorunome.msc2409.ephemeral': presence,
    });
    if (response.statusCode !== 200) throw new Error(`transaction ${n}: ${response.statusCode} ${response.body}`);
    await app.processor.idle();
  };
  return {
    kind,
    app,
    send,
    ...(backends ? { backends } : {}),
    async close() {
      await app.server.close();
      await db.close();
      await cleanUp();
    },
  };
}

const metricsText = async (app: App) => {
  const text = (await app.metricsServer.inject({ method: 'GET', url: '/metrics' })).body;
  return `data:text/plain,${encodeURIComponent(text)}`;
};

/** CPU the backends spent between two readings; backends gone meanwhile are counted up to their last reading. */
function backendDelta(before: Map<number, number | undefined>, after: Map<number, number | undefined>): number | undefined {
  let total = 0;
  for (const [pid, end] of after) {
    if (end === undefined) return undefined;
    total += end - (before.get(pid) ?? 0);
  }
  return total;
}

async function main(): Promise<void> {
  const targets: Target[] = [];
  try {
    for (const kind of storeKinds) targets.push(await setUp(kind));
    for (const t of targets) for (let i = 0; i < Number(flags.warmup); i++) await t.send();

    const rounds = Math.max(1, Number(flags.rounds));
    const perRound = Math.max(1, Math.floor(Number(flags.messages) / rounds));
    const totals = new Map(targets.map((t) => [t.kind, { cpu: 0, backend: 0 as number | undefined, wall: 0, count: 0 }]));
    const counters = new Map<string, Record<string, number>>();
    const loads: string[] = [];
    for (const t of targets) counters.set(t.kind, await readCounters(await metricsText(t.app)));
    say(`bench/appservice: ${perRound * rounds} messages per store in ${rounds} rounds (after ${flags.warmup} of warm-up), presence in every ${Number(flags['presence-every']) || 'no'} transaction`);
    for (let r = 1; r <= rounds; r++) {
      const line: string[] = [];
      for (const t of targets) {
        const pidsBefore = await t.backends?.();
        const started = cpuMs();
        const wall = performance.now();
        for (let i = 0; i < perRound; i++) await t.send();
        const spent = cpuMs() - started;
        const elapsed = performance.now() - wall;
        const pidsAfter = await t.backends?.();
        const backend = pidsBefore && pidsAfter ? backendDelta(pidsBefore, pidsAfter) : undefined;
        const sum = totals.get(t.kind);
        if (sum) {
          sum.cpu += spent;
          sum.wall += elapsed;
          sum.count += perRound;
          sum.backend = sum.backend === undefined || backend === undefined ? undefined : sum.backend + backend;
        }
        line.push(`${t.kind} ${(spent / perRound).toFixed(2)} ms${backend === undefined ? '' : ` (+ PostgreSQL ${(backend / perRound).toFixed(2)} ms)`}`);
      }
      loads.push(load());
      say(`  round ${r}: ${line.join(', ')}; load ${load()}`);
    }
    say('');
    say('| store | appservice CPU ms / managed message | PostgreSQL backends CPU ms / message | wall ms / message |');
    say('|---|---|---|---|');
    for (const t of targets) {
      const sum = totals.get(t.kind);
      if (!sum) continue;
      const backend = t.kind === 'embedded' ? '(in the appservice)' : sum.backend === undefined ? 'n/a (not on this machine)' : (sum.backend / sum.count).toFixed(2);
      say(`| ${t.kind} | ${(sum.cpu / sum.count).toFixed(2)} | ${backend} | ${(sum.wall / sum.count).toFixed(2)} |`);
    }
    say(`load (1, 5, 15 min) after each round: ${loads.join(' | ')}`);
    for (const t of targets) {
      const before = counters.get(t.kind) ?? {};
      const after = await readCounters(await metricsText(t.app));
      say(`counters, ${t.kind}: ${Object.keys(after).map((k) => `${k} ${Math.round((after[k] ?? 0) - (before[k] ?? 0))}`).join(', ')}`);
    }
  } finally {
    for (const t of targets) await t.close().catch((err: unknown) => process.stderr.write(`closing ${t.kind}: ${String(err)}\n`));
  }
}

/** The idle floor: a started appservice doing nothing, its CPU (and its PostgreSQL backends') per second. */
async function idle(seconds: number): Promise<void> {
  say(`bench/appservice --idle: a started appservice with no traffic and no homeserver, ${seconds} s per store after 10 s to settle`);
  say('| store | appservice CPU ms / s | PostgreSQL backends CPU ms / s | load (1, 5, 15 min) |');
  say('|---|---|---|---|');
  for (const kind of storeKinds) {
    const work = await mkdtemp(path.join(os.tmpdir(), 'chattigo-bench-idle-'));
    const database = kind === 'postgres' ? await createTestDatabase('chattigo_bench') : undefined;
    const watcher = database ? new pg.Client({ connectionString: database.url }) : undefined;
    await watcher?.connect();
    const backends = async () => {
      if (!watcher) return undefined;
      const rows = await watcher.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
      return new Map(rows.rows.map((r) => [r.pid, processCpuMs(r.pid)]));
    };
    const config = parseConfig(
      {
        server: { host: '127.0.0.1', port: await freePort() },
        matrix: { homeserverUrl: 'http://127.0.0.1:9', serverName: server },
        client: { distDir: '/nonexistent' },
        database: database ? { url: database.url } : { embeddedDir: path.join(work, 'pglite') },
        secrets: { dir: path.join(work, 'secrets') },
        metrics: { enabled: false },
      },
      work,
    );
    const running = await startAppservice(config, { generateSecrets: true, log: createLogger('silent'), pingTimeoutMs: 0 });
    try {
      await new Promise((resolve) => setTimeout(resolve, 10_000));
      const pidsBefore = await backends();
      const started = cpuMs();
      await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
      const spent = cpuMs() - started;
      const pidsAfter = await backends();
      const backend = pidsBefore && pidsAfter ? backendDelta(pidsBefore, pidsAfter) : undefined;
      const pgColumn = kind === 'embedded' ? '(in the appservice)' : backend === undefined ? 'n/a' : (backend / seconds).toFixed(2);
      say(`| ${kind} | ${(spent / seconds).toFixed(2)} | ${pgColumn} | ${load()} |`);
    } finally {
      await running.stop();
      await watcher?.end();
      await database?.drop();
      await rm(work, { recursive: true, force: true });
    }
  }
}

(flags.idle ? idle(Number(flags.idle)) : main()).catch((err: unknown) => {
  process.stderr.write(`bench/appservice failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
