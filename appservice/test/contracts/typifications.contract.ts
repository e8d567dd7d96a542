import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { migrate } from '../../src/db/migrate.ts';
import { importTypifications, typificationProblems } from '../../src/features/typifications/import.ts';
import { createAuditRepository as auditIn, createCampaignRepository as campaignsIn, createTypificationRepository as typificationsIn } from '../../src/features/typifications/repository.ts';

const row = (campaignId: string | null, code: string, label = code.toLowerCase(), active = true) => ({
  campaignId,
  code,
  label,
  description: null,
  active,
});
const codes = (items: { code: string; campaignId: string | null }[]) => items.map((t) => `${t.campaignId ?? '*'}:${t.code}`);

/** The behaviour every store must show for the typification catalogs, their audit and their import. */
export function typificationsContract(storeName: string, open: () => Promise<{ db: Database; dispose(): Promise<void> }>) {
  describe(`typification repository on ${storeName}`, () => {
    let db: Database;
    let dispose: () => Promise<void>;

    beforeAll(async () => {
      ({ db, dispose } = await open());
      await migrate(db);
      await db.query(`INSERT INTO campaigns (id, name, space_room_id) VALUES ('ventas', 'Ventas', '!space:x'), ('soporte', 'Soporte', NULL), ('vacia', 'Vacía', NULL)`);
    });
    afterAll(async () => {
      await dispose();
    });

    it('adds typifications per catalog, one code per catalog, the global catalog included', async () => {
      const global = await typificationsIn(db).insert({ ...row(null, 'VENTA', 'Venta'), description: 'Se vendió' });
      expect(global).toMatchObject({ campaignId: null, code: 'VENTA', label: 'Venta', description: 'Se vendió', active: true });
      expect(global?.id).toMatch(/^\d+$/);
      expect(Date.parse(global?.createdAt ?? '')).not.toBeNaN();
      expect(await typificationsIn(db).insert(row(null, 'VENTA', 'Otra'))).toBeUndefined();
      expect(await typificationsIn(db).insert(row('ventas', 'VENTA', 'Venta cerrada'))).toMatchObject({ campaignId: 'ventas' });
      expect(await typificationsIn(db).insert(row('ventas', 'VENTA'))).toBeUndefined();
      expect(await typificationsIn(db).insert(row('soporte', 'VENTA', 'Venta soporte', false))).toMatchObject({ active: false });
      await typificationsIn(db).insert(row(null, 'NO_CONTESTA', 'No contesta'));
      await typificationsIn(db).insert(row(null, 'BAJA', 'Baja', false));
      await typificationsIn(db).insert(row('ventas', 'RECLAMO', 'Reclamo'));
    });

    it('refuses rows that break the catalog rules', async () => {
      await expect(typificationsIn(db).insert(row(null, 'minúscula'))).rejects.toThrow();
      await expect(typificationsIn(db).insert(row('nadie', 'X'))).rejects.toThrow();
      await expect(typificationsIn(db).insert(row(null, 'LARGO', 'x'.repeat(121)))).rejects.toThrow();
    });

    it('finds and lists one catalog, with or without the inactive ones', async () => {
      expect(await typificationsIn(db).find(null, 'VENTA')).toMatchObject({ label: 'Venta' });
      expect(await typificationsIn(db).find('ventas', 'VENTA')).toMatchObject({ label: 'Venta cerrada' });
      expect(await typificationsIn(db).find('vacia', 'VENTA')).toBeUndefined();
      expect(codes(await typificationsIn(db).list(null))).toEqual(['*:NO_CONTESTA', '*:VENTA']);
      expect(codes(await typificationsIn(db).list(null, { includeInactive: true }))).toEqual(['*:BAJA', '*:NO_CONTESTA', '*:VENTA']);
      expect(codes(await typificationsIn(db).list('soporte'))).toEqual([]);
      expect(codes(await typificationsIn(db).listAll())).toEqual(['*:NO_CONTESTA', '*:VENTA', 'ventas:RECLAMO', 'ventas:VENTA']);
      expect(codes(await typificationsIn(db).withCode('VENTA'))).toEqual(['*:VENTA', 'soporte:VENTA', 'ventas:VENTA']);
    });

    it('gives each campaign its active codes plus the global ones it does not replace', async () => {
      const ventas = await typificationsIn(db).effective('ventas');
      expect(codes(ventas)).toEqual(['*:NO_CONTESTA', 'ventas:RECLAMO', 'ventas:VENTA']);
      expect(ventas.find((t) => t.code === 'VENTA')?.label).toBe('Venta cerrada');
      // soporte's own VENTA is inactive, so the global one applies.
      expect(codes(await typificationsIn(db).effective('soporte'))).toEqual(['*:NO_CONTESTA', '*:VENTA']);
      expect(codes(await typificationsIn(db).effective(null))).toEqual(['*:NO_CONTESTA', '*:VENTA']);
    });

    it('updates label, description and state', async () => {
      const current = await typificationsIn(db).find('ventas', 'RECLAMO');
      if (!current) throw new Error('missing RECLAMO');
      const after = await typificationsIn(db).update(current.id, { label: 'Reclamo formal', description: 'Con número', active: false });
      expect(after).toMatchObject({ code: 'RECLAMO', label: 'Reclamo formal', description: 'Con número', active: false });
      expect(codes(await typificationsIn(db).effective('ventas'))).not.toContain('ventas:RECLAMO');
      await expect(typificationsIn(db).update('999999', { label: 'x', description: null, active: true })).rejects.toThrow(/does not exist/);
    });

    it('keeps an audit trail, newest first, with paging', async () => {
      const snap = { code: 'VENTA', label: 'Venta', description: null, active: true };
      await auditIn(db).record({ actor: 'ana', via: 'command', action: 'create', campaignId: null, code: 'VENTA', before: null, after: snap, source: '$ev1' });
      await auditIn(db).record({
        actor: 'ana',
        via: 'command',
        action: 'deactivate',
        campaignId: 'ventas',
        code: 'VENTA',
        before: snap,
        after: { ...snap, active: false },
      });
      const [latest, first] = await auditIn(db).recent({ limit: 2 });
      expect(latest).toMatchObject({ action: 'deactivate', campaignId: 'ventas', before: snap, after: { ...snap, active: false }, source: null });
      expect(first).toMatchObject({ action: 'create', before: null, source: '$ev1', actor: 'ana', via: 'command' });
      expect(Date.parse(latest?.at ?? '')).not.toBeNaN();
      const older = await auditIn(db).recent({ limit: 10, beforeId: latest?.id ?? '' });
      expect(older[0]?.id).toBe(first?.id);
    });

    it('reads campaigns', async () => {
      expect(await campaignsIn(db).find('ventas')).toEqual({ id: 'ventas', name: 'Ventas', spaceRoomId: '!space:x' });
      expect(await campaignsIn(db).find('nadie')).toBeUndefined();
      expect((await campaignsIn(db).all()).map((c) => c.id)).toEqual(['soporte', 'vacia', 'ventas']);
    });

    describe('import', () => {
      const batch = [
        { campaign: 'vacia', code: 'venta', label: '  Venta   directa ', description: 'Primera' },
        { campaign: 'global', code: 'NO_CONTESTA', label: 'No contesta' },
        { campaign: null, code: 'BAJA', label: 'Baja', active: true },
        { campaign: '', code: 'SPAM', label: 'Spam', active: 'false' },
      ];

      it('creates, updates and reactivates, and reports it', async () => {
        const report = await db.transaction((tx) => importTypifications(tx, batch, { actor: 'import-test', source: 'lote-1' }));
        expect(report).toEqual({ created: 2, updated: 0, deactivated: 0, reactivated: 1, unchanged: 1, changedCatalogs: ['vacia', null] });
        expect(await typificationsIn(db).find('vacia', 'VENTA')).toMatchObject({ label: 'Venta directa', description: 'Primera', active: true });
        expect(await typificationsIn(db).find(null, 'SPAM')).toMatchObject({ active: false });
        const [entry] = await auditIn(db).recent({ limit: 1 });
        expect(entry).toMatchObject({ actor: 'import-test', via: 'import', source: 'lote-1' });
      });

      it('changes nothing when the same batch is imported again', async () => {
        const auditBefore = (await auditIn(db).recent({ limit: 1 }))[0]?.id;
        const report = await db.transaction((tx) => importTypifications(tx, batch));
        expect(report).toEqual({ created: 0, updated: 0, deactivated: 0, reactivated: 0, unchanged: 4, changedCatalogs: [] });
        expect((await auditIn(db).recent({ limit: 1 }))[0]?.id).toBe(auditBefore);
      });

      it('with replace, deactivates the active codes a listed catalog no longer has', async () => {
        const report = await db.transaction((tx) =>
          importTypifications(tx, [{ campaign: 'global', code: 'VENTA', label: 'Venta (nueva)' }, { campaign: 'global', code: 'BAJA', label: 'Baja', active: false }], { replace: true }),
        );
        expect(report).toMatchObject({ created: 0, updated: 1, deactivated: 2, unchanged: 0, changedCatalogs: [null] });
        expect(codes(await typificationsIn(db).list(null))).toEqual(['*:VENTA']);
        expect(codes(await typificationsIn(db).list('vacia'))).toEqual(['vacia:VENTA']);
      });

      it('lists every bad row and changes nothing', async () => {
        const auditBefore = (await auditIn(db).recent({ limit: 1 }))[0]?.id;
        const bad: unknown[] = [
          { campaign: 'vacia', code: 'NUEVA', label: 'Nueva' },
          { campaign: 'nadie', code: 'X', label: 'X' },
          { campaign: 'vacia', code: 'con espacio', label: '' },
          { campaign: 'vacia', code: 'NUEVA', label: 'Repetida' },
          { code: 'Y', label: 'Y', extra: 1 },
          'no es un objeto',
        ];
        const attempt = db.transaction((tx) => importTypifications(tx, bad, { locate: (i) => `line ${i + 2}` }));
        await expect(attempt).rejects.toMatchObject({
          status: 400,
          problems: [
            { path: 'line 3.campaign', message: 'campaign nadie does not exist' },
            { path: 'line 4.code', message: expect.stringContaining('a code has 1 to 32 letters') },
            { path: 'line 4.label', message: 'a label must not be blank.' },
            { path: 'line 5.code', message: 'NUEVA is already in line 2 for the same catalog' },
            { path: 'line 6.campaign', message: 'is required' },
            { path: 'line 6.extra', message: 'unknown field; remove it or check its spelling' },
            { path: 'line 7', message: 'must be object' },
          ],
        });
        expect(await typificationsIn(db).find('vacia', 'NUEVA')).toBeUndefined();
        expect((await auditIn(db).recent({ limit: 1 }))[0]?.id).toBe(auditBefore);
      });
    });

    it('lists the problems of rows without writing, accepting campaigns the same import creates', async () => {
      const rows = [
        { campaign: 'nueva', code: 'A', label: 'A' },
        { campaign: 'otra', code: 'B', label: 'B' },
      ];
      expect(await typificationProblems(db, rows, { campaignsInBatch: ['nueva'] })).toEqual([
        { path: 'typifications.1.campaign', message: 'campaign otra does not exist' },
      ]);
      expect(await typificationProblems(db, [{ campaign: 'vacia', code: 'C', label: 'C' }])).toEqual([]);
      expect(await typificationsIn(db).find('vacia', 'C')).toBeUndefined();
    });

    it('lists the audit newest first by id, across a digit boundary (id 9, 10, …), not as text', async () => {
      for (let i = 0; i < 12; i++) {
        await auditIn(db).record({ actor: 'admin', via: 'api', action: 'create', campaignId: null, code: `ORD${i}`, before: null, after: { code: `ORD${i}`, label: 'x', description: null, active: true } });
      }
      const ids = (await auditIn(db).recent({ limit: 100 })).map((e) => Number(e.id));
      expect(ids).toEqual([...ids].sort((a, b) => b - a));
      expect(ids.some((id) => id >= 10) && ids.some((id) => id < 10)).toBe(true);
    });

    it('drops a deleted campaign’s catalog and keeps its audit', async () => {
      await db.query(`DELETE FROM campaigns WHERE id = 'ventas'`);
      expect(await typificationsIn(db).list('ventas', { includeInactive: true })).toEqual([]);
      expect((await auditIn(db).recent({ limit: 100 })).some((e) => e.campaignId === 'ventas')).toBe(true);
    });
  });
}
