import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { snapshotKey, writeMigratedSnapshot, type MigratedSnapshot } from './embedded-snapshot.ts';

/**
 * The unit project's global setup: migrates one in-memory store and hands its data directory to
 * the test files (embedded-store.ts), which load it instead of migrating a store of their own.
 * In watch mode a rerun after a migration changed makes a new one.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'chattigo-unit-'));
  let made = 0;
  let current: MigratedSnapshot | undefined;
  const make = async () => {
    current = await writeMigratedSnapshot(path.join(dir, `migrated-${++made}.tar`));
    project.provide('migratedSnapshot', current);
  };
  try {
    await make();
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  project.onTestsRerun(async () => {
    if (current?.key === (await snapshotKey())) return;
    const stale = current;
    await make();
    if (stale) await rm(stale.path, { force: true });
  });
  return () => rm(dir, { recursive: true, force: true });
}
