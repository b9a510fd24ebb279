/** Which partition of a billing run a party falls in (SPEC §11): the same answer in every process, spread evenly. */
import { expect, it } from 'vitest';
import { partitionCount, partitionOf, partitionsMax } from '../../src/modules/billing/runs/partitions.ts';

it('a party always falls in the same partition, one of 0..n−1', () => {
  const ids = Array.from({ length: 2_000 }, (_, index) => `pty_${String(index).padStart(26, '0')}`);
  for (const id of ids) {
    const partition = partitionOf(id, 7);
    expect(partition).toBe(partitionOf(id, 7));
    expect(partition >= 0 && partition < 7).toBe(true);
  }
  // Every party in one partition only: with one partition, all in partition 0.
  expect(new Set(ids.map((id) => partitionOf(id, 1)))).toEqual(new Set([0]));
});

it('parties spread evenly: 2,000 ids over 10 partitions, each within a third of its share of 200', () => {
  const counts = new Array<number>(10).fill(0);
  for (let index = 0; index < 2_000; index += 1) counts[partitionOf(`pty_01m96${String(index).padStart(21, '0')}`, 10)]! += 1;
  for (const count of counts) expect(count > 133 && count < 267, `partition of ${count} parties`).toBe(true);
});

it('a book gets one partition per so many parties: at least 1, at most 256', () => {
  expect(partitionCount(0, 1_000)).toBe(1);
  expect(partitionCount(999, 1_000)).toBe(1);
  expect(partitionCount(1_001, 1_000)).toBe(2);
  expect(partitionCount(10_000, 500)).toBe(20);
  expect(partitionCount(1_000_000, 1)).toBe(partitionsMax);
});
