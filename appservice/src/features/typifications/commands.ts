import { arg, flag, integer, optional, problem } from '../../commands/args.ts';
import { commandWords, defineCommand, type Command, type CommandContext } from '../../commands/command.ts';
import { localized } from '../../i18n/index.ts';
import { checkCatalog, checkCode, checkDescription, checkLabel } from './model.ts';
import { auditReply, changeReply, listingReply, usageReply } from './messages.ts';
import type { Actor, TypificationService } from './service.ts';

const catalogArg = arg('catalog', localized('typifications.args.catalog'), (t) => checkCatalog(t.text));
const codeArg = arg('code', localized('typifications.args.code'), (t) => checkCode(t.text));
const labelArg = arg('label', localized('typifications.args.label'), (t) => checkLabel(t.text));
// Quotes required: `agregar ventas X Venta cerrada` would otherwise silently read "cerrada" as the description.
const descriptionArg = optional(
  arg('description', localized('typifications.args.description'), (t) =>
    t.quoted
      ? checkDescription(t.text)
      : problem('typifications.check.descriptionQuoted'),
  ),
);

const actorOf = (ctx: CommandContext): Actor => ({ name: ctx.caller.username ?? ctx.caller.userId, via: 'command', source: ctx.eventId });

const admins = ['admin'] as const;
const direct = ['direct'] as const;

/** The admins' commands for typification catalogs, used in a direct chat with the bot. */
export function typificationCommands(service: TypificationService): Command[] {
  return [
    defineCommand({
      id: 'typification.add',
      ...commandWords('typifications.words.add'),
      args: [catalogArg, codeArg, labelArg, descriptionArg],
      roles: admins,
      scopes: direct,
      summary: localized('typifications.add.summary'),
      details: localized('typifications.add.details'),
      run: async (ctx, a) =>
        changeReply(await service.add(actorOf(ctx), { catalog: a.catalog, code: a.code, label: a.label, description: a.description ?? null }), ctx.lang),
    }),
    defineCommand({
      id: 'typification.rename',
      ...commandWords('typifications.words.rename'),
      args: [catalogArg, codeArg, labelArg, descriptionArg],
      roles: admins,
      scopes: direct,
      summary: localized('typifications.rename.summary'),
      run: async (ctx, a) =>
        changeReply(await service.rename(actorOf(ctx), { catalog: a.catalog, code: a.code, label: a.label, description: a.description }), ctx.lang),
    }),
    defineCommand({
      id: 'typification.deactivate',
      ...commandWords('typifications.words.deactivate'),
      args: [catalogArg, codeArg],
      roles: admins,
      scopes: direct,
      summary: localized('typifications.deactivate.summary'),
      run: async (ctx, a) => changeReply(await service.setActive(actorOf(ctx), { catalog: a.catalog, code: a.code, active: false }), ctx.lang),
    }),
    defineCommand({
      id: 'typification.reactivate',
      ...commandWords('typifications.words.reactivate'),
      args: [catalogArg, codeArg],
      roles: admins,
      scopes: direct,
      summary: localized('typifications.reactivate.summary'),
      run: async (ctx, a) => changeReply(await service.setActive(actorOf(ctx), { catalog: a.catalog, code: a.code, active: true }), ctx.lang),
    }),
    defineCommand({
      id: 'typification.list',
      ...commandWords('typifications.words.list'),
      args: [optional(catalogArg)],
      flags: [flag('all', localized('typifications.flags.all'), localized('typifications.flags.allHelp'))],
      roles: admins,
      scopes: direct,
      summary: localized('typifications.list.summary'),
      run: async (ctx, a) => listingReply(await service.list(a.catalog, a.all), ctx.lang, a.all),
    }),
    defineCommand({
      id: 'typification.usage',
      ...commandWords('typifications.words.usage'),
      args: [codeArg],
      roles: admins,
      scopes: direct,
      summary: localized('typifications.usage.summary'),
      run: async (ctx, a) => usageReply(await service.usage(a.code), ctx.lang),
    }),
    defineCommand({
      id: 'typification.audit',
      ...commandWords('typifications.words.audit'),
      args: [optional(integer('limit', localized('typifications.args.limit'), { min: 1, max: 100 }))],
      roles: admins,
      scopes: direct,
      summary: localized('typifications.audit.summary'),
      run: async (ctx, a) => auditReply(await service.audit({ limit: a.limit ?? 10 }), ctx.lang),
    }),
  ];
}
