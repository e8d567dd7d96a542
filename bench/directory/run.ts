/**
 * The agent picker at scale: seeds 10,000 agents and 300 campaigns into a fresh PostgreSQL
 * database, starts the appservice on a free port and measures the directory API over HTTP (list,
 * filter, search) and the time from a workload report to the live stream. Prints a table, drops
 * the database. Run: `node bench/directory/run.ts` (or `npm run bench`).
 *
 * Environment: CHATTIGO_TEST_PG_URL (the PostgreSQL server, as for the tests), BENCH_AGENTS,
 * BENCH_CAMPAIGNS, BENCH_REQUESTS (per measurement), BENCH_UPDATES (feed → stream samples).
 */
import { sessionToken } from '../../appservice/test/helpers/directory.ts';
import { testSecrets } from '../../appservice/test/helpers/embedded-app.ts';
import { openStream } from '../../appservice/test/helpers/sse.ts';
import { seconds, startBenchApp, withBenchDatabase } from '../harness.ts';
import { random, seedDirectory } from './seed.ts';
import { summarize, table, type Summary } from './stats.ts';

const AGENTS = Number(process.env['BENCH_AGENTS'] ?? 10_000);
const CAMPAIGNS = Number(process.env['BENCH_CAMPAIGNS'] ?? 300);
const REQUESTS = Number(process.env['BENCH_REQUESTS'] ?? 300);
const UPDATES = Number(process.env['BENCH_UPDATES'] ?? 50);
const TIME_LIMIT_MS = 10 * 60_000;

const out = (text: string) => process.stdout.write(`${text}\n`);

async function main(): Promise<void> {
  const started = performance.now();
  await withBenchDatabase('chattigo_bench', TIME_LIMIT_MS, out, async (database) => {
    const seedStart = performance.now();
    const { usernames, viewer } = await seedDirectory(database.db, AGENTS, CAMPAIGNS);
    out(`seeded ${AGENTS} agents, ${CAMPAIGNS} campaigns in ${seconds(seedStart)} s (PostgreSQL)`);

    const { app, base } = await startBenchApp(database);
    const auth = { authorization: `Bearer ${sessionToken(app, viewer)}` };
    const platform = { authorization: `Bearer ${testSecrets.provisioning_token}`, 'content-type': 'application/json' };
    const rows: Summary[] = [];
    try {
      const timeGet = async (name: string, path: string) => {
        const samples: number[] = [];
        let total = 0;
        for (let i = 0; i < REQUESTS + 20; i++) {
          const t0 = performance.now();
          const response = await fetch(`${base}${path}`, { headers: auth });
          const body = (await response.json()) as { total?: number };
          const ms = performance.now() - t0;
          if (response.status !== 200) throw new Error(`${path} → HTTP ${response.status}`);
          total = body.total ?? 0;
          if (i >= 20) samples.push(ms); // the first 20 warm up
        }
        rows.push(summarize(name, samples, `${total} matches`));
      };
      await timeGet('list, first page (50)', '/api/v1/directory?limit=50');
      await timeGet('list, active only', '/api/v1/directory?status=active&limit=50');
      await timeGet('list, inactive, page 20', '/api/v1/directory?status=inactive&limit=50&offset=1000');
      await timeGet('search "josé" (accented)', `/api/v1/directory?q=${encodeURIComponent('josé')}`);
      await timeGet('search "gonza" (partial)', '/api/v1/directory?q=gonza');
      await timeGet('search "maria gonz" (2 words)', `/api/v1/directory?q=${encodeURIComponent('maria gonz')}`);
      await timeGet('search "NÚÑEZ ibañ" (2 words)', `/api/v1/directory?q=${encodeURIComponent('NÚÑEZ ibañ')}`);
      await timeGet('search "zzz" (no match)', '/api/v1/directory?q=zzz');

      // Feed → live stream: a report for one agent until a connected client sees it. The stream
      // sends at most one message per 100 ms, so updates are spaced 150 ms apart here; back to
      // back, a change waits for the end of the current 100 ms.
      const stream = await openStream(`${base}/api/v1/directory/events`, auth);
      await stream.next((e) => e.event === 'ready');
      const rnd = random(7);
      const latencies: number[] = [];
      let clock = Date.now() - 30_000;
      for (let i = 0; i < UPDATES; i++) {
        await new Promise((resolve) => setTimeout(resolve, 150));
        const username = usernames[Math.floor(rnd() * usernames.length)] ?? viewer;
        const count = 100 + i;
        const t0 = performance.now();
        const response = await fetch(`${base}/api/v1/platform/workload`, {
          method: 'PUT',
          headers: platform,
          body: JSON.stringify({ reports: [{ username, status: 'online', chatsInAttention: count, at: new Date((clock += 10)).toISOString() }] }),
        });
        if (response.status !== 200) throw new Error(`feed → HTTP ${response.status}`);
        await response.body?.cancel();
        const event = await stream.next((e) => e.event === 'workload' && e.data.includes(`"username":"${username}","active":true,"chatsInAttention":${count}`));
        latencies.push(event.receivedAt - t0);
      }
      stream.close();
      rows.push(summarize('feed report → live stream', latencies, 'report sent → event read by a connected client'));

      // Feed batches: 1,000 reports each.
      const batchTimes: number[] = [];
      for (let b = 0; b < 10; b++) {
        const reports = Array.from({ length: 1000 }, () => ({
          username: usernames[Math.floor(rnd() * usernames.length)] ?? viewer,
          status: rnd() < 0.5 ? 'online' : 'offline',
          chatsInAttention: Math.floor(rnd() * 10),
          at: new Date((clock += 10)).toISOString(),
        }));
        const t0 = performance.now();
        const response = await fetch(`${base}/api/v1/platform/workload`, { method: 'PUT', headers: platform, body: JSON.stringify({ reports }) });
        await response.text();
        if (response.status !== 200) throw new Error(`feed batch → HTTP ${response.status}`);
        batchTimes.push(performance.now() - t0);
      }
      rows.push(summarize('feed batch of 1,000 reports', batchTimes));
    } finally {
      await app.server.close();
    }
    out('');
    out(`directory API over HTTP, ${AGENTS} agents, ${CAMPAIGNS} campaigns, ${REQUESTS} requests per row (sequential, keep-alive)`);
    out(table(rows));
    out('');
    out(`total ${seconds(started)} s`);
  });
}

await main();
