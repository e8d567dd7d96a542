import { sql, type Expression, type ExpressionBuilder, type Nullable, type Selectable, type SqlBool } from 'kysely';
import type { Database } from '../../db/database.ts';
import { countRows, queryBuilder, type DB, type QueryBuilder } from '../../db/kysely.ts';
import type { AgentWorkload } from '../../db/schema.ts';
import type { Role } from '@chattigo/contracts/roles';
import type { PlatformStatus } from '@chattigo/contracts/directory';

export type StatusFilter = 'all' | 'active' | 'inactive';

export interface ListParams {
  /** The caller, who is not listed. */
  viewer: string;
  /** Folded search words (normalize.ts); every one must occur in the agent's search key. */
  words: readonly string[];
  status: StatusFilter;
  /** Only agents of this campaign; none: every campaign. */
  campaign?: string | undefined;
  limit: number;
  offset: number;
}

export interface ListedAgent {
  username: string;
  displayName: string;
  role: Role;
  active: boolean;
  chatsInAttention: number;
  capacity: number | null;
  atLimit: boolean;
  campaigns: { id: string; name: string }[];
}

/** An agent's directory state after a write, with what it was before (undefined: no row yet). */
export interface WorkloadTransition {
  username: string;
  active: boolean;
  chatsInAttention: number;
  /** Chats in attention reached the reported capacity. */
  atLimit: boolean;
  /** Whether the platform has ever reported this agent (only then is a count published). */
  reported: boolean;
  /** The status message Matrix last reported for the agent. */
  presenceStatusMsg: string | null;
  before: { active: boolean; chatsInAttention: number; atLimit: boolean } | undefined;
}

export interface StoredReport {
  username: string;
  status: PlatformStatus;
  chatsInAttention: number;
  /** Omitted: no limit known (a report replaces the capacity stored before). */
  capacity?: number;
  at: string;
}

export interface PresenceUpdate {
  username: string;
  presence: string;
  statusMsg: string | null;
}

export interface ReportsOutcome {
  /** Usernames with no account. */
  unknown: string[];
  /** Reports applied (each is newer than what was stored). */
  applied: WorkloadTransition[];
}

/** The directory's reads and the workload/presence writes. */
export interface DirectoryRepository {
  list(params: ListParams): Promise<{ agents: ListedAgent[]; total: number }>;
  /** The campaigns with an active account other than `viewer`, by name: what the list can be filtered by. */
  listedCampaigns(viewer: string): Promise<{ id: string; name: string }[]>;
  /**
   * Applies platform reports (at most one per username): a report older than or as old as the
   * stored one is ignored. Returns the unknown usernames and the transitions of applied reports.
   */
  applyReports(reports: readonly StoredReport[]): Promise<ReportsOutcome>;
  /**
   * Stores Matrix presence (at most one per username); users with no account are skipped. Returns
   * the transitions of the rows written: a row is written when its presence or status message
   * changes, or when it was last heard of (`presence_at`) more than `refreshHeardAfterMs` ago.
   */
  applyPresence(updates: readonly PresenceUpdate[], options: { refreshHeardAfterMs: number }): Promise<WorkloadTransition[]>;
  /** Stores `message` as the agent's Matrix status message, which the appservice just wrote. */
  statusMessageWritten(username: string, message: string): Promise<void>;
  /** Agents whose stored Matrix presence is live and was received before `olderThan`. */
  livePresenceOlderThan(olderThan: Date, limit: number): Promise<string[]>;
  /** The campaign spaces (rooms) of each of the given agents, for campaigns that have one. */
  spacesOf(usernames: readonly string[]): Promise<Map<string, string[]>>;
  /** Notifies each payload on `channel` (PostgreSQL NOTIFY), in order, in one statement (live-relay.ts). */
  notify(channel: string, payloads: readonly string[]): Promise<void>;
}

/**
 * Locks the agents' workload rows (in a fixed order, so that concurrent writers cannot deadlock)
 * and returns their values from before the write that follows in the same transaction.
 */
async function lockBefore(tx: QueryBuilder, usernames: readonly string[]): Promise<Map<string, BeforeRow>> {
  const rows = await tx
    .selectFrom('agent_workload')
    .select(['username', 'active', 'chats_in_attention', 'at_limit'])
    .where((eb) => eb('username', '=', eb.fn.any(eb.val([...usernames]))))
    .orderBy('username')
    .forUpdate()
    .execute();
  return new Map(rows.map((r) => [r.username, r]));
}

type BeforeRow = Pick<Selectable<AgentWorkload>, 'username' | 'active' | 'chats_in_attention' | 'at_limit'>;

/**
 * What a write returns of each row it wrote, from the table written (`w`, or `agent_workload`
 * where the INSERT cannot alias it): its state after the write, whether the platform has ever
 * reported the agent, and the status message Matrix last reported.
 */
const written = <T extends 'w' | 'agent_workload'>(table: T) =>
  [
    `${table}.username`,
    `${table}.active`,
    `${table}.chats_in_attention`,
    `${table}.at_limit`,
    sql<boolean>`${sql.ref(`${table}.reported_at`)} IS NOT NULL`.as('reported'),
    `${table}.presence_status_msg`,
  ] as const;

type AfterRow = Pick<Selectable<AgentWorkload>, 'username' | 'active' | 'chats_in_attention' | 'at_limit' | 'presence_status_msg'> & {
  reported: boolean;
};

const toTransition = (row: AfterRow, before: BeforeRow | undefined): WorkloadTransition => ({
  username: row.username,
  active: row.active,
  chatsInAttention: row.chats_in_attention,
  atLimit: row.at_limit,
  reported: row.reported,
  presenceStatusMsg: row.presence_status_msg,
  before: before ? { active: before.active, chatsInAttention: before.chats_in_attention, atLimit: before.at_limit } : undefined,
});

/** A platform report as the write reads it from JSON (jsonb_to_recordset's `r`). */
interface ReportParam {
  username: string;
  status: PlatformStatus;
  chats: number;
  capacity: number | null;
  at: string;
}

/** A presence update as the writes read it from JSON (jsonb_to_recordset's `r`). */
interface PresenceParam {
  username: string;
  presence: string;
  status_msg: string | null;
}

const reportInput = (reports: readonly StoredReport[]) =>
  sql<ReportParam>`jsonb_to_recordset(${JSON.stringify(
    reports.map((r) => ({ username: r.username, status: r.status, chats: r.chatsInAttention, capacity: r.capacity ?? null, at: r.at })),
  )}::jsonb)`.as<'r'>(sql`r(username text, status text, chats integer, capacity integer, at text)`);

const presenceInput = (updates: readonly PresenceUpdate[]) =>
  sql<PresenceParam>`jsonb_to_recordset(${JSON.stringify(
    updates.map((u) => ({ username: u.username, presence: u.presence, status_msg: u.statusMsg })),
  )}::jsonb)`.as<'r'>(sql`r(username text, presence text, status_msg text)`);

/** When presence stored before is to be written again, to tell the poller when the agent was last heard of. */
const heardBefore = (refreshHeardAfterMs: number) => sql<Date>`now() - make_interval(secs => ${refreshHeardAfterMs}::float8 / 1000)`;

/** What the listing's conditions see: the accounts `a` and their workload `w` (NULLs: no row yet). */
type Listed = ExpressionBuilder<DB & { a: DB['accounts']; w: Nullable<DB['agent_workload']> }, 'a' | 'w'>;

/** An agent with no workload row is inactive, not at limit, with no chats. */
const isActive = (eb: Listed) => eb.fn.coalesce('w.active', sql.lit(false));
const isAtLimit = (eb: Listed) => eb.fn.coalesce('w.at_limit', sql.lit(false));

const statusCondition: Record<StatusFilter, (eb: Listed) => Expression<SqlBool>> = {
  all: () => sql.lit(true),
  active: (eb) => isActive(eb),
  inactive: (eb) => eb.not(isActive(eb)),
};

export function createDirectoryRepository(db: Database): DirectoryRepository {
  const qb = queryBuilder(db);

  /** The active accounts other than the viewer that the listing's filters match. */
  const matching = ({ viewer, words, status, campaign }: ListParams) => {
    let query = qb
      .selectFrom('accounts as a')
      .leftJoin('agent_workload as w', 'w.username', 'a.username')
      .where((eb) => eb.ref('a.active'))
      .where('a.username', '<>', viewer)
      .where((eb) => statusCondition[status](eb));
    if (words.length > 0) {
      // Every search word must occur in the folded name or username (strpos: no LIKE escaping).
      query = query.where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom(sql<{ word: string }>`unnest(${[...words]}::text[])`.as<'q'>(sql`q(word)`))
              .select(sql.lit(1).as('one'))
              .where((eb) => eb(eb.fn('strpos', ['a.directory_search', 'q.word']), '=', sql.lit(0))),
          ),
        ),
      );
    }
    if (campaign !== undefined) {
      query = query.where(({ exists, selectFrom }) =>
        exists(
          selectFrom('memberships as f')
            .select(sql.lit(1).as('one'))
            .whereRef('f.username', '=', 'a.username')
            .where('f.campaign_id', '=', campaign),
        ),
      );
    }
    return query;
  };

  return {
    async list(params) {
      const { limit, offset } = params;
      // One statement: the page (available agents first — active and not at limit —, then active
      // ones at limit, then inactive ones; by folded name within each) with the total, then the
      // campaigns of the page's agents only, in one join.
      const rows = await qb
        .with('page', () =>
          matching(params)
            .select((eb) => [
              'a.username',
              'a.display_name',
              'a.role',
              isActive(eb).as('active'),
              eb.fn.coalesce('w.chats_in_attention', sql.lit(0)).as('chats_in_attention'),
              'w.capacity',
              isAtLimit(eb).as('at_limit'),
              'a.directory_sort',
              eb.case().when(eb.not(isActive(eb))).then(sql.lit(2)).when(isAtLimit(eb)).then(sql.lit(1)).else(sql.lit(0)).end().as('band'),
              eb.fn.countAll().over().as('total'),
            ])
            .orderBy('band')
            .orderBy('a.directory_sort')
            .orderBy('a.username')
            .limit(limit)
            .offset(offset),
        )
        .selectFrom('page as p')
        .leftJoin('memberships as m', 'm.username', 'p.username')
        .leftJoin('campaigns as c', 'c.id', 'm.campaign_id')
        .select((eb) => [
          'p.username',
          'p.display_name',
          'p.role',
          'p.active',
          'p.chats_in_attention',
          'p.capacity',
          'p.at_limit',
          eb.cast<string>('p.total', 'text').as('total'),
          eb.fn
            .coalesce(
              eb.fn
                .agg<{ id: string; name: string }[]>('json_agg', [eb.fn('json_build_object', [sql.lit('id'), 'c.id', sql.lit('name'), 'c.name'])])
                .orderBy('c.name')
                .orderBy('c.id')
                .filterWhere('c.id', 'is not', null),
              sql<{ id: string; name: string }[]>`'[]'::json`,
            )
            .as('campaigns'),
        ])
        .groupBy(['p.username', 'p.display_name', 'p.role', 'p.active', 'p.chats_in_attention', 'p.capacity', 'p.at_limit', 'p.band', 'p.total', 'p.directory_sort'])
        .orderBy('p.band')
        .orderBy('p.directory_sort')
        .orderBy('p.username')
        .execute();
      let total = rows[0] ? Number(rows[0].total) : 0;
      if (rows.length === 0 && offset > 0) {
        // Past the last page: the window count is not there, so count on its own.
        const count = await matching(params).select(countRows().as('n')).executeTakeFirst();
        total = count?.n ?? 0;
      }
      return {
        total,
        agents: rows.map((r) => ({
          username: r.username,
          displayName: r.display_name,
          role: r.role,
          active: r.active,
          chatsInAttention: r.chats_in_attention,
          capacity: r.capacity,
          atLimit: r.at_limit,
          campaigns: r.campaigns,
        })),
      };
    },

    listedCampaigns(viewer) {
      return qb
        .selectFrom('campaigns as c')
        .select(['c.id', 'c.name'])
        .where(({ exists, selectFrom }) =>
          exists(
            selectFrom('memberships as m')
              .innerJoin('accounts as a', 'a.username', 'm.username')
              .select(sql.lit(1).as('one'))
              .whereRef('m.campaign_id', '=', 'c.id')
              .where((eb) => eb.ref('a.active'))
              .where('a.username', '<>', viewer),
          ),
        )
        .orderBy('c.name')
        .orderBy('c.id')
        .execute();
    },

    applyReports(reports) {
      return db.transaction(async (tx) => {
        const txb = queryBuilder(tx);
        const known = await txb
          .selectFrom('accounts')
          .select('username')
          .where((eb) => eb('username', '=', eb.fn.any(eb.val(reports.map((r) => r.username)))))
          .execute();
        const knownSet = new Set(known.map((k) => k.username));
        const unknown = reports.filter((r) => !knownSet.has(r.username)).map((r) => r.username);
        const input = reports.filter((r) => knownSet.has(r.username));
        if (input.length === 0) return { unknown, applied: [] };
        const before = await lockBefore(txb, input.map((r) => r.username));
        const rows = await txb
          .insertInto('agent_workload')
          .columns(['username', 'platform_status', 'chats_in_attention', 'capacity', 'reported_at'])
          .expression(
            txb.selectFrom(reportInput(input)).select((eb) => ['r.username', 'r.status', 'r.chats', 'r.capacity', eb.cast<Date>('r.at', 'timestamptz').as('at')]),
          )
          .onConflict((conflict) =>
            conflict
              .column('username')
              .doUpdateSet((eb) => ({
                platform_status: eb.ref('excluded.platform_status'),
                chats_in_attention: eb.ref('excluded.chats_in_attention'),
                capacity: eb.ref('excluded.capacity'),
                reported_at: eb.ref('excluded.reported_at'),
              }))
              .where((eb) =>
                eb.or([eb('agent_workload.reported_at', 'is', null), eb('agent_workload.reported_at', '<', eb.ref('excluded.reported_at'))]),
              ),
          )
          .returning(written('agent_workload'))
          .execute();
        return { unknown, applied: rows.map((row) => toTransition(row, before.get(row.username))) };
      });
    },

    async statusMessageWritten(username, message) {
      await qb.updateTable('agent_workload').set({ presence_status_msg: message }).where('username', '=', username).execute();
    },

    async applyPresence(updates, { refreshHeardAfterMs }) {
      if (updates.length === 0) return [];
      // Synapse pushes presence again for every change of `currently_active` or `last_active_ago`,
      // which the directory does not keep: most updates change nothing. A plain read finds the
      // agents with something to write (a changed presence or status message, no row yet, or
      // `presence_at` older than `refreshHeardAfterMs`: it tells the poller when the agent was last
      // heard of); when there are none, that read is all (on the embedded store the write below
      // costs three times as much even when it matches nothing). The write checks again under its
      // lock, so a change by another process in between is not lost: it is written or its value
      // stays, as when two processes store presence one after the other.
      const due = await qb
        .selectFrom(presenceInput(updates))
        .innerJoin('accounts as a', 'a.username', 'r.username')
        .leftJoin('agent_workload as w', 'w.username', 'r.username')
        .select('r.username')
        .where((eb) =>
          eb.or([
            eb('w.username', 'is', null),
            eb('w.presence', 'is distinct from', eb.ref('r.presence')),
            eb('w.presence_status_msg', 'is distinct from', eb.ref('r.status_msg')),
            eb('w.presence_at', 'is', null),
            eb('w.presence_at', '<', heardBefore(refreshHeardAfterMs)),
          ]),
        )
        .execute();
      if (due.length === 0) return [];
      const dueNames = new Set(due.map((d) => d.username));
      // One statement (each is atomic): `old` locks the existing rows of the agents in a fixed
      // order and keeps their values from before the write — a row updated meanwhile by another
      // writer is re-read when locked (READ COMMITTED) —, `updated` writes the rows where something
      // changes or `presence_at` is old, and `inserted` creates the rows of agents who have none.
      const rows = await qb
        .with('input', (cte) =>
          cte
            .selectFrom(presenceInput(updates.filter((u) => dueNames.has(u.username))))
            .innerJoin('accounts as a', 'a.username', 'r.username')
            .select(['r.username', 'r.presence', 'r.status_msg']),
        )
        .with('old', (cte) =>
          cte
            .selectFrom('agent_workload as w')
            .innerJoin('input as i', 'i.username', 'w.username')
            .select(['w.username', 'w.active', 'w.chats_in_attention', 'w.at_limit'])
            .orderBy('w.username')
            .forUpdate('w'),
        )
        .with('updated', (cte) =>
          cte
            .updateTable('agent_workload as w')
            .from('input as i')
            .innerJoin('old as o', 'o.username', 'i.username')
            .set((eb) => ({ presence: eb.ref('i.presence'), presence_status_msg: eb.ref('i.status_msg'), presence_at: sql<Date>`now()` }))
            .whereRef('w.username', '=', 'i.username')
            .where((eb) =>
              eb.or([
                eb('w.presence', 'is distinct from', eb.ref('i.presence')),
                eb('w.presence_status_msg', 'is distinct from', eb.ref('i.status_msg')),
                eb('w.presence_at', 'is', null),
                eb('w.presence_at', '<', heardBefore(refreshHeardAfterMs)),
              ]),
            )
            .returning([
              ...written('w'),
              (eb) => eb.ref('o.active').$castTo<boolean | null>().as('before_active'),
              (eb) => eb.ref('o.chats_in_attention').$castTo<number | null>().as('before_chats'),
              (eb) => eb.ref('o.at_limit').$castTo<boolean | null>().as('before_at_limit'),
            ]),
        )
        .with('inserted', (cte) =>
          cte
            .insertInto('agent_workload')
            .columns(['username', 'presence', 'presence_status_msg', 'presence_at'])
            .expression(
              cte
                .selectFrom('input as i')
                .select(['i.username', 'i.presence', 'i.status_msg', sql<Date>`now()`.as('presence_at')])
                .where(({ not, exists, selectFrom }) =>
                  not(exists(selectFrom('old as o').select(sql.lit(1).as('one')).whereRef('o.username', '=', 'i.username'))),
                ),
            )
            .onConflict((conflict) =>
              conflict.column('username').doUpdateSet((eb) => ({
                presence: eb.ref('excluded.presence'),
                presence_status_msg: eb.ref('excluded.presence_status_msg'),
                presence_at: eb.ref('excluded.presence_at'),
              })),
            )
            .returning([
              ...written('agent_workload'),
              sql<boolean | null>`NULL::boolean`.as('before_active'),
              sql<number | null>`NULL::integer`.as('before_chats'),
              sql<boolean | null>`NULL::boolean`.as('before_at_limit'),
            ]),
        )
        .selectFrom('updated')
        .selectAll()
        .unionAll((eb) => eb.selectFrom('inserted').selectAll())
        .orderBy('username')
        .execute();
      return rows.map((row) =>
        toTransition(
          row,
          row.before_active === null
            ? undefined
            : { username: row.username, active: row.before_active, chats_in_attention: row.before_chats ?? 0, at_limit: row.before_at_limit ?? false },
        ),
      );
    },

    async livePresenceOlderThan(olderThan, limit) {
      // 'offline' is a literal, as in the predicate of agent_workload_live_presence (migration 030).
      const rows = await qb
        .selectFrom('agent_workload')
        .select('username')
        .where('presence', 'is not', null)
        .where('presence', '<>', sql.lit('offline'))
        .where('presence_at', '<', olderThan)
        .orderBy('presence_at')
        .limit(limit)
        .execute();
      return rows.map((r) => r.username);
    },

    async spacesOf(usernames) {
      const spaces = new Map<string, string[]>();
      if (usernames.length === 0) return spaces;
      const rows = await qb
        .selectFrom('memberships as m')
        .innerJoin('campaigns as c', 'c.id', 'm.campaign_id')
        .select((eb) => ['m.username', eb.ref('c.space_room_id').$notNull().as('space_room_id')])
        .where((eb) => eb('m.username', '=', eb.fn.any(eb.val([...usernames]))))
        .where('c.space_room_id', 'is not', null)
        .orderBy('m.username')
        .orderBy('c.id')
        .execute();
      for (const row of rows) {
        const list = spaces.get(row.username) ?? [];
        list.push(row.space_room_id);
        spaces.set(row.username, list);
      }
      return spaces;
    },

    async notify(channel, payloads) {
      await sql`SELECT pg_notify(${channel}, payload) FROM unnest(${[...payloads]}::text[]) AS payload`.execute(qb);
    },
  };
}
