import { defineConfig } from 'vitest/config';
import { LongestFirstSequencer } from './test/support/longest-first-sequencer.ts';

// Unit tests once; the integration suite twice: on the embedded store (PGlite) and on PostgreSQL;
// the web app's component tests, and its end-to-end browser tests.
//
// Speed (issue 13): more workers than cores, since much of the suite waits on child processes,
// PostgreSQL and the browser rather than computing; the suites known to be long start first, so
// that the end of the run is not one long file alone; every suite copies a migrated store template
// (test/support/store-templates.ts) instead of migrating its own store; child processes start
// from the CLI bundle (scripts/cli-bundle.mjs).
// Workers per pool on this 2-core machine: the forks pool holds the embedded store's suites, which
// wait on their child processes much of the time, so it gets one more.
const forks = Number(process.env.TALLY_TEST_FORKS ?? 3);
const threads = Number(process.env.TALLY_TEST_THREADS ?? 2);

export default defineConfig({
  test: {
    testTimeout: 180_000,
    hookTimeout: 120_000,
    // Vitest decides isolation per pool, and a pool without isolation runs its projects one after
    // another. So each kind of suite gets the pool that suits it, and the pools run side by side:
    // - forks, without isolation, for unit and embedded: a worker process runs many files, so
    //   Fastify, PGlite's WebAssembly and the sources load once per worker instead of once per file;
    // - threads, without isolation, for postgres and e2e, the same way, beside the forks;
    // - vmThreads for the web project, whose files must not share one DOM: a fresh context per file.
    // Without isolation minimum and maximum workers must be equal: a pool that shrinks ends a
    // worker that still holds queued files.
    pool: 'forks',
    poolOptions: {
      forks: { isolate: false, minForks: forks, maxForks: forks },
      threads: { isolate: false, minThreads: threads, maxThreads: threads },
      vmThreads: { minThreads: 1, maxThreads: 1 },
    },
    sequence: { sequencer: LongestFirstSequencer },
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'embedded',
          include: ['test/integration/**/*.test.ts', 'test/cli/**/*.test.ts', 'test/scenarios/**/*.test.ts', 'test/faults/**/*.test.ts'],
          env: { TALLY_TEST_STORE: 'embedded' },
          globalSetup: ['test/support/embedded-global-setup.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'postgres',
          include: ['test/integration/**/*.test.ts', 'test/scenarios/**/*.test.ts', 'test/faults/**/*.test.ts'],
          env: { TALLY_TEST_STORE: 'postgres' },
          pool: 'threads',
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
          pool: 'vmThreads',
        },
      },
      // End-to-end: the real server in a child process, driven through Chromium (Debian's, or the
      // one @sparticuz/chromium ships: test/e2e/support/browser.ts).
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/e2e/support/global-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 240_000,
          pool: 'threads',
        },
      },
    ],
  },
});
