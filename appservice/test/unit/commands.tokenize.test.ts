import { describe, expect, it } from 'vitest';
import { fold, MAX_COMMAND_LENGTH, tokenize } from '../../src/commands/tokenize.ts';

const texts = (input: string) => {
  const result = tokenize(input);
  if (!result.ok) throw new Error(`tokenize failed: ${result.error.kind}`);
  return result.tokens.map((t) => t.text);
};

describe('tokenize', () => {
  it('splits on any run of whitespace, including tabs, new lines and non-breaking spaces', () => {
    expect(texts('  !a   b\tc\n\nd\u00A0e  ')).toEqual(['!a', 'b', 'c', 'd', 'e']);
    expect(texts('')).toEqual([]);
    expect(texts('   ')).toEqual([]);
  });

  it('keeps quoted text with spaces and accents together and marks it quoted', () => {
    const result = tokenize('!x agregar "Venta  concretada con éxito" ñandú');
    expect(result).toEqual({
      ok: true,
      tokens: [
        { text: '!x', quoted: false },
        { text: 'agregar', quoted: false },
        { text: 'Venta  concretada con éxito', quoted: true },
        { text: 'ñandú', quoted: false },
      ],
    });
  });

  it('reads typographic quotes from phones as double quotes', () => {
    expect(texts('a “Cliente no contesta” b')).toEqual(['a', 'Cliente no contesta', 'b']);
    expect(texts('a „dicho” b')).toEqual(['a', 'dicho', 'b']);
  });

  it('unescapes \\" and \\\\ and keeps other backslashes', () => {
    expect(texts('"dijo \\"sí\\"" C:\\ruta a\\\\b')).toEqual(['dijo "sí"', 'C:\\ruta', 'a\\b']);
    expect(texts('\\"suelto')).toEqual(['"suelto']);
  });

  it('joins quoted and unquoted parts of one word, and keeps an empty quoted token', () => {
    expect(texts('ab"c d"e ""')).toEqual(['abc de', '']);
  });

  it('normalises to NFC, so a combining accent equals the precomposed letter', () => {
    expect(texts('Me\u0301xico')).toEqual(['México']);
  });

  it('reports an unclosed quote', () => {
    expect(tokenize('a "b c')).toEqual({ ok: false, error: { kind: 'unterminated_quote', at: 2 } });
    expect(tokenize('a "b \\"')).toMatchObject({ ok: false, error: { kind: 'unterminated_quote' } });
  });

  it('refuses input over the length limit without reading it', () => {
    const long = 'x'.repeat(MAX_COMMAND_LENGTH + 1);
    expect(tokenize(long)).toEqual({ ok: false, error: { kind: 'too_long', length: MAX_COMMAND_LENGTH + 1, max: MAX_COMMAND_LENGTH } });
    expect(tokenize('x'.repeat(MAX_COMMAND_LENGTH)).ok).toBe(true);
  });

  it('folds words for comparison: lower case, no accents', () => {
    expect(fold('AUDITORÍA')).toBe('auditoria');
    expect(fold('Tipificación')).toBe('tipificacion');
  });
});
