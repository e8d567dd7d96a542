import { describe, expect, it } from 'vitest';
import { BOM, csvField, toCsv } from '../../src/features/reports/csv.ts';
import { humanDuration } from '@chattigo/contracts/reports';
import { percentile, spread } from '../../src/features/reports/math.ts';
import { addDays, instants, isLocalDate, localDate, periods, startOfDay, weekStart } from '../../src/features/reports/periods.ts';

describe('report statistics', () => {
  it('interpolates as percentile_cont does', () => {
    expect(percentile([], 0.5)).toBeNull();
    expect(percentile([7], 0.9)).toBe(7);
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2.5);
    // rank 0.9 × 9 = 8.1 → 9 + 0.1 × (10 − 9)
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBeCloseTo(9.1, 10);
    expect(() => percentile([1], 1.5)).toThrow(RangeError);
  });

  it('sorts before it measures', () => {
    // rank 0.9 × 2 = 1.8 → 120 + 0.8 × (300 − 120)
    expect(spread([300, 60, 120])).toEqual({ median: 120, p90: 264 });
    expect(spread([])).toEqual({ median: null, p90: null });
  });

  it('writes durations for people', () => {
    expect(humanDuration(null)).toBe('—');
    expect(humanDuration(12.4)).toBe('12 s');
    expect(humanDuration(247)).toBe('4 min 07 s');
    expect(humanDuration(3900)).toBe('1 h 05 min');
  });
});

describe('periods in a time zone', () => {
  it('finds local midnight in Santiago in winter (UTC−4) and summer (UTC−3)', () => {
    expect(startOfDay('2026-07-15', 'America/Santiago').toISOString()).toBe('2026-07-15T04:00:00.000Z');
    expect(startOfDay('2026-01-15', 'America/Santiago').toISOString()).toBe('2026-01-15T03:00:00.000Z');
    expect(startOfDay('2026-01-15', 'UTC').toISOString()).toBe('2026-01-15T00:00:00.000Z');
  });

  it('starts the day when Chile skips midnight (clocks jump from 24:00 to 01:00)', () => {
    // 2026-09-06: Saturday 24:00 (UTC−4) becomes Sunday 01:00 (UTC−3), i.e. 04:00 UTC.
    expect(startOfDay('2026-09-06', 'America/Santiago').toISOString()).toBe('2026-09-06T04:00:00.000Z');
    // 2026-04-05: Saturday 24:00 (UTC−3) becomes Saturday 23:00 (UTC−4); Sunday starts at 04:00 UTC.
    expect(startOfDay('2026-04-05', 'America/Santiago').toISOString()).toBe('2026-04-05T04:00:00.000Z');
    const day = instants({ key: 'x', from: '2026-04-04', to: '2026-04-04' }, 'America/Santiago');
    expect((day.end.getTime() - day.start.getTime()) / 3_600_000).toBe(25);
  });

  it('tells the local date of an instant', () => {
    expect(localDate(new Date('2026-03-01T02:30:00Z'), 'America/Santiago')).toBe('2026-02-28');
    expect(localDate(new Date('2026-03-01T03:30:00Z'), 'America/Santiago')).toBe('2026-03-01');
  });

  it('splits a range into days and ISO weeks cut by the range', () => {
    expect(periods('2026-03-01', '2026-03-03', 'day').map((p) => p.key)).toEqual(['2026-03-01', '2026-03-02', '2026-03-03']);
    // 2026-03-01 is a Sunday: its week started on Monday 2026-02-23.
    expect(periods('2026-03-01', '2026-03-10', 'week')).toEqual([
      { key: '2026-02-23', from: '2026-03-01', to: '2026-03-01' },
      { key: '2026-03-02', from: '2026-03-02', to: '2026-03-08' },
      { key: '2026-03-09', from: '2026-03-09', to: '2026-03-10' },
    ]);
    expect(periods('2026-03-01', '2026-03-10', 'none')).toEqual([{ key: 'all', from: '2026-03-01', to: '2026-03-10' }]);
    expect(periods('2026-03-10', '2026-03-01', 'day')).toEqual([]);
    expect(weekStart('2026-03-08')).toBe('2026-03-02');
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
  });

  it('accepts only real dates', () => {
    expect(isLocalDate('2026-02-28')).toBe(true);
    expect(isLocalDate('2026-02-30')).toBe(false);
    expect(isLocalDate('26-02-01')).toBe(false);
  });
});

describe('CSV export', () => {
  it('starts with a BOM, ends lines with CRLF and quotes what needs it', () => {
    const csv = toCsv(
      [
        ['Tipificación', 'Cerrados', 'Mediana (s)'],
        ['Venta; con "envío"', 3, 12.5],
        ['=HYPERLINK("x")', 0, null],
      ],
      ';',
    );
    expect(csv.startsWith(BOM)).toBe(true);
    expect(csv.slice(1).split('\r\n')).toEqual(['Tipificación;Cerrados;Mediana (s)', '"Venta; con ""envío""";3;12,5', '"\'=HYPERLINK(""x"")";0;', '']);
  });

  it('keeps the decimal point with a comma separator', () => {
    expect(csvField(12.5, ',')).toBe('12.5');
    expect(csvField('a,b', ',')).toBe('"a,b"');
    expect(csvField('a,b', ';')).toBe('a,b');
  });
});
