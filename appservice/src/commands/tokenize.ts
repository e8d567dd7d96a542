/**
 * Splits a bot command into tokens. Words are separated by any whitespace (spaces, tabs, new
 * lines, non-breaking spaces); a double-quoted part keeps its spaces: `"Venta cerrada"`. The
 * typographic quotes that phones put in place of `"` (“ ” „) count as double quotes. Inside or
 * outside quotes, a backslash makes the next quote or backslash literal (`\"`, `\\`); any other
 * backslash is kept as it is. Text is normalised to NFC, so an accent typed as a combining mark
 * compares equal to the precomposed letter.
 */

/** Longest command accepted, in characters; longer input is refused before it is read. */
export const MAX_COMMAND_LENGTH = 2000;

export interface Token {
  text: string;
  /** Whether any part of the token was quoted (a quoted `--x` is a value, not a flag). */
  quoted: boolean;
}

export type TokenizeError =
  | { kind: 'too_long'; length: number; max: number }
  | { kind: 'unterminated_quote'; at: number };

export type TokenizeResult = { ok: true; tokens: Token[] } | { ok: false; error: TokenizeError };

const QUOTES = new Set(['"', '\u201C', '\u201D', '\u201E']);
const isSpace = (ch: string) => /\s/u.test(ch);

export function tokenize(input: string, max = MAX_COMMAND_LENGTH): TokenizeResult {
  if (input.length > max) return { ok: false, error: { kind: 'too_long', length: input.length, max } };
  const chars = Array.from(input.normalize('NFC'));
  const tokens: Token[] = [];
  let current: Token | undefined;
  let quoteStart = -1;

  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] as string;
    const inQuotes = quoteStart >= 0;
    if (ch === '\\') {
      const next = chars[i + 1];
      current ??= { text: '', quoted: false };
      if (next !== undefined && (QUOTES.has(next) || next === '\\')) {
        current.text += next;
        i++;
      } else {
        current.text += ch;
      }
      continue;
    }
    if (QUOTES.has(ch)) {
      current ??= { text: '', quoted: false };
      current.quoted = true;
      quoteStart = inQuotes ? -1 : i;
      continue;
    }
    if (!inQuotes && isSpace(ch)) {
      if (current) tokens.push(current);
      current = undefined;
      continue;
    }
    current ??= { text: '', quoted: false };
    current.text += ch;
  }
  if (quoteStart >= 0) return { ok: false, error: { kind: 'unterminated_quote', at: quoteStart } };
  if (current) tokens.push(current);
  return { ok: true, tokens };
}

/** Lower case without accents: how command words and flags are compared (`Auditoría` = `auditoria`). */
export function fold(word: string): string {
  return word.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}
