import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { startLeadership, type Leadership } from '../../src/db/leadership.ts';
import { openPostgres } from '../../src/db/postgres.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { waitFor } from '../helpers/wait.ts';

const KEY = 4242;

describe('journal consumer leadership on PostgreSQL', () => {
  let database: TestDatabase;
  let a: Database;
  let b: Database;
  const log = createLogger('silent');

  beforeAll(async () => {
    database = await createTestDatabase();
    a = openPostgres(database.url);
    b = openPostgres(database.url);
  });
  afterAll(async () => {
    await a.close();
    await b.close();
    await database.drop();
  });

  const lead = (db: Database, events: string[], name: string): Leadership =>
    startLeadership(db, {
      key: KEY,
      log,
      intervalMs: 200,
      onGain: () => void events.push(`${name} leads`),
      onLose: () => void events.push(`${name} follows`),
    });

  it('has one leader, and a follower takes over when the leader’s connection dies', async () => {
    const events: string[] = [];
    const first = lead(a, events, 'a');
    const second = lead(b, events, 'b');
    try {
      await waitFor(() => first.isLeader() || second.isLeader(), 'a leader');
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect([first.isLeader(), second.isLeader()].filter(Boolean)).toHaveLength(1);
      const [leader, follower, name] = first.isLeader() ? [first, second, 'a'] : [second, first, 'b'];

      // As when the leader's process is killed: PostgreSQL ends its session and frees the lock.
      await a.query(`SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND objid = $1 AND granted`, [KEY]);
      const started = Date.now();
      await waitFor(() => follower.isLeader(), 'the follower to take over', 10_000);
      expect(Date.now() - started).toBeLessThan(10_000);
      // The old leader finds out at its next check of the connection.
      await waitFor(() => !leader.isLeader(), 'the old leader to step down');
      expect(events).toContain(`${name} follows`);
    } finally {
      await first.stop();
      await second.stop();
    }
  });

  it('hands notifications to a listener on another connection', async () => {
    const got: string[] = [];
    const stop = await a.listen('chattigo_journal', (payload) => void got.push(payload));
    await b.query('SELECT pg_notify($1, $2)', ['chattigo_journal', JSON.stringify(['!room:x'])]);
    await waitFor(() => got.length === 1, 'the notification');
    expect(JSON.parse(got[0] ?? '[]')).toEqual(['!room:x']);
    await stop();
  });
});
