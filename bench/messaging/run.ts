/**
 * bench/messaging: end-to-end message delivery through a running stack, managed chats against
 * bare Synapse rooms in the same run. See README "Benchmarks" for the flags.
 *
 * N agent pairs chat in managed chats (opened with "Mensaje directo" through the API), N pairs of
 * plain Synapse users (registered with the shared secret, outside the appservice's namespace) in
 * ordinary rooms; every user runs a /sync long-poll loop like a real client. For each rate, an
 * open-loop schedule sends messages at fixed times, alternating the two populations; each message
 * carries its send time and the peer's sync records its delivery.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadSecrets } from '../../appservice/src/config/secrets.ts';
import { groupCpuSeconds, processesMatching, processListeningOn, synapseConfigOf, withChildren, type ProcessGroup } from './cpu.ts';
import { MatrixHttp, syncLoop, type SyncedEvent } from './matrix.ts';
import { counterDeltas, readCounters } from './metrics.ts';
import { percentile, renderReport, type RateResult } from './report.ts';

const { values: flags } = parseArgs({
  options: {
    homeserver: { type: 'string', default: process.env['BENCH_HOMESERVER'] ?? 'http://127.0.0.1:8008' },
    appservice: { type: 'string', default: process.env['BENCH_APPSERVICE'] ?? 'http://127.0.0.1:9000' },
    // The appservice's Prometheus endpoint (metrics.port), for its work counters; '' skips them.
    metrics: { type: 'string', default: process.env['BENCH_METRICS'] ?? 'http://127.0.0.1:9464/metrics' },
    secrets: { type: 'string', default: process.env['BENCH_SECRETS'] ?? '.local/secrets' },
    pairs: { type: 'string', default: process.env['BENCH_PAIRS'] ?? '50' },
    rates: { type: 'string', default: process.env['BENCH_RATES'] ?? '5,10,20,30' },
    seconds: { type: 'string', default: process.env['BENCH_SECONDS'] ?? '20' },
    keep: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
    label: { type: 'string', default: process.env['BENCH_LABEL'] ?? 'local' },
    prefix: { type: 'string', default: process.env['BENCH_USER_PREFIX'] ?? 'chattigo_' },
    // Which processes are this stack's Synapse (main and workers): a text of their command lines.
    'synapse-match': { type: 'string' },
    // Which PostgreSQL backends are this stack's: a text of their process titles (the database name).
    'postgres-match': { type: 'string', default: process.env['BENCH_POSTGRES_MATCH'] ?? 'chattigo_synapse,chattigo_appservice' },
  },
});

const say = (text: string) => process.stdout.write(`${text}\n`);

if (flags.help) {
  say(`usage: node bench/messaging/run.ts [flags]   (each flag also as an environment variable)

  --homeserver URL      Synapse client-server API (BENCH_HOMESERVER, http://127.0.0.1:8008)
  --appservice URL      the appservice (BENCH_APPSERVICE, http://127.0.0.1:9000)
  --metrics URL         the appservice's Prometheus endpoint, '' for none (BENCH_METRICS, http://127.0.0.1:9464/metrics)
  --secrets DIR         the stack's secrets folder (BENCH_SECRETS, .local/secrets)
  --pairs N             managed pairs, and as many bare pairs (BENCH_PAIRS, 50)
  --rates R1,R2         messages per second, one run each (BENCH_RATES, 5,10,20,30)
  --seconds S           length of each rate (BENCH_SECONDS, 20)
  --label NAME          name of the result file (BENCH_LABEL, local)
  --prefix P            the appservice's user prefix (BENCH_USER_PREFIX, chattigo_)
  --synapse-match TEXT  command-line text of this stack's Synapse processes (default: its -c config)
  --postgres-match DBS  database names of this stack's PostgreSQL backends (BENCH_POSTGRES_MATCH)
  --keep                keep the bench agents active at the end`);
  process.exit(0);
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const BENCH_KEY = 'com.chattigo.bench';
const CODE = 'BENCH_OK';

interface Pair {
  roomId: string;
  tokens: [string, string];
  userIds: [string, string];
}

interface Sent {
  population: 'managed' | 'bare';
  sentAt: number;
  sendMs?: number;
  deliveredMs?: number;
  failed?: boolean;
}

async function retry<T>(what: string, work: () => Promise<T>, attempts = 60): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await work();
    } catch (err) {
      if (i >= attempts) throw new Error(`${what}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
      await sleep(500);
    }
  }
}

async function appserviceApi<T>(method: string, url: string, token: string, body?: unknown): Promise<T> {
  const response = await fetch(`${flags.appservice}${url}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(60_000),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${url} → ${response.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

async function main(): Promise<void> {
  const pairs = Number(flags.pairs);
  const rates = flags.rates.split(',').map(Number).filter((r) => r > 0);
  const seconds = Number(flags.seconds);
  const secrets = await loadSecrets(path.resolve(flags.secrets));
  const http = new MatrixHttp(flags.homeserver);
  const bot = await http.call<{ user_id: string }>('GET', '/_matrix/client/v3/account/whoami', secrets.as_token);
  const serverName = bot.user_id.slice(bot.user_id.indexOf(':') + 1);
  const prefix = flags.prefix;
  const run = Date.now().toString(36);
  const campaign = `bench-${run}`;
  say(`bench/messaging ${flags.label}: ${pairs}+${pairs} pairs (${pairs * 4} users), rates ${rates.join(', ')} msg/s, ${seconds} s each, against ${flags.homeserver}`);

  const countersAtStart = await readCounters(flags.metrics);

  // Managed: agents provisioned through the platform API, logged in as the appservice would.
  const usernames = Array.from({ length: pairs * 2 }, (_, i) => `b${run}a${i}`);
  await appserviceApi('PUT', '/api/v1/provisioning/directory', secrets.provisioning_token, {
    campaigns: [{ id: campaign, name: `Bench ${run}` }],
    accounts: usernames.map((username) => ({ username, displayName: `Bench ${username}`, campaigns: [campaign] })),
    typifications: [{ campaign, code: CODE, label: 'Bench' }],
  });
  const agentIds = usernames.map((u) => `@${prefix}${u}:${serverName}`);
  const agentTokens = await Promise.all(agentIds.map((id) => retry(`login ${id}`, () => http.loginAsAppservice(id, secrets.as_token))));
  const jwts = await Promise.all(
    agentTokens.map((t) => retry('API session', () => appserviceApi<{ token: string }>('POST', '/api/v1/session', t)).then((s) => s.token)),
  );
  say(`  ${usernames.length} agents provisioned and logged in`);

  // Bare: plain Synapse users in ordinary rooms.
  const plain = [];
  for (let i = 0; i < pairs * 2; i++) plain.push(await http.registerPlain(`benchp${run}u${i}`, secrets.synapse_shared_secret));
  const bare: Pair[] = [];
  for (let i = 0; i < pairs; i++) {
    const [a, b] = [plain[2 * i], plain[2 * i + 1]];
    if (!a || !b) throw new Error('plain users missing');
    const { room_id: roomId } = await http.call<{ room_id: string }>('POST', '/_matrix/client/v3/createRoom', a.token, { preset: 'private_chat', invite: [b.userId], is_direct: true });
    await http.call('POST', `/_matrix/client/v3/join/${encodeURIComponent(roomId)}`, b.token, {});
    bare.push({ roomId, tokens: [a.token, b.token], userIds: [a.userId, b.userId] });
  }
  say(`  ${pairs} bare rooms ready`);

  // Every user syncs; deliveries and room events are recorded by the peer.
  const sent = new Map<string, Sent>();
  const watchers: ((userId: string, event: SyncedEvent) => void)[] = [];
  const onEvent = (userId: string) => (event: SyncedEvent) => {
    const mark = event.content[BENCH_KEY] as { id?: unknown } | undefined;
    if (mark && typeof mark.id === 'string' && event.sender !== userId) {
      const entry = sent.get(mark.id);
      if (entry && entry.deliveredMs === undefined) entry.deliveredMs = Date.now() - entry.sentAt;
    }
    for (const watch of watchers) watch(userId, event);
  };
  const loops = [
    ...agentIds.map((id, i) => syncLoop(http, agentTokens[i] ?? '', onEvent(id))),
    ...plain.map((p) => syncLoop(http, p.token, onEvent(p.userId))),
  ];
  await Promise.all(loops.map((l) => l.ready));
  say(`  ${loops.length} sync loops running`);

  // "Mensaje directo" → the peer's sync sees itself joined.
  const managed: Pair[] = [];
  const openMs: number[] = [];
  for (let i = 0; i < pairs; i++) {
    const [a, b] = [2 * i, 2 * i + 1];
    const peerId = agentIds[b] ?? '';
    const started = Date.now();
    let joinedAt = 0;
    let roomId = '';
    const watch = (userId: string, e: SyncedEvent) => {
      if (userId === peerId && e.type === 'm.room.member' && e.stateKey === peerId && e.content['membership'] === 'join' && (!roomId || e.roomId === roomId)) joinedAt ||= Date.now();
    };
    watchers.push(watch);
    const opened = await appserviceApi<{ chat: { roomId: string } }>('POST', '/api/v1/chats', jwts[a] ?? '', { agent: usernames[b] });
    roomId = opened.chat.roomId;
    for (let w = 0; w < 200 && !joinedAt; w++) await sleep(25);
    watchers.splice(watchers.indexOf(watch), 1);
    if (joinedAt) openMs.push(joinedAt - started);
    managed.push({ roomId, tokens: [agentTokens[a] ?? '', agentTokens[b] ?? ''], userIds: [agentIds[a] ?? '', peerId] });
  }
  say(`  ${pairs} managed chats opened`);

  // This stack's processes only (other Synapses and databases on the machine are not counted).
  const stackMatch = flags['synapse-match'] ?? (await synapseConfigOf(flags.homeserver)) ?? 'synapse.app.';
  const groups: ProcessGroup[] = [
    { name: 'synapse', pids: await processesMatching('synapse.app.', stackMatch) },
    { name: 'appservice', pids: [await processListeningOn(Number(new URL(flags.appservice).port || 80))].filter((p): p is number => p !== undefined) },
    { name: 'postgres', pids: (await Promise.all(flags['postgres-match'].split(',').map((db) => processesMatching('postgres: ', ` ${db} `)))).flat() },
    { name: 'nginx+redis', pids: [...(await withChildren(await processesMatching('nginx', stackMatch))), ...(await processesMatching('redis-server', stackMatch))] },
  ];

  const results: RateResult[] = [];
  for (const rate of rates) {
    const count = Math.round(rate * seconds);
    const interval = 1000 / rate;
    const countersBefore = await readCounters(flags.metrics);
    const before = await Promise.all(groups.map(groupCpuSeconds));
    const ids: string[] = [];
    const start = Date.now() + 100;
    const sends: Promise<void>[] = [];
    for (let k = 0; k < count; k++) {
      const due = start + k * interval;
      const wait = due - Date.now();
      if (wait > 0) await sleep(wait);
      const population = k % 2 === 0 ? 'managed' : 'bare';
      const pair = (population === 'managed' ? managed : bare)[Math.floor(k / 2) % pairs];
      if (!pair) continue;
      const side = Math.floor(k / (2 * pairs)) % 2;
      const id = `${run}-${rate}-${k}`;
      const entry: Sent = { population, sentAt: Date.now() };
      sent.set(id, entry);
      ids.push(id);
      sends.push(
        http.send(pair.tokens[side] ?? '', pair.roomId, { msgtype: 'm.text', body: `bench ${k}`, [BENCH_KEY]: { id, sent: entry.sentAt } }).then(
          () => void (entry.sendMs = Date.now() - entry.sentAt),
          () => void (entry.failed = true),
        ),
      );
    }
    await Promise.all(sends);
    for (let w = 0; w < 100 && ids.some((id) => { const e = sent.get(id); return e && !e.failed && e.deliveredMs === undefined; }); w++) await sleep(100);
    const after = await Promise.all(groups.map(groupCpuSeconds));
    const counters = counterDeltas(countersBefore, await readCounters(flags.metrics));
    const cpuMsPerMessage = Object.fromEntries(groups.map((g, i) => [g.name, ((after[i] ?? 0) - (before[i] ?? 0)) * 1000 / count]));
    for (const population of ['managed', 'bare'] as const) {
      const rows = ids.map((id) => sent.get(id)).filter((e): e is Sent => e?.population === population);
      const delivered = rows.flatMap((e) => (e.deliveredMs === undefined ? [] : [e.deliveredMs]));
      const sendTimes = rows.flatMap((e) => (e.sendMs === undefined ? [] : [e.sendMs]));
      results.push({
        population,
        rate,
        sent: rows.length,
        errors: rows.filter((e) => e.failed).length,
        lost: rows.filter((e) => !e.failed && e.deliveredMs === undefined).length,
        send: { p50: percentile(sendTimes, 0.5), p95: percentile(sendTimes, 0.95), p99: percentile(sendTimes, 0.99), max: percentile(sendTimes, 1) },
        delivery: { p50: percentile(delivered, 0.5), p95: percentile(delivered, 0.95), p99: percentile(delivered, 0.99), max: percentile(delivered, 1) },
        cpuMsPerMessage,
        counters,
      });
    }
    say(`  ${rate} msg/s done`);
  }

  // Close → the peer sees read-only power levels.
  const closeMs: number[] = [];
  for (const pair of managed.slice(0, Math.min(5, pairs))) {
    const [a, b] = pair.userIds;
    const jwt = jwts[agentIds.indexOf(a)] ?? '';
    const started = Date.now();
    let seenAt = 0;
    const watch = (userId: string, e: SyncedEvent) => {
      if (userId === b && e.roomId === pair.roomId && e.type === 'm.room.power_levels' && e.content['events_default'] === 100) seenAt ||= Date.now();
    };
    watchers.push(watch);
    await appserviceApi('POST', `/api/v1/chats/${encodeURIComponent(pair.roomId)}/close`, jwt, { code: CODE });
    for (let w = 0; w < 200 && !seenAt; w++) await sleep(25);
    watchers.splice(watchers.indexOf(watch), 1);
    if (seenAt) closeMs.push(seenAt - started);
  }

  for (const loop of loops) loop.stop();
  const syncErrors = loops.reduce((n, l) => n + l.errors(), 0);
  if (!flags.keep) {
    await appserviceApi('PUT', '/api/v1/provisioning/directory', secrets.provisioning_token, {
      accounts: usernames.map((username) => ({ username, displayName: `Bench ${username}`, campaigns: [], active: false })),
    }).catch((err: unknown) => say(`  (could not deactivate the bench agents: ${String(err)})`));
  }

  const runCounters = counterDeltas(countersAtStart, await readCounters(flags.metrics));
  const report = renderReport({ label: flags.label, pairs, seconds, results, openMs, closeMs, syncErrors, processes: groups, runCounters });
  say(`\n${report}`);
  const dir = path.join(import.meta.dirname, '..', 'results');
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `messaging-${flags.label}-${new Date().toISOString().replace(/[:.]/g, '-')}.md`);
  await writeFile(file, `${report}\n`);
  say(`(written to ${path.relative(process.cwd(), file)})`);
  process.exit(0);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench/messaging failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
