import { describe, expect, it } from 'vitest';
import { daysIn, readReportQuery, writeReportQuery } from '../../src/features/supervision/report-params.ts';

describe('the report in the address', () => {
  it('reads what the bot links to and leaves out what is malformed', () => {
    expect(readReportQuery(new URLSearchParams('desde=2026-03-01&hasta=2026-03-31&campana=ventas'))).toEqual({
      from: '2026-03-01',
      to: '2026-03-31',
      campaign: 'ventas',
      by: 'typification',
    });
    expect(readReportQuery(new URLSearchParams('desde=ayer&por=hora'))).toEqual({ by: 'typification' });
    expect(readReportQuery(new URLSearchParams('por=week')).by).toBe('week');
  });

  it('writes a query back the same way', () => {
    const query = { from: '2026-03-01', to: '2026-03-31', campaign: 'ventas', by: 'closer' as const };
    expect(writeReportQuery(query).toString()).toBe('desde=2026-03-01&hasta=2026-03-31&campana=ventas&por=closer');
    expect(readReportQuery(writeReportQuery(query))).toEqual(query);
    expect(writeReportQuery({ by: 'typification' }).toString()).toBe('');
  });

  it('counts the days of a range, both ends included', () => {
    expect(daysIn('2026-03-01', '2026-03-31')).toBe(31);
    expect(daysIn('2026-12-31', '2027-01-01')).toBe(2);
  });
});
