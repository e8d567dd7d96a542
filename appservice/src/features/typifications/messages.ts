import type { Language } from '../../errors.ts';
import type { Typification } from './model.ts';
import type { AuditEntry, Campaign } from './repository.ts';
import { catalogName, type CatalogListing, type Change, type Usage } from './service.ts';

/** The bot's replies about catalogs, in Spanish or English. */

const q = (text: string, lang: Language) => (lang === 'es' ? `«${text}»` : `"${text}"`);
const cap = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
const where = (c: Change, lang: Language) => catalogName(c.catalog, lang, c.campaign);

export function describe(t: Pick<Typification, 'code' | 'label' | 'description' | 'active'>, lang: Language): string {
  const parts = [`${t.code} ${q(t.label, lang)}`];
  if (t.description) parts.push(`— ${t.description}`);
  if (!t.active) parts.push(lang === 'es' ? '(desactivada)' : '(deactivated)');
  return parts.join(' ');
}

export function changeReply(change: Change, lang: Language): string {
  const { after, before } = change;
  const es = lang === 'es';
  const global = change.globalSameCode;
  switch (change.kind) {
    case 'created': {
      const lines = [
        es
          ? `Agregada en ${where(change, lang)}: ${describe(after, lang)}. Ya se puede usar para cerrar chats.`
          : `Added to ${where(change, lang)}: ${describe(after, lang)}. It can now be used to close chats.`,
      ];
      if (global) {
        lines.push(
          es
            ? `En esta campaña reemplaza al código global ${global.code} ${q(global.label, lang)}.`
            : `In this campaign it replaces the global code ${global.code} ${q(global.label, lang)}.`,
        );
      }
      return lines.join('\n');
    }
    case 'updated': {
      const lines = [
        es
          ? `Actualizada en ${where(change, lang)}: ${after.code} ${q(before?.label ?? '', lang)} → ${q(after.label, lang)}.`
          : `Updated in ${where(change, lang)}: ${after.code} ${q(before?.label ?? '', lang)} → ${q(after.label, lang)}.`,
      ];
      if (before && before.description !== after.description) {
        const none = es ? '(sin descripción)' : '(no description)';
        const text = (d: string | null) => (d === null ? none : q(d, lang));
        lines.push(`${es ? 'Descripción' : 'Description'}: ${text(before.description)} → ${text(after.description)}.`);
      }
      return lines.join('\n');
    }
    case 'deactivated': {
      const head = es
        ? `Desactivada en ${where(change, lang)}: ${after.code} ${q(after.label, lang)}.`
        : `Deactivated in ${where(change, lang)}: ${after.code} ${q(after.label, lang)}.`;
      if (global) {
        return es
          ? `${head} En esta campaña vuelve a aplicar el código global ${global.code} ${q(global.label, lang)}.`
          : `${head} The global code ${global.code} ${q(global.label, lang)} applies to this campaign again.`;
      }
      return es
        ? `${head} Ya no se puede usar para cerrar chats; los chats ya cerrados la conservan.`
        : `${head} It can no longer be used to close chats; chats already closed keep it.`;
    }
    case 'reactivated':
      return es
        ? `Reactivada en ${where(change, lang)}: ${describe(after, lang)}. Se puede usar de nuevo para cerrar chats.`
        : `Reactivated in ${where(change, lang)}: ${describe(after, lang)}. It can be used to close chats again.`;
    case 'unchanged':
      return es
        ? `Sin cambios: ${describe(after, lang)} ya estaba así en ${where(change, lang)}.`
        : `No change: ${describe(after, lang)} was already like that in ${where(change, lang)}.`;
  }
}

export function listingReply(listings: readonly CatalogListing[], lang: Language, includeInactive: boolean): string {
  const es = lang === 'es';
  const blocks = listings.map((l) => {
    const title = cap(catalogName(l.catalog, lang, l.campaign));
    const count = l.own.length;
    const lines = [`${title} (${count}):`];
    if (count === 0) lines.push(es ? '  (vacío)' : '  (empty)');
    for (const t of l.own) lines.push(`  ${describe(t, lang)}`);
    if (l.inherited.length > 0) {
      const codes = l.inherited.map((t) => t.code).join(', ');
      lines.push(es ? `  Además usa del catálogo global: ${codes}` : `  Also uses from the global catalog: ${codes}`);
    }
    return lines.join('\n');
  });
  if (!includeInactive) blocks.push(es ? 'Solo activas; --todas muestra también las desactivadas.' : 'Active only; --all also shows deactivated ones.');
  return blocks.join('\n\n');
}

const campaignList = (campaigns: readonly Campaign[]) => campaigns.map((c) => c.id).join(', ');

export function usageReply(usage: Usage, lang: Language): string {
  const es = lang === 'es';
  if (usage.entries.length === 0) {
    return es ? `Ningún catálogo tiene el código ${usage.code}.` : `No catalog has the code ${usage.code}.`;
  }
  const lines = [es ? `${usage.code} está en:` : `${usage.code} is in:`];
  for (const t of usage.entries) lines.push(`  ${catalogName(t.campaignId, lang, t.campaign)}: ${describe(t, lang)}`);
  lines.push(
    usage.usedBy.length === 0
      ? es
        ? 'Ninguna campaña puede cerrar chats con este código ahora.'
        : 'No campaign can close chats with this code now.'
      : es
        ? `Campañas que pueden cerrar chats con ${usage.code}: ${campaignList(usage.usedBy)}.`
        : `Campaigns that can close chats with ${usage.code}: ${campaignList(usage.usedBy)}.`,
  );
  return lines.join('\n');
}

const actions = {
  create: { es: 'creó', en: 'created' },
  update: { es: 'cambió', en: 'changed' },
  deactivate: { es: 'desactivó', en: 'deactivated' },
  reactivate: { es: 'reactivó', en: 'reactivated' },
};

export function auditReply(entries: readonly AuditEntry[], lang: Language): string {
  const es = lang === 'es';
  if (entries.length === 0) return es ? 'Todavía no hay cambios registrados.' : 'No changes recorded yet.';
  const lines = [es ? `Últimos ${entries.length} cambios (hora UTC):` : `Last ${entries.length} changes (UTC):`];
  for (const e of entries) {
    const when = `${e.at.slice(0, 16).replace('T', ' ')}`;
    const via = e.via === 'command' ? '' : ` (${e.via})`;
    const what =
      e.action === 'update' && e.before
        ? `${e.code} ${q(e.before.label, lang)} → ${q(e.after.label, lang)}${e.before.description !== e.after.description ? (es ? ' y la descripción' : ' and the description') : ''}`
        : `${e.code} ${q(e.after.label, lang)}`;
    lines.push(`#${e.id} ${when} ${e.actor}${via} ${actions[e.action][lang]} ${what} — ${catalogName(e.campaignId, lang)}`);
  }
  return lines.join('\n');
}
