import { sql, type Selectable } from 'kysely';
import type { Queryable } from '../../db/database.ts';
import { countRows, queryBuilder } from '../../db/kysely.ts';
import type { Chats } from '../../db/schema.ts';

/** Where a chat is in its life: `opening` and `closing` are recorded before Matrix is told. */
export type ChatPhase = Chats['status'];

export interface Chat {
  roomId: string;
  openedBy: string;
  peer: string;
  campaignId: string | null;
  /** What agents see: an opening chat is open, a closing one is closed (its room is read-only already). */
  status: 'open' | 'closed';
  phase: ChatPhase;
  /** The bot command event that closed it, if it was closed by command. */
  closeOrigin: string | null;
  /** Set when the chat was recorded before its room: `roomId` is `opening:<id>` until the room exists. */
  openingId: string | null;
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

type ChatRow = Pick<
  Selectable<Chats>,
  | 'room_id'
  | 'opened_by'
  | 'peer'
  | 'campaign_id'
  | 'status'
  | 'close_origin'
  | 'opening_id'
  | 'opened_at'
  | 'closed_by'
  | 'closed_at'
  | 'typification_code'
  | 'typification_label'
>;

const toChat = (r: ChatRow): Chat => ({
  roomId: r.room_id,
  openedBy: r.opened_by,
  peer: r.peer,
  campaignId: r.campaign_id,
  status: r.status === 'opening' || r.status === 'open' ? 'open' : 'closed',
  phase: r.status,
  closeOrigin: r.close_origin,
  openingId: r.opening_id,
  openedAt: r.opened_at,
  closedBy: r.closed_by,
  closedAt: r.closed_at,
  typification: r.typification_code ? { code: r.typification_code, label: r.typification_label ?? r.typification_code } : null,
});

export const pairKey = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`);

/** The room id a chat has before its room is created. */
export const placeholderRoomId = (openingId: string) => `opening:${openingId}`;
export const isPlaceholder = (roomId: string) => roomId.startsWith('opening:');

/** The phases of a chat that holds its pair (chats_one_open_per_pair). */
const LIVE: ChatPhase[] = ['opening', 'open'];

export interface ClosureRecord {
  by: string;
  at: Date;
  typification: { code: string; label: string };
  origin: string | null;
}

export interface ChatRepository {
  find(roomId: string): Promise<Chat | undefined>;
  /** The chat recorded under an opening id. */
  findByOpening(openingId: string): Promise<Chat | undefined>;
  /** The pair's chat that is open or being opened. */
  findOpen(a: string, b: string): Promise<Chat | undefined>;
  /** Records a new chat as opening; false when the pair already has one (the unique index decides). */
  insert(chat: { roomId: string; openedBy: string; peer: string; campaignId: string | null; openedAt: Date; openingId?: string }): Promise<boolean>;
  /** Gives a chat recorded before its room the room's id; false when it has one already (or is gone). */
  attachRoom(openingId: string, roomId: string): Promise<boolean>;
  /** An opening chat is now open. */
  markOpen(roomId: string): Promise<void>;
  /** Records the close of an open chat before Matrix is told; false when it was not open. */
  beginClose(roomId: string, closure: ClosureRecord): Promise<boolean>;
  /** Marks an open or closing chat closed; false when it was neither. */
  close(roomId: string, closure: ClosureRecord): Promise<boolean>;
  /** Forgets a chat whose room was never set up (it is torn down). */
  remove(roomId: string): Promise<void>;
  listFor(username: string, limit: number): Promise<ChatListItem[]>;
  countOpen(username: string): Promise<number>;
  allOpen(): Promise<Chat[]>;
  /** Chats left opening or closing by a crash or an outage. */
  unfinished(): Promise<Chat[]>;
  /** The space and name of a campaign, for a new chat in it. */
  campaignSpace(campaignId: string): Promise<{ spaceRoomId: string | null; name: string } | undefined>;
  /** Which of these rooms have a chat row. */
  known(roomIds: readonly string[]): Promise<Set<string>>;
}

export function createChatRepository(db: Queryable): ChatRepository {
  const qb = queryBuilder(db);
  const chats = () =>
    qb
      .selectFrom('chats as c')
      .select([
        'c.room_id',
        'c.opened_by',
        'c.peer',
        'c.campaign_id',
        'c.status',
        'c.close_origin',
        'c.opening_id',
        'c.opened_at',
        'c.closed_by',
        'c.closed_at',
        'c.typification_code',
        'c.typification_label',
      ]);
  return {
    async find(roomId) {
      const row = await chats().where('c.room_id', '=', roomId).executeTakeFirst();
      return row ? toChat(row) : undefined;
    },
    async findByOpening(openingId) {
      const row = await chats().where('c.opening_id', '=', openingId).executeTakeFirst();
      return row ? toChat(row) : undefined;
    },
    async findOpen(a, b) {
      const row = await chats().where('c.pair_key', '=', pairKey(a, b)).where('c.status', 'in', LIVE).executeTakeFirst();
      return row ? toChat(row) : undefined;
    },
    async insert(chat) {
      const rows = await qb
        .insertInto('chats')
        .values({
          room_id: chat.roomId,
          opened_by: chat.openedBy,
          peer: chat.peer,
          pair_key: pairKey(chat.openedBy, chat.peer),
          campaign_id: chat.campaignId,
          status: 'opening',
          opened_at: chat.openedAt,
          opening_id: chat.openingId ?? null,
        })
        // chats_one_open_per_pair: one opening or open chat per pair.
        .onConflict((conflict) => conflict.column('pair_key').where('status', 'in', LIVE).doNothing())
        .returning('room_id')
        .execute();
      return rows.length === 1;
    },
    async attachRoom(openingId, roomId) {
      const rows = await qb
        .updateTable('chats')
        .set({ room_id: roomId })
        .where('opening_id', '=', openingId)
        .where('room_id', '=', placeholderRoomId(openingId))
        .returning('room_id')
        .execute();
      return rows.length === 1;
    },
    async markOpen(roomId) {
      await qb.updateTable('chats').set({ status: 'open' }).where('room_id', '=', roomId).where('status', '=', 'opening').execute();
    },
    async beginClose(roomId, c) {
      const rows = await qb
        .updateTable('chats')
        .set({
          status: 'closing',
          closed_by: c.by,
          closed_at: c.at,
          typification_code: c.typification.code,
          typification_label: c.typification.label,
          close_origin: c.origin,
        })
        .where('room_id', '=', roomId)
        .where('status', '=', 'open')
        .returning('room_id')
        .execute();
      return rows.length === 1;
    },
    async close(roomId, c) {
      // A chat whose close was recorded (closing) keeps what was recorded.
      const rows = await qb
        .updateTable('chats')
        .set((eb) => ({
          status: 'closed',
          closed_by: eb.fn.coalesce('closed_by', eb.val(c.by)),
          closed_at: eb.fn.coalesce('closed_at', eb.val(c.at)),
          typification_code: eb.fn.coalesce('typification_code', eb.val(c.typification.code)),
          typification_label: eb.fn.coalesce('typification_label', eb.val(c.typification.label)),
          close_origin: eb.fn.coalesce('close_origin', eb.val(c.origin)),
        }))
        .where('room_id', '=', roomId)
        .where('status', 'in', ['open', 'closing'])
        .returning('room_id')
        .execute();
      return rows.length === 1;
    },
    async remove(roomId) {
      await qb.deleteFrom('chats').where('room_id', '=', roomId).where('status', '=', 'opening').execute();
    },
    async listFor(username, limit) {
      const rows = await chats()
        .innerJoin('accounts as a', (join) =>
          join.on((eb) => eb('a.username', '=', eb.case().when('c.opened_by', '=', username).then(eb.ref('c.peer')).else(eb.ref('c.opened_by')).end())),
        )
        .leftJoin('campaigns as k', 'k.id', 'c.campaign_id')
        .select(['a.username as other', 'a.display_name as other_name', 'k.name as campaign_name'])
        .where((eb) => eb.or([eb('c.opened_by', '=', username), eb('c.peer', '=', username)]))
        .where('c.room_id', 'not like', 'opening:%')
        .orderBy((eb) => eb('c.status', 'in', LIVE), 'desc')
        .orderBy((eb) => eb.fn.coalesce('c.closed_at', 'c.opened_at'), 'desc')
        .limit(limit)
        .execute();
      return rows.map((r) => ({
        ...toChat(r),
        other: { username: r.other, displayName: r.other_name },
        campaignName: r.campaign_name,
      }));
    },
    async countOpen(username) {
      const row = await qb
        .selectFrom('chats')
        .select(countRows().as('n'))
        .where('status', 'in', LIVE)
        .where((eb) => eb.or([eb('opened_by', '=', username), eb('peer', '=', username)]))
        .executeTakeFirst();
      return row?.n ?? 0;
    },
    async allOpen() {
      return (await chats().where('c.status', '=', 'open').execute()).map(toChat);
    },
    async unfinished() {
      return (await chats().where('c.status', 'in', ['opening', 'closing']).execute()).map(toChat);
    },
    async campaignSpace(campaignId) {
      const row = await qb.selectFrom('campaigns').select(['space_room_id', 'name']).where('id', '=', campaignId).executeTakeFirst();
      return row ? { spaceRoomId: row.space_room_id, name: row.name } : undefined;
    },
    async known(roomIds) {
      if (roomIds.length === 0) return new Set();
      const rows = await qb
        .selectFrom('chats')
        .select('room_id')
        // One JSON parameter, however many rooms (a list of parameters has a limit).
        .where('room_id', 'in', sql<string>`(SELECT json_array_elements_text(${JSON.stringify(roomIds)}::json))`)
        .execute();
      return new Set(rows.map((r) => r.room_id));
    },
  };
}
