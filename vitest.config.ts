import { defineConfig } from 'vitest/config';

// Unit tests once; the integration suite twice: on the embedded store (PGlite) and on PostgreSQL.
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      {
        extends: true,
        test: { name: 'embedded', include: ['test/integration/**/*.test.ts', 'test/cli/**/*.test.ts', 'test/scenarios/**/*.test.ts'], env: { TALLY_TEST_STORE: 'embedded' } },
      },
      {
        extends: true,
        test: {
          name: 'postgres',
          include: ['test/integration/**/*.test.ts', 'test/scenarios/**/*.test.ts'],
          env: { TALLY_TEST_STORE: 'postgres' },
          globalSetup: ['test/support/postgres-global-setup.ts'],
        },
      },
    ],
  },
});
