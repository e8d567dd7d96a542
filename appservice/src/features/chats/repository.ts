import type { Queryable } from '../../db/database.ts';

export interface Chat {
  roomId: string;
  openedBy: string;
  peer: string;
  campaignId: string | null;
  status: 'open' | 'closed';
  openedAt: Date;
  closedBy: string | null;
  closedAt: Date | null;
  typification: { code: string; label: string } | null;
}

export interface ChatListItem extends Chat {
  /** The other participant, seen from the agent the list is for. */
  other: { username: string; displayName: string };
  campaignName: string | null;
}

interface ChatRow {
  room_id: string;
  opened_by: string;
  peer: string;
  campaign_id: string | null;
  status: 'open' | 'closed';
  opened_at: Date;
  closed_by: string | null;
  closed_at: Date | null;
  typification_code: string | null;
  typification_label: string | null;
}

const toChat = (r: ChatRow): Chat => ({
  roomId: r.room_id,
  openedBy: r.opened_by,
  peer: r.peer,
  campaignId: r.campaign_id,
  status: r.status,
  openedAt: new Date(r.opened_at),
  closedBy: r.closed_by,
  closedAt: r.closed_at ? new Date(r.closed_at) : null,
  typification: r.typification_code ? { code: r.typification_code, label: r.typification_label ?? r.typification_code } : null,
});

export const pairKey = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`);

const columns = `c.room_id, c.opened_by, c.peer, c.campaign_id, c.status, c.opened_at, c.closed_by, c.closed_at,
                 c.typification_code, c.typification_label`;

export interface ChatRepository {
  find(roomId: string): Promise<Chat | undefined>;
  findOpen(a: string, b: string): Promise<Chat | undefined>;
  /** Records a new open chat; false when the pair already has one (the unique index decides). */
  insert(chat: { roomId: string; openedBy: string; peer: string; campaignId: string | null; openedAt: Date }): Promise<boolean>;
  /** Marks an open chat closed; false when it was not open. */
  close(roomId: string, by: string, at: Date, typification: { code: string; label: string }): Promise<boolean>;
  listFor(username: string, limit: number): Promise<ChatListItem[]>;
  countOpen(username: string): Promise<number>;
  allOpen(): Promise<Chat[]>;
}

export function createChatRepository(db: Queryable): ChatRepository {
  return {
    async find(roomId) {
      const [row] = await db.query<ChatRow>(`SELECT ${columns} FROM chats c WHERE c.room_id = $1`, [roomId]);
      return row ? toChat(row) : undefined;
    },
    async findOpen(a, b) {
      const [row] = await db.query<ChatRow>(`SELECT ${columns} FROM chats c WHERE c.pair_key = $1 AND c.status = 'open'`, [pairKey(a, b)]);
      return row ? toChat(row) : undefined;
    },
    async insert(chat) {
      const rows = await db.query(
        `INSERT INTO chats (room_id, opened_by, peer, pair_key, campaign_id, status, opened_at)
         VALUES ($1, $2, $3, $4, $5, 'open', $6)
         ON CONFLICT (pair_key) WHERE status = 'open' DO NOTHING RETURNING room_id`,
        [chat.roomId, chat.openedBy, chat.peer, pairKey(chat.openedBy, chat.peer), chat.campaignId, chat.openedAt],
      );
      return rows.length === 1;
    },
    async close(roomId, by, at, typification) {
      const rows = await db.query(
        `UPDATE chats SET status = 'closed', closed_by = $2, closed_at = $3, typification_code = $4, typification_label = $5
          WHERE room_id = $1 AND status = 'open' RETURNING room_id`,
        [roomId, by, at, typification.code, typification.label],
      );
      return rows.length === 1;
    },
    async listFor(username, limit) {
      const rows = await db.query<ChatRow & { other: string; other_name: string; campaign_name: string | null }>(
        `SELECT ${columns},
                CASE WHEN c.opened_by = $1 THEN c.peer ELSE c.opened_by END AS other,
                a.display_name AS other_name, k.name AS campaign_name
           FROM chats c
           JOIN accounts a ON a.username = CASE WHEN c.opened_by = $1 THEN c.peer ELSE c.opened_by END
           LEFT JOIN campaigns k ON k.id = c.campaign_id
          WHERE c.opened_by = $1 OR c.peer = $1
          ORDER BY (c.status = 'open') DESC, COALESCE(c.closed_at, c.opened_at) DESC
          LIMIT $2`,
        [username, limit],
      );
      return rows.map((r) => ({
        ...toChat(r),
        other: { username: r.other, displayName: r.other_name },
        campaignName: r.campaign_name,
      }));
    },
    async countOpen(username) {
      const [row] = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM chats WHERE status = 'open' AND (opened_by = $1 OR peer = $1)`,
        [username],
      );
      return row?.n ?? 0;
    },
    async allOpen() {
      return (await db.query<ChatRow>(`SELECT ${columns} FROM chats c WHERE c.status = 'open'`)).map(toChat);
    },
  };
}
