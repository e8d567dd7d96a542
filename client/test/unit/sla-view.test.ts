import { describe, expect, it } from 'vitest';
import { slaNoticeOf } from '@chattigo/contracts/event-types';
import type { SlaReport } from '@chattigo/contracts/sla';
import { slaLines } from '../../src/features/supervision/sla-view.ts';

const now = Date.parse('2026-11-24T20:00:00Z');
const question = (eventId: string, askedAgo: number, over: Partial<SlaReport['overdue'][number]> = {}): SlaReport['overdue'][number] => ({
  roomId: `!${eventId}:x`,
  eventId,
  asker: 'ana',
  askee: 'beto',
  askerName: 'Ana',
  askeeName: 'Beto',
  campaignId: 'ventas',
  campaignName: 'Ventas',
  askedAt: new Date(now - askedAgo * 1000).toISOString(),
  slaSeconds: 300,
  reminded: false,
  escalated: false,
  ...over,
});

describe('the SLA view', () => {
  it('lists overdue questions the longest waiting first with their state, and escalations newest first', () => {
    const report: SlaReport = {
      overdue: [question('$a', 400, { reminded: true }), question('$b', 725, { reminded: true, escalated: true }), question('$c', 301, { campaignId: null, campaignName: null })],
      escalations: [
        { ...question('$old', 4000), escalatedAt: new Date(now - 3000_000).toISOString() },
        { ...question('$new', 900), escalatedAt: new Date(now - 60_000).toISOString() },
      ].map(({ reminded: _r, escalated: _e, ...rest }) => rest),
    };
    const { overdue, escalations } = slaLines(report, now);
    expect(overdue.map((l) => [l.key, l.state, l.waiting, l.limit, l.campaign])).toEqual([
      ['$b', 'escalated', '12 min 05 s', '5 min 00 s', 'Ventas'],
      ['$a', 'reminded', '6 min 40 s', '5 min 00 s', 'Ventas'],
      ['$c', 'overdue', '5 min 01 s', '5 min 00 s', '—'],
    ]);
    expect(escalations.map((l) => [l.key, l.waiting, l.escalatedAt?.toISOString()])).toEqual([
      ['$new', '15 min 00 s', new Date(now - 60_000).toISOString()],
      ['$old', '1 h 06 min', new Date(now - 3000_000).toISOString()],
    ]);
  });

  it('reads the com.chattigo.sla field of a notice, and nothing malformed', () => {
    const field = { kind: 'reminder', room_id: '!r:x', question: '$q', asker: '@a:x', askee: '@b:x', asked_at: 1, sla_seconds: 6 };
    expect(slaNoticeOf({ 'com.chattigo.sla': field })).toEqual(field);
    expect(slaNoticeOf({ 'com.chattigo.sla': { ...field, kind: 'other' } })).toBeNull();
    expect(slaNoticeOf({ 'com.chattigo.sla': { ...field, askee: 7 } })).toBeNull();
    expect(slaNoticeOf({ 'com.chattigo.sla': { ...field, asked_at: 1.5 } })).toBeNull();
    expect(slaNoticeOf({ body: 'x' })).toBeNull();
    expect(slaNoticeOf(undefined)).toBeNull();
  });
});
