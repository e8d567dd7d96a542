import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { openMigratedStore } from '../helpers/embedded-store.ts';
import { ReportService } from '../../src/features/reports/service.ts';
import { seedAccounts, seedCampaigns } from '../helpers/directory.ts';

/**
 * The report queries on the embedded store (PGlite), which `./dev up` uses: the same figures as on
 * PostgreSQL (appservice/test/integration/supervisors.test.ts has the full set).
 */
describe('reports on the embedded store (PGlite)', () => {
  let db: Database;
  let reports: ReportService;

  beforeAll(async () => {
    db = await openMigratedStore();
    await seedCampaigns(db, [{ id: 'ventas', name: 'Ventas' }]);
    await seedAccounts(db, [
      { username: 'jose', displayName: 'José', campaigns: ['ventas'] },
      { username: 'maria', displayName: 'María', campaigns: ['ventas'] },
      { username: 'sofia', displayName: 'Sofía', role: 'supervisor', campaigns: ['ventas'] },
    ]);
    const chats = [
      ['2026-03-02T12:00:00Z', 300, 20, 'VENTA_OK'],
      ['2026-03-02T13:00:00Z', 600, 40, 'VENTA_OK'],
      ['2026-03-03T02:30:00Z', 600, null, 'CONSULTA'], // 23:40 on the 2nd in Santiago
      ['2026-03-03T03:10:00Z', 1200, 90, 'VENTA_OK'],
    ] as const;
    for (const [i, [opened, duration, answer, code]] of chats.entries()) {
      const at = new Date(opened);
      await db.query(
        `INSERT INTO chats (room_id, opened_by, peer, pair_key, campaign_id, status, opened_at, closed_by, closed_at, typification_code, typification_label, first_answer_at)
         VALUES ($1, 'jose', 'maria', $2, 'ventas', 'closed', $3, 'jose', $4, $5, $5, $6)`,
        [`!r${i}:x`, `p${i}`, at, new Date(at.getTime() + duration * 1000), code, answer === null ? null : new Date(at.getTime() + answer * 1000)],
      );
    }
    reports = new ReportService({ db, defaultTimeZone: 'America/Santiago' });
  });
  afterAll(async () => {
    await db?.close();
  });

  const sofia = { username: 'sofia', role: 'supervisor' as const };

  it('counts and times by typification', async () => {
    const r = await reports.report(sofia, { from: '2026-03-02', to: '2026-03-03', by: 'typification' }, 'es');
    expect(r.rows.map((row) => [row.key, row.closed, row.duration.median, row.duration.p90, row.firstAnswer.median])).toEqual([
      ['VENTA_OK', 3, 600, 1080, 40],
      ['CONSULTA', 1, 600, 600, null],
    ]);
    expect(r.total).toMatchObject({ closed: 4, answered: 3, duration: { median: 600, p90: 1020 } });
  });

  it('puts chats in local days and weeks', async () => {
    const days = await reports.report(sofia, { from: '2026-03-01', to: '2026-03-03', by: 'day' }, 'es');
    expect(days.rows.map((row) => [row.key, row.closed])).toEqual([
      ['2026-03-01', 0],
      ['2026-03-02', 3],
      ['2026-03-03', 1],
    ]);
    const weeks = await reports.report(sofia, { from: '2026-03-01', to: '2026-03-03', by: 'week' }, 'es');
    expect(weeks.rows.map((row) => [row.key, row.closed])).toEqual([
      ['2026-02-23', 0],
      ['2026-03-02', 4],
    ]);
  });

  it('refuses agents and other campaigns', async () => {
    await expect(reports.report({ username: 'jose', role: 'agent' }, {}, 'es')).rejects.toMatchObject({ status: 403 });
    await expect(reports.report(sofia, { campaign: 'soporte' }, 'es')).rejects.toMatchObject({ status: 403 });
  });
});
