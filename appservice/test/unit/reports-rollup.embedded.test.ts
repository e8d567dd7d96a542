import { REPORT_GROUPINGS, type Report } from '@chattigo/contracts/reports';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { openMigratedStore } from '../helpers/embedded-store.ts';
import { summary } from '../../src/features/reports/commands.ts';
import { bucketBounds, bucketOf, percentileOf } from '../../src/features/reports/histogram.ts';
import { percentile } from '../../src/features/reports/math.ts';
import { ReportService } from '../../src/features/reports/service.ts';
import { seedAccounts, seedCampaigns } from '../helpers/directory.ts';

/**
 * The report rollup (migration 130) on the embedded store: kept by the chats' trigger in the same
 * statement as a close or a first answer, built again when a campaign's time zone or the default
 * one changes, and read by the reports above `exactUpTo` chats with the same counts and medians
 * and p90 within 2 % of the exact ones.
 */
describe('report rollup on the embedded store (PGlite)', () => {
  let db: Database;
  let exact: ReportService;
  let rolled: ReportService;
  const admin = { username: 'ana', role: 'admin' as const };

  const insertChat = (i: number, campaign: string, opened: Date, seconds: number, answer: number | null, code: string, status = 'closed') =>
    db.query(
      `INSERT INTO chats (room_id, opened_by, peer, pair_key, campaign_id, status, opened_at, closed_by, closed_at, typification_code, typification_label, first_answer_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11)`,
      [
        `!c${i}:x`,
        i % 3 === 0 ? 'maria' : 'jose',
        i % 3 === 0 ? 'jose' : 'maria',
        `p${i}`,
        campaign,
        status,
        opened,
        status === 'closed' ? (i % 2 === 0 ? 'jose' : 'maria') : null,
        status === 'closed' ? new Date(opened.getTime() + seconds * 1000) : null,
        status === 'closed' ? code : null,
        answer === null ? null : new Date(opened.getTime() + answer * 1000),
      ],
    );

  beforeAll(async () => {
    db = await openMigratedStore();
    await seedCampaigns(db, [
      { id: 'ventas', name: 'Ventas' },
      { id: 'soporte', name: 'Soporte' },
    ]);
    await db.query(`UPDATE campaigns SET time_zone = 'UTC' WHERE id = 'soporte'`);
    await seedAccounts(db, [
      { username: 'jose', displayName: 'José', campaigns: ['ventas', 'soporte'] },
      { username: 'maria', displayName: 'María', campaigns: ['ventas', 'soporte'] },
      { username: 'ana', displayName: 'Ana', role: 'admin', campaigns: [] },
    ]);
    // 240 chats over ten days, lasting 1 min to 2 h, answered after 3 s to 10 min (one in seven never).
    const start = Date.parse('2026-03-01T00:00:00Z');
    for (let i = 0; i < 240; i++) {
      const opened = new Date(start + ((i * 7919) % (10 * 86_400)) * 1000);
      const seconds = 60 + ((i * 104_729) % 7140) + (i % 1000) / 1000;
      const answer = i % 7 === 0 ? null : 3 + ((i * 31) % 597);
      await insertChat(i, i % 4 === 0 ? 'soporte' : 'ventas', opened, seconds, answer, `TIPO_${i % 5}`);
    }
    exact = new ReportService({ db, defaultTimeZone: 'America/Santiago' });
    rolled = new ReportService({ db, defaultTimeZone: 'America/Santiago', exactUpTo: 0 });
  });
  afterAll(async () => {
    await db?.close();
  });

  const near = (a: number | null, b: number | null) => {
    if (a === null || b === null) return expect(a).toBe(b);
    // Within one bucket (2 %), or 1 s below one second.
    return expect(Math.abs(a - b)).toBeLessThanOrEqual(Math.max(0.02 * b, 1) + 0.001);
  };
  const compare = (approx: Report, precise: Report) => {
    expect(approx.approximate).toBe(true);
    expect(precise.approximate).toBe(false);
    expect(approx.rows.map((r) => [r.key, r.closed, r.answered])).toEqual(precise.rows.map((r) => [r.key, r.closed, r.answered]));
    expect([approx.total.closed, approx.total.answered]).toEqual([precise.total.closed, precise.total.answered]);
    for (const [i, row] of [...approx.rows, approx.total].entries()) {
      const other = [...precise.rows, precise.total][i];
      if (!other) throw new Error('rows differ');
      near(row.duration.median, other.duration.median);
      near(row.duration.p90, other.duration.p90);
      near(row.firstAnswer.median, other.firstAnswer.median);
      near(row.firstAnswer.p90, other.firstAnswer.p90);
    }
  };

  it("puts a duration in the same bucket as the database's chat_rollup_bucket, each bucket 2 % wide", async () => {
    const values = [0, 1, 999, 1000, 1019, 1020, 1021, 59_999, 60_000, 3_600_000, 86_400_000, 7 * 86_400_000];
    const rows = await db.query<{ b: number }>('SELECT chat_rollup_bucket(v) AS b FROM unnest($1::bigint[]) WITH ORDINALITY AS t(v, i) ORDER BY i', [values]);
    expect(rows.map((r) => r.b - 1)).toEqual(values.map(bucketOf));
    for (const v of values) {
      const [lo, hi] = bucketBounds(bucketOf(v));
      expect(v >= lo && v < hi, `${v} in [${lo}, ${hi})`).toBe(true);
      if (v >= 1000) expect(hi / lo).toBeCloseTo(1.02, 10);
    }
    // percentile_cont from a histogram stays within 2 % of the exact one.
    const sample = Array.from({ length: 500 }, (_, i) => 1000 + ((i * 7919) % 5000) * 97);
    const histogram: number[] = [];
    for (const v of sample) histogram[bucketOf(v)] = (histogram[bucketOf(v)] ?? 0) + 1;
    const sorted = [...sample].sort((a, b) => a - b);
    for (const p of [0, 0.1, 0.5, 0.9, 1]) {
      const exactValue = percentile(sorted, p) ?? 0;
      expect(Math.abs((percentileOf(histogram, p) ?? 0) - exactValue) / exactValue).toBeLessThan(0.02);
    }
    expect(percentileOf([], 0.5)).toBeNull();
  });

  it.each(REPORT_GROUPINGS)('gives the same counts and figures within 2 %% by %s', async (by) => {
    for (const range of [
      { from: '2026-03-01', to: '2026-03-10' },
      { from: '2026-03-03', to: '2026-03-05' },
      { from: '2026-02-20', to: '2026-03-01' },
      // More than 16 days by day: the rollup is read as a range (repository.cumulative).
      { from: '2026-02-15', to: '2026-03-12' },
    ]) {
      compare(await rolled.report(admin, { ...range, by }, 'es'), await exact.report(admin, { ...range, by }, 'es'));
    }
  });

  it('says in !reporte when the figures are estimates', async () => {
    const query = { from: '2026-03-01', to: '2026-03-10' };
    expect(summary(await rolled.report(admin, query, 'es'), 'es', 'https://x/supervision')).toContain('medianas y p90 son estimaciones');
    expect(summary(await exact.report(admin, query, 'en'), 'en', 'https://x/supervision')).not.toContain('estimates');
  });

  it('keeps the rollup with the chat: a close and a first answer count at once, in their statement', async () => {
    const range = { from: '2026-03-20', to: '2026-03-20', by: 'typification' as const };
    const opened = new Date('2026-03-20T15:00:00Z');
    await insertChat(1000, 'ventas', opened, 0, null, '', 'open');
    expect((await rolled.report(admin, range, 'es')).total.closed).toBe(0);
    await db.query(`UPDATE chats SET first_answer_at = $2 WHERE room_id = $1`, ['!c1000:x', new Date(opened.getTime() + 30_000)]);
    await db.query(
      `UPDATE chats SET status = 'closed', closed_by = 'jose', closed_at = $2, typification_code = 'VENTA_OK', typification_label = 'Venta' WHERE room_id = $1`,
      ['!c1000:x', new Date(opened.getTime() + 600_000)],
    );
    const after = await rolled.report(admin, range, 'es');
    expect(after.rows).toEqual([expect.objectContaining({ key: 'VENTA_OK', label: 'Venta', closed: 1, answered: 1 })]);
    near(after.total.duration.median, 600);
    near(after.total.firstAnswer.p90, 30);
    // A failed statement leaves nothing half-written.
    await expect(db.transaction(async (tx) => {
      await tx.query(`UPDATE chats SET typification_code = 'OTRO' WHERE room_id = $1`, ['!c1000:x']);
      throw new Error('rolled back');
    })).rejects.toThrow('rolled back');
    expect((await rolled.report(admin, range, 'es')).rows.map((r) => r.key)).toEqual(['VENTA_OK']);
  });

  it("moves a campaign's days when its time zone changes, and the default zone's campaigns when the configuration does", async () => {
    // 02:30 UTC on the 22nd is the 21st in Santiago (UTC−3) and the 22nd in UTC.
    await insertChat(1001, 'ventas', new Date('2026-03-22T02:00:00Z'), 1800, 10, 'LATE');
    const day = async (service: ReportService) =>
      (await service.report(admin, { from: '2026-03-21', to: '2026-03-22', by: 'day', campaign: 'ventas' }, 'es')).rows.map((r) => [r.key, r.closed]);
    expect(await day(rolled)).toEqual([
      ['2026-03-21', 1],
      ['2026-03-22', 0],
    ]);
    await db.query(`UPDATE campaigns SET time_zone = 'UTC' WHERE id = 'ventas'`);
    expect(await day(rolled)).toEqual([
      ['2026-03-21', 0],
      ['2026-03-22', 1],
    ]);
    await db.query(`UPDATE campaigns SET time_zone = NULL WHERE id = 'ventas'`);
    const tokyo = new ReportService({ db, defaultTimeZone: 'Asia/Tokyo', exactUpTo: 0 });
    // In Tokyo the chat closed at 15:10 UTC on the 20th falls on the 21st too.
    expect(await day(tokyo)).toEqual([
      ['2026-03-21', 1],
      ['2026-03-22', 1],
    ]);
    // Back to the configured default: the next service to report rebuilds for Santiago again.
    expect(await new ReportService({ db, defaultTimeZone: 'America/Santiago', exactUpTo: 0 }).settleTimeZone()).toBe(true);
    expect(await day(rolled)).toEqual([
      ['2026-03-21', 1],
      ['2026-03-22', 0],
    ]);
  });
});
