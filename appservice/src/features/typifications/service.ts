import type { ArgResult } from '../../commands/args.ts';
import type { Database, Queryable } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { message, type Message } from '../../i18n/index.ts';
import type { Logger } from '../../observability/logger.ts';
import { checkCode, checkDescription, checkLabel, snapshot, type CatalogId, type Typification } from './model.ts';
import {
  createAuditRepository as auditIn,
  createCampaignRepository as campaignsIn,
  createTypificationRepository as typificationsIn,
  type AuditAction,
  type AuditEntry,
  type AuditVia,
  type Campaign,
} from './repository.ts';

/** Who makes a change, and through what (kept in the audit). */
export interface Actor {
  name: string;
  via: AuditVia;
  /** e.g. the Matrix event id of the command. */
  source?: string;
}

export type ChangeKind = 'created' | 'updated' | 'deactivated' | 'reactivated' | 'unchanged';

/** What a change did, for the reply that says so. */
export interface Change {
  kind: ChangeKind;
  catalog: CatalogId;
  campaign: Campaign | undefined;
  before: Typification | null;
  after: Typification;
  /**
   * For a campaign's typification: the active global one with the same code, which the campaign's
   * own code hides while that one is active, and which applies again when it is deactivated.
   */
  globalSameCode: Typification | undefined;
}

/** Called after a catalog changed (committed), e.g. to publish it in Matrix. */
export type CatalogListener = (catalog: CatalogId) => Promise<void>;

export interface CatalogListing {
  catalog: CatalogId;
  campaign: Campaign | undefined;
  own: Typification[];
  /** For a campaign: the active global codes it also uses (not hidden by one of its own). */
  inherited: Typification[];
}

export interface Usage {
  code: string;
  entries: (Typification & { campaign: Campaign | undefined })[];
  /** Campaigns whose chats can be closed with the code today. */
  usedBy: Campaign[];
}

const invalid = (result: ArgResult<unknown>) => {
  if (result.ok) return;
  return new AppError(400, 'M_INVALID_PARAM', { ...result.problem, capitalised: true });
};

function must<T>(result: ArgResult<T>): T {
  if (result.ok) return result.value;
  throw invalid(result);
}

/** "el catálogo global" / "la campaña ventas (Ventas)": a catalog as named inside a sentence. */
export function catalogName(catalog: CatalogId, campaign?: Campaign): Message {
  if (catalog === null) return message('typifications.catalog.global');
  if (campaign && campaign.name !== campaign.id) return message('typifications.catalog.namedCampaign', { id: catalog, name: campaign.name });
  return message('typifications.catalog.campaign', { id: catalog });
}

/** The same, starting a sentence. */
export const catalogTitle = (catalog: CatalogId, campaign?: Campaign): Message => ({ ...catalogName(catalog, campaign), capitalised: true });

/**
 * The typification catalogs: checks every change, writes it and its audit entry in one
 * transaction, then tells the listeners (publication in Matrix).
 */
export class TypificationService {
  private readonly db: Database;
  private readonly log: Logger;
  private readonly listeners: CatalogListener[] = [];

  constructor(deps: { db: Database; log: Logger }) {
    this.db = deps.db;
    this.log = deps.log;
  }

  onChange(listener: CatalogListener): void {
    this.listeners.push(listener);
  }

  /** Tells the listeners that `catalog` changed; a failing listener is logged, not raised. */
  async changed(catalogs: Iterable<CatalogId>): Promise<void> {
    for (const catalog of new Set(catalogs)) {
      for (const listener of this.listeners) {
        await listener(catalog).catch((err: unknown) => this.log.error({ err, catalog }, 'catalog change listener failed'));
      }
    }
  }

  async add(actor: Actor, input: { catalog: CatalogId; code: string; label: string; description?: string | null }): Promise<Change> {
    const code = must(checkCode(input.code));
    const label = must(checkLabel(input.label));
    const description = must(checkDescription(input.description));
    const change = await this.db.transaction(async (tx) => {
      const campaign = await this.campaignOf(tx, input.catalog);
      const created = await typificationsIn(tx).insert({ campaignId: input.catalog, code, label, description, active: true });
      if (!created) {
        const existing = await typificationsIn(tx).find(input.catalog, code);
        const params = { catalog: catalogTitle(input.catalog, campaign), code, label: existing?.label ?? '' };
        const exists = existing?.active === false ? message('typifications.existsDeactivated', params) : message('typifications.exists', params);
        throw new AppError(409, 'CHATTIGO_TYPIFICATION_EXISTS', exists);
      }
      await this.writeAudit(tx, actor, 'create', null, created);
      const globalSameCode = await this.activeGlobal(tx, input.catalog, code);
      return { kind: 'created' as const, catalog: input.catalog, campaign, before: null, after: created, globalSameCode };
    });
    await this.changed([input.catalog]);
    return change;
  }

  /** Changes the label, and the description when one is given (blank removes it). */
  async rename(actor: Actor, input: { catalog: CatalogId; code: string; label: string; description?: string | null }): Promise<Change> {
    const code = must(checkCode(input.code));
    const label = must(checkLabel(input.label));
    const description = input.description === undefined ? undefined : must(checkDescription(input.description));
    return this.modify(actor, input.catalog, code, (current) => ({
      label,
      description: description === undefined ? current.description : description,
      active: current.active,
    }));
  }

  async setActive(actor: Actor, input: { catalog: CatalogId; code: string; active: boolean }): Promise<Change> {
    const code = must(checkCode(input.code));
    return this.modify(actor, input.catalog, code, (current) => ({ label: current.label, description: current.description, active: input.active }));
  }

  private async modify(
    actor: Actor,
    catalog: CatalogId,
    code: string,
    next: (current: Typification) => Pick<Typification, 'label' | 'description' | 'active'>,
  ): Promise<Change> {
    const change = await this.db.transaction(async (tx) => {
      const campaign = await this.campaignOf(tx, catalog);
      const current = await typificationsIn(tx).find(catalog, code, { forUpdate: true });
      if (!current) throw notFound(catalog, code, campaign);
      const wanted = next(current);
      const globalSameCode = await this.activeGlobal(tx, catalog, code);
      if (wanted.label === current.label && wanted.description === current.description && wanted.active === current.active) {
        return { kind: 'unchanged' as const, catalog, campaign, before: current, after: current, globalSameCode };
      }
      const after = await typificationsIn(tx).update(current.id, wanted);
      const action: AuditAction = current.active === after.active ? 'update' : after.active ? 'reactivate' : 'deactivate';
      await this.writeAudit(tx, actor, action, current, after);
      const kind = action === 'update' ? 'updated' : action === 'reactivate' ? 'reactivated' : 'deactivated';
      return { kind, catalog, campaign, before: current, after, globalSameCode } satisfies Change;
    });
    if (change.kind !== 'unchanged') await this.changed([catalog]);
    return change;
  }

  private async writeAudit(tx: Queryable, actor: Actor, action: AuditAction, before: Typification | null, after: Typification): Promise<void> {
    await auditIn(tx).record({
      actor: actor.name,
      via: actor.via,
      action,
      campaignId: after.campaignId,
      code: after.code,
      before: before ? snapshot(before) : null,
      after: snapshot(after),
      source: actor.source ?? null,
    });
  }

  private async activeGlobal(q: Queryable, catalog: CatalogId, code: string): Promise<Typification | undefined> {
    if (catalog === null) return undefined;
    const global = await typificationsIn(q).find(null, code);
    return global?.active ? global : undefined;
  }

  private async campaignOf(q: Queryable, catalog: CatalogId): Promise<Campaign | undefined> {
    if (catalog === null) return undefined;
    const campaign = await campaignsIn(q).find(catalog);
    if (campaign) return campaign;
    const known = (await campaignsIn(q).all()).map((c) => c.id);
    const list = known.slice(0, 20).join(', ') + (known.length > 20 ? ', …' : '');
    throw new AppError(
      404,
      'CHATTIGO_UNKNOWN_CAMPAIGN',
      known.length
        ? message('typifications.unknownCampaign', { campaign: catalog, campaigns: list })
        : message('typifications.unknownCampaignNoneYet', { campaign: catalog }),
    );
  }

  /**
   * The typifications that close a chat of `campaign` now: its active codes and the active global
   * ones (a campaign code hides the global one with the same code). Null: the global catalog.
   */
  catalogFor(campaign: CatalogId, q: Queryable = this.db): Promise<Typification[]> {
    return typificationsIn(q).effective(campaign);
  }

  /** The typification `code` names for closing a chat of `campaign`, or undefined when it may not be used. */
  async forClose(campaign: CatalogId, code: string, q: Queryable = this.db): Promise<Typification | undefined> {
    const checked = checkCode(code);
    if (!checked.ok) return undefined;
    return (await typificationsIn(q).effective(campaign)).find((t) => t.code === checked.value);
  }

  /** One catalog (with, for a campaign, the global codes it inherits), or every catalog when `catalog` is undefined. */
  async list(catalog: CatalogId | undefined, includeInactive: boolean): Promise<CatalogListing[]> {
    if (catalog !== undefined) {
      const campaign = await this.campaignOf(this.db, catalog);
      const own = await typificationsIn(this.db).list(catalog, { includeInactive });
      const inherited = catalog === null ? [] : (await typificationsIn(this.db).effective(catalog)).filter((t) => t.campaignId === null);
      return [{ catalog, campaign, own, inherited }];
    }
    const [all, campaigns] = await Promise.all([typificationsIn(this.db).listAll({ includeInactive }), campaignsIn(this.db).all()]);
    const byId = new Map(campaigns.map((c) => [c.id, c]));
    const listings = new Map<CatalogId, CatalogListing>([[null, { catalog: null, campaign: undefined, own: [], inherited: [] }]]);
    for (const t of all) {
      let listing = listings.get(t.campaignId);
      if (!listing) {
        listing = { catalog: t.campaignId, campaign: t.campaignId === null ? undefined : byId.get(t.campaignId), own: [], inherited: [] };
        listings.set(t.campaignId, listing);
      }
      listing.own.push(t);
    }
    return [...listings.values()];
  }

  /** Where a code is defined, and which campaigns can close chats with it. */
  async usage(rawCode: string): Promise<Usage> {
    const code = must(checkCode(rawCode));
    const [entries, campaigns] = await Promise.all([typificationsIn(this.db).withCode(code), campaignsIn(this.db).all()]);
    const byId = new Map(campaigns.map((c) => [c.id, c]));
    const globalActive = entries.some((t) => t.campaignId === null && t.active);
    const ownActive = new Set(entries.filter((t) => t.active && t.campaignId !== null).map((t) => t.campaignId));
    return {
      code,
      entries: entries.map((t) => ({ ...t, campaign: t.campaignId === null ? undefined : byId.get(t.campaignId) })),
      usedBy: campaigns.filter((c) => globalActive || ownActive.has(c.id)),
    };
  }

  audit(options: { limit: number; beforeId?: string }): Promise<AuditEntry[]> {
    return auditIn(this.db).recent(options);
  }

  findCampaign(id: string): Promise<Campaign | undefined> {
    return campaignsIn(this.db).find(id);
  }

  /** Campaigns whose spaces show a catalog: all of them for the global catalog, else that one. */
  async campaignsShowing(catalog: CatalogId): Promise<Campaign[]> {
    if (catalog === null) return (await campaignsIn(this.db).all()).filter((c) => c.spaceRoomId !== null);
    const campaign = await campaignsIn(this.db).find(catalog);
    return campaign?.spaceRoomId ? [campaign] : [];
  }
}

function notFound(catalog: CatalogId, code: string, campaign: Campaign | undefined): AppError {
  return new AppError(404, 'CHATTIGO_TYPIFICATION_NOT_FOUND', message('typifications.notFound', { catalog: catalogTitle(catalog, campaign), code }));
}
