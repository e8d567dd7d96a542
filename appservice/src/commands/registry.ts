import type { Language } from '@chattigo/contracts/language';
import { AppError } from '../errors.ts';
import { localized, translate, type Localized } from '../i18n/index.ts';
import type { Logger } from '../observability/logger.ts';
import { arg, ok, optional } from './args.ts';
import { commandWords, defineCommand, mayRun, type Caller, type Command, type CommandContext, type Scope } from './command.ts';
import { commandHelp, renderHelp, roleName } from './help.ts';
import { CommandParser } from './parse.ts';
import { fold } from './tokenize.ts';
import { isTransient } from '../matrix/transient.ts';

export type OutcomeStatus = 'ok' | 'invalid' | 'forbidden' | 'wrong_scope' | 'refused' | 'failed';

/** What the bot should answer, and how the command went (for logs and metrics). */
export interface Outcome {
  status: OutcomeStatus;
  lang: Language;
  reply: string;
  commandId?: string;
}

export type Invocation = Omit<CommandContext, 'lang'>;

const scopeNames: Record<Scope, Localized> = {
  direct: localized('commands.scope.direct'),
  chat: localized('commands.scope.chat'),
};

/**
 * The bot's commands, declared once: parsing, dispatch and `!ayuda`/`!help` all come from the
 * same table. The help command is added here.
 */
export class CommandRegistry {
  readonly parser: CommandParser;
  private readonly log: Logger;

  constructor({ commands, log }: { commands: readonly Command[]; log: Logger }) {
    this.log = log;
    const all = [this.helpCommand(), ...commands];
    checkTable(all);
    this.parser = new CommandParser(all);
  }

  get commands(): readonly Command[] {
    return this.parser.commands;
  }

  /** The commands `caller` may run in `scope`, in table order. */
  available(caller: Caller, scope: Scope): Command[] {
    return this.commands.filter((c) => c.scopes.includes(scope) && mayRun(c, caller));
  }

  /**
   * Reads, authorises and runs one command. It throws only for an outage (the database or the
   * homeserver away, see matrix/transient.ts), so that the command is run again once it is over
   * instead of being answered with an error; everything else becomes the reply.
   */
  async execute(input: string, invocation: Invocation): Promise<Outcome> {
    const resolved = this.parser.resolve(input);
    // The reply speaks the caller's language (the directory's), else the language of the words typed.
    const lang = invocation.caller.language ?? resolved.lang;
    if (!resolved.ok) {
      if (resolved.kind === 'unknown_command' || resolved.kind === 'not_a_command') {
        return { status: 'invalid', lang, reply: `${resolved.reason[lang]}\n\n${this.help(invocation, lang)}` };
      }
      const runnable = resolved.candidates.filter((c) => mayRun(c, invocation.caller));
      if (runnable.length === 0) return { status: 'forbidden', lang, reply: notAllowed(resolved.candidates[0], lang) };
      return { status: 'invalid', lang, reply: resolved.message[lang] };
    }
    const { command } = resolved;
    const commandId = command.id;
    if (!mayRun(command, invocation.caller)) return { status: 'forbidden', lang, reply: notAllowed(command, lang), commandId };
    if (!command.scopes.includes(invocation.scope)) {
      const where = command.scopes.map((s) => scopeNames[s][lang]).reduce((left, right) => translate(lang, 'common.or', { left, right }));
      const reply = translate(lang, 'commands.wrongScope', { command: `!${command.words[lang].join(' ')}`, where });
      return { status: 'wrong_scope', lang, reply, commandId };
    }
    const parsed = this.parser.parseArgs(resolved);
    if (!parsed.ok) return { status: 'invalid', lang, reply: parsed.message[lang], commandId };
    try {
      // The parser built `args` from this command's own specs, so they have the shape `run` declares.
      const reply = await command.run({ ...invocation, lang }, parsed.args as Parameters<Command['run']>[1]);
      return { status: 'ok', lang, reply, commandId };
    } catch (err) {
      if (err instanceof AppError && err.status < 500) return { status: 'refused', lang, reply: err.userText(lang), commandId };
      if (isTransient(err)) throw err;
      this.log.error({ err, commandId, roomId: invocation.roomId }, 'bot command failed');
      return { status: 'failed', lang, reply: translate(lang, 'commands.failed'), commandId };
    }
  }

  /** The help for what `caller` may do where they are. */
  help(invocation: Pick<Invocation, 'caller' | 'scope'>, lang: Language): string {
    const visible = this.available(invocation.caller, invocation.scope);
    const hidden = this.commands.some((c) => c.scopes.includes(invocation.scope) && !mayRun(c, invocation.caller));
    const text = renderHelp(visible, lang);
    if (!hidden) return text;
    return `${text}\n${translate(lang, 'commands.help.moreForAdmins')}`;
  }

  private helpCommand(): Command {
    const word = (key: 'topic' | 'sub', placeholder: Localized) => optional(arg(key, placeholder, (token) => ok(fold(token.text.replace(/^!/, '')))));
    return defineCommand({
      id: 'help',
      ...commandWords('commands.words.help'),
      args: [word('topic', localized('commands.help.argCommand')), word('sub', localized('commands.help.argSubcommand'))],
      roles: 'anyone',
      scopes: ['direct', 'chat'],
      summary: localized('commands.help.summary'),
      run: async (ctx, { topic, sub }) => {
        if (topic === undefined) return this.help(ctx, ctx.lang);
        const matches = this.available(ctx.caller, ctx.scope).filter((c) =>
          (['es', 'en'] as const).some((l) => {
            const words = c.words[l].map(fold);
            return words[0] === topic && (sub === undefined || words[1] === sub);
          }),
        );
        if (matches.length === 0) {
          const asked = [topic, sub].filter(Boolean).join(' ');
          const reason = translate(ctx.lang, 'commands.help.notFound', { command: asked });
          return `${reason}\n\n${this.help(ctx, ctx.lang)}`;
        }
        return matches.map((c) => commandHelp(c, ctx.lang)).join('\n\n');
      },
    });
  }
}

function notAllowed(command: Command | undefined, lang: Language): string {
  const name = command ? `!${command.words[lang].join(' ')}` : '';
  const roles = command && command.roles !== 'anyone' ? command.roles.map((r) => roleName(r, lang)).join(', ') : '';
  const who = roles || roleName('admin', lang);
  return translate(lang, 'commands.notAllowed', { command: name, who });
}

/** Refuses a table that the parser could not read unambiguously: a programming error, found at start-up. */
export function checkTable(commands: readonly Command[]): void {
  const problems: string[] = [];
  const ids = new Set<string>();
  const paths = new Map<string, string>();
  for (const command of commands) {
    if (ids.has(command.id)) problems.push(`command id ${command.id} is declared twice`);
    ids.add(command.id);
    if (command.scopes.length === 0) problems.push(`${command.id}: no scope`);
    const firstOptional = command.args.findIndex((a) => a.optional);
    if (firstOptional >= 0 && command.args.slice(firstOptional).some((a) => !a.optional)) {
      problems.push(`${command.id}: a required argument follows an optional one`);
    }
    const keys = [...command.args.map((a) => a.key), ...(command.flags ?? []).map((f) => f.key)];
    if (new Set(keys).size !== keys.length) problems.push(`${command.id}: two arguments or flags share a key`);
    for (const lang of ['es', 'en'] as const) {
      for (const words of [command.words[lang], ...(command.aliases?.[lang] ?? [])]) {
        if (words.length < 1 || words.length > 2 || words.some((w) => !/^[\p{L}\p{N}_-]+$/u.test(w))) {
          problems.push(`${command.id}: command words must be one or two plain words (${words.join(' ')})`);
        }
        const key = words.map(fold).join(' ');
        const owner = paths.get(key);
        if (owner !== undefined && owner !== command.id) problems.push(`"!${key}" names both ${owner} and ${command.id}`);
        paths.set(key, command.id);
      }
    }
  }
  for (const key of paths.keys()) {
    const [first, second] = key.split(' ');
    if (second !== undefined && paths.has(first ?? '')) problems.push(`"!${first}" is both a command and the start of "!${key}"`);
  }
  if (problems.length > 0) throw new Error(`invalid command table:\n${problems.join('\n')}`);
}
