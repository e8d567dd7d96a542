import { arg, flag, integer, optional, problem, type ArgSpec, type FlagSpec } from '../../commands/args.ts';
import { commandWords, defineCommand, type Command, type CommandContext, type CommandSpec } from '../../commands/command.ts';
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

type CommandName = 'add' | 'rename' | 'deactivate' | 'reactivate' | 'list' | 'usage' | 'audit';

/**
 * A typification command, for admins in a direct chat with the bot: its id is `typification.<name>`,
 * its words and summary are the catalog's `typifications.words.<name>` and `typifications.<name>.summary`.
 */
function adminCommand<const A extends readonly ArgSpec[], const F extends readonly FlagSpec[] = readonly []>(
  name: CommandName,
  spec: Omit<CommandSpec<A, F>, 'id' | 'words' | 'aliases' | 'roles' | 'scopes' | 'summary'>,
): Command {
  return defineCommand<A, F>({
    id: `typification.${name}`,
    ...commandWords(`typifications.words.${name}`),
    roles: ['admin'],
    scopes: ['direct'],
    summary: localized(`typifications.${name}.summary`),
    ...spec,
  });
}

/** The admins' commands for typification catalogs, used in a direct chat with the bot. */
export function typificationCommands(service: TypificationService): Command[] {
  const setActive = (name: 'deactivate' | 'reactivate', active: boolean) =>
    adminCommand(name, {
      args: [catalogArg, codeArg],
      run: async (ctx, a) => changeReply(await service.setActive(actorOf(ctx), { catalog: a.catalog, code: a.code, active }), ctx.lang),
    });
  return [
    adminCommand('add', {
      args: [catalogArg, codeArg, labelArg, descriptionArg],
      details: localized('typifications.add.details'),
      run: async (ctx, a) =>
        changeReply(await service.add(actorOf(ctx), { catalog: a.catalog, code: a.code, label: a.label, description: a.description ?? null }), ctx.lang),
    }),
    adminCommand('rename', {
      args: [catalogArg, codeArg, labelArg, descriptionArg],
      run: async (ctx, a) =>
        changeReply(await service.rename(actorOf(ctx), { catalog: a.catalog, code: a.code, label: a.label, description: a.description }), ctx.lang),
    }),
    setActive('deactivate', false),
    setActive('reactivate', true),
    adminCommand('list', {
      args: [optional(catalogArg)],
      flags: [flag('all', localized('typifications.flags.all'), localized('typifications.flags.allHelp'))],
      run: async (ctx, a) => listingReply(await service.list(a.catalog, a.all), ctx.lang, a.all),
    }),
    adminCommand('usage', {
      args: [codeArg],
      run: async (ctx, a) => usageReply(await service.usage(a.code), ctx.lang),
    }),
    adminCommand('audit', {
      args: [optional(integer('limit', localized('typifications.args.limit'), { min: 1, max: 100 }))],
      run: async (ctx, a) => auditReply(await service.audit({ limit: a.limit ?? 10 }), ctx.lang),
    }),
  ];
}
