import type { Database, Queryable } from '../../db/database.ts';
import type { Role } from '../accounts/repository.ts';
import type { PlatformStatus } from './schemas.ts';

export type StatusFilter = 'all' | 'active' | 'inactive';

export interface ListParams {
  /** The caller, who is not listed. */
  viewer: string;
  /** Folded search words (normalize.ts); every one must occur in the agent's search key. */
  words: readonly string[];
  status: StatusFilter;
  limit: number;
  offset: number;
}

export interface ListedAgent {
  username: string;
  displayName: string;
  role: Role;
  active: boolean;
  chatsInAttention: number;
  campaigns: { id: string; name: string }[];
}

/** An agent's directory state after a write, with what it was before (undefined: no row yet). */
export interface WorkloadTransition {
  username: string;
  active: boolean;
  chatsInAttention: number;
  /** Whether the platform has ever reported this agent (only then is a count published). */
  reported: boolean;
  /** The status message Matrix last reported for the agent. */
  presenceStatusMsg: string | null;
  before: { active: boolean; chatsInAttention: number } | undefined;
}

export interface StoredReport {
  username: string;
  status: PlatformStatus;
  chatsInAttention: number;
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
  /**
   * Applies platform reports (at most one per username): a report older than or as old as the
   * stored one is ignored. Returns the unknown usernames and the transitions of applied reports.
   */
  applyReports(reports: readonly StoredReport[]): Promise<ReportsOutcome>;
  /** Stores Matrix presence (at most one per username); users with no account are skipped. */
  applyPresence(updates: readonly PresenceUpdate[]): Promise<WorkloadTransition[]>;
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
    `SELECT username, active, chats_in_attention FROM agent_workload
      WHERE username = ANY($1::text[]) ORDER BY username FOR UPDATE`,
    [usernames],
  );
  return new Map(rows.map((r) => [r.username, r]));
}

interface BeforeRow {
  username: string;
  active: boolean;
  chats_in_attention: number;
}

interface AfterRow {
  username: string;
  active: boolean;
  chats_in_attention: number;
  reported: boolean;
  presence_status_msg: string | null;
}

const returning = 'RETURNING w.username, w.active, w.chats_in_attention, w.reported_at IS NOT NULL AS reported, w.presence_status_msg';

const toTransition = (row: AfterRow, before: BeforeRow | undefined): WorkloadTransition => ({
  username: row.username,
  active: row.active,
  chatsInAttention: row.chats_in_attention,
  reported: row.reported,
  presenceStatusMsg: row.presence_status_msg,
  before: before ? { active: before.active, chatsInAttention: before.chats_in_attention } : undefined,
});

const statusCondition: Record<StatusFilter, string> = {
  all: 'true',
  active: 'coalesce(w.active, false)',
  inactive: 'NOT coalesce(w.active, false)',
};

export function createDirectoryRepository(db: Database): DirectoryRepository {
  return {
    async list({ viewer, words, status, limit, offset }) {
      // Every search word must occur in the folded name or username (strpos: no LIKE escaping).
      const matches = `a.active AND a.username <> $1 AND ${statusCondition[status]}${
        words.length > 0 ? ' AND NOT EXISTS (SELECT 1 FROM unnest($2::text[]) AS q(word) WHERE strpos(a.directory_search, q.word) = 0)' : ''
      }`;
      const params = words.length > 0 ? [viewer, words] : [viewer];
      const n = params.length;
      // One statement: the page (active first, then by folded name) with the total, then the
      // campaigns of the page's agents only, in one join.
      const rows = await db.query<{
        username: string;
        display_name: string;
        role: Role;
        active: boolean;
        chats_in_attention: number;
        total: string;
        campaigns: { id: string; name: string }[];
      }>(
        `WITH page AS (
           SELECT a.username, a.display_name, a.role, coalesce(w.active, false) AS active,
                  coalesce(w.chats_in_attention, 0) AS chats_in_attention, a.directory_sort,
                  count(*) OVER () AS total
             FROM accounts a LEFT JOIN agent_workload w ON w.username = a.username
            WHERE ${matches}
            ORDER BY 4 DESC, a.directory_sort, a.username
            LIMIT $${n + 1} OFFSET $${n + 2}
         )
         SELECT p.username, p.display_name, p.role, p.active, p.chats_in_attention, p.total::text AS total,
                coalesce(json_agg(json_build_object('id', c.id, 'name', c.name) ORDER BY c.name, c.id)
                           FILTER (WHERE c.id IS NOT NULL), '[]'::json) AS campaigns
           FROM page p
           LEFT JOIN memberships m ON m.username = p.username
           LEFT JOIN campaigns c ON c.id = m.campaign_id
          GROUP BY p.username, p.display_name, p.role, p.active, p.chats_in_attention, p.total, p.directory_sort
          ORDER BY p.active DESC, p.directory_sort, p.username`,
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
          campaigns: r.campaigns,
        })),
      };
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
          `INSERT INTO agent_workload AS w (username, platform_status, chats_in_attention, reported_at)
           SELECT r.username, r.status, r.chats, r.at::timestamptz
             FROM jsonb_to_recordset($1::jsonb) AS r(username text, status text, chats integer, at text)
           ON CONFLICT (username) DO UPDATE
              SET platform_status = EXCLUDED.platform_status,
                  chats_in_attention = EXCLUDED.chats_in_attention,
                  reported_at = EXCLUDED.reported_at
            WHERE w.reported_at IS NULL OR w.reported_at < EXCLUDED.reported_at
           ${returning}`,
          [JSON.stringify(input.map((r) => ({ username: r.username, status: r.status, chats: r.chatsInAttention, at: r.at })))],
        );
        return { unknown, applied: rows.map((row) => toTransition(row, before.get(row.username))) };
      });
    },

    async applyPresence(updates) {
      if (updates.length === 0) return [];
      return db.transaction(async (tx) => {
        const before = await lockBefore(tx, updates.map((u) => u.username));
        const rows = await tx.query<AfterRow>(
          `INSERT INTO agent_workload AS w (username, presence, presence_status_msg, presence_at)
           SELECT r.username, r.presence, r.status_msg, now()
             FROM jsonb_to_recordset($1::jsonb) AS r(username text, presence text, status_msg text)
             JOIN accounts a ON a.username = r.username
           ON CONFLICT (username) DO UPDATE
              SET presence = EXCLUDED.presence,
                  presence_status_msg = EXCLUDED.presence_status_msg,
                  presence_at = EXCLUDED.presence_at
           ${returning}`,
          [JSON.stringify(updates.map((u) => ({ username: u.username, presence: u.presence, status_msg: u.statusMsg })))],
        );
        return rows.map((row) => toTransition(row, before.get(row.username)));
      });
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
