import type { Queryable } from '../../db/database.ts';
import type { CatalogId, Snapshot, Typification } from './model.ts';

interface TypificationRow {
  id: string;
  campaign_id: string | null;
  code: string;
  label: string;
  description: string | null;
  active: boolean;
  created_at: Date | string;
  updated_at: Date | string;
}

const iso = (value: Date | string) => new Date(value).toISOString();

const toTypification = (row: TypificationRow): Typification => ({
  id: row.id,
  campaignId: row.campaign_id,
  code: row.code,
  label: row.label,
  description: row.description,
  active: row.active,
  createdAt: iso(row.created_at),
  updatedAt: iso(row.updated_at),
});

const columns = 'id::text AS id, campaign_id, code, label, description, active, created_at, updated_at';
/** Matches one catalog, the global one included: `campaign_id IS NOT DISTINCT FROM $n`. */
const inCatalog = (n: number) => `campaign_id IS NOT DISTINCT FROM $${n}::text`;

export interface NewTypification {
  campaignId: CatalogId;
  code: string;
  label: string;
  description: string | null;
  active: boolean;
}

export type TypificationChanges = Pick<NewTypification, 'label' | 'description' | 'active'>;

/** Reads and writes of the typification catalogs. Every function takes the store or a transaction. */
export const typificationRepository = {
  async find(q: Queryable, catalog: CatalogId, code: string, options: { forUpdate?: boolean } = {}): Promise<Typification | undefined> {
    const rows = await q.query<TypificationRow>(
      `SELECT ${columns} FROM typifications WHERE ${inCatalog(1)} AND code = $2${options.forUpdate ? ' FOR UPDATE' : ''}`,
      [catalog, code],
    );
    return rows[0] ? toTypification(rows[0]) : undefined;
  },

  /** One catalog, by code. */
  async list(q: Queryable, catalog: CatalogId, options: { includeInactive?: boolean } = {}): Promise<Typification[]> {
    const rows = await q.query<TypificationRow>(
      `SELECT ${columns} FROM typifications WHERE ${inCatalog(1)} ${options.includeInactive ? '' : 'AND active'} ORDER BY code`,
      [catalog],
    );
    return rows.map(toTypification);
  },

  /** Every catalog: the global one first, then campaigns by id; by code within each. */
  async listAll(q: Queryable, options: { includeInactive?: boolean } = {}): Promise<Typification[]> {
    const rows = await q.query<TypificationRow>(
      `SELECT ${columns} FROM typifications ${options.includeInactive ? '' : 'WHERE active'}
        ORDER BY campaign_id NULLS FIRST, code`,
    );
    return rows.map(toTypification);
  },

  /** The same code in every catalog that has it. */
  async withCode(q: Queryable, code: string): Promise<Typification[]> {
    const rows = await q.query<TypificationRow>(
      `SELECT ${columns} FROM typifications WHERE code = $1 ORDER BY campaign_id NULLS FIRST`,
      [code],
    );
    return rows.map(toTypification);
  },

  /**
   * The codes that close a chat of `campaign`: its active codes and the active global ones, a
   * campaign code hiding a global one with the same code. With null, the global catalog alone.
   */
  async effective(q: Queryable, campaign: CatalogId): Promise<Typification[]> {
    const rows = await q.query<TypificationRow>(
      `SELECT DISTINCT ON (code) ${columns} FROM typifications
        WHERE active AND (campaign_id = $1::text OR campaign_id IS NULL)
        ORDER BY code, campaign_id NULLS LAST`,
      [campaign],
    );
    return rows.map(toTypification);
  },

  /** Adds a typification; undefined when its catalog already has the code. */
  async insert(q: Queryable, row: NewTypification): Promise<Typification | undefined> {
    const rows = await q.query<TypificationRow>(
      `INSERT INTO typifications (campaign_id, code, label, description, active) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT ((coalesce(campaign_id, '')), code) DO NOTHING
       RETURNING ${columns}`,
      [row.campaignId, row.code, row.label, row.description, row.active],
    );
    return rows[0] ? toTypification(rows[0]) : undefined;
  },

  async update(q: Queryable, id: string, changes: TypificationChanges): Promise<Typification> {
    const rows = await q.query<TypificationRow>(
      `UPDATE typifications SET label = $2, description = $3, active = $4, updated_at = now()
        WHERE id = $1 RETURNING ${columns}`,
      [id, changes.label, changes.description, changes.active],
    );
    if (!rows[0]) throw new Error(`typification ${id} does not exist`);
    return toTypification(rows[0]);
  },
};

export type AuditAction = 'create' | 'update' | 'deactivate' | 'reactivate';
export type AuditVia = 'command' | 'import' | 'api';

export interface NewAuditEntry {
  actor: string;
  via: AuditVia;
  action: AuditAction;
  campaignId: CatalogId;
  code: string;
  before: Snapshot | null;
  after: Snapshot;
  source?: string | null;
}

export interface AuditEntry extends NewAuditEntry {
  id: string;
  at: string;
  source: string | null;
}

interface AuditRow {
  id: string;
  at: Date | string;
  actor: string;
  via: AuditVia;
  action: AuditAction;
  campaign_id: string | null;
  code: string;
  before: Snapshot | null;
  after: Snapshot;
  source: string | null;
}

/** The audit trail of catalog changes: written with each change, read by admins. */
export const auditRepository = {
  async record(q: Queryable, entry: NewAuditEntry): Promise<void> {
    await q.query(
      `INSERT INTO typification_audit (actor, via, action, campaign_id, code, before, after, source)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8)`,
      [
        entry.actor,
        entry.via,
        entry.action,
        entry.campaignId,
        entry.code,
        entry.before === null ? null : JSON.stringify(entry.before),
        JSON.stringify(entry.after),
        entry.source ?? null,
      ],
    );
  },

  /** The most recent entries first; `beforeId` pages back from an entry. */
  async recent(q: Queryable, options: { limit: number; beforeId?: string }): Promise<AuditEntry[]> {
    const rows = await q.query<AuditRow>(
      `SELECT id::text AS id, at, actor, via, action, campaign_id, code, before, after, source
         FROM typification_audit
        WHERE $2::bigint IS NULL OR id < $2::bigint
        ORDER BY id DESC LIMIT $1`,
      [options.limit, options.beforeId ?? null],
    );
    return rows.map((r) => ({
      id: r.id,
      at: iso(r.at),
      actor: r.actor,
      via: r.via,
      action: r.action,
      campaignId: r.campaign_id,
      code: r.code,
      before: r.before,
      after: r.after,
      source: r.source,
    }));
  },
};

export interface Campaign {
  id: string;
  name: string;
  spaceRoomId: string | null;
}

/** The campaign reads this feature needs (the directory itself is written by the import). */
export const campaignReads = {
  async find(q: Queryable, id: string): Promise<Campaign | undefined> {
    const rows = await q.query<{ id: string; name: string; space_room_id: string | null }>(
      'SELECT id, name, space_room_id FROM campaigns WHERE id = $1',
      [id],
    );
    return rows[0] ? { id: rows[0].id, name: rows[0].name, spaceRoomId: rows[0].space_room_id } : undefined;
  },

  async all(q: Queryable): Promise<Campaign[]> {
    const rows = await q.query<{ id: string; name: string; space_room_id: string | null }>(
      'SELECT id, name, space_room_id FROM campaigns ORDER BY id',
    );
    return rows.map((r) => ({ id: r.id, name: r.name, spaceRoomId: r.space_room_id }));
  },
};
