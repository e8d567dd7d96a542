import { humanDuration } from '@chattigo/contracts/reports';
import type { SlaEscalation, SlaQuestion, SlaReport } from '@chattigo/contracts/sla';

/** One line of the SLA view, as plain data (tested without a browser). */
export interface SlaLine {
  key: string;
  roomId: string;
  askerName: string;
  askeeName: string;
  campaign: string;
  /** How long the question has waited, as people read it ("12 min 05 s"). */
  waiting: string;
  /** The campaign's answer time. */
  limit: string;
  state: 'escalated' | 'reminded' | 'overdue';
  /** For an escalation: when it was sent. */
  escalatedAt: Date | null;
}

const waited = (askedAt: string, now: number) => humanDuration(Math.max(0, (now - Date.parse(askedAt)) / 1000));

const line = (q: SlaQuestion | SlaEscalation, now: number): Omit<SlaLine, 'state' | 'escalatedAt' | 'key'> => ({
  roomId: q.roomId,
  askerName: q.askerName,
  askeeName: q.askeeName,
  campaign: q.campaignName ?? q.campaignId ?? '—',
  waiting: waited(q.askedAt, now),
  limit: humanDuration(q.slaSeconds),
});

/** Overdue questions, the longest waiting first, and escalations, the newest first. */
export function slaLines(report: SlaReport, now: number): { overdue: SlaLine[]; escalations: SlaLine[] } {
  const overdue = [...report.overdue]
    .sort((a, b) => Date.parse(a.askedAt) - Date.parse(b.askedAt))
    .map((q) => ({
      ...line(q, now),
      key: q.eventId,
      state: q.escalated ? ('escalated' as const) : q.reminded ? ('reminded' as const) : ('overdue' as const),
      escalatedAt: null,
    }));
  const escalations = [...report.escalations]
    .sort((a, b) => Date.parse(b.escalatedAt) - Date.parse(a.escalatedAt))
    .map((e) => ({ ...line(e, now), key: e.eventId, state: 'escalated' as const, escalatedAt: new Date(e.escalatedAt) }));
  return { overdue, escalations };
}
