import { sql } from 'kysely';
import type { Database, Queryable } from '../db/database.ts';
import { countRows, queryBuilder, type QueryBuilder } from '../db/kysely.ts';
import { readRoomEvent, type RoomEvent } from './events.ts';

export interface JournalEntry {
  seq: string;
  event: RoomEvent;
  /** Failed attempts so far that were the event's fault (outages are not counted). */
  attempts: number;
  /** When the event first failed, if it has. */
  firstFailedAt: Date | null;
}

export interface RecordOutcome {
  /** Events stored now. */
  stored: number;
  /** Events whose id was stored before (a redelivery, or the same event in another transaction). */
  duplicates: number;
  /** Entries that are not usable room events, kept in the dead-letter table with the reason. */
  deadLettered: number;
}

export interface Backlog {
  events: number;
  rooms: number;
  /** Age of the oldest waiting event, in seconds (0 when none waits). */
  oldestSeconds: number;
}

export interface DeadLetter {
  eventId: string | null;
  roomId: string | null;
  reason: string;
  createdAt: Date;
}

export interface FailureMark {
  error: string;
  /** The failure was the event's own (a bug, a refusal), not an outage: it counts toward giving up. */
  counted: boolean;
  /** Give up: the event is set aside in the dead-letter table and the room moves on. */
  final: boolean;
}

/** PostgreSQL channel on which followers name the rooms with new events for the leader. */
export const JOURNAL_CHANNEL = 'chattigo_journal';

/** The durable record of appservice transactions and their room events. */
export interface JournalRepository {
  /** Resolves when the store answers (readiness; stored transactions can be accepted again). */
  ping(): Promise<void>;
  /** Tells the leader, on JOURNAL_CHANNEL, which rooms have new events (a follower stored them). */
  handOver(roomIds: readonly string[]): Promise<void>;
  /**
   * Stores a transaction's events in one commit. Never refuses an event for what it contains: an
   * entry that is not a usable room event is kept in the dead-letter table instead. De-duplicates by
   * event id only (transaction ids start again at 1 when Synapse restarts on SQLite).
   */
  record(txnId: string, events: readonly unknown[]): Promise<RecordOutcome>;
  roomsWithPending(): Promise<string[]>;
  pending(roomId: string, limit: number): Promise<JournalEntry[]>;
  /** Marks events processed, in one statement (the events of a batch that went through). */
  markProcessed(seqs: readonly string[]): Promise<void>;
  markFailed(seq: string, mark: FailureMark): Promise<void>;
  backlog(): Promise<Backlog>;
  /** Dead letters written in the last `hours`. */
  deadLetterCount(hours: number): Promise<number>;
  /** The newest dead letters, newest first. */
  recentDeadLetters(limit: number): Promise<DeadLetter[]>;
  /** Forgets processed events and deliveries older than `days` (their ids no longer de-duplicate). */
  prune(days: number): Promise<number>;
  /** Of these transaction ids, the ones stored (by any process) since `since`. */
  receivedSince(txnIds: readonly string[], since: Date): Promise<Set<string>>;
}

/** PostgreSQL text cannot hold NUL; ids and types are indexes, the event text keeps the truth. */
const indexable = (value: string) => value.replaceAll('\u0000', '\uFFFD').slice(0, 255);

interface Usable {
  event: RoomEvent;
  text: string;
}

function sortEntries(raw: readonly unknown[]): { usable: Usable[]; unusable: { raw: unknown; reason: string }[] } {
  const usable: Usable[] = [];
  const unusable: { raw: unknown; reason: string }[] = [];
  for (const entry of raw) {
    const read = readRoomEvent(entry);
    if (read.ok) usable.push({ event: read.event, text: JSON.stringify(entry) });
    else unusable.push({ raw: entry, reason: read.reason });
  }
  return { usable, unusable };
}

async function deadLetter(tx: Queryable, txnId: string | null, entry: unknown, reason: string): Promise<void> {
  const str = (name: string) => {
    const value: unknown = typeof entry === 'object' && entry !== null ? Reflect.get(entry, name) : undefined;
    return typeof value === 'string' ? indexable(value) : null;
  };
  await queryBuilder(tx)
    .insertInto('appservice_dead_letters')
    .values({
      event_id: str('event_id'),
      room_id: str('room_id'),
      txn_id: txnId === null ? null : indexable(txnId),
      reason: reason.slice(0, 2000),
      event: JSON.stringify(entry) ?? 'undefined',
    })
    .execute();
}

/** `interval` days or hours before now. */
const ago = (amount: number, unit: 'days' | 'hours') =>
  unit === 'days' ? sql<Date>`now() - make_interval(days => ${amount})` : sql<Date>`now() - make_interval(hours => ${amount})`;

/**
 * Stores a transaction's usable events and its delivery row in one statement (`json`, not jsonb,
 * keeps each event's text exactly as sent) and answers how many events were new.
 */
async function insertEventsAndDelivery(on: QueryBuilder, txnId: string, usable: readonly Usable[], entries: number): Promise<number> {
  const batch = JSON.stringify(usable.map(({ event, text }) => [indexable(event.event_id), indexable(event.room_id), indexable(event.type), text]));
  const { rows } = await sql<{ stored: number }>`
    WITH inserted AS (
      INSERT INTO appservice_events (event_id, txn_id, room_id, event_type, event)
      SELECT e->>0, ${indexable(txnId)}, e->>1, e->>2, e->>3
        FROM json_array_elements(${batch}::json) WITH ORDINALITY AS t(e, ord)
       ORDER BY ord
      ON CONFLICT (event_id) DO NOTHING
      RETURNING seq
    ), delivery AS (
      INSERT INTO appservice_transactions (txn_id, event_count, stored)
      SELECT ${indexable(txnId)}, ${entries}::int, count(*)::int FROM inserted
      RETURNING stored
    )
    SELECT stored FROM delivery`.execute(on);
  return rows[0]?.stored ?? 0;
}

export function createJournalRepository(db: Database): JournalRepository {
  const qb = queryBuilder(db);
  const markProcessed = (on: QueryBuilder, seq: string) =>
    on.updateTable('appservice_events').set({ processed_at: sql`now()` }).where('seq', '=', seq).execute();
  return {
    async ping() {
      await sql`SELECT 1`.execute(qb);
    },
    async handOver(roomIds) {
      await sql`SELECT pg_notify(${JOURNAL_CHANNEL}, ${JSON.stringify(roomIds)})`.execute(qb);
    },
    async record(txnId, events) {
      const { usable, unusable } = sortEntries(events);
      // The common case, every entry usable (and a presence-only transaction has none): one
      // statement, atomic by itself, instead of BEGIN, two INSERTs and COMMIT — the embedded store
      // pays each round trip in this process's CPU.
      if (unusable.length === 0) {
        const stored = await insertEventsAndDelivery(qb, txnId, usable, events.length);
        return { stored, duplicates: usable.length - stored, deadLettered: 0 };
      }
      return db.transaction(async (tx) => {
        const stored = await insertEventsAndDelivery(queryBuilder(tx), txnId, usable, events.length);
        for (const { raw, reason } of unusable) await deadLetter(tx, txnId, raw, reason);
        return { stored, duplicates: usable.length - stored, deadLettered: unusable.length };
      });
    },

    async roomsWithPending() {
      const rows = await qb.selectFrom('appservice_events').select('room_id').distinct().where('processed_at', 'is', null).execute();
      return rows.map((r) => r.room_id);
    },

    async pending(roomId, limit) {
      const rows = await qb
        .selectFrom('appservice_events')
        .select((eb) => [eb.cast<string>('seq', 'text').as('seq'), 'event', 'attempts', 'first_failed_at'])
        .where('room_id', '=', roomId)
        .where('processed_at', 'is', null)
        .orderBy('appservice_events.seq')
        .limit(limit)
        .execute();
      const entries: JournalEntry[] = [];
      for (const row of rows) {
        const read = readRoomEvent(JSON.parse(row.event));
        if (!read.ok) {
          // Validated when stored; only a hand-edited row gets here. Set it aside rather than stall the room.
          await db.transaction(async (tx) => {
            await deadLetter(tx, null, row.event, `stored event no longer readable: ${read.reason}`);
            await markProcessed(queryBuilder(tx), row.seq);
          });
          continue;
        }
        entries.push({ seq: row.seq, event: read.event, attempts: row.attempts, firstFailedAt: row.first_failed_at });
      }
      return entries;
    },

    async markProcessed(seqs) {
      if (seqs.length === 0) return;
      await qb.updateTable('appservice_events').set({ processed_at: sql`now()` }).where('seq', 'in', seqs).execute();
    },

    async markFailed(seq, mark) {
      const error = indexable(mark.error).slice(0, 2000);
      await db.transaction(async (tx) => {
        const txb = queryBuilder(tx);
        const row = await txb
          .updateTable('appservice_events')
          .set((eb) => ({
            attempts: eb('attempts', '+', mark.counted ? 1 : 0),
            last_error: error,
            first_failed_at: eb.fn.coalesce('first_failed_at', sql<Date>`now()`),
            processed_at: mark.final ? sql<Date>`now()` : null,
          }))
          .where('seq', '=', seq)
          .returning(['event_id', 'room_id', 'txn_id', 'event', 'attempts'])
          .executeTakeFirst();
        if (mark.final && row) {
          await txb
            .insertInto('appservice_dead_letters')
            .values({
              event_id: row.event_id,
              room_id: row.room_id,
              txn_id: row.txn_id,
              reason: `gave up after ${row.attempts} failed attempts: ${error}`,
              event: row.event,
            })
            .execute();
        }
      });
    },

    async backlog() {
      const row = await qb
        .selectFrom('appservice_events')
        .select([
          countRows().as('events'),
          sql<number>`count(DISTINCT room_id)::int`.as('rooms'),
          sql<number | null>`EXTRACT(EPOCH FROM now() - min(received_at))::float8`.as('oldest'),
        ])
        .where('processed_at', 'is', null)
        .executeTakeFirst();
      return { events: row?.events ?? 0, rooms: row?.rooms ?? 0, oldestSeconds: Math.max(0, row?.oldest ?? 0) };
    },

    async deadLetterCount(hours) {
      const row = await qb
        .selectFrom('appservice_dead_letters')
        .select(countRows().as('n'))
        .where('created_at', '>', ago(hours, 'hours'))
        .executeTakeFirst();
      return row?.n ?? 0;
    },

    async recentDeadLetters(limit) {
      const rows = await qb
        .selectFrom('appservice_dead_letters')
        .select(['event_id', 'room_id', 'reason', 'created_at'])
        .orderBy('id', 'desc')
        .limit(limit)
        .execute();
      return rows.map((r) => ({ eventId: r.event_id, roomId: r.room_id, reason: r.reason, createdAt: r.created_at }));
    },

    async receivedSince(txnIds, since) {
      if (txnIds.length === 0) return new Set();
      const rows = await qb
        .selectFrom('appservice_transactions')
        .select('txn_id')
        .distinct()
        .where((eb) => eb('txn_id', '=', eb.fn.any(eb.val(txnIds.map(indexable)))))
        .where('received_at', '>=', since)
        .execute();
      return new Set(rows.map((r) => r.txn_id));
    },

    async prune(days) {
      return db.transaction(async (tx) => {
        const txb = queryBuilder(tx);
        const events = await txb.deleteFrom('appservice_events').where('processed_at', '<', ago(days, 'days')).returning('seq').execute();
        await txb.deleteFrom('appservice_transactions').where('received_at', '<', ago(days, 'days')).execute();
        return events.length;
      });
    },
  };
}
