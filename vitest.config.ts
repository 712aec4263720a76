import { defineConfig } from 'vitest/config';

// Every test file gets its own fresh database, copied from a migrated template (see test/helpers).
// The suite runs on embedded PGlite always, and again on the PostgreSQL server when DATABASE_URL is set.
// Browser journeys (test/e2e) run once, in the real Chromium, against the built web apps.
const engines = process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

export default defineConfig({
  test: {
    globalSetup: ['test/helpers/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      ...engines.map((engine) => ({
        extends: true as const,
        test: {
          name: engine,
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          env: { TEST_ENGINE: engine },
          pool: 'forks' as const,
        },
      })),
      {
        extends: true as const,
        test: {
          name: 'browser',
          include: ['test/e2e/**/*.e2e.ts'],
          env: { TEST_ENGINE: 'pglite' },
          fileParallelism: false,
          testTimeout: 90_000,
          // In CI, a journey that fails is run once more and reported as flaky if it then passes: a
          // 2-core machine running both engines' suites can starve a page past a timeout. Locally a
          // failure is a failure.
          retry: process.env.CI ? 1 : 0,
        },
      },
    ],
  },
});
