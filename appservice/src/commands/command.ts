import type { Language } from '@chattigo/contracts/language';
import type { Role } from '@chattigo/contracts/roles';
import { perLanguage, translate, type MessageKey } from '../i18n/index.ts';
import type { ArgSpec, ArgsOf, FlagSpec, FlagsOf, Localized } from './args.ts';

/**
 * Where a command may be used: `direct` is a direct chat between one user and the bot; `chat` is
 * a chat room between agents that the bot is in.
 */
export type Scope = 'direct' | 'chat';

/** Who typed the command. `role` is undefined when the sender has no active Chattigo account. */
export interface Caller {
  userId: string;
  username: string | undefined;
  role: Role | undefined;
  /** The caller's language from the directory: replies are written in it rather than the command's. */
  language?: Language | null;
}

export interface CommandContext {
  caller: Caller;
  roomId: string;
  scope: Scope;
  /** The language of the command word the user typed; replies use it. */
  lang: Language;
  /** The Matrix event that carried the command (kept in audit trails). */
  eventId: string;
}

/** Command words in each language: `['tipificacion', 'agregar']` / `['typification', 'add']`. */
export interface CommandWords {
  es: readonly string[];
  en: readonly string[];
}

/** Other words for the same command, in each language. */
export type CommandAliases = { es?: readonly (readonly string[])[]; en?: readonly (readonly string[])[] };

/**
 * A command's words and aliases from the catalogs: an entry such as `tipificacion agregar |
 * tipificacion crear` is the words shown in the help, then other words accepted for the command.
 */
export function commandWords(key: MessageKey & `${string}.words.${string}`): { words: CommandWords; aliases: CommandAliases } {
  const alternatives = perLanguage((lang) => translate(lang, key).split(' | ').map((words) => words.split(' ')));
  return {
    words: perLanguage((lang) => alternatives[lang][0] ?? []),
    aliases: perLanguage((lang) => alternatives[lang].slice(1)),
  };
}

/**
 * One row of the command table: everything the parser, the dispatcher and the help need.
 * `run` returns the reply, in `ctx.lang`; it throws an `AppError` for a refusal the user should read.
 */
export interface CommandSpec<A extends readonly ArgSpec[] = readonly ArgSpec[], F extends readonly FlagSpec[] = readonly FlagSpec[]> {
  readonly id: string;
  readonly words: CommandWords;
  /** Other words accepted for the same command (not shown in the syntax line). */
  readonly aliases?: CommandAliases;
  readonly args: A;
  readonly flags?: F;
  /** Roles allowed to run it, or `anyone` (also users without an account). */
  readonly roles: readonly Role[] | 'anyone';
  readonly scopes: readonly Scope[];
  readonly summary: Localized;
  /** Extra help lines (examples, notes), shown by `!ayuda <comando>`. */
  readonly details?: Localized;
  run(ctx: CommandContext, args: ArgsOf<A> & FlagsOf<F>): Promise<string>;
}

/** A command of any argument shape, as the registry holds it. */
export type Command = CommandSpec<readonly ArgSpec[], readonly FlagSpec[]>;

/** Declares a command; the handler's `args` are typed from the argument and flag specs. */
export function defineCommand<const A extends readonly ArgSpec[], const F extends readonly FlagSpec[] = readonly []>(
  spec: CommandSpec<A, F>,
): Command {
  return spec;
}

export function mayRun(command: Command, caller: Caller): boolean {
  return command.roles === 'anyone' || (caller.role !== undefined && command.roles.includes(caller.role));
}
