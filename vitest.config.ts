import { defineConfig } from 'vitest/config';

// Unit tests once; the integration suite twice: on the embedded store (PGlite) and on PostgreSQL;
// the web app's component tests, and its end-to-end browser tests.
export default defineConfig({
  test: {
    testTimeout: 180_000,
    hookTimeout: 120_000,
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'embedded',
          include: ['test/integration/**/*.test.ts', 'test/cli/**/*.test.ts', 'test/scenarios/**/*.test.ts', 'test/faults/**/*.test.ts'],
          env: { TALLY_TEST_STORE: 'embedded' },
        },
      },
      {
        extends: true,
        test: {
          name: 'postgres',
          include: ['test/integration/**/*.test.ts', 'test/scenarios/**/*.test.ts', 'test/faults/**/*.test.ts'],
          env: { TALLY_TEST_STORE: 'postgres' },
          globalSetup: ['test/support/postgres-global-setup.ts'],
        },
      },
      // The web app's component tests: React in happy-dom (a browser-like DOM in Node).
      {
        extends: true,
        esbuild: { jsx: 'automatic' },
        test: { name: 'web', include: ['test/web/**/*.test.{ts,tsx}'], environment: 'happy-dom', setupFiles: ['test/web/setup.ts'] },
      },
      // End-to-end: the real server in a child process, driven through Debian's Chromium. It runs
      // after the other projects (a later group), so that a browser, a server and a possible web
      // build do not compete for the CPU with the suites that time their own child processes.
      {
        extends: true,
        test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], testTimeout: 180_000, hookTimeout: 240_000, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
