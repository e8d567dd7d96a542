import type { ReviewChat } from '@chattigo/contracts/reports';
import type { InferResult } from 'kysely';
import type { Queryable } from '../../db/database.ts';
import { queryBuilder, type QueryBuilder } from '../../db/kysely.ts';

export interface ReviewRecord {
  id: string;
  roomId: string;
  reviewer: { username: string; displayName: string };
  reviewedAt: Date;
  campaignId: string | null;
  participants: string[];
}

export interface ReviewRepository {
  /** Chats with a room, most recent first, in `campaigns` (all of them for `all`). */
  listChats(filter: { campaigns: readonly string[] | 'all'; agent?: string; limit: number }): Promise<ReviewChat[]>;
  findChat(roomId: string): Promise<ReviewChat | undefined>;
  /** Records one review and returns its id (the audit row; never updated or deleted). */
  record(roomId: string, reviewer: string): Promise<string>;
  /** The latest reviews, for admins. */
  audit(limit: number): Promise<ReviewRecord[]>;
  displayName(username: string): Promise<string | undefined>;
}

const chats = (qb: QueryBuilder) =>
  qb
    .selectFrom('chats as c')
    .innerJoin('accounts as o', 'o.username', 'c.opened_by')
    .innerJoin('accounts as p', 'p.username', 'c.peer')
    .leftJoin('campaigns as k', 'k.id', 'c.campaign_id')
    .select([
      'c.room_id',
      'c.status',
      'c.campaign_id',
      'k.name as campaign_name',
      'c.opened_by',
      'o.display_name as opener_name',
      'c.peer',
      'p.display_name as peer_name',
      'c.opened_at',
      'c.closed_at',
      'c.typification_code',
      'c.typification_label',
    ]);

type ChatRow = InferResult<ReturnType<typeof chats>>[number];

const toChat = (r: ChatRow): ReviewChat => ({
  roomId: r.room_id,
  status: r.status === 'open' || r.status === 'opening' ? 'open' : 'closed',
  campaignId: r.campaign_id,
  campaignName: r.campaign_name,
  openedBy: { username: r.opened_by, displayName: r.opener_name },
  peer: { username: r.peer, displayName: r.peer_name },
  openedAt: r.opened_at.toISOString(),
  closedAt: r.closed_at?.toISOString() ?? null,
  typification: r.typification_code ? { code: r.typification_code, label: r.typification_label ?? r.typification_code } : null,
});

export function createReviewRepository(db: Queryable): ReviewRepository {
  const qb = queryBuilder(db);
  return {
    async listChats({ campaigns, agent, limit }) {
      let query = chats(qb)
        .where('c.room_id', 'like', '!%')
        .orderBy((eb) => eb.fn.coalesce('c.closed_at', 'c.opened_at'), 'desc')
        .limit(limit);
      if (campaigns !== 'all') query = query.where((eb) => eb('c.campaign_id', '=', eb.fn.any(eb.val(campaigns))));
      if (agent !== undefined) query = query.where((eb) => eb.or([eb('c.opened_by', '=', agent), eb('c.peer', '=', agent)]));
      return (await query.execute()).map(toChat);
    },
    async findChat(roomId) {
      const row = await chats(qb).where('c.room_id', '=', roomId).executeTakeFirst();
      return row ? toChat(row) : undefined;
    },
    async record(roomId, reviewer) {
      const row = await qb
        .insertInto('chat_reviews')
        .values({ room_id: roomId, reviewer })
        .returning((eb) => eb.cast<string>('id', 'text').as('id'))
        .executeTakeFirstOrThrow();
      return row.id;
    },
    async audit(limit) {
      const rows = await qb
        .selectFrom('chat_reviews as r')
        .innerJoin('accounts as a', 'a.username', 'r.reviewer')
        .innerJoin('chats as c', 'c.room_id', 'r.room_id')
        .select((eb) => [
          eb.cast<string>('r.id', 'text').as('id'),
          'r.room_id',
          'r.reviewer',
          'a.display_name as reviewer_name',
          'r.reviewed_at',
          'c.campaign_id',
          'c.opened_by',
          'c.peer',
        ])
        .orderBy('r.reviewed_at', 'desc')
        .orderBy('r.id', 'desc')
        .limit(limit)
        .execute();
      return rows.map((r) => ({
        id: r.id,
        roomId: r.room_id,
        reviewer: { username: r.reviewer, displayName: r.reviewer_name },
        reviewedAt: r.reviewed_at,
        campaignId: r.campaign_id,
        participants: [r.opened_by, r.peer],
      }));
    },
    async displayName(username) {
      const row = await qb.selectFrom('accounts').select('display_name').where('username', '=', username).executeTakeFirst();
      return row?.display_name;
    },
  };
}
