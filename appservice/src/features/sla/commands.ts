import { commandWords, defineCommand, type Command } from '../../commands/command.ts';
import { localized } from '../../i18n/index.ts';
import type { SlaService } from './service.ts';

/** `!sla`: the open questions past their answer time in the caller's campaigns (every campaign for an admin). */
export function slaCommands(service: SlaService): Command[] {
  return [
    defineCommand({
      id: 'sla.list',
      ...commandWords('sla.words.list'),
      args: [],
      roles: ['supervisor', 'admin'],
      scopes: ['direct', 'chat'],
      summary: localized('sla.list.summary'),
      run: async (ctx) => service.overdueReply(ctx.caller.username ?? '', ctx.caller.role ?? 'agent', ctx.lang),
    }),
  ];
}
