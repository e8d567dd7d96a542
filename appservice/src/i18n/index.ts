import type { Language } from '@chattigo/contracts/language';
import { en } from './en.ts';
import { es } from './es.ts';

/**
 * The appservice's message catalogs (es.ts, en.ts) and how texts are made from them. A text is a
 * `Message` (a key and its parameters) until it is rendered in the language wanted where it leaves
 * the appservice: an HTTP error body, a bot reply, a notice, a mail.
 */

type Catalog = typeof es;
export type MessageKey = keyof Catalog;

/** The names of a template's `{name}` placeholders, as a union. */
export type Placeholders<S extends string> = S extends `${string}{${infer Name}}${infer Rest}` ? Name | Placeholders<Rest> : never;

/** A text already made in each language (a syntax line, a list of command words). */
export type Localized = Readonly<Record<Language, string>>;

/** What fills a placeholder: a value shown as is, or a text rendered in the same language. */
export type ParamValue = string | number | Message | Localized;

/** The parameters a key's template needs: none, or exactly its placeholders. */
export type ParamsOf<K extends MessageKey> = [Placeholders<Catalog[K]>] extends [never] ? [] : [params: Readonly<Record<Placeholders<Catalog[K]>, ParamValue>>];

export interface Message {
  readonly key: MessageKey;
  readonly params: Readonly<Record<string, ParamValue>>;
  /** Upper-cases the first letter: a clause (`el código debe…`) used as a sentence of its own. */
  readonly capitalised?: boolean;
}

// Compile-time check that en.ts has the placeholders of es.ts, key by key: a key named in an error
// here has a placeholder in one language that the other lacks.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Mismatched = { [K in MessageKey]: Same<Placeholders<Catalog[K]>, Placeholders<(typeof en)[K]>> extends true ? never : K }[MessageKey];
type Agree<T extends never> = T;
export type CatalogsAgree = Agree<Mismatched>;

export const catalogs: Readonly<Record<Language, Readonly<Record<MessageKey, string>>>> = { es, en };

/** A message to render later, in the language wanted where it is shown. */
export function message<K extends MessageKey>(key: K, ...params: ParamsOf<K>): Message {
  return { key, params: params[0] ?? {} };
}

function isMessage(text: Message | Localized): text is Message {
  return 'key' in text;
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** A message (or a text made in each language) in `lang`, its placeholders filled. */
export function render(lang: Language, text: Message | Localized): string {
  if (!isMessage(text)) return text[lang];
  const { params } = text;
  const filled = catalogs[lang][text.key].replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = Object.hasOwn(params, name) ? params[name] : undefined;
    if (value === undefined) return whole;
    return typeof value === 'object' ? render(lang, value) : String(value);
  });
  return text.capitalised ? capitalise(filled) : filled;
}

/** `key` in `lang` with its parameters: `translate('es', 'chats.alreadyClosed', { code })`. */
export function translate<K extends MessageKey>(lang: Language, key: K, ...params: ParamsOf<K>): string {
  return render(lang, message(key, ...params));
}

/** The same value made for each language. */
export function perLanguage<T>(make: (lang: Language) => T): Readonly<Record<Language, T>> {
  return { es: make('es'), en: make('en') };
}

/** `key` rendered in both languages, for what is built once and shown in either (command help). */
export function localized<K extends MessageKey>(key: K, ...params: ParamsOf<K>): Localized {
  const text = message(key, ...params);
  return perLanguage((lang) => render(lang, text));
}

/** Spanish, then English, in one text: for what has no reader's language (redaction reasons, mails, some notices). */
export function bilingual(text: Message | Localized, separator: string): string {
  return `${render('es', text)}${separator}${render('en', text)}`;
}

/** A moment as people read it in `lang`, in UTC: "01-12-26, 14:05 UTC" / "01/12/2026, 14:05 UTC". */
export function formatMoment(lang: Language, at: string | number | Date): string {
  const format = new Intl.DateTimeFormat(lang === 'es' ? 'es-CL' : 'en-GB', { dateStyle: 'short', timeStyle: 'short', timeZone: 'UTC', hourCycle: 'h23' });
  return `${format.format(new Date(at))} UTC`;
}

/** "a, b y c" / "a, b and c" (no serial comma in either language). */
export function joinList(lang: Language, items: readonly string[]): string {
  const last = items[items.length - 1];
  if (items.length < 2 || last === undefined) return items[0] ?? '';
  return translate(lang, 'common.listEnd', { rest: items.slice(0, -1).join(', '), last });
}
