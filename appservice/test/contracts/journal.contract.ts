import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { migrate } from '../../src/db/migrate.ts';
import { createJournalRepository, type JournalRepository } from '../../src/matrix/journal.ts';
import { roomEvent } from '../helpers/embedded-app.ts';

/** The behaviour every store must show for the transaction journal. */
export function journalContract(storeName: string, open: () => Promise<{ db: Database; dispose(): Promise<void> }>) {
  describe(`journal repository on ${storeName}`, () => {
    let db: Database;
    let dispose: () => Promise<void>;
    let journal: JournalRepository;

    beforeAll(async () => {
      ({ db, dispose } = await open());
      await migrate(db);
      journal = createJournalRepository(db);
    });
    afterAll(async () => {
      await dispose();
    });

    it('records a transaction with its events in arrival order', async () => {
      const outcome = await journal.record('c1', [roomEvent(1, '!a'), roomEvent(2, '!a'), roomEvent(3, '!b')]);
      expect(outcome).toEqual({ duplicate: false, stored: 3 });
      expect((await journal.pending('!a', 10)).map((e) => e.event.event_id)).toEqual(['$event1', '$event2']);
      expect((await journal.roomsWithPending()).sort()).toEqual(['!a', '!b']);
    });

    it('treats a repeated transaction id as a duplicate and stores nothing new', async () => {
      expect(await journal.record('c1', [roomEvent(4, '!a')])).toEqual({ duplicate: true, stored: 0 });
      expect(await journal.pending('!a', 10)).toHaveLength(2);
    });

    it('skips events already stored by another transaction', async () => {
      expect(await journal.record('c2', [roomEvent(2, '!a'), roomEvent(5, '!a')])).toEqual({ duplicate: false, stored: 1 });
    });

    it('records an empty transaction', async () => {
      expect(await journal.record('c3', [])).toEqual({ duplicate: false, stored: 0 });
    });

    it('marks events processed, or failed and finally set aside', async () => {
      const [first, second] = (await journal.pending('!a', 10)).map((e) => e.seq);
      if (!first || !second) throw new Error('expected two pending events');
      await journal.markProcessed(first);
      await journal.markFailed(second, 'boom', false);
      let pending = await journal.pending('!a', 10);
      expect(pending[0]).toMatchObject({ seq: second, attempts: 1 });
      await journal.markFailed(second, 'boom again', true);
      pending = await journal.pending('!a', 10);
      expect(pending.map((e) => e.event.event_id)).toEqual(['$event5']);
    });

    it('rolls back a transaction whose events cannot be stored', async () => {
      const bad = { ...roomEvent(6, '!a'), event_id: null } as unknown as ReturnType<typeof roomEvent>;
      await expect(journal.record('c4', [roomEvent(7, '!a'), bad])).rejects.toThrow();
      expect(await journal.record('c4', [])).toEqual({ duplicate: false, stored: 0 });
      expect((await journal.pending('!a', 10)).map((e) => e.event.event_id)).not.toContain('$event7');
    });
  });
}
