import type { Database } from '../db/database.ts';
import type { RoomEvent } from './events.ts';

export interface JournalEntry {
  seq: string;
  event: RoomEvent;
  attempts: number;
}

export interface RecordOutcome {
  /** The transaction id had been received before; nothing new was stored. */
  duplicate: boolean;
  /** Events stored now (an event id seen in an earlier transaction is not stored again). */
  stored: number;
}

/** The durable record of appservice transactions and their room events. */
export interface JournalRepository {
  record(txnId: string, events: readonly RoomEvent[]): Promise<RecordOutcome>;
  roomsWithPending(): Promise<string[]>;
  pending(roomId: string, limit: number): Promise<JournalEntry[]>;
  markProcessed(seq: string): Promise<void>;
  /** Counts a failed attempt; with `final`, the event is set aside and the room moves on. */
  markFailed(seq: string, error: string, final: boolean): Promise<void>;
}

export function createJournalRepository(db: Database): JournalRepository {
  return {
    record(txnId, events) {
      return db.transaction(async (tx) => {
        const inserted = await tx.query(
          `INSERT INTO appservice_transactions (txn_id, event_count) VALUES ($1, $2)
           ON CONFLICT (txn_id) DO NOTHING RETURNING txn_id`,
          [txnId, events.length],
        );
        if (inserted.length === 0) {
          await tx.query('UPDATE appservice_transactions SET deliveries = deliveries + 1 WHERE txn_id = $1', [txnId]);
          return { duplicate: true, stored: 0 };
        }
        if (events.length === 0) return { duplicate: false, stored: 0 };
        const rows = await tx.query(
          `INSERT INTO appservice_events (event_id, txn_id, room_id, event_type, event)
           SELECT e->>'event_id', $1, e->>'room_id', e->>'type', e
             FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS t(e, ord)
            ORDER BY ord
           ON CONFLICT (event_id) DO NOTHING
           RETURNING seq`,
          [txnId, JSON.stringify(events)],
        );
        return { duplicate: false, stored: rows.length };
      });
    },

    async roomsWithPending() {
      const rows = await db.query<{ room_id: string }>(
        'SELECT DISTINCT room_id FROM appservice_events WHERE processed_at IS NULL',
      );
      return rows.map((r) => r.room_id);
    },

    async pending(roomId, limit) {
      const rows = await db.query<{ seq: string; event: RoomEvent; attempts: number }>(
        `SELECT seq::text AS seq, event, attempts FROM appservice_events
          WHERE room_id = $1 AND processed_at IS NULL ORDER BY seq LIMIT $2`,
        [roomId, limit],
      );
      return rows;
    },

    async markProcessed(seq) {
      await db.query('UPDATE appservice_events SET processed_at = now() WHERE seq = $1', [seq]);
    },

    async markFailed(seq, error, final) {
      await db.query(
        `UPDATE appservice_events
            SET attempts = attempts + 1, last_error = $2, processed_at = CASE WHEN $3 THEN now() END
          WHERE seq = $1`,
        [seq, error.slice(0, 2000), final],
      );
    },
  };
}
