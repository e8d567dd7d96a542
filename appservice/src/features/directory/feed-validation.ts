import Type from 'typebox';
import { findProblems, type FieldProblem } from '../../validation.ts';
import { MAX_REPORTS_PER_BATCH, WorkloadReportSchema } from '@chattigo/contracts/directory';

/** Problems listed in one answer, at most; a note says how many more there are. */
export const MAX_LISTED_PROBLEMS = 1000;

const EnvelopeSchema = Type.Object(
  { reports: Type.Array(Type.Unknown(), { minItems: 1, maxItems: MAX_REPORTS_PER_BATCH }) },
  { additionalProperties: false },
);

/**
 * Every problem of a workload feed body, by field (`reports.3.at: must be …`). Each report is
 * checked on its own, so that problems in one report do not hide those of the others.
 */
export function feedProblems(body: unknown): FieldProblem[] {
  const problems = findProblems(EnvelopeSchema, body);
  const reports = typeof body === 'object' && body !== null && 'reports' in body ? body.reports : undefined;
  if (Array.isArray(reports) && reports.length <= MAX_REPORTS_PER_BATCH) {
    reports.forEach((report: unknown, i) => {
      for (const p of findProblems(WorkloadReportSchema, report)) {
        problems.push({ path: p.path === '(root)' ? `reports.${i}` : `reports.${i}.${p.path}`, message: p.message });
      }
    });
  }
  if (problems.length <= MAX_LISTED_PROBLEMS) return problems;
  return [
    ...problems.slice(0, MAX_LISTED_PROBLEMS),
    { path: 'reports', message: `${problems.length - MAX_LISTED_PROBLEMS} more problems not listed` },
  ];
}
