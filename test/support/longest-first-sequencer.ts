/**
 * Starts the longest suites first, so that a run does not end with one long file alone on one
 * worker. Vitest orders by the durations it cached in an earlier run; a fresh clone has none, so
 * these estimates (seconds, measured on 2 cores on 2026-12-06) stand in for the known long files.
 */
import path from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const estimatedSeconds: Record<string, number> = {
  'test/cli/cli-serve.test.ts': 60,
  'test/cli/cli.test.ts': 45,
  'test/faults/ingestion-kill.test.ts': 45,
  'test/faults/postgres-restart.test.ts': 40,
  'test/faults/billing-kill.test.ts': 30,
  'test/e2e/journeys.test.ts': 30,
  'test/integration/renewals.test.ts': 19,
  'test/faults/backup-restore.test.ts': 16,
  'test/scenarios/ledger-properties.test.ts': 14,
  'test/integration/fuzz.test.ts': 14,
  'test/scenarios/delivery-properties.test.ts': 12,
};

export class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const root = this.ctx.config.root;
    const seconds = (file: TestSpecification): number => {
      const relativePath = path.relative(root, file.moduleId).split(path.sep).join('/');
      const cached = this.ctx.cache.getFileTestResults(`${file.project.name}:${relativePath}`);
      if (cached && !cached.failed) return cached.duration / 1000;
      if (cached?.failed) return Number.POSITIVE_INFINITY;
      return estimatedSeconds[relativePath] ?? 1;
    };
    return [...files].sort((a, b) => seconds(b) - seconds(a));
  }
}
