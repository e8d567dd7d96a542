import { LANGUAGES, type Language } from '@chattigo/contracts/language';
import { localized, perLanguage, render, type Localized } from '../i18n/index.ts';
import type { Command } from './command.ts';
import { syntaxBlock, syntaxLine } from './help.ts';
import { fold, MAX_COMMAND_LENGTH, tokenize, type Token } from './tokenize.ts';

export type ParseErrorKind =
  | 'not_a_command'
  | 'too_long'
  | 'unterminated_quote'
  | 'unknown_command'
  | 'missing_subcommand'
  | 'unknown_subcommand'
  | 'unknown_flag'
  | 'missing_argument'
  | 'too_many_arguments'
  | 'bad_argument';

/** A command that could not be read; `message` says what is wrong and ends with the expected syntax. */
export interface ParseFailure {
  ok: false;
  kind: ParseErrorKind;
  lang: Language;
  /** What is wrong, without the syntax. */
  reason: Localized;
  /** `reason` followed by the expected syntax. */
  message: Localized;
  /** The commands the input may have been meant as (all of them when nothing matched). */
  candidates: readonly Command[];
}

/** A command word (or words) recognised; the arguments are not read yet. */
export interface Resolved {
  ok: true;
  command: Command;
  lang: Language;
  rest: Token[];
}

export interface Parsed {
  ok: true;
  command: Command;
  lang: Language;
  args: Record<string, unknown>;
}

interface Path {
  command: Command;
  lang: Language;
  words: readonly string[];
}

const shown = (text: string) => (Array.from(text).length > 40 ? `${Array.from(text).slice(0, 40).join('')}…` : text);

/** Reads command text against a table of commands. Pure: no I/O, never throws for any input. */
export class CommandParser {
  readonly commands: readonly Command[];
  private readonly paths: Path[] = [];

  constructor(commands: readonly Command[]) {
    this.commands = commands;
    for (const command of commands) {
      for (const lang of ['es', 'en'] as const) {
        for (const words of [command.words[lang], ...(command.aliases?.[lang] ?? [])]) {
          this.paths.push({ command, lang, words: words.map(fold) });
        }
      }
    }
  }

  parse(input: string): Parsed | ParseFailure {
    const resolved = this.resolve(input);
    return resolved.ok ? this.parseArgs(resolved) : resolved;
  }

  /** Finds which command the text names (from its first one or two words). */
  resolve(input: string): Resolved | ParseFailure {
    const text = input.trimStart();
    if (!text.startsWith('!')) {
      return this.fail('not_a_command', 'es', localized('commands.parse.notACommand'));
    }
    if (input.length > MAX_COMMAND_LENGTH) {
      const hint = this.guess(text);
      return this.fail(
        'too_long',
        hint.lang,
        localized('commands.parse.tooLong', { length: input.length, max: MAX_COMMAND_LENGTH }),
        hint.commands,
      );
    }
    const tokenized = tokenize(text);
    if (!tokenized.ok) {
      const hint = this.guess(text);
      return this.fail(
        'unterminated_quote',
        hint.lang,
        localized('commands.parse.unterminatedQuote'),
        hint.commands,
      );
    }
    const tokens = tokenized.tokens;
    // "! ayuda" is read as "!ayuda".
    if (tokens[0]?.text === '!' && !tokens[0].quoted && tokens[1]) tokens.splice(0, 2, { ...tokens[1], text: `!${tokens[1].text}` });
    const first = fold((tokens[0]?.text ?? '!').slice(1));
    const group = this.paths.filter((p) => p.words[0] === first);
    if (group.length === 0) {
      const word = shown((tokens[0]?.text ?? '!').slice(1));
      return this.fail(
        'unknown_command',
        'es',
        localized('commands.parse.unknownCommand', { word }),
        this.commands,
      );
    }
    const lang = spokenIn(group);
    const whole = group.find((p) => p.words.length === 1);
    if (whole) return { ok: true, command: whole.command, lang, rest: tokens.slice(1) };

    const members = unique(group.map((p) => p.command));
    const second = tokens[1];
    if (!second) {
      const name = tokens[0]?.text ?? '';
      return this.fail(
        'missing_subcommand',
        lang,
        localized('commands.parse.missingSubcommand', { name: shown(name) }),
        members,
      );
    }
    const match = group.find((p) => p.words[1] === fold(second.text) && !second.quoted);
    if (!match) {
      return this.fail(
        'unknown_subcommand',
        lang,
        localized('commands.parse.unknownSubcommand', { word: shown(second.text) }),
        members,
      );
    }
    return { ok: true, command: match.command, lang, rest: tokens.slice(2) };
  }

  /** Reads the arguments and flags of a resolved command. */
  parseArgs(resolved: Resolved): Parsed | ParseFailure {
    const { command, lang } = resolved;
    const values: Record<string, unknown> = {};
    for (const flag of command.flags ?? []) values[flag.key] = false;
    const positionals: Token[] = [];

    for (const token of resolved.rest) {
      const flagName = token.quoted ? undefined : /^(?:--|\u2014|\u2013)(.*)$/su.exec(token.text)?.[1];
      if (flagName === undefined) {
        positionals.push(token);
        continue;
      }
      const flag = (command.flags ?? []).find((f) => fold(f.names.es) === fold(flagName) || fold(f.names.en) === fold(flagName));
      if (!flag) {
        const flags = command.flags ?? [];
        const options = perLanguage((l) => flags.map((f) => `--${f.names[l]}`).join(', '));
        const reason =
          flags.length > 0
            ? localized('commands.parse.unknownFlag', { flag: shown(token.text), options })
            : localized('commands.parse.unknownFlagNoOptions', { flag: shown(token.text) });
        return this.fail('unknown_flag', lang, reason, [command]);
      }
      values[flag.key] = true;
    }

    if (positionals.length > command.args.length) {
      const extra = positionals.slice(command.args.length).map((t) => t.text).join(' ');
      return this.fail(
        'too_many_arguments',
        lang,
        localized('commands.parse.tooManyArguments', { text: shown(extra) }),
        [command],
      );
    }
    for (const [index, spec] of command.args.entries()) {
      const token = positionals[index];
      if (!token) {
        if (spec.optional) {
          values[spec.key] = undefined;
          continue;
        }
        return this.fail('missing_argument', lang, localized('commands.parse.missingArgument', { placeholder: spec.placeholder }), [command]);
      }
      const result = spec.parse(token);
      if (!result.ok) {
        return this.fail(
          'bad_argument',
          lang,
          localized('commands.parse.badArgument', { placeholder: spec.placeholder, text: shown(token.text), problem: result.problem }),
          [command],
        );
      }
      values[spec.key] = result.value;
    }
    return { ok: true, command, lang, args: values };
  }

  /** The commands a text seems to be aimed at, from its first word, for an error's syntax block. */
  private guess(text: string): { lang: Language; commands: readonly Command[] } {
    const first = fold(/^!\s*([^\s"\u201C\u201D\u201E]*)/u.exec(text.slice(0, 200))?.[1] ?? '');
    const group = this.paths.filter((p) => p.words[0] === first);
    if (group.length === 0) return { lang: 'es', commands: this.commands };
    return { lang: spokenIn(group), commands: unique(group.map((p) => p.command)) };
  }

  private fail(kind: ParseErrorKind, lang: Language, reason: Localized, syntaxOf: readonly Command[] = this.commands): ParseFailure {
    const block = (l: Language) => (syntaxOf.length === 1 && syntaxOf[0] ? syntaxLine(syntaxOf[0], l) : syntaxBlock(syntaxOf, l));
    return {
      ok: false,
      kind,
      lang,
      reason,
      message: perLanguage((l) => `${render(l, reason)}\n${block(l)}`),
      candidates: syntaxOf,
    };
  }
}

/** The language of the words typed: Spanish when they are a Spanish command's words (Spanish comes first). */
function spokenIn(group: readonly Path[]): Language {
  return LANGUAGES.find((lang) => group.some((p) => p.lang === lang)) ?? 'es';
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}
