import { arg, ok, optional, problem } from '../../commands/args.ts';
import { commandWords, defineCommand, type Command, type CommandContext } from '../../commands/command.ts';
import { AppError } from '../../errors.ts';
import { localized, message, translate } from '../../i18n/index.ts';
import type { Role } from '@chattigo/contracts/roles';
import { texts } from './messages.ts';
import type { ChatService } from './service.ts';

const accounts: readonly Role[] = ['agent', 'supervisor', 'admin'];

const codeArg = optional(arg('code', localized('chats.args.code'), (t) => ok(t.text.trim())));
const agentArg = arg('agent', localized('chats.args.agent'), (t) => {
  const value = t.text.trim().toLowerCase().replace(/^@/, '');
  return /^[a-z0-9][a-z0-9._-]{0,63}$/.test(value)
    ? ok(value)
    : problem('chats.badUsername');
});
const campaignArg = optional(arg('campaign', localized('chats.args.campaign'), (t) => ok(t.text.trim().toLowerCase())));

function username(ctx: CommandContext): string {
  if (!ctx.caller.username) {
    throw new AppError(403, 'M_FORBIDDEN', message('chats.onlyAgents'));
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
      ...commandWords('chats.words.close'),
      args: [codeArg],
      roles: accounts,
      scopes: ['chat'],
      summary: localized('chats.close.summary'),
      details: localized('chats.close.details'),
      // The closure notice is the reply to this command (recorded under the command's reply key).
      run: async (ctx, a) => (await chats.close(ctx.roomId, username(ctx), a.code ?? '', { commandEventId: ctx.eventId })).notice,
    }),
    defineCommand({
      id: 'chat.typifications',
      ...commandWords('chats.words.typifications'),
      args: [],
      roles: accounts,
      scopes: ['chat'],
      summary: localized('chats.typifications.summary'),
      run: async (ctx) => texts.typifications(ctx.lang, await chats.typifications(ctx.roomId, username(ctx))),
    }),
    defineCommand({
      id: 'chat.open',
      ...commandWords('chats.words.open'),
      args: [agentArg, campaignArg],
      roles: accounts,
      scopes: ['direct'],
      summary: localized('chats.open.summary'),
      details: localized('chats.open.details'),
      run: async (ctx, a) => {
        const { chat, created } = await chats.open(username(ctx), a.agent, a.campaign);
        const link = `https://matrix.to/#/${encodeURIComponent(chat.roomId)}`;
        return translate(ctx.lang, created ? 'chats.chatOpened' : 'chats.chatAlreadyOpen', { agent: a.agent, link });
      },
    }),
  ];
}
