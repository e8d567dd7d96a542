import { arg, ok, optional, problem } from '../../commands/args.ts';
import { defineCommand, type Command, type CommandContext } from '../../commands/command.ts';
import { AppError } from '../../errors.ts';
import type { Role } from '../accounts/repository.ts';
import { texts } from './messages.ts';
import type { ChatService } from './service.ts';

const accounts: readonly Role[] = ['agent', 'supervisor', 'admin'];

const codeArg = optional(arg('code', { es: '<código>', en: '<code>' }, (t) => ok(t.text.trim())));
const agentArg = arg('agent', { es: '<usuario>', en: '<username>' }, (t) => {
  const value = t.text.trim().toLowerCase().replace(/^@/, '');
  return /^[a-z0-9][a-z0-9._-]{0,63}$/.test(value)
    ? ok(value)
    : problem('el usuario es el de Chattigo, por ejemplo jperez.', 'the username is the Chattigo one, for example jperez.');
});
const campaignArg = optional(arg('campaign', { es: '<campaña>', en: '<campaign>' }, (t) => ok(t.text.trim().toLowerCase())));

function username(ctx: CommandContext): string {
  if (!ctx.caller.username) {
    throw new AppError(403, 'M_FORBIDDEN', { es: 'Solo los agentes de Chattigo pueden hacer esto.', en: 'Only Chattigo agents can do this.' });
  }
  return ctx.caller.username;
}

/**
 * The chat commands for any Matrix client: in a chat room, close it with a typification or list
 * the valid ones; in a direct chat with the bot, open a chat with another agent.
 */
export function chatCommands(chats: ChatService): Command[] {
  return [
    defineCommand({
      id: 'chat.close',
      words: { es: ['cerrar'], en: ['close'] },
      args: [codeArg],
      roles: accounts,
      scopes: ['chat'],
      summary: {
        es: 'Cierra este chat con una tipificación de su catálogo (vea !tipificaciones).',
        en: 'Closes this chat with a typification of its catalog (see !typifications).',
      },
      details: { es: 'Ejemplo: !cerrar VENTA_OK', en: 'Example: !close SALE_OK' },
      run: async (ctx, a) => (await chats.close(ctx.roomId, username(ctx), a.code ?? '', ctx.lang, { announce: false })).notice,
    }),
    defineCommand({
      id: 'chat.typifications',
      words: { es: ['tipificaciones'], en: ['typifications'] },
      args: [],
      roles: accounts,
      scopes: ['chat'],
      summary: { es: 'Lista las tipificaciones que cierran este chat.', en: 'Lists the typifications that close this chat.' },
      run: async (ctx) => texts.typifications(ctx.lang, await chats.typifications(ctx.roomId, username(ctx))),
    }),
    defineCommand({
      id: 'chat.open',
      words: { es: ['chatear'], en: ['chat'] },
      args: [agentArg, campaignArg],
      roles: accounts,
      scopes: ['direct'],
      summary: {
        es: 'Abre un chat con otro agente (como «Mensaje directo»); si comparten varias campañas, indique cuál.',
        en: 'Opens a chat with another agent (like "Direct message"); if you share several campaigns, say which.',
      },
      details: { es: 'Ejemplo: !chatear jperez ventas', en: 'Example: !chat jperez sales' },
      run: async (ctx, a) => {
        const { chat, created } = await chats.open(username(ctx), a.agent, a.campaign, ctx.lang);
        const link = `https://matrix.to/#/${encodeURIComponent(chat.roomId)}`;
        return ctx.lang === 'es'
          ? `${created ? 'Abrí' : 'Ya tenía abierto'} el chat con ${a.agent}: ${link}`
          : `${created ? 'Opened' : 'You already have'} the chat with ${a.agent}: ${link}`;
      },
    }),
  ];
}
