/**
 * Starts the longest suites first, so that a run does not end with one long file alone on one
 * worker. Vitest orders by the durations it cached in an earlier run; a fresh clone has none, so
 * these estimates (seconds in a whole `npm test`, measured on 2 cores on 2026-12-06) stand in for
 * the known long files, per project: a file of both store projects takes about twice as long on
 * the embedded store. Each pool runs its projects' files one project after another, in the order
 * of their first file here, so the order also decides that the browser journeys start at once
 * beside the PostgreSQL files (on the same pool) instead of after them.
 */
import path from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const estimatedSeconds: Record<string, number> = {
  'embedded:test/cli/cli-serve.test.ts': 100,
  'embedded:test/cli/cli.test.ts': 95,
  'embedded:test/faults/ingestion-kill.test.ts': 53,
  'e2e:test/e2e/journeys.test.ts': 44,
  'embedded:test/faults/billing-kill.test.ts': 40,
  'embedded:test/integration/renewals.test.ts': 40,
  'postgres:test/faults/postgres-restart.test.ts': 36,
  'embedded:test/scenarios/delivery-properties.test.ts': 30,
  'postgres:test/faults/ingestion-kill.test.ts': 26,
  'postgres:test/faults/billing-kill.test.ts': 22,
  'embedded:test/scenarios/ledger-properties.test.ts': 22,
  'postgres:test/integration/renewals.test.ts': 20,
  'embedded:test/integration/fuzz.test.ts': 17,
  'embedded:test/integration/access-matrix.test.ts': 17,
  'embedded:test/integration/limits.test.ts': 17,
  'embedded:test/faults/backup-restore.test.ts': 17,
  'postgres:test/scenarios/delivery-properties.test.ts': 16,
  'postgres:test/integration/fuzz.test.ts': 16,
};

export class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const root = this.ctx.config.root;
    const seconds = (file: TestSpecification): number => {
      const relativePath = path.relative(root, file.moduleId).split(path.sep).join('/');
      const cached = this.ctx.cache.getFileTestResults(`${file.project.name}:${relativePath}`);
      if (cached && !cached.failed) return cached.duration / 1000;
      if (cached?.failed) return Number.POSITIVE_INFINITY;
      return estimatedSeconds[`${file.project.name}:${relativePath}`] ?? 1;
    };
    // The unit files go first: they are quick, and their pool (shared with the embedded store's
    // files) would otherwise end the run on them after its last long file.
    const first = (file: TestSpecification) => (file.project.name === 'unit' ? 1 : 0);
    return [...files].sort((a, b) => first(b) - first(a) || seconds(b) - seconds(a));
  }
}
