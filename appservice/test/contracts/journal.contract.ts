import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { migrate } from '../../src/db/migrate.ts';
import { createJournalRepository, type JournalRepository } from '../../src/matrix/journal-repository.ts';
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
      expect(outcome).toEqual({ stored: 3, duplicates: 0, deadLettered: 0 });
      expect((await journal.pending('!a', 10)).map((e) => e.event.event_id)).toEqual(['$event1', '$event2']);
      expect((await journal.roomsWithPending()).sort()).toEqual(['!a', '!b']);
    });

    it('stores the new events of a transaction id seen before (Synapse restarts its ids)', async () => {
      expect(await journal.record('c1', [roomEvent(1, '!a'), roomEvent(4, '!a')])).toEqual({ stored: 1, duplicates: 1, deadLettered: 0 });
      expect((await journal.pending('!a', 10)).map((e) => e.event.event_id)).toEqual(['$event1', '$event2', '$event4']);
    });

    it('skips events already stored by another transaction', async () => {
      expect(await journal.record('c2', [roomEvent(2, '!a'), roomEvent(5, '!a')])).toEqual({ stored: 1, duplicates: 1, deadLettered: 0 });
    });

    it("hands out a room's events in sequence order across a digit boundary (seq 9, 10, …), not as text", async () => {
      const events = Array.from({ length: 12 }, (_, i) => roomEvent(100 + i, '!order'));
      await journal.record('o1', events);
      expect((await journal.pending('!order', 20)).map((e) => e.event.event_id)).toEqual(events.map((e) => e.event_id));
    });

    it('records an empty transaction', async () => {
      expect(await journal.record('c3', [])).toEqual({ stored: 0, duplicates: 0, deadLettered: 0 });
    });

    it('keeps content PostgreSQL jsonb refuses and prototype keys exactly as sent', async () => {
      const hostile = JSON.parse(
        '{"event_id":"$hostile","room_id":"!h","type":"m.room.message","sender":"@x:s","origin_server_ts":1,' +
          '"content":{"msgtype":"m.text","body":"a\\u0000b","__proto__":{"admin":true},"constructor":{"prototype":{"x":1}}}}',
      ) as unknown;
      expect(await journal.record('h1', [hostile])).toEqual({ stored: 1, duplicates: 0, deadLettered: 0 });
      const [entry] = await journal.pending('!h', 10);
      expect(entry?.event.content['body']).toBe('a\u0000b');
      expect(Object.getOwnPropertyNames(entry?.event.content)).toContain('__proto__');
      expect(({} as Record<string, unknown>)['admin']).toBeUndefined();
      if (entry) await journal.markProcessed([entry.seq]);
    });

    it('sets aside entries that are not room events, with the reason, and stores the rest', async () => {
      const outcome = await journal.record('d1', [{ event_id: 42 }, 'nonsense', roomEvent(8, '!d'), null]);
      expect(outcome).toEqual({ stored: 1, duplicates: 0, deadLettered: 3 });
      const letters = await db.query<{ reason: string; txn_id: string }>('SELECT reason, txn_id FROM appservice_dead_letters ORDER BY id');
      expect(letters).toHaveLength(3);
      expect(letters[0]?.reason).toMatch(/not a usable room event/);
      expect(await journal.deadLetterCount(1)).toBe(3);
    });

    it('marks events processed, counts failures, and sets an event aside as a dead letter', async () => {
      const [first, second] = (await journal.pending('!a', 10)).map((e) => e.seq);
      if (!first || !second) throw new Error('expected two pending events');
      await journal.markProcessed([first]);
      await journal.markFailed(second, { error: 'homeserver away', counted: false, final: false });
      let pending = await journal.pending('!a', 10);
      expect(pending[0]).toMatchObject({ seq: second, attempts: 0 });
      expect(pending[0]?.firstFailedAt).toBeInstanceOf(Date);
      await journal.markFailed(second, { error: 'boom', counted: true, final: false });
      expect((await journal.pending('!a', 10))[0]).toMatchObject({ seq: second, attempts: 1 });
      await journal.markFailed(second, { error: 'boom again', counted: true, final: true });
      pending = await journal.pending('!a', 10);
      expect(pending.map((e) => e.event.event_id)).toEqual(['$event4', '$event5']);
      const [letter] = await db.query<{ reason: string }>("SELECT reason FROM appservice_dead_letters WHERE event_id = '$event2'");
      expect(letter?.reason).toMatch(/gave up after 2 failed attempts: boom again/);
    });

    it('hands a room its events in the order they were stored, across 99 → 100', async () => {
      // The events so far have small numbers: the next three are 99, 100 and 101.
      await db.query(`SELECT setval(pg_get_serial_sequence('appservice_events', 'seq'), 98)`);
      await journal.record('o1', [roomEvent(30, '!o'), roomEvent(31, '!o'), roomEvent(32, '!o')]);
      const pending = await journal.pending('!o', 2);
      expect(pending.map((e) => e.event.event_id)).toEqual(['$event30', '$event31']);
      await journal.markProcessed(pending.map((e) => e.seq));
      expect((await journal.pending('!o', 10)).map((e) => e.event.event_id)).toEqual(['$event32']);
    });

    it('marks several events processed at once, and nothing for none', async () => {
      await journal.record('m1', [roomEvent(20, '!m'), roomEvent(21, '!m'), roomEvent(22, '!m')]);
      const [a, b] = (await journal.pending('!m', 10)).map((e) => e.seq);
      if (!a || !b) throw new Error('expected pending events');
      await journal.markProcessed([]);
      await journal.markProcessed([a, b]);
      expect((await journal.pending('!m', 10)).map((e) => e.event.event_id)).toEqual(['$event22']);
    });

    it('reports the backlog and prunes only old processed events', async () => {
      const backlog = await journal.backlog();
      expect(backlog.events).toBeGreaterThan(0);
      expect(backlog.oldestSeconds).toBeGreaterThanOrEqual(0);
      await db.query("UPDATE appservice_events SET processed_at = now() - interval '10 days' WHERE event_id = '$event1'");
      expect(await journal.prune(7)).toBe(1);
      // A pruned id is no longer de-duplicated; waiting events are never pruned.
      expect((await journal.pending('!a', 10)).map((e) => e.event.event_id)).toEqual(['$event4', '$event5']);
    });
  });
}
