import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['appservice/test/unit/**/*.test.ts', 'synapse/test/**/*.test.ts', 'client/test/unit/**/*.test.ts'],
          testTimeout: 20_000,
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
    ],
  },
});
