import { sql, type Selectable } from 'kysely';
import Value from 'typebox/value';
import type { Queryable } from '../../db/database.ts';
import { queryBuilder } from '../../db/kysely.ts';
import type { JsonValue } from '../../db/column-types.ts';
import type { TypificationAudit, Typifications } from '../../db/schema.ts';
import { SnapshotSchema, type CatalogId, type Snapshot, type Typification } from './model.ts';

const toTypification = (row: Selectable<Typifications>): Typification => ({
  id: String(row.id),
  campaignId: row.campaign_id,
  code: row.code,
  label: row.label,
  description: row.description,
  active: row.active,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
});

/** An audit snapshot as read back from jsonb: checked, since the column holds any JSON. */
function toSnapshot(value: JsonValue): Snapshot {
  if (!Value.Check(SnapshotSchema, value)) throw new Error('typification_audit holds a snapshot of an unknown shape');
  return value;
}

export interface NewTypification {
  campaignId: CatalogId;
  code: string;
  label: string;
  description: string | null;
  active: boolean;
}

export type TypificationChanges = Pick<NewTypification, 'label' | 'description' | 'active'>;

/** Reads and writes of the typification catalogs. On the store or on a transaction. */
export function createTypificationRepository(q: Queryable) {
  const qb = queryBuilder(q);
  const typifications = () => qb.selectFrom('typifications').selectAll();
  return {
    async find(catalog: CatalogId, code: string, options: { forUpdate?: boolean } = {}): Promise<Typification | undefined> {
      const row = await typifications()
        .where('campaign_id', 'is not distinct from', catalog)
        .where('code', '=', code)
        .$if(options.forUpdate ?? false, (query) => query.forUpdate())
        .executeTakeFirst();
      return row ? toTypification(row) : undefined;
    },

    /** One catalog, by code. */
    async list(catalog: CatalogId, options: { includeInactive?: boolean } = {}): Promise<Typification[]> {
      const rows = await typifications()
        .where('campaign_id', 'is not distinct from', catalog)
        .$if(!options.includeInactive, (query) => query.where('active', '=', true))
        .orderBy('code')
        .execute();
      return rows.map(toTypification);
    },

    /** Every catalog: the global one first, then campaigns by id; by code within each. */
    async listAll(options: { includeInactive?: boolean } = {}): Promise<Typification[]> {
      const rows = await typifications()
        .$if(!options.includeInactive, (query) => query.where('active', '=', true))
        .orderBy('campaign_id', (order) => order.nullsFirst())
        .orderBy('code')
        .execute();
      return rows.map(toTypification);
    },

    /** The same code in every catalog that has it. */
    async withCode(code: string): Promise<Typification[]> {
      const rows = await typifications().where('code', '=', code).orderBy('campaign_id', (order) => order.nullsFirst()).execute();
      return rows.map(toTypification);
    },

    /**
     * The codes that close a chat of `campaign`: its active codes and the active global ones, a
     * campaign code hiding a global one with the same code. With null, the global catalog alone.
     */
    async effective(campaign: CatalogId): Promise<Typification[]> {
      const rows = await typifications()
        .distinctOn('code')
        .where('active', '=', true)
        .where((eb) => eb.or([eb('campaign_id', '=', campaign), eb('campaign_id', 'is', null)]))
        .orderBy('code')
        .orderBy('campaign_id', (order) => order.nullsLast())
        .execute();
      return rows.map(toTypification);
    },

    /** Adds a typification; undefined when its catalog already has the code. */
    async insert(row: NewTypification): Promise<Typification | undefined> {
      const inserted = await qb
        .insertInto('typifications')
        .values({ campaign_id: row.campaignId, code: row.code, label: row.label, description: row.description, active: row.active })
        // The unique index is on (coalesce(campaign_id, ''), code): one code per catalog, the global one included.
        .onConflict((conflict) => conflict.expression(sql`(coalesce(campaign_id, '')), code`).doNothing())
        .returningAll()
        .executeTakeFirst();
      return inserted ? toTypification(inserted) : undefined;
    },

    async update(id: string, changes: TypificationChanges): Promise<Typification> {
      const updated = await qb
        .updateTable('typifications')
        .set({ label: changes.label, description: changes.description, active: changes.active, updated_at: sql`now()` })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
      if (!updated) throw new Error(`typification ${id} does not exist`);
      return toTypification(updated);
    },
  };
}
export type TypificationRepository = ReturnType<typeof createTypificationRepository>;

export type AuditAction = TypificationAudit['action'];
export type AuditVia = TypificationAudit['via'];

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

/** The audit trail of catalog changes: written with each change, read by admins. */
export function createAuditRepository(q: Queryable) {
  const qb = queryBuilder(q);
  return {
    async record(entry: NewAuditEntry): Promise<void> {
      await qb
        .insertInto('typification_audit')
        .values({
          actor: entry.actor,
          via: entry.via,
          action: entry.action,
          campaign_id: entry.campaignId,
          code: entry.code,
          before: entry.before === null ? null : JSON.stringify(entry.before),
          after: JSON.stringify(entry.after),
          source: entry.source ?? null,
        })
        .execute();
    },

    /** The most recent entries first; `beforeId` pages back from an entry. */
    async recent(options: { limit: number; beforeId?: string }): Promise<AuditEntry[]> {
      let query = qb.selectFrom('typification_audit').selectAll().orderBy('id', 'desc').limit(options.limit);
      if (options.beforeId !== undefined) query = query.where('id', '<', options.beforeId);
      const rows = await query.execute();
      return rows.map((r) => ({
        id: String(r.id),
        at: r.at.toISOString(),
        actor: r.actor,
        via: r.via,
        action: r.action,
        campaignId: r.campaign_id,
        code: r.code,
        before: r.before === null ? null : toSnapshot(r.before),
        after: toSnapshot(r.after),
        source: r.source,
      }));
    },
  };
}
export type AuditRepository = ReturnType<typeof createAuditRepository>;

export interface Campaign {
  id: string;
  name: string;
  spaceRoomId: string | null;
}

/** The campaign reads this feature needs (the directory itself is written by the import). */
export function createCampaignRepository(q: Queryable) {
  const qb = queryBuilder(q);
  const campaigns = () => qb.selectFrom('campaigns').select(['id', 'name', 'space_room_id']);
  const toCampaign = (r: { id: string; name: string; space_room_id: string | null }): Campaign => ({ id: r.id, name: r.name, spaceRoomId: r.space_room_id });
  return {
    async find(id: string): Promise<Campaign | undefined> {
      const row = await campaigns().where('id', '=', id).executeTakeFirst();
      return row ? toCampaign(row) : undefined;
    },

    async all(): Promise<Campaign[]> {
      return (await campaigns().orderBy('id').execute()).map(toCampaign);
    },

    /** Which of these campaign ids the directory holds. */
    async existing(ids: readonly string[]): Promise<Set<string>> {
      if (ids.length === 0) return new Set();
      const rows = await qb
        .selectFrom('campaigns')
        .select('id')
        .where((eb) => eb('id', '=', eb.fn.any(eb.val(ids))))
        .execute();
      return new Set(rows.map((r) => r.id));
    },
  };
}
export type CampaignRepository = ReturnType<typeof createCampaignRepository>;
