import type { Database, Queryable } from '../../db/database.ts';
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
}

/**
 * Locks the agents' workload rows (in a fixed order, so that concurrent writers cannot deadlock)
 * and returns their values from before the write that follows in the same transaction.
 */
async function lockBefore(tx: Queryable, usernames: readonly string[]): Promise<Map<string, BeforeRow>> {
  const rows = await tx.query<BeforeRow>(
    `SELECT username, active, chats_in_attention, at_limit FROM agent_workload
      WHERE username = ANY($1::text[]) ORDER BY username FOR UPDATE`,
    [usernames],
  );
  return new Map(rows.map((r) => [r.username, r]));
}

interface BeforeRow {
  username: string;
  active: boolean;
  chats_in_attention: number;
  at_limit: boolean;
}

interface AfterRow {
  username: string;
  active: boolean;
  chats_in_attention: number;
  at_limit: boolean;
  reported: boolean;
  presence_status_msg: string | null;
}

const returning = 'RETURNING w.username, w.active, w.chats_in_attention, w.at_limit, w.reported_at IS NOT NULL AS reported, w.presence_status_msg';

const toTransition = (row: AfterRow, before: BeforeRow | undefined): WorkloadTransition => ({
  username: row.username,
  active: row.active,
  chatsInAttention: row.chats_in_attention,
  atLimit: row.at_limit,
  reported: row.reported,
  presenceStatusMsg: row.presence_status_msg,
  before: before ? { active: before.active, chatsInAttention: before.chats_in_attention, atLimit: before.at_limit } : undefined,
});

const statusCondition: Record<StatusFilter, string> = {
  all: 'true',
  active: 'coalesce(w.active, false)',
  inactive: 'NOT coalesce(w.active, false)',
};

export function createDirectoryRepository(db: Database): DirectoryRepository {
  return {
    async list({ viewer, words, status, campaign, limit, offset }) {
      const params: unknown[] = [viewer];
      const conditions = ['a.active', 'a.username <> $1', statusCondition[status]];
      if (words.length > 0) {
        // Every search word must occur in the folded name or username (strpos: no LIKE escaping).
        params.push(words);
        conditions.push(`NOT EXISTS (SELECT 1 FROM unnest($${params.length}::text[]) AS q(word) WHERE strpos(a.directory_search, q.word) = 0)`);
      }
      if (campaign !== undefined) {
        params.push(campaign);
        conditions.push(`EXISTS (SELECT 1 FROM memberships f WHERE f.username = a.username AND f.campaign_id = $${params.length})`);
      }
      const matches = conditions.join(' AND ');
      const n = params.length;
      // One statement: the page (available agents first — active and not at limit —, then active
      // ones at limit, then inactive ones; by folded name within each) with the total, then the
      // campaigns of the page's agents only, in one join.
      const rows = await db.query<{
        username: string;
        display_name: string;
        role: Role;
        active: boolean;
        chats_in_attention: number;
        capacity: number | null;
        at_limit: boolean;
        total: string;
        campaigns: { id: string; name: string }[];
      }>(
        `WITH page AS (
           SELECT a.username, a.display_name, a.role, coalesce(w.active, false) AS active,
                  coalesce(w.chats_in_attention, 0) AS chats_in_attention, w.capacity,
                  coalesce(w.at_limit, false) AS at_limit, a.directory_sort,
                  CASE WHEN NOT coalesce(w.active, false) THEN 2 WHEN coalesce(w.at_limit, false) THEN 1 ELSE 0 END AS band,
                  count(*) OVER () AS total
             FROM accounts a LEFT JOIN agent_workload w ON w.username = a.username
            WHERE ${matches}
            ORDER BY band, a.directory_sort, a.username
            LIMIT $${n + 1} OFFSET $${n + 2}
         )
         SELECT p.username, p.display_name, p.role, p.active, p.chats_in_attention, p.capacity, p.at_limit, p.total::text AS total,
                coalesce(json_agg(json_build_object('id', c.id, 'name', c.name) ORDER BY c.name, c.id)
                           FILTER (WHERE c.id IS NOT NULL), '[]'::json) AS campaigns
           FROM page p
           LEFT JOIN memberships m ON m.username = p.username
           LEFT JOIN campaigns c ON c.id = m.campaign_id
          GROUP BY p.username, p.display_name, p.role, p.active, p.chats_in_attention, p.capacity, p.at_limit, p.band, p.total,
                   p.directory_sort
          ORDER BY p.band, p.directory_sort, p.username`,
        [...params, limit, offset],
      );
      let total = rows[0] ? Number(rows[0].total) : 0;
      if (rows.length === 0 && offset > 0) {
        // Past the last page: the window count is not there, so count on its own.
        const [count] = await db.query<{ n: string }>(
          `SELECT count(*)::text AS n FROM accounts a LEFT JOIN agent_workload w ON w.username = a.username WHERE ${matches}`,
          params,
        );
        total = Number(count?.n ?? 0);
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
      return db.query<{ id: string; name: string }>(
        `SELECT c.id, c.name FROM campaigns c
          WHERE EXISTS (SELECT 1 FROM memberships m JOIN accounts a ON a.username = m.username
                         WHERE m.campaign_id = c.id AND a.active AND a.username <> $1)
          ORDER BY c.name, c.id`,
        [viewer],
      );
    },

    applyReports(reports) {
      return db.transaction(async (tx) => {
        const known = await tx.query<{ username: string }>('SELECT username FROM accounts WHERE username = ANY($1::text[])', [
          reports.map((r) => r.username),
        ]);
        const knownSet = new Set(known.map((k) => k.username));
        const unknown = reports.filter((r) => !knownSet.has(r.username)).map((r) => r.username);
        const input = reports.filter((r) => knownSet.has(r.username));
        if (input.length === 0) return { unknown, applied: [] };
        const before = await lockBefore(tx, input.map((r) => r.username));
        const rows = await tx.query<AfterRow>(
          `INSERT INTO agent_workload AS w (username, platform_status, chats_in_attention, capacity, reported_at)
           SELECT r.username, r.status, r.chats, r.capacity, r.at::timestamptz
             FROM jsonb_to_recordset($1::jsonb) AS r(username text, status text, chats integer, capacity integer, at text)
           ON CONFLICT (username) DO UPDATE
              SET platform_status = EXCLUDED.platform_status,
                  chats_in_attention = EXCLUDED.chats_in_attention,
                  capacity = EXCLUDED.capacity,
                  reported_at = EXCLUDED.reported_at
            WHERE w.reported_at IS NULL OR w.reported_at < EXCLUDED.reported_at
           ${returning}`,
          [
            JSON.stringify(
              input.map((r) => ({ username: r.username, status: r.status, chats: r.chatsInAttention, capacity: r.capacity ?? null, at: r.at })),
            ),
          ],
        );
        return { unknown, applied: rows.map((row) => toTransition(row, before.get(row.username))) };
      });
    },

    async statusMessageWritten(username, message) {
      await db.query('UPDATE agent_workload SET presence_status_msg = $2 WHERE username = $1', [username, message]);
    },

    async applyPresence(updates, { refreshHeardAfterMs }) {
      if (updates.length === 0) return [];
      const input = JSON.stringify(updates.map((u) => ({ username: u.username, presence: u.presence, status_msg: u.statusMsg })));
      // Synapse pushes presence again for every change of `currently_active` or `last_active_ago`,
      // which the directory does not keep: most updates change nothing. A plain read finds the
      // agents with something to write (a changed presence or status message, no row yet, or
      // `presence_at` older than `refreshHeardAfterMs`: it tells the poller when the agent was last
      // heard of); when there are none, that read is all (on the embedded store the write below
      // costs three times as much even when it matches nothing). The write checks again under its
      // lock, so a change by another process in between is not lost: it is written or its value
      // stays, as when two processes store presence one after the other.
      const due = await db.query<{ username: string }>(
        `SELECT r.username
           FROM jsonb_to_recordset($1::jsonb) AS r(username text, presence text, status_msg text)
           JOIN accounts a ON a.username = r.username
           LEFT JOIN agent_workload w ON w.username = r.username
          WHERE w.username IS NULL
             OR w.presence IS DISTINCT FROM r.presence
             OR w.presence_status_msg IS DISTINCT FROM r.status_msg
             OR w.presence_at IS NULL
             OR w.presence_at < now() - make_interval(secs => $2::float8 / 1000)`,
        [input, refreshHeardAfterMs],
      );
      if (due.length === 0) return [];
      const dueNames = new Set(due.map((d) => d.username));
      const write = JSON.stringify(
        updates.filter((u) => dueNames.has(u.username)).map((u) => ({ username: u.username, presence: u.presence, status_msg: u.statusMsg })),
      );
      // One statement (each is atomic): `old` locks the existing rows of the agents in a fixed
      // order and keeps their values from before the write — a row updated meanwhile by another
      // writer is re-read when locked (READ COMMITTED) —, `updated` writes the rows where something
      // changes or `presence_at` is old, and `inserted` creates the rows of agents who have none.
      const rows = await db.query<AfterRow & { before_active: boolean | null; before_chats: number | null; before_at_limit: boolean | null }>(
        `WITH input AS (
           SELECT r.username, r.presence, r.status_msg
             FROM jsonb_to_recordset($1::jsonb) AS r(username text, presence text, status_msg text)
             JOIN accounts a ON a.username = r.username
         ), old AS (
           SELECT w.username, w.active, w.chats_in_attention, w.at_limit
             FROM agent_workload w JOIN input i ON i.username = w.username
            ORDER BY w.username FOR UPDATE OF w
         ), updated AS (
           UPDATE agent_workload AS w
              SET presence = i.presence, presence_status_msg = i.status_msg, presence_at = now()
             FROM input i JOIN old o ON o.username = i.username
            WHERE w.username = i.username
              AND (w.presence IS DISTINCT FROM i.presence
                   OR w.presence_status_msg IS DISTINCT FROM i.status_msg
                   OR w.presence_at IS NULL
                   OR w.presence_at < now() - make_interval(secs => $2::float8 / 1000))
           ${returning}, o.active AS before_active, o.chats_in_attention AS before_chats, o.at_limit AS before_at_limit
         ), inserted AS (
           INSERT INTO agent_workload AS w (username, presence, presence_status_msg, presence_at)
           SELECT i.username, i.presence, i.status_msg, now() FROM input i
            WHERE NOT EXISTS (SELECT 1 FROM old o WHERE o.username = i.username)
           ON CONFLICT (username) DO UPDATE
              SET presence = EXCLUDED.presence,
                  presence_status_msg = EXCLUDED.presence_status_msg,
                  presence_at = EXCLUDED.presence_at
           ${returning}, NULL::boolean AS before_active, NULL::integer AS before_chats, NULL::boolean AS before_at_limit
         )
         SELECT * FROM updated UNION ALL SELECT * FROM inserted ORDER BY username`,
        [write, refreshHeardAfterMs],
      );
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
      const rows = await db.query<{ username: string }>(
        `SELECT username FROM agent_workload
          WHERE presence IS NOT NULL AND presence <> 'offline' AND presence_at < $1
          ORDER BY presence_at LIMIT $2`,
        [olderThan.toISOString(), limit],
      );
      return rows.map((r) => r.username);
    },

    async spacesOf(usernames) {
      const spaces = new Map<string, string[]>();
      if (usernames.length === 0) return spaces;
      const rows = await db.query<{ username: string; space_room_id: string }>(
        `SELECT m.username, c.space_room_id FROM memberships m JOIN campaigns c ON c.id = m.campaign_id
          WHERE m.username = ANY($1::text[]) AND c.space_room_id IS NOT NULL
          ORDER BY m.username, c.id`,
        [usernames],
      );
      for (const row of rows) {
        const list = spaces.get(row.username) ?? [];
        list.push(row.space_room_id);
        spaces.set(row.username, list);
      }
      return spaces;
    },
  };
}
