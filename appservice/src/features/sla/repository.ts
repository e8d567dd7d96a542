import type { Selectable } from 'kysely';
import type { Queryable } from '../../db/database.ts';
import { queryBuilder } from '../../db/kysely.ts';
import type { SlaQuestions } from '../../db/schema.ts';
import type { Question } from './model.ts';

/** An open question with what the scan and the listings need. */
export interface StoredQuestion extends Question {
  campaignId: string | null;
}

export interface Escalation {
  eventId: string;
  roomId: string;
  campaignId: string | null;
  asker: string;
  askee: string;
  askedAt: Date;
  slaMs: number;
  escalatedAt: Date;
}

type QuestionRow = Omit<Selectable<SlaQuestions>, 'remind_at' | 'escalate_at'>;

const toQuestion = (r: QuestionRow): StoredQuestion => ({
  roomId: r.room_id,
  eventId: r.event_id,
  asker: r.asker,
  askee: r.askee,
  campaignId: r.campaign_id,
  askedAt: r.asked_at.getTime(),
  slaMs: r.sla_ms,
  reminded: r.reminded_at !== null,
  escalated: r.escalated_at !== null,
});

const columns = ['q.room_id', 'q.event_id', 'q.asker', 'q.askee', 'q.campaign_id', 'q.asked_at', 'q.sla_ms', 'q.reminded_at', 'q.escalated_at'] as const;

export interface SlaRepository {
  /** The campaign's own SLA in minutes (null: the default), or undefined for an unknown campaign. */
  campaignMinutes(campaignId: string): Promise<number | null | undefined>;
  open(roomId: string): Promise<StoredQuestion | undefined>;
  /**
   * What a message in a chat is judged against, in one query (it runs for every message): the
   * campaign's SLA minutes as `campaignMinutes` gives them and the chat's open question.
   */
  messageContext(roomId: string, campaignId: string | null): Promise<{ campaignMinutes: number | null | undefined; open: StoredQuestion | undefined }>;
  /** Replaces the chat's open question with `question` (undefined: just clears it). */
  replace(roomId: string, question: StoredQuestion | undefined): Promise<void>;
  /** Questions of open chats with something due at `now`, oldest first. */
  due(now: Date, limit: number): Promise<StoredQuestion[]>;
  markReminded(eventId: string, at: Date): Promise<void>;
  /** Records the escalation (once per question) and marks the question escalated. */
  escalate(question: StoredQuestion, at: Date): Promise<void>;
  /** Active supervisors of the campaign. */
  supervisorsOf(campaignId: string): Promise<string[]>;
  supervisorRoom(username: string): Promise<string | undefined>;
  /** Stores the supervisor's room unless one is stored already; returns the stored one. */
  saveSupervisorRoom(username: string, roomId: string): Promise<string>;
  /** Open questions past their SLA in the given campaigns (all campaigns: undefined). */
  overdue(now: Date, campaignIds: readonly string[] | undefined): Promise<StoredQuestion[]>;
  escalations(campaignIds: readonly string[] | undefined, limit: number): Promise<Escalation[]>;
  /** Display names of accounts and campaign names, by username / campaign id (unknown ones left out). */
  names(usernames: readonly string[], campaignIds: readonly string[]): Promise<{ people: Map<string, string>; campaigns: Map<string, string> }>;
  /** The campaigns of an account. */
  campaignsOf(username: string): Promise<string[]>;
}

export function createSlaRepository(db: Queryable): SlaRepository {
  const qb = queryBuilder(db);
  /** The open chats' questions. */
  const openQuestions = () => qb.selectFrom('sla_questions as q').innerJoin('chats as c', (join) => join.onRef('c.room_id', '=', 'q.room_id').on('c.status', '=', 'open')).select(columns);
  const supervisorRoom = async (username: string) =>
    (await qb.selectFrom('sla_supervisor_rooms').select('room_id').where('username', '=', username).executeTakeFirst())?.room_id;
  return {
    async campaignMinutes(campaignId) {
      const row = await qb.selectFrom('campaigns').select('sla_minutes').where('id', '=', campaignId).executeTakeFirst();
      return row ? row.sla_minutes : undefined;
    },
    async messageContext(roomId, campaignId) {
      const [row] = await db.query<Partial<QuestionRow> & { campaign_known: boolean; sla_minutes: number | null }>(
        `SELECT c.id IS NOT NULL AS campaign_known, c.sla_minutes, ${columns}
           FROM (SELECT 1) AS one
           LEFT JOIN campaigns c ON c.id = $2
           LEFT JOIN sla_questions q ON q.room_id = $1`,
        [roomId, campaignId],
      );
      const campaignMinutes = campaignId === null ? null : row?.campaign_known ? row.sla_minutes : undefined;
      return { campaignMinutes, open: row?.room_id ? toQuestion(row as QuestionRow) : undefined };
    },
    async open(roomId) {
      const row = await qb.selectFrom('sla_questions as q').select(columns).where('q.room_id', '=', roomId).executeTakeFirst();
      return row ? toQuestion(row) : undefined;
    },
    async replace(roomId, q) {
      await qb.deleteFrom('sla_questions').where('room_id', '=', roomId).execute();
      if (!q) return;
      await qb
        .insertInto('sla_questions')
        .values({
          room_id: roomId,
          event_id: q.eventId,
          asker: q.asker,
          askee: q.askee,
          campaign_id: q.campaignId,
          asked_at: new Date(q.askedAt),
          sla_ms: q.slaMs,
          remind_at: new Date(q.askedAt + q.slaMs),
          escalate_at: new Date(q.askedAt + 2 * q.slaMs),
        })
        .onConflict((conflict) => conflict.doNothing())
        .execute();
    },
    async due(now, limit) {
      const rows = await openQuestions()
        .where((eb) =>
          eb.or([
            eb.and([eb('q.reminded_at', 'is', null), eb('q.remind_at', '<=', now)]),
            eb.and([eb('q.escalated_at', 'is', null), eb('q.escalate_at', '<=', now)]),
          ]),
        )
        .orderBy('q.asked_at')
        .limit(limit)
        .execute();
      return rows.map(toQuestion);
    },
    async markReminded(eventId, at) {
      await qb.updateTable('sla_questions').set({ reminded_at: at }).where('event_id', '=', eventId).where('reminded_at', 'is', null).execute();
    },
    async escalate(q, at) {
      await qb
        .insertInto('sla_escalations')
        .values({
          event_id: q.eventId,
          room_id: q.roomId,
          campaign_id: q.campaignId,
          asker: q.asker,
          askee: q.askee,
          asked_at: new Date(q.askedAt),
          sla_ms: q.slaMs,
          escalated_at: at,
        })
        .onConflict((conflict) => conflict.column('event_id').doNothing())
        .execute();
      await qb.updateTable('sla_questions').set({ escalated_at: at }).where('event_id', '=', q.eventId).where('escalated_at', 'is', null).execute();
    },
    async supervisorsOf(campaignId) {
      const rows = await qb
        .selectFrom('accounts as a')
        .innerJoin('memberships as m', 'm.username', 'a.username')
        .select('a.username')
        .where('m.campaign_id', '=', campaignId)
        .where('a.role', '=', 'supervisor')
        .where('a.active', '=', true)
        .orderBy('a.username')
        .execute();
      return rows.map((r) => r.username);
    },
    supervisorRoom,
    async saveSupervisorRoom(username, roomId) {
      await qb
        .insertInto('sla_supervisor_rooms')
        .values({ username, room_id: roomId })
        .onConflict((conflict) => conflict.column('username').doNothing())
        .execute();
      return (await supervisorRoom(username)) ?? roomId;
    },
    async overdue(now, campaignIds) {
      let query = openQuestions().where('q.remind_at', '<=', now);
      if (campaignIds) query = query.where((eb) => eb('q.campaign_id', '=', eb.fn.any(eb.val([...campaignIds]))));
      const rows = await query.orderBy('q.asked_at').limit(200).execute();
      return rows.map(toQuestion);
    },
    async escalations(campaignIds, limit) {
      let query = qb
        .selectFrom('sla_escalations')
        .select(['event_id', 'room_id', 'campaign_id', 'asker', 'askee', 'asked_at', 'sla_ms', 'escalated_at']);
      if (campaignIds) query = query.where((eb) => eb('campaign_id', '=', eb.fn.any(eb.val([...campaignIds]))));
      const rows = await query.orderBy('escalated_at', 'desc').limit(limit).execute();
      return rows.map((r) => ({
        eventId: r.event_id,
        roomId: r.room_id,
        campaignId: r.campaign_id,
        asker: r.asker,
        askee: r.askee,
        askedAt: r.asked_at,
        slaMs: r.sla_ms,
        escalatedAt: r.escalated_at,
      }));
    },
    async names(usernames, campaignIds) {
      const people = await qb
        .selectFrom('accounts')
        .select(['username', 'display_name'])
        .where((eb) => eb('username', '=', eb.fn.any(eb.val([...usernames]))))
        .execute();
      const campaigns = await qb
        .selectFrom('campaigns')
        .select(['id', 'name'])
        .where((eb) => eb('id', '=', eb.fn.any(eb.val([...campaignIds]))))
        .execute();
      return {
        people: new Map(people.map((p) => [p.username, p.display_name])),
        campaigns: new Map(campaigns.map((c) => [c.id, c.name])),
      };
    },
    async campaignsOf(username) {
      const rows = await qb.selectFrom('memberships').select('campaign_id').where('username', '=', username).orderBy('campaign_id').execute();
      return rows.map((r) => r.campaign_id);
    },
  };
}
