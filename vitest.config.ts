import { defineConfig } from 'vitest/config';
import { LongestFirstSequencer } from './test/support/longest-first-sequencer.ts';

// Unit tests once; the integration suite twice: on the embedded store (PGlite) and on PostgreSQL;
// the web app's component tests, and its end-to-end browser tests.
//
// Speed (issue 13): three workers on two cores, since much of the suite waits on child processes,
// PostgreSQL and the browser rather than computing; the suites known to be long start first, so
// that the end of the run is not one long file alone; every suite copies a migrated store template
// (test/support/store-templates.ts) instead of migrating its own store; child processes start
// from the CLI bundle (scripts/cli-bundle.mjs).
export default defineConfig({
  test: {
    testTimeout: 180_000,
    hookTimeout: 120_000,
    maxWorkers: Number(process.env.TALLY_TEST_WORKERS ?? 3),
    minWorkers: Number(process.env.TALLY_TEST_WORKERS ?? 3),
    // In the unit and store projects one process runs many test files (isolate: false): each file
    // no longer pays for a new process that loads Fastify, PGlite's WebAssembly and the sources
    // again. The web and e2e projects keep isolation (the web files would share one DOM). With
    // isolate off, minWorkers must equal maxWorkers: a pool that shrinks terminates a worker that
    // still holds queued files.
    sequence: { sequencer: LongestFirstSequencer },
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'], isolate: false } },
      {
        extends: true,
        test: {
          name: 'embedded',
          include: ['test/integration/**/*.test.ts', 'test/cli/**/*.test.ts', 'test/scenarios/**/*.test.ts', 'test/faults/**/*.test.ts'],
          env: { TALLY_TEST_STORE: 'embedded' },
          isolate: false,
          globalSetup: ['test/support/embedded-global-setup.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'postgres',
          include: ['test/integration/**/*.test.ts', 'test/scenarios/**/*.test.ts', 'test/faults/**/*.test.ts'],
          env: { TALLY_TEST_STORE: 'postgres' },
          isolate: false,
          globalSetup: ['test/support/postgres-global-setup.ts'],
        },
      },
      // The web app's component tests: React in happy-dom (a browser-like DOM in Node).
      {
        extends: true,
        esbuild: { jsx: 'automatic' },
        test: {
          name: 'web',
          include: ['test/web/**/*.test.{ts,tsx}'],
          environment: 'happy-dom',
          setupFiles: ['test/web/setup.ts'],
        },
      },
      // End-to-end: the real server in a child process, driven through Chromium (Debian's, or the
      // one @sparticuz/chromium ships: test/e2e/support/browser.ts).
      {
        extends: true,
        test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], testTimeout: 180_000, hookTimeout: 240_000 },
      },
    ],
  },
});
