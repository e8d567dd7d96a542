import { clearRows, readRows, reportFile, writeReport } from './report.ts';

/** Clears the rows of an earlier run; at the end prints the fault table and writes test-artifacts/fault-report.md. */
export default async function setup(): Promise<() => Promise<void>> {
  await clearRows();
  return async () => {
    const rows = await readRows();
    const table = await writeReport(rows);
    process.stdout.write(`\nFault tests (also in ${reportFile}):\n${table}\n\n`);
  };
}
