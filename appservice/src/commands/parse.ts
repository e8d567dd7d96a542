import type { Language } from '../errors.ts';
import type { Localized } from './args.ts';
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

const both = (fn: (lang: Language) => string): Localized => ({ es: fn('es'), en: fn('en') });
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
      return this.fail('not_a_command', 'es', both((l) => (l === 'es' ? 'Los comandos empiezan con «!».' : 'Commands start with "!".')));
    }
    if (input.length > MAX_COMMAND_LENGTH) {
      const hint = this.guess(text);
      return this.fail(
        'too_long',
        hint.lang,
        both((l) =>
          l === 'es'
            ? `El comando es demasiado largo (${input.length} caracteres; el máximo es ${MAX_COMMAND_LENGTH}).`
            : `The command is too long (${input.length} characters; the maximum is ${MAX_COMMAND_LENGTH}).`,
        ),
        hint.commands,
      );
    }
    const tokenized = tokenize(text);
    if (!tokenized.ok) {
      const hint = this.guess(text);
      return this.fail(
        'unterminated_quote',
        hint.lang,
        both((l) => (l === 'es' ? 'Falta cerrar unas comillas (").' : 'A double quote (") is not closed.')),
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
        both((l) => (l === 'es' ? `No conozco el comando «!${word}».` : `Unknown command "!${word}".`)),
        this.commands,
      );
    }
    const lang: Language = group.some((p) => p.lang === 'es') ? 'es' : 'en';
    const whole = group.find((p) => p.words.length === 1);
    if (whole) return { ok: true, command: whole.command, lang, rest: tokens.slice(1) };

    const members = unique(group.map((p) => p.command));
    const second = tokens[1];
    if (!second) {
      const name = tokens[0]?.text ?? '';
      return this.fail(
        'missing_subcommand',
        lang,
        both((l) => (l === 'es' ? `Falta qué hacer después de «${shown(name)}».` : `Say what to do after "${shown(name)}".`)),
        members,
      );
    }
    const match = group.find((p) => p.words[1] === fold(second.text) && !second.quoted);
    if (!match) {
      return this.fail(
        'unknown_subcommand',
        lang,
        both((l) => (l === 'es' ? `No conozco «${shown(second.text)}» aquí.` : `Unknown subcommand "${shown(second.text)}".`)),
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
        const valid = (command.flags ?? []).map((f) => `--${f.names[lang]}`);
        return this.fail(
          'unknown_flag',
          lang,
          both((l) => {
            const list = (command.flags ?? []).map((f) => `--${f.names[l]}`).join(', ');
            if (l === 'es') return `No conozco la opción «${shown(token.text)}». ${valid.length ? `Opciones: ${list}.` : 'Este comando no tiene opciones.'}`;
            return `Unknown option "${shown(token.text)}". ${valid.length ? `Options: ${list}.` : 'This command takes no options.'}`;
          }),
          [command],
        );
      }
      values[flag.key] = true;
    }

    if (positionals.length > command.args.length) {
      const extra = positionals.slice(command.args.length).map((t) => t.text).join(' ');
      return this.fail(
        'too_many_arguments',
        lang,
        both((l) =>
          l === 'es'
            ? `Sobra texto: «${shown(extra)}». Si un texto tiene espacios, escríbalo entre comillas.`
            : `Unexpected text: "${shown(extra)}". Put text with spaces in double quotes.`,
        ),
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
        return this.fail('missing_argument', lang, both((l) => (l === 'es' ? `Falta ${spec.placeholder.es}.` : `${spec.placeholder.en} is missing.`)), [command]);
      }
      const result = spec.parse(token);
      if (!result.ok) {
        return this.fail(
          'bad_argument',
          lang,
          both((l) => `${spec.placeholder[l]} ${l === 'es' ? `«${shown(token.text)}»` : `"${shown(token.text)}"`}: ${result.problem[l]}`),
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
    return { lang: group.some((p) => p.lang === 'es') ? 'es' : 'en', commands: unique(group.map((p) => p.command)) };
  }

  private fail(kind: ParseErrorKind, lang: Language, reason: Localized, syntaxOf: readonly Command[] = this.commands): ParseFailure {
    const block = (l: Language) => (syntaxOf.length === 1 && syntaxOf[0] ? syntaxLine(syntaxOf[0], l) : syntaxBlock(syntaxOf, l));
    return {
      ok: false,
      kind,
      lang,
      reason,
      message: { es: `${reason.es}\n${block('es')}`, en: `${reason.en}\n${block('en')}` },
      candidates: syntaxOf,
    };
  }
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}
