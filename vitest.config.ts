import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['appservice/test/unit/**/*.test.ts', 'synapse/test/**/*.test.ts'],
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
    ],
  },
});
