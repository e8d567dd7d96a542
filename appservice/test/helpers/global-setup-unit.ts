import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { writeMigratedSnapshot } from './embedded-snapshot.ts';

/**
 * The unit project's global setup: migrates one in-memory store and hands its data directory to
 * the test files (embedded-store.ts), which load it instead of migrating a store of their own.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'chattigo-unit-'));
  try {
    project.provide('migratedSnapshot', await writeMigratedSnapshot(path.join(dir, 'migrated.tar')));
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  return () => rm(dir, { recursive: true, force: true });
}
