/**
 * Prints vitest's totals as one plain line, `tests: N passed, N failed, N skipped`, which CI
 * systems that do not know vitest can read. Usage: node scripts/test-summary.ts REPORT.json
 */
import { readFile } from 'node:fs/promises';

interface Report {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
}

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: node scripts/test-summary.ts REPORT.json\n');
  process.exit(2);
}
const report = JSON.parse(await readFile(file, 'utf8')) as Report;
process.stdout.write(
  `tests: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${report.numPendingTests + report.numTodoTests} skipped\n`,
);
