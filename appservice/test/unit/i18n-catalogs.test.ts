import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '@chattigo/contracts/language';
import { en } from '../../src/i18n/en.ts';
import { es } from '../../src/i18n/es.ts';
import { bilingual, catalogs, message, render, translate } from '../../src/i18n/index.ts';

const placeholders = (template: string) => [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('server message catalogs', () => {
  it('have the same keys in every language', () => {
    const keys = Object.keys(es).sort();
    expect(Object.keys(en).sort()).toEqual(keys);
    for (const lang of LANGUAGES) expect(Object.keys(catalogs[lang]).sort(), lang).toEqual(keys);
  });

  it('have no empty entry and no stray brace', () => {
    for (const lang of LANGUAGES) {
      for (const [key, template] of Object.entries(catalogs[lang])) {
        expect(template.trim(), `${lang} ${key}`).not.toBe('');
        expect(template.replace(/\{\w+\}/g, ''), `${lang} ${key}`).not.toMatch(/[{}]/);
      }
    }
  });

  it('have the same placeholders in Spanish and English', () => {
    for (const key of Object.keys(es) as (keyof typeof es)[]) expect(placeholders(en[key]), key).toEqual(placeholders(es[key]));
  });

  it('fill placeholders, nested messages included, and render both languages in one text', () => {
    expect(translate('es', 'chats.alreadyClosed', { code: 'VENTA_OK' })).toBe('Este chat ya está cerrado (tipificación VENTA_OK).');
    const catalog = { ...message('typifications.catalog.namedCampaign', { id: 'ventas', name: 'Ventas' }), capitalised: true };
    expect(render('en', message('typifications.notFound', { catalog, code: 'X' }))).toBe('Campaign ventas (Ventas) has no code X. Nothing was changed.');
    expect(bilingual(message('chats.twoPeople'), ' / ')).toBe('Los chats entre agentes son de dos personas. / Agent chats are between two people.');
  });
});
