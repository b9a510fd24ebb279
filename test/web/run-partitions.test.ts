/** A billing run's partitions as the run's page says them (SPEC §11). */
import { expect, it } from 'vitest';
import { describePartitions } from '../../web/src/features/billing/RunDetailPage.tsx';

it('says how many partitions are billed, being billed and failed', () => {
  expect(describePartitions({ total: 1, done: 1, running: 0, failed: 0 })).toBe('1 of 1 billed');
  expect(describePartitions({ total: 10, done: 3, running: 2, failed: 0 })).toBe('3 of 10 billed, 2 being billed');
  expect(describePartitions({ total: 20, done: 18, running: 0, failed: 2 })).toBe('18 of 20 billed, 2 failed');
  expect(describePartitions({ total: 1_200, done: 1_000, running: 0, failed: 0 })).toBe('1,000 of 1,200 billed');
});
