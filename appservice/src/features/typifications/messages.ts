import type { Language } from '@chattigo/contracts/language';
import { message, render, translate } from '../../i18n/index.ts';
import type { Typification } from './model.ts';
import type { AuditEntry, Campaign } from './repository.ts';
import { catalogName, catalogTitle, type CatalogListing, type Change, type Usage } from './service.ts';

/** The bot's replies about catalogs, in Spanish or English. */

const where = (c: Change) => catalogName(c.catalog, c.campaign);

export function describe(t: Pick<Typification, 'code' | 'label' | 'description' | 'active'>, lang: Language): string {
  const parts = [translate(lang, 'typifications.entry', { code: t.code, label: t.label })];
  if (t.description) parts.push(`— ${t.description}`);
  if (!t.active) parts.push(translate(lang, 'typifications.deactivatedMark'));
  return parts.join(' ');
}

export function changeReply(change: Change, lang: Language): string {
  const { after, before } = change;
  const global = change.globalSameCode;
  switch (change.kind) {
    case 'created': {
      const lines = [translate(lang, 'typifications.added', { catalog: where(change), typification: describe(after, lang) })];
      if (global) lines.push(translate(lang, 'typifications.replacesGlobal', { code: global.code, label: global.label }));
      return lines.join('\n');
    }
    case 'updated': {
      const lines = [translate(lang, 'typifications.updated', { catalog: where(change), code: after.code, before: before?.label ?? '', after: after.label })];
      if (before && before.description !== after.description) {
        const text = (d: string | null) => (d === null ? message('typifications.noDescription') : message('typifications.quoted', { text: d }));
        lines.push(translate(lang, 'typifications.descriptionChanged', { before: text(before.description), after: text(after.description) }));
      }
      return lines.join('\n');
    }
    case 'deactivated': {
      const head = translate(lang, 'typifications.deactivated', { catalog: where(change), code: after.code, label: after.label });
      const tail = global
        ? translate(lang, 'typifications.globalAppliesAgain', { code: global.code, label: global.label })
        : translate(lang, 'typifications.noLongerUsable');
      return `${head} ${tail}`;
    }
    case 'reactivated':
      return translate(lang, 'typifications.reactivated', { catalog: where(change), typification: describe(after, lang) });
    case 'unchanged':
      return translate(lang, 'typifications.unchanged', { catalog: where(change), typification: describe(after, lang) });
  }
}

export function listingReply(listings: readonly CatalogListing[], lang: Language, includeInactive: boolean): string {
  const blocks = listings.map((l) => {
    const count = l.own.length;
    const lines = [`${render(lang, catalogTitle(l.catalog, l.campaign))} (${count}):`];
    if (count === 0) lines.push(`  ${translate(lang, 'typifications.emptyCatalog')}`);
    for (const t of l.own) lines.push(`  ${describe(t, lang)}`);
    if (l.inherited.length > 0) {
      const codes = l.inherited.map((t) => t.code).join(', ');
      lines.push(`  ${translate(lang, 'typifications.alsoGlobal', { codes })}`);
    }
    return lines.join('\n');
  });
  if (!includeInactive) blocks.push(translate(lang, 'typifications.activeOnly'));
  return blocks.join('\n\n');
}

const campaignList = (campaigns: readonly Campaign[]) => campaigns.map((c) => c.id).join(', ');

export function usageReply(usage: Usage, lang: Language): string {
  const { code } = usage;
  if (usage.entries.length === 0) return translate(lang, 'typifications.codeNowhere', { code });
  const lines = [translate(lang, 'typifications.codeIsIn', { code })];
  for (const t of usage.entries) lines.push(`  ${render(lang, catalogName(t.campaignId, t.campaign))}: ${describe(t, lang)}`);
  lines.push(
    usage.usedBy.length === 0
      ? translate(lang, 'typifications.usableByNone')
      : translate(lang, 'typifications.usableBy', { code, campaigns: campaignList(usage.usedBy) }),
  );
  return lines.join('\n');
}

export function auditReply(entries: readonly AuditEntry[], lang: Language): string {
  if (entries.length === 0) return translate(lang, 'typifications.audit.none');
  const lines = [translate(lang, 'typifications.audit.title', { count: entries.length })];
  for (const e of entries) {
    const when = `${e.at.slice(0, 16).replace('T', ' ')}`;
    const via = e.via === 'command' ? '' : ` (${e.via})`;
    const what =
      e.action === 'update' && e.before
        ? translate(lang, e.before.description !== e.after.description ? 'typifications.audit.relabelAndDescription' : 'typifications.audit.relabel', {
            code: e.code,
            before: e.before.label,
            after: e.after.label,
          })
        : translate(lang, 'typifications.entry', { code: e.code, label: e.after.label });
    const action = translate(lang, `typifications.audit.${e.action}`);
    lines.push(`#${e.id} ${when} ${e.actor}${via} ${action} ${what} — ${render(lang, catalogName(e.campaignId))}`);
  }
  return lines.join('\n');
}
