import { arg, flag, integer, optional, problem } from '../../commands/args.ts';
import { defineCommand, type Command, type CommandContext } from '../../commands/command.ts';
import { checkCatalog, checkCode, checkDescription, checkLabel } from './model.ts';
import { auditReply, changeReply, listingReply, usageReply } from './messages.ts';
import type { Actor, TypificationService } from './service.ts';

const catalogArg = arg('catalog', { es: '<campaña|global>', en: '<campaign|global>' }, (t) => checkCatalog(t.text));
const codeArg = arg('code', { es: '<CÓDIGO>', en: '<CODE>' }, (t) => checkCode(t.text));
const labelArg = arg('label', { es: '"<etiqueta>"', en: '"<label>"' }, (t) => checkLabel(t.text));
// Quotes required: `agregar ventas X Venta cerrada` would otherwise silently read "cerrada" as the description.
const descriptionArg = optional(
  arg('description', { es: '"<descripción>"', en: '"<description>"' }, (t) =>
    t.quoted
      ? checkDescription(t.text)
      : problem(
          'la descripción va entre comillas. Si la etiqueta tiene espacios, también: "Venta cerrada".',
          'the description goes in double quotes. So does a label with spaces: "Sale closed".',
        ),
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
      words: { es: ['tipificacion', 'agregar'], en: ['typification', 'add'] },
      aliases: { es: [['tipificacion', 'crear']], en: [['typification', 'create']] },
      args: [catalogArg, codeArg, labelArg, descriptionArg],
      roles: admins,
      scopes: direct,
      summary: {
        es: 'Agrega una tipificación al catálogo de una campaña o al global.',
        en: 'Adds a typification to a campaign’s catalog or to the global one.',
      },
      details: {
        es: 'Ejemplo: !tipificacion agregar ventas VENTA_OK "Venta concretada" "El cliente compró"\nEl código se guarda en mayúsculas; un código de campaña reemplaza al global del mismo código.',
        en: 'Example: !typification add sales SALE_OK "Sale closed" "The customer bought"\nCodes are stored in upper case; a campaign code replaces the global one with the same code.',
      },
      run: async (ctx, a) =>
        changeReply(await service.add(actorOf(ctx), { catalog: a.catalog, code: a.code, label: a.label, description: a.description ?? null }), ctx.lang),
    }),
    defineCommand({
      id: 'typification.rename',
      words: { es: ['tipificacion', 'renombrar'], en: ['typification', 'rename'] },
      aliases: { es: [['tipificacion', 'editar']], en: [['typification', 'edit']] },
      args: [catalogArg, codeArg, labelArg, descriptionArg],
      roles: admins,
      scopes: direct,
      summary: {
        es: 'Cambia la etiqueta (y la descripción, si se indica; "" la borra). El código no cambia.',
        en: 'Changes the label (and the description, when given; "" removes it). The code stays.',
      },
      run: async (ctx, a) =>
        changeReply(await service.rename(actorOf(ctx), { catalog: a.catalog, code: a.code, label: a.label, description: a.description }), ctx.lang),
    }),
    defineCommand({
      id: 'typification.deactivate',
      words: { es: ['tipificacion', 'desactivar'], en: ['typification', 'deactivate'] },
      aliases: { es: [['tipificacion', 'eliminar'], ['tipificacion', 'quitar']], en: [['typification', 'remove'], ['typification', 'delete']] },
      args: [catalogArg, codeArg],
      roles: admins,
      scopes: direct,
      summary: {
        es: 'Desactiva una tipificación: ya no sirve para cerrar chats; los chats cerrados la conservan.',
        en: 'Deactivates a typification: it no longer closes chats; closed chats keep it.',
      },
      run: async (ctx, a) => changeReply(await service.setActive(actorOf(ctx), { catalog: a.catalog, code: a.code, active: false }), ctx.lang),
    }),
    defineCommand({
      id: 'typification.reactivate',
      words: { es: ['tipificacion', 'reactivar'], en: ['typification', 'reactivate'] },
      aliases: { es: [['tipificacion', 'activar']], en: [['typification', 'activate']] },
      args: [catalogArg, codeArg],
      roles: admins,
      scopes: direct,
      summary: { es: 'Vuelve a activar una tipificación desactivada.', en: 'Activates a deactivated typification again.' },
      run: async (ctx, a) => changeReply(await service.setActive(actorOf(ctx), { catalog: a.catalog, code: a.code, active: true }), ctx.lang),
    }),
    defineCommand({
      id: 'typification.list',
      words: { es: ['tipificacion', 'listar'], en: ['typification', 'list'] },
      aliases: { es: [['tipificacion', 'lista']] },
      args: [optional(catalogArg)],
      flags: [flag('all', { es: 'todas', en: 'all' }, { es: 'incluye las desactivadas', en: 'includes deactivated ones' })],
      roles: admins,
      scopes: direct,
      summary: {
        es: 'Muestra un catálogo, o todos si no se indica cuál.',
        en: 'Shows one catalog, or all of them when none is given.',
      },
      run: async (ctx, a) => listingReply(await service.list(a.catalog, a.all), ctx.lang, a.all),
    }),
    defineCommand({
      id: 'typification.usage',
      words: { es: ['tipificacion', 'uso'], en: ['typification', 'usage'] },
      args: [codeArg],
      roles: admins,
      scopes: direct,
      summary: {
        es: 'Muestra en qué catálogos está un código y qué campañas pueden cerrar chats con él.',
        en: 'Shows which catalogs have a code and which campaigns can close chats with it.',
      },
      run: async (ctx, a) => usageReply(await service.usage(a.code), ctx.lang),
    }),
    defineCommand({
      id: 'typification.audit',
      words: { es: ['tipificacion', 'auditoria'], en: ['typification', 'audit'] },
      args: [optional(integer('limit', { es: '<n>', en: '<n>' }, { min: 1, max: 100 }))],
      roles: admins,
      scopes: direct,
      summary: {
        es: 'Muestra los últimos cambios de los catálogos (10 si no se indica n; máximo 100).',
        en: 'Shows the latest catalog changes (10 unless n is given; at most 100).',
      },
      run: async (ctx, a) => auditReply(await service.audit({ limit: a.limit ?? 10 }), ctx.lang),
    }),
  ];
}
