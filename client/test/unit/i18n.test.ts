import { describe, expect, it } from 'vitest';
import { daysAgo, formatBytes, formatList } from '../../src/i18n/format.ts';
import { format, messages, translate, type Message, type MessageKey } from '../../src/i18n/messages.ts';

/** The placeholders of every form of a message (a plural one has two). */
const placeholders = (message: Message) =>
  [...new Set((typeof message === 'string' ? [message] : [message.one, message.other]).flatMap((text) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1])))].sort();
const text = (message: Message) => (typeof message === 'string' ? message : message.other);

describe('messages', () => {
  it('has every message in Spanish and English, with the same placeholders', () => {
    const keys = Object.keys(messages.es) as MessageKey[];
    expect(Object.keys(messages.en).sort()).toEqual([...keys].sort());
    for (const key of keys) {
      expect(text(messages.en[key]).trim(), key).not.toBe('');
      expect(placeholders(messages.en[key]), key).toEqual(placeholders(messages.es[key]));
    }
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(translate('es', 'typingOne', { name: 'José' })).toBe('José está escribiendo…');
    expect(translate('en', 'chatsInAttention', { count: 3 })).toBe('Chats in attention: 3');
    expect(format('{a} y {b}', { a: 1 })).toBe('1 y {b}');
  });
});

describe('formatting', () => {
  it('writes sizes with binary multiples in the language’s number format', () => {
    expect(formatBytes('es', 812)).toBe('812 B');
    expect(formatBytes('es', 1536 * 1024)).toBe('1,5 MB');
    expect(formatBytes('en', 1536 * 1024)).toBe('1.5 MB');
    expect(formatBytes('en', 25 * 1024 * 1024)).toBe('25 MB');
  });

  it('counts calendar days, not 24-hour spans', () => {
    expect(daysAgo(new Date(2026, 10, 24, 0, 5), new Date(2026, 10, 24, 23, 55))).toBe(0);
    expect(daysAgo(new Date(2026, 10, 23, 23, 55), new Date(2026, 10, 24, 0, 5))).toBe(1);
  });

  it('joins lists the way each language does', () => {
    expect(formatList('es', ['Ventas', 'Soporte', 'Cobranzas'])).toBe('Ventas, Soporte y Cobranzas');
    expect(formatList('en', ['Sales', 'Support'])).toBe('Sales and Support');
  });
});

describe('plural forms', () => {
  it('gives every plural message its count placeholder in each form', () => {
    for (const lang of ['es', 'en'] as const) {
      for (const [key, message] of Object.entries(messages[lang])) {
        if (typeof message === 'string') continue;
        expect(message.one, `${lang}.${key}`).toContain('{count}');
        expect(message.other, `${lang}.${key}`).toContain('{count}');
      }
    }
  });

  it('agrees in number: "1 abierto", "2 abiertos", "0 abiertos"', () => {
    expect(translate('es', 'openChatsCount', { count: 1 })).toBe('1 abierto');
    expect(translate('es', 'openChatsCount', { count: 2 })).toBe('2 abiertos');
    expect(translate('es', 'openChatsCount', { count: 0 })).toBe('0 abiertos');
    expect(translate('en', 'openChatsCount', { count: 1 })).toBe('1 open');
  });
});
