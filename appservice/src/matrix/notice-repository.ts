import { NoticeMetaSchema } from '@chattigo/contracts/notices';
import { sql, type Selectable } from 'kysely';
import Type, { type Static } from 'typebox';
import Value from 'typebox/value';
import type { Queryable } from '../db/database.ts';
import { queryBuilder } from '../db/kysely.ts';
import type { BotNotices } from '../db/schema.ts';

/** What a notice carries besides its body (all optional); stored as JSON with the notice. */
export const NoticeExtraSchema = Type.Object({
  /** The HTML version (`org.matrix.custom.html`), e.g. with a mention pill. */
  html: Type.Optional(Type.String()),
  /** Matrix ids mentioned (`m.mentions`): their clients highlight the notice. */
  mentions: Type.Optional(Type.Array(Type.String())),
  /** `com.chattigo.notice`: kind, recipients and the web client's texts. */
  meta: Type.Optional(NoticeMetaSchema),
  /** Further content fields of a feature (e.g. `com.chattigo.sla`), sent beside the others, never replacing them. */
  fields: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
});
export type NoticeExtra = Static<typeof NoticeExtraSchema>;

export interface NoticeRecord {
  key: string;
  roomId: string;
  body: string;
  extra: NoticeExtra | null;
  inReplyTo: string | null;
  sent: boolean;
}

/** The recorded notices (table bot_notices). */
export interface NoticeRepository {
  /**
   * Records a notice unless one with this key exists; resolves to the record that holds, and
   * `created` when this call made it (else an earlier attempt did, and may have sent it).
   */
  record(notice: Omit<NoticeRecord, 'sent' | 'extra'> & { extra?: NoticeExtra | null }): Promise<NoticeRecord & { created: boolean }>;
  find(key: string): Promise<NoticeRecord | undefined>;
  markSent(key: string): Promise<void>;
  /** A notice recorded before its room existed gets its room. */
  moveToRoom(key: string, roomId: string): Promise<void>;
  forget(key: string): Promise<void>;
}

type NoticeRow = Pick<Selectable<BotNotices>, 'key' | 'room_id' | 'body' | 'extra' | 'in_reply_to' | 'sent_at'>;

const toRecord = (r: NoticeRow): NoticeRecord => ({
  key: r.key,
  roomId: r.room_id,
  body: r.body,
  // Written by record() below; anything else (a hand edit) is left out rather than sent.
  extra: Value.Check(NoticeExtraSchema, r.extra) ? r.extra : null,
  inReplyTo: r.in_reply_to,
  sent: r.sent_at !== null,
});

export function createNoticeRepository(db: Queryable): NoticeRepository {
  const qb = queryBuilder(db);
  const find = async (key: string) => {
    const row = await qb
      .selectFrom('bot_notices')
      .select(['key', 'room_id', 'body', 'extra', 'in_reply_to', 'sent_at'])
      .where('key', '=', key)
      .executeTakeFirst();
    return row ? toRecord(row) : undefined;
  };
  return {
    find,
    async record(notice) {
      const inserted = await qb
        .insertInto('bot_notices')
        .values({
          key: notice.key,
          room_id: notice.roomId,
          body: notice.body,
          extra: notice.extra ? JSON.stringify(notice.extra) : null,
          in_reply_to: notice.inReplyTo,
        })
        .onConflict((conflict) => conflict.column('key').doNothing())
        .returning('key')
        .executeTakeFirst();
      const held = await find(notice.key);
      if (!held) throw new Error(`notice ${notice.key} vanished after insert`);
      return { ...held, created: inserted !== undefined };
    },
    async moveToRoom(key, roomId) {
      await qb.updateTable('bot_notices').set({ room_id: roomId }).where('key', '=', key).where('sent_at', 'is', null).execute();
    },
    async forget(key) {
      await qb.deleteFrom('bot_notices').where('key', '=', key).where('sent_at', 'is', null).execute();
    },
    async markSent(key) {
      await qb.updateTable('bot_notices').set({ sent_at: sql`now()` }).where('key', '=', key).where('sent_at', 'is', null).execute();
    },
  };
}
