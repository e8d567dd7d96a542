import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['appservice/test/unit/**/*.test.ts', 'synapse/test/**/*.test.ts', 'client/test/unit/**/*.test.{ts,tsx}'],
          // One migrated embedded store, whose data directory each test's store loads (embedded-store.ts).
          globalSetup: ['appservice/test/helpers/global-setup-unit.ts'],
          testTimeout: 20_000,
          // Each embedded store starts a WebAssembly PostgreSQL: slow on a busy 2-core machine.
          hookTimeout: 30_000,
          // One file per core. Vitest's default leaves a core to its main process (cores − 1, so one
          // file at a time on 2 cores), which has little to do while the unit files run.
          maxWorkers: '100%',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['appservice/test/integration/**/*.test.ts'],
          globalSetup: ['appservice/test/helpers/global-setup.ts'],
          // One Synapse for the run, whose registration points at one appservice port: files take turns.
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
      {
        test: {
          // The integration tests of the message path again, against Synapse's production topology
          // (main, event persister, /sync and client workers, Redis, nginx, PostgreSQL).
          name: 'integration-production',
          include: [
            'appservice/test/integration/transactions.test.ts',
            'appservice/test/integration/chats.test.ts',
            'appservice/test/integration/typification-commands.test.ts',
            'appservice/test/integration/login.test.ts',
            // Two appservice processes on one database; the leader killed under traffic.
            'appservice/test/production/**/*.test.ts',
          ],
          globalSetup: ['appservice/test/helpers/global-setup-production.ts'],
          fileParallelism: false,
          sequence: { groupOrder: 2 },
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['client/e2e/**/*.e2e.test.ts'],
          // Its own Synapse, the built client and Debian's Chromium; files take turns, after the other projects.
          globalSetup: ['client/e2e/global-setup.ts'],
          fileParallelism: false,
          sequence: { groupOrder: 1 },
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
      {
        test: {
          name: 'fault',
          include: ['appservice/test/fault/**/*.fault.test.ts'],
          // Each file runs its own Synapse, appservice process and database, and kills them: one at a time,
          // after the other projects (they would share the two cores). The global teardown prints the fault table.
          globalSetup: ['appservice/test/fault/helpers/global-setup.ts'],
          fileParallelism: false,
          sequence: { groupOrder: 3 },
          testTimeout: 300_000,
          hookTimeout: 240_000,
        },
      },
    ],
  },
});
