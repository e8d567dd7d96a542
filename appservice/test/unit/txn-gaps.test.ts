import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { openMigratedStore } from '../helpers/embedded-store.ts';
import { createJournalRepository, type JournalRepository } from '../../src/matrix/journal-repository.ts';
import { TransactionGaps } from '../../src/matrix/txn-gaps.ts';
import { createLogger } from '../../src/observability/logger.ts';

/** A watcher on a fake clock; `caughtUp` records each catch-up's `since`. */
function watcher(receivedSince: (ids: readonly string[]) => Promise<ReadonlySet<string>> = async () => new Set()) {
  let now = 1_000_000;
  const caughtUp: number[] = [];
  const gaps = new TransactionGaps({
    receivedSince: (ids) => receivedSince(ids),
    catchUp: async (since) => void caughtUp.push(since),
    log: createLogger('silent'),
    graceMs: 10_000,
    now: () => now,
  });
  return { gaps, caughtUp, advance: (ms: number) => (now += ms), at: () => now };
}

describe('transactions Synapse skipped', () => {
  it('catches up once from the transaction before a gap that is never filled', async () => {
    const w = watcher();
    w.gaps.seen('1');
    const before = w.at();
    w.advance(5000);
    w.gaps.seen('2');
    const lastBefore = w.at();
    w.advance(60_000); // a quiet minute, then Synapse sends 4: 3 was created, and stranded, meanwhile
    w.gaps.seen('4');
    expect(w.gaps.pending()).toEqual([3]);
    w.advance(9000);
    await w.gaps.check();
    expect(w.caughtUp).toEqual([]); // still within the grace period
    w.advance(2000);
    await w.gaps.check();
    expect(w.caughtUp).toEqual([lastBefore]);
    expect(lastBefore).toBeGreaterThan(before);
    expect(w.gaps.pending()).toEqual([]);
    await w.gaps.check();
    expect(w.caughtUp).toHaveLength(1);
  });

  it('does nothing when the skipped transaction arrives late (a retry) or another process stored it', async () => {
    const late = watcher();
    late.gaps.seen('10');
    late.gaps.seen('12');
    late.advance(3000);
    late.gaps.seen('11');
    late.advance(20_000);
    await late.gaps.check();
    expect(late.caughtUp).toEqual([]);

    const shared = watcher(async (ids) => new Set(ids));
    shared.gaps.seen('10');
    shared.gaps.seen('13');
    shared.advance(20_000);
    await shared.gaps.check();
    expect(shared.caughtUp).toEqual([]);
    expect(shared.gaps.pending()).toEqual([]);
  });

  it('takes a lower id for a restarted Synapse, and the first id or a huge jump for no gap', async () => {
    const w = watcher();
    w.gaps.seen('500'); // the first transaction this process sees
    w.gaps.seen('503');
    expect(w.gaps.pending()).toEqual([501, 502]);
    w.gaps.seen('1'); // Synapse on SQLite restarted
    expect(w.gaps.pending()).toEqual([]);
    w.gaps.seen('5000');
    w.gaps.seen('not-a-number');
    expect(w.gaps.pending()).toEqual([]);
    w.advance(20_000);
    await w.gaps.check();
    expect(w.caughtUp).toEqual([]);
  });

  it('tries again at the next check when the look-up fails', async () => {
    let fail = true;
    const w = watcher(async () => {
      if (fail) throw new Error('database away');
      return new Set();
    });
    w.gaps.seen('1');
    w.gaps.seen('3');
    w.advance(20_000);
    await w.gaps.check();
    expect(w.caughtUp).toEqual([]);
    expect(w.gaps.pending()).toEqual([2]);
    fail = false;
    await w.gaps.check();
    expect(w.caughtUp).toHaveLength(1);
  });

  describe('the journal’s record of transactions', () => {
    let db: Database;
    let journal: JournalRepository;
    beforeAll(async () => {
      db = await openMigratedStore();
      journal = createJournalRepository(db);
    });
    afterAll(async () => {
      await db.close();
    });

    it('says which transaction ids were stored since a time', async () => {
      const start = new Date(Date.now() - 1000);
      await journal.record('41', []);
      await journal.record('43', []);
      expect(await journal.receivedSince(['41', '42', '43'], start)).toEqual(new Set(['41', '43']));
      expect(await journal.receivedSince(['41'], new Date(Date.now() + 60_000))).toEqual(new Set());
      expect(await journal.receivedSince([], start)).toEqual(new Set());
    });
  });
});
