import { commandWords, defineCommand, type Command } from '../../commands/command.ts';
import { localized, translate } from '../../i18n/index.ts';
import type { JournalRepository } from '../../matrix/journal-repository.ts';

const SHOWN = 5;

/**
 * `!estado` / `!status` for admins, in a direct chat with the bot: how far behind event processing
 * is and which events were set aside as dead letters (the same figures as /health/ready).
 */
export function operationsCommands(journal: JournalRepository): Command[] {
  return [
    defineCommand({
      id: 'operations.status',
      ...commandWords('operations.words.status'),
      args: [],
      roles: ['admin'],
      scopes: ['direct'],
      summary: localized('operations.status.summary'),
      run: async (ctx) => {
        const [backlog, count, letters] = await Promise.all([journal.backlog(), journal.deadLetterCount(24), journal.recentDeadLetters(SHOWN)]);
        const { lang } = ctx;
        const lines = [
          backlog.events === 0
            ? translate(lang, 'operations.upToDate')
            : translate(lang, 'operations.backlog', { events: backlog.events, rooms: backlog.rooms, seconds: Math.round(backlog.oldestSeconds) }),
          translate(lang, 'operations.deadLetters', { count }),
          ...letters.map((l) => `- ${l.createdAt.toISOString()} ${l.eventId ?? '?'} (${l.roomId ?? '?'}): ${l.reason}`),
        ];
        return lines.join('\n');
      },
    }),
  ];
}
