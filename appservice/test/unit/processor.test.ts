import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { openMigratedStore } from '../helpers/embedded-store.ts';
import type { RoomEvent } from '../../src/matrix/events.ts';
import { createJournalRepository, type JournalRepository } from '../../src/matrix/journal-repository.ts';
import { RoomEventProcessor, type ProcessorOptions, type RoomEventHandler } from '../../src/matrix/processor.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { createMetrics } from '../../src/observability/metrics.ts';
import { roomEvent } from '../helpers/embedded-app.ts';
import { waitFor } from '../helpers/wait.ts';

/** An error as matrix-js-sdk raises it when Synapse is down. */
const outage = () => Object.assign(new Error('fetch failed'), { name: 'ConnectionError' });

describe('room event processor', () => {
  let db: Database;
  let journal: JournalRepository;
  let processor: RoomEventProcessor | undefined;
  let n = 0;

  beforeAll(async () => {
    db = await openMigratedStore();
  });
  afterAll(async () => {
    await db.close();
  });
  beforeEach(async () => {
    await db.query('DELETE FROM appservice_events');
    await db.query('DELETE FROM appservice_dead_letters');
  });
  afterEach(async () => {
    await processor?.stop();
    processor = undefined;
  });

  const start = (handler: RoomEventHandler, options: ProcessorOptions = {}, repo?: JournalRepository) => {
    journal = repo ?? createJournalRepository(db);
    processor = new RoomEventProcessor({
      journal,
      handlers: [handler],
      log: createLogger('silent'),
      metrics: createMetrics(),
      options: { retryDelayMs: 20, maxRetryDelayMs: 200, sweepIntervalMs: 100, ...options },
    });
    return processor;
  };
  const events = (count: number, roomId = '!r') => Array.from({ length: count }, () => roomEvent(++n, roomId));
  const pendingCount = async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM appservice_events WHERE processed_at IS NULL'))[0]?.n;

  it('waits out an outage far longer than its attempt limit, in order, and sets nothing aside', async () => {
    const seen: string[] = [];
    let downUntil = Date.now() + 1500;
    const p = start(
      {
        name: 'needs-synapse',
        handle: async (e: RoomEvent) => {
          if (Date.now() < downUntil) throw outage();
          seen.push(e.event_id);
        },
      },
      { maxAttempts: 2 },
    );
    const batch = events(3);
    await journal.record('t', batch);
    p.schedule(['!r']);
    await waitFor(() => seen.length === 3, 'the events after the outage', 10_000);
    expect(seen).toEqual(batch.map((e) => e.event_id));
    expect((await db.query('SELECT 1 FROM appservice_dead_letters')).length).toBe(0);
    downUntil = 0;
  });

  it('sets an event aside after maxAttempts failures of its own, then moves on', async () => {
    const seen: string[] = [];
    const [bad, good] = events(2);
    const p = start(
      {
        name: 'picky',
        handle: async (e: RoomEvent) => {
          if (e.event_id === bad?.event_id) throw new Error('this event breaks the handler');
          seen.push(e.event_id);
        },
      },
      { maxAttempts: 3 },
    );
    await journal.record('t', [bad, good]);
    p.schedule(['!r']);
    await waitFor(() => seen.length === 1, 'the good event', 10_000);
    const [letter] = await db.query<{ event_id: string; reason: string }>('SELECT event_id, reason FROM appservice_dead_letters');
    expect(letter?.event_id).toBe(bad?.event_id);
    expect(letter?.reason).toMatch(/gave up after 3 failed attempts: this event breaks the handler/);
  });

  it('never strands a room when the journal itself fails (database away)', async () => {
    const real = createJournalRepository(db);
    let failures = 3;
    const flaky: JournalRepository = {
      ...real,
      markFailed: async (...args) => {
        if (failures-- > 0) throw Object.assign(new Error('Connection terminated unexpectedly'), { code: '57P01' });
        return real.markFailed(...args);
      },
      markProcessed: async (seqs) => {
        if (failures-- > 0) throw Object.assign(new Error('Connection terminated unexpectedly'), { code: '57P01' });
        return real.markProcessed(seqs);
      },
    };
    const seen: string[] = [];
    const p = start({ name: 'ok', handle: async (e: RoomEvent) => void seen.push(e.event_id) }, {}, flaky);
    await real.record('t', events(2));
    p.schedule(['!r']);
    await waitFor(async () => (await pendingCount()) === 0, 'the journal to drain', 10_000);
    expect(new Set(seen).size).toBe(2);
  });

  it('marks the events of a batch processed in one statement, and those before a failure before retrying', async () => {
    const real = createJournalRepository(db);
    const marks: string[][] = [];
    const counting: JournalRepository = {
      ...real,
      markProcessed: async (seqs) => {
        marks.push([...seqs]);
        return real.markProcessed(seqs);
      },
    };
    const batch = events(4);
    let failOnce = batch[2]?.event_id;
    const seen: string[] = [];
    const p = start(
      {
        name: 'fails-once',
        handle: async (e: RoomEvent) => {
          if (e.event_id === failOnce) {
            failOnce = undefined;
            throw new Error('once');
          }
          seen.push(e.event_id);
        },
      },
      {},
      counting,
    );
    await real.record('t', batch);
    p.schedule(['!r']);
    await waitFor(async () => (await pendingCount()) === 0, 'the journal to drain', 10_000);
    expect(seen).toEqual(batch.map((e) => e.event_id));
    // Two events, then the failure (their marks go first), then the retried rest in one more.
    expect(marks.map((m) => m.length)).toEqual([2, 2]);
  });

  it('finds rooms with waiting events by itself (the sweep)', async () => {
    const seen: string[] = [];
    const p = start({ name: 'ok', handle: async (e: RoomEvent) => void seen.push(e.event_id) });
    await p.resume();
    // Stored without anyone scheduling the room, as after a failed drain or by another process.
    await journal.record('t', events(2, '!other'));
    await waitFor(() => seen.length === 2, 'the sweep to pick the room up', 10_000);
  });
});
