/**
 * Supervisors' reports at scale: seeds 1,000,000 closed chats (5 campaigns, 60 agents, 12
 * typifications, 90 days) into a fresh PostgreSQL database with generate_series, builds the report
 * rollup (migration 130) the way the migration backfills it, starts the appservice on a free port
 * and measures the report API over HTTP. Then, in the same run, the previous exact query (every
 * chat of the range, percentile_cont) against the rollup on the same reports, what the rollup adds
 * to a close, and how far the rollup's medians and p90 are from the exact ones. Prints tables,
 * writes them to bench/results/, drops the database. Run: `node bench/reports/run.ts`.
 *
 * Environment: CHATTIGO_TEST_PG_URL (the PostgreSQL server, as for the tests), BENCH_CHATS,
 * BENCH_REQUESTS (per measurement), BENCH_EXACT_REQUESTS (per measurement of the exact query).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Report } from '../../packages/contracts/src/reports.ts';
import type { Database } from '../../appservice/src/db/database.ts';
import { localDate } from '../../appservice/src/features/reports/periods.ts';
import { ReportService } from '../../appservice/src/features/reports/service.ts';
import { sessionToken } from '../../appservice/test/helpers/directory.ts';
import { summarize, table, type Summary } from '../directory/stats.ts';
import { seconds, startBenchApp, withBenchDatabase } from '../harness.ts';

const CHATS = Number(process.env['BENCH_CHATS'] ?? 1_000_000);
const REQUESTS = Number(process.env['BENCH_REQUESTS'] ?? 30);
const EXACT_REQUESTS = Number(process.env['BENCH_EXACT_REQUESTS'] ?? 5);
const CLOSES = 200;
const CAMPAIGNS = 5;
const AGENTS = 60;
const DAYS = 90;
const TIME_LIMIT_MS = 15 * 60_000;

const printed: string[] = [];
const out = (text: string) => {
  printed.push(text);
  process.stdout.write(`${text}\n`);
};
const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');

async function seed(db: Database): Promise<void> {
  await db.query(`INSERT INTO campaigns (id, name) SELECT 'campana-' || i, 'Campaña ' || i FROM generate_series(1, ${CAMPAIGNS}) i`);
  await db.query(`INSERT INTO accounts (username, display_name) SELECT 'agente' || i, 'Agente ' || i FROM generate_series(1, ${AGENTS}) i`);
  await db.query(`INSERT INTO accounts (username, display_name, role) VALUES ('supervisora', 'Supervisora', 'supervisor'), ('admin', 'Admin', 'admin')`);
  await db.query(`INSERT INTO memberships (username, campaign_id) SELECT 'agente' || i, 'campana-' || (1 + i % ${CAMPAIGNS}) FROM generate_series(1, ${AGENTS}) i`);
  await db.query(`INSERT INTO memberships (username, campaign_id) VALUES ('supervisora', 'campana-1')`);
  // Seeded without the rollup's trigger, then built at once as migration 130 backfills it.
  await db.query('ALTER TABLE chats DISABLE TRIGGER chats_rollup');
  // Each chat: two agents of the same campaign, opened at a pseudo-random moment of the last
  // 90 days, lasting 1 min to 2 h, answered after 5 s to 10 min (one in ten never answered).
  await db.query(
    `INSERT INTO chats (room_id, opened_by, peer, pair_key, campaign_id, status, opened_at, closed_by, closed_at,
                        typification_code, typification_label, first_answer_at)
     SELECT '!bench' || i || ':bench', 'agente' || a, 'agente' || b, 'bench-' || i, 'campana-' || (1 + a % ${CAMPAIGNS}), 'closed', t,
            CASE WHEN i % 2 = 0 THEN 'agente' || a ELSE 'agente' || b END,
            t + (60 + (i * 7919) % 7140) * interval '1 second',
            'TIPO_' || (i % 12), 'Tipificación ' || (i % 12),
            CASE WHEN i % 10 = 0 THEN NULL ELSE t + (5 + (i * 104729) % 595) * interval '1 second' END
       FROM (SELECT i, 1 + i % ${AGENTS} AS a, 1 + (i + ${CAMPAIGNS}) % ${AGENTS} AS b,
                    now() - interval '1 hour' - ((i * 2654435761) % (${DAYS} * 86400)) * interval '1 second' AS t
               FROM generate_series(1::bigint, ${CHATS}) i) s`,
  );
  await db.query('ALTER TABLE chats ENABLE TRIGGER chats_rollup');
  await db.query('VACUUM ANALYZE chats');
}

/** The backfill of migration 130 over the seeded chats. */
async function buildRollup(db: Database): Promise<void> {
  await db.query('SELECT chat_rollup_rebuild(NULL)');
  await db.query('VACUUM ANALYZE chat_rollup');
}

/**
 * What the rollup's trigger adds to a close: CLOSES chats opened and closed one statement at a
 * time as the chats repository closes them, half with the trigger off, half with it on.
 */
async function closes(db: Database): Promise<Summary[]> {
  const run = async (name: string, offset: number): Promise<Summary> => {
    const samples: number[] = [];
    for (let i = 0; i < CLOSES / 2; i++) {
      const room = `!close${offset + i}:bench`;
      await db.query(
        `INSERT INTO chats (room_id, opened_by, peer, pair_key, campaign_id, status, opened_at, first_answer_at)
         VALUES ($1, 'agente1', 'agente6', $1, 'campana-2', 'open', now() - interval '10 minutes', now() - interval '9 minutes')`,
        [room],
      );
      const t0 = performance.now();
      await db.query(
        `UPDATE chats SET status = 'closed', closed_by = 'agente1', closed_at = now(), typification_code = 'TIPO_' || ($2::int % 12),
                typification_label = 'Tipificación ' || ($2::int % 12), close_origin = 'api'
          WHERE room_id = $1 AND status IN ('open', 'closing')`,
        [room, i],
      );
      samples.push(performance.now() - t0);
    }
    return summarize(name, samples);
  };
  await db.query('ALTER TABLE chats DISABLE TRIGGER chats_rollup');
  const without = await run('close a chat, without the rollup trigger', 0);
  // The chats closed without it go into the rollup before the trigger is back.
  await db.query(`SELECT chat_rollup_rebuild('campana-2')`);
  await db.query('ALTER TABLE chats ENABLE TRIGGER chats_rollup');
  const withIt = await run('close a chat, with the rollup trigger', CLOSES);
  return [without, withIt];
}

/** The largest relative gap between the rollup's medians/p90 and the exact ones, over every row. */
function gap(approx: Report, exact: Report): string {
  let worst = 0;
  const pairs = [...approx.rows, approx.total].map((r, i) => [r, [...exact.rows, exact.total][i]] as const);
  for (const [a, e] of pairs) {
    if (!e || a.key !== e.key || a.closed !== e.closed || a.answered !== e.answered) return `rows differ at ${a.key}`;
    for (const [x, y] of [
      [a.duration.median, e.duration.median],
      [a.duration.p90, e.duration.p90],
      [a.firstAnswer.median, e.firstAnswer.median],
      [a.firstAnswer.p90, e.firstAnswer.p90],
    ] as const) {
      if (x === null || y === null) continue;
      worst = Math.max(worst, Math.abs(x - y) / y);
    }
  }
  return `same counts; medians/p90 within ${(worst * 100).toFixed(2)} %`;
}

async function main(): Promise<void> {
  const started = performance.now();
  await withBenchDatabase('chattigo_bench_reports', TIME_LIMIT_MS, out, async (database) => {
    const { db } = database;
    const seedStart = performance.now();
    await seed(db);
    out(`seeded ${CHATS} closed chats in ${seconds(seedStart)} s (PostgreSQL)`);
    const rollupStart = performance.now();
    await buildRollup(db);
    const [{ rows: rollupRows } = { rows: 0 }] = await db.query<{ rows: number }>('SELECT count(*)::int AS rows FROM chat_rollup');
    out(`rollup built (migration 130's backfill) in ${seconds(rollupStart)} s: ${rollupRows} rows; load average ${load()}`);

    const { app, config, base } = await startBenchApp(database);
    const admin = { authorization: `Bearer ${sessionToken(app, 'admin', 'admin')}` };
    const supervisor = { authorization: `Bearer ${sessionToken(app, 'supervisora', 'supervisor')}` };
    const to = localDate(new Date(), config.reports.defaultTimeZone);
    const from = localDate(new Date(Date.now() - (DAYS + 1) * 86_400_000), config.reports.defaultTimeZone);
    const rows: Summary[] = [];
    const compared: Summary[] = [];
    const loadBefore = load();
    try {
      const time = async (name: string, path: string, headers: Record<string, string>) => {
        const samples: number[] = [];
        let note = '';
        for (let i = 0; i < REQUESTS + 3; i++) {
          const t0 = performance.now();
          const response = await fetch(`${base}${path}`, { headers });
          const body = await response.text();
          const ms = performance.now() - t0;
          if (response.status !== 200) throw new Error(`${path} → HTTP ${response.status}: ${body}`);
          if (path.includes('/api/v1/reports?')) note = `${(JSON.parse(body) as { total: { closed: number } }).total.closed} chats`;
          if (i >= 3) samples.push(ms); // the first 3 warm up
        }
        rows.push(summarize(name, samples, note));
      };
      const all = `from=${from}&to=${to}`;
      await time('admin, all campaigns, by typification', `/api/v1/reports?${all}&by=typification`, admin);
      await time('admin, all campaigns, by day', `/api/v1/reports?${all}&by=day`, admin);
      await time('admin, all campaigns, by week', `/api/v1/reports?${all}&by=week`, admin);
      await time('admin, all campaigns, by closing agent', `/api/v1/reports?${all}&by=closer`, admin);
      await time('supervisor, one campaign, by typification', `/api/v1/reports?${all}&by=typification`, supervisor);
      await time('supervisor, default 28 days, by day', '/api/v1/reports?by=day', supervisor);
      await time('admin, CSV export by typification', `/api/v1/reports/export.csv?${all}`, admin);

      // The same reports through the service: the previous exact query against the rollup.
      const exact = new ReportService({ db, defaultTimeZone: config.reports.defaultTimeZone, exactUpTo: Number.POSITIVE_INFINITY });
      const rolled = new ReportService({ db, defaultTimeZone: config.reports.defaultTimeZone });
      const adminViewer = { username: 'admin', role: 'admin' as const };
      for (const by of ['typification', 'day', 'closer'] as const) {
        const query = { from, to, by };
        const sample = async (service: ReportService, n: number) => {
          const samples: number[] = [];
          let last: Report | undefined;
          for (let i = 0; i < n + 1; i++) {
            const t0 = performance.now();
            last = await service.report(adminViewer, query, 'es');
            if (i >= 1) samples.push(performance.now() - t0); // the first warms up
          }
          if (!last) throw new Error('no report');
          return { samples, last };
        };
        const before = await sample(exact, EXACT_REQUESTS);
        const after = await sample(rolled, REQUESTS);
        compared.push(summarize(`exact query (previous), by ${by}`, before.samples, `${before.last.total.closed} chats`));
        compared.push(summarize(`rollup, by ${by}`, after.samples, gap(after.last, before.last)));
      }
    } finally {
      await app.server.close();
    }
    const loadAfter = load();
    out('');
    out(`report API over HTTP, ${CHATS} closed chats over ${DAYS} days, ${REQUESTS} requests per row (sequential, keep-alive)`);
    out(table(rows));
    out('');
    out(`the same reports through ReportService (admin, all campaigns, ${DAYS} days): previous exact query vs rollup`);
    out(table(compared));
    out('');
    out(`what the rollup's trigger adds to a close (on the ${CHATS}-chat database, ${CLOSES / 2} closes each)`);
    out(table(await closes(db)));
    out('');
    out(`load average (1, 5, 15 min) before ${loadBefore}, after ${loadAfter}; ${os.cpus().length} cores`);
    out(`total ${seconds(started)} s`);
    const dir = path.join(import.meta.dirname, '..', 'results');
    await mkdir(dir, { recursive: true });
    const file = path.join(dir, `reports-${new Date().toISOString().replace(/[:.]/g, '-')}.txt`);
    await writeFile(file, `${printed.join('\n')}\n`);
    process.stdout.write(`results written to ${path.relative(process.cwd(), file)}\n`);
  });
}

await main();
