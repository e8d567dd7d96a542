import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { openMigratedStore } from '../helpers/embedded-store.ts';
import type { CatalogId } from '../../src/features/typifications/model.ts';
import { createAuditRepository as auditIn, createTypificationRepository as typificationsIn } from '../../src/features/typifications/repository.ts';
import { TypificationService, type Actor } from '../../src/features/typifications/service.ts';
import { createLogger } from '../../src/observability/logger.ts';

const ana: Actor = { name: 'ana', via: 'command', source: '$cmd' };

describe('typification service', () => {
  let db: Database;
  let service: TypificationService;
  const notified: CatalogId[] = [];

  beforeAll(async () => {
    db = await openMigratedStore();
    await db.query(`INSERT INTO campaigns (id, name) VALUES ('ventas', 'Ventas'), ('soporte', 'Soporte')`);
    service = new TypificationService({ db, log: createLogger('silent') });
    service.onChange(async (catalog) => void notified.push(catalog));
  });
  afterAll(async () => {
    await db.close();
  });
  beforeEach(() => {
    notified.length = 0;
  });

  const auditCount = async () => (await auditIn(db).recent({ limit: 1000 })).length;

  it('adds a typification, audits it and tells the listeners', async () => {
    const change = await service.add(ana, { catalog: 'ventas', code: ' venta_ok ', label: '  Venta   concretada ', description: 'El cliente compró' });
    expect(change).toMatchObject({
      kind: 'created',
      catalog: 'ventas',
      campaign: { id: 'ventas', name: 'Ventas' },
      before: null,
      after: { code: 'VENTA_OK', label: 'Venta concretada', description: 'El cliente compró', active: true },
    });
    const [entry] = await auditIn(db).recent({ limit: 1 });
    expect(entry).toMatchObject({
      actor: 'ana',
      via: 'command',
      action: 'create',
      campaignId: 'ventas',
      code: 'VENTA_OK',
      before: null,
      after: { code: 'VENTA_OK', label: 'Venta concretada', description: 'El cliente compró', active: true },
      source: '$cmd',
    });
    expect(notified).toEqual(['ventas']);
  });

  it('refuses bad input with a reason and changes nothing', async () => {
    const before = await auditCount();
    await expect(service.add(ana, { catalog: 'ventas', code: 'NO VÁLIDO', label: 'x' })).rejects.toMatchObject({
      status: 400,
      userTexts: { es: expect.stringMatching(/^El código debe tener de 1 a 32 letras/) },
    });
    await expect(service.add(ana, { catalog: 'ventas', code: 'OK', label: '   ' })).rejects.toMatchObject({ status: 400 });
    await expect(service.add(ana, { catalog: 'ventas', code: 'OK', label: 'x'.repeat(121) })).rejects.toMatchObject({
      userTexts: { en: 'The label has 121 characters; the maximum is 120.' },
    });
    await expect(service.add(ana, { catalog: 'nadie', code: 'OK', label: 'x' })).rejects.toMatchObject({
      status: 404,
      userTexts: { es: 'No existe la campaña «nadie». Campañas: soporte, ventas. Use «global» para el catálogo global.' },
    });
    await expect(service.add(ana, { catalog: 'ventas', code: 'venta_ok', label: 'Otra' })).rejects.toMatchObject({
      status: 409,
      userTexts: { es: 'La campaña ventas (Ventas) ya tiene el código VENTA_OK: «Venta concretada». No se cambió nada.' },
    });
    expect(await auditCount()).toBe(before);
    expect(notified).toEqual([]);
  });

  it('writes the change and its audit entry in one transaction', async () => {
    const tooLongActor = { ...ana, name: 'x'.repeat(201) };
    await expect(service.add(tooLongActor, { catalog: null, code: 'HUERFANA', label: 'Sin auditoría' })).rejects.toThrow();
    expect(await typificationsIn(db).find(null, 'HUERFANA')).toBeUndefined();
  });

  it('renames, keeping or clearing the description, and reports no change as such', async () => {
    const renamed = await service.rename(ana, { catalog: 'ventas', code: 'VENTA_OK', label: 'Venta cerrada' });
    expect(renamed).toMatchObject({ kind: 'updated', before: { label: 'Venta concretada' }, after: { label: 'Venta cerrada', description: 'El cliente compró' } });
    const cleared = await service.rename(ana, { catalog: 'ventas', code: 'VENTA_OK', label: 'Venta cerrada', description: '' });
    expect(cleared.after.description).toBeNull();
    const before = await auditCount();
    notified.length = 0;
    expect(await service.rename(ana, { catalog: 'ventas', code: 'VENTA_OK', label: 'Venta  cerrada ' })).toMatchObject({ kind: 'unchanged' });
    expect(await auditCount()).toBe(before);
    expect(notified).toEqual([]);
    await expect(service.rename(ana, { catalog: 'soporte', code: 'VENTA_OK', label: 'x' })).rejects.toMatchObject({
      status: 404,
      userTexts: { en: 'Campaign soporte (Soporte) has no code VENTA_OK. Nothing was changed.' },
    });
  });

  it('deactivates and reactivates; the very next close sees it', async () => {
    expect((await service.forClose('ventas', 'venta_ok'))?.label).toBe('Venta cerrada');
    const off = await service.setActive(ana, { catalog: 'ventas', code: 'VENTA_OK', active: false });
    expect(off).toMatchObject({ kind: 'deactivated', after: { active: false }, globalSameCode: undefined });
    expect(await service.forClose('ventas', 'VENTA_OK')).toBeUndefined();
    expect((await service.catalogFor('ventas')).map((t) => t.code)).not.toContain('VENTA_OK');
    expect((await auditIn(db).recent({ limit: 1 }))[0]).toMatchObject({ action: 'deactivate', before: { active: true }, after: { active: false } });
    expect(await service.setActive(ana, { catalog: 'ventas', code: 'VENTA_OK', active: false })).toMatchObject({ kind: 'unchanged' });
    expect(await service.setActive(ana, { catalog: 'ventas', code: 'VENTA_OK', active: true })).toMatchObject({ kind: 'reactivated' });
    expect(await service.forClose('ventas', 'VENTA_OK')).toBeDefined();
    expect(await service.forClose('ventas', 'not a code!')).toBeUndefined();
  });

  it('lets a campaign code replace a global one, and the global one apply again once it is deactivated', async () => {
    await service.add(ana, { catalog: null, code: 'NO_CONTESTA', label: 'No contesta' });
    expect(notified).toEqual([null]);
    const own = await service.add(ana, { catalog: 'soporte', code: 'NO_CONTESTA', label: 'Cliente no contesta' });
    expect(own.globalSameCode?.label).toBe('No contesta');
    expect((await service.forClose('soporte', 'NO_CONTESTA'))?.label).toBe('Cliente no contesta');
    const off = await service.setActive(ana, { catalog: 'soporte', code: 'NO_CONTESTA', active: false });
    expect(off.globalSameCode?.label).toBe('No contesta');
    expect((await service.forClose('soporte', 'NO_CONTESTA'))?.label).toBe('No contesta');
    expect((await service.catalogFor(null)).map((t) => t.code)).toEqual(['NO_CONTESTA']);
  });

  it('lists catalogs and where a code is used', async () => {
    const all = await service.list(undefined, false);
    expect(all.map((l) => [l.catalog, l.own.map((t) => t.code)])).toEqual([
      [null, ['NO_CONTESTA']],
      ['ventas', ['VENTA_OK']],
    ]);
    const soporte = await service.list('soporte', true);
    expect(soporte[0]).toMatchObject({ catalog: 'soporte', own: [{ code: 'NO_CONTESTA', active: false }], inherited: [{ code: 'NO_CONTESTA' }] });
    const usage = await service.usage('no_contesta');
    expect(usage.entries.map((e) => [e.campaignId, e.active])).toEqual([
      [null, true],
      ['soporte', false],
    ]);
    expect(usage.usedBy.map((c) => c.id)).toEqual(['soporte', 'ventas']);
    expect((await service.usage('VENTA_OK')).usedBy.map((c) => c.id)).toEqual(['ventas']);
  });

  it('keeps going when a listener fails', async () => {
    const failing = new TypificationService({ db, log: createLogger('silent') });
    failing.onChange(async () => {
      throw new Error('Synapse is down');
    });
    await expect(failing.add(ana, { catalog: null, code: 'OTRA', label: 'Otra' })).resolves.toMatchObject({ kind: 'created' });
  });
});
