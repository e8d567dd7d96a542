import { message, type Localized, type Message, type MessageKey, type ParamsOf } from '../i18n/index.ts';
import type { Token } from './tokenize.ts';

export type { Localized };

export type ArgResult<T> = { ok: true; value: T } | { ok: false; problem: Message };

/** One positional argument of a command: its key in the handler's arguments, how help shows it, how it is read. */
export interface ArgSpec<K extends string = string, T = unknown, O extends boolean = boolean> {
  readonly key: K;
  /** As shown in the syntax, e.g. `<CÓDIGO>` / `<CODE>` or `"<etiqueta>"` / `"<label>"`. */
  readonly placeholder: Localized;
  readonly optional: O;
  parse(token: Token): ArgResult<T>;
}

/** A boolean option such as `--todas` / `--all`. */
export interface FlagSpec<K extends string = string> {
  readonly key: K;
  readonly names: Localized;
  readonly help: Localized;
}

type ArgValue<S> = S extends ArgSpec<string, infer T, infer O> ? (O extends true ? T | undefined : T) : never;

/** The handler's view of the parsed arguments: `{ code: string; description: string | undefined; … }`. */
export type ArgsOf<A extends readonly ArgSpec[]> = { [S in A[number] as S['key']]: ArgValue<S> };
export type FlagsOf<F extends readonly FlagSpec[]> = { [S in F[number] as S['key']]: boolean };

export const ok = <T>(value: T): ArgResult<T> => ({ ok: true, value });
export const problem = <K extends MessageKey>(key: K, ...params: ParamsOf<K>): ArgResult<never> => ({ ok: false, problem: message(key, ...params) });

/** An argument read by `parse`. */
export function arg<K extends string, T>(key: K, placeholder: Localized, parse: (token: Token) => ArgResult<T>): ArgSpec<K, T, false> {
  return { key, placeholder, optional: false, parse };
}

/** The same argument, which may be left out (only at the end of the list). */
export function optional<K extends string, T>(spec: ArgSpec<K, T, false>): ArgSpec<K, T, true> {
  return { ...spec, optional: true };
}

// eslint-disable-next-line no-control-regex -- the point is to find control characters
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/u;

/**
 * Free text (a label, a description): surrounding whitespace removed, inner runs of whitespace
 * made one space, at most `max` characters, no control characters.
 */
export function text<K extends string>(key: K, placeholder: Localized, options: { min?: number; max: number }): ArgSpec<K, string, false> {
  const min = options.min ?? 1;
  return arg(key, placeholder, (token) => {
    const value = token.text.trim().replace(/\s+/gu, ' ');
    if (CONTROL.test(value)) return problem('commands.args.control');
    const length = Array.from(value).length;
    if (length < min) {
      return min === 1
        ? problem('commands.args.blank')
        : problem('commands.args.tooShort', { min });
    }
    if (length > options.max) {
      return problem('commands.args.tooLong', { length, max: options.max });
    }
    return ok(value);
  });
}

/** A whole number between `min` and `max`. */
export function integer<K extends string>(key: K, placeholder: Localized, options: { min: number; max: number }): ArgSpec<K, number, false> {
  return arg(key, placeholder, (token) => {
    const value = /^\d{1,9}$/.test(token.text) ? Number(token.text) : Number.NaN;
    if (!Number.isInteger(value) || value < options.min || value > options.max) {
      return problem('commands.args.integer', { min: options.min, max: options.max });
    }
    return ok(value);
  });
}

export function flag<K extends string>(key: K, names: Localized, help: Localized): FlagSpec<K> {
  return { key, names, help };
}
