/** The aging buckets' edges (SPEC §10): due today is current; 30, 60 and 90 days past due close their buckets. */
import { expect, it } from 'vitest';
import { agingBucket } from '../../src/modules/billing/reports/ar-aging.repository.ts';

it('puts each day past due in its bucket, edges included', () => {
  const days = [-5, 0, 1, 30, 31, 60, 61, 90, 91, 400];
  expect(days.map(agingBucket)).toEqual([
    'current',
    'current',
    'days1to30',
    'days1to30',
    'days31to60',
    'days31to60',
    'days61to90',
    'days61to90',
    'over90',
    'over90',
  ]);
});
