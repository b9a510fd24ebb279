/** The scrub report (SPEC §9): per partner and day, conversions received, by status, and what the rules decided by reason. */
import type { Executor } from '../../platform/database.ts';
import type { ScrubReportRow } from '../../wire/scrub.ts';
import { countConversionsByStatus, countRuleDecisionsByReason, type ScrubReportScope } from '../delivery/index.ts';

const statuses = ['pending', 'approved', 'held', 'rejected', 'reversed'] as const;

/**
 * Rows in date order, then partner id (conversions credited to no partner last). `received` counts
 * every conversion that occurred that day; the statuses are today's, so they sum to `received`;
 * `byReason` counts the conversions a rule rejected or held at intake, whatever became of them.
 */
export async function reportScrub(db: Executor, scope: ScrubReportScope): Promise<ScrubReportRow[]> {
  const rows = new Map<string, ScrubReportRow>();
  const rowOf = (partnerId: string | null, date: string): ScrubReportRow => {
    const key = `${date}\u0000${partnerId ?? ''}`;
    let row = rows.get(key);
    if (!row) {
      row = { partnerId, date, received: 0, pending: 0, approved: 0, held: 0, rejected: 0, reversed: 0, byReason: {} };
      rows.set(key, row);
    }
    return row;
  };
  for (const count of await countConversionsByStatus(db, scope)) {
    const row = rowOf(count.partnerId, count.date);
    row.received += count.count;
    const status = statuses.find((known) => known === count.status);
    if (status) row[status] += count.count;
  }
  for (const count of await countRuleDecisionsByReason(db, scope)) {
    const row = rowOf(count.partnerId, count.date);
    row.byReason[count.reason] = (row.byReason[count.reason] ?? 0) + count.count;
  }
  return [...rows.values()].sort(
    (a, b) =>
      compareText(a.date, b.date) ||
      (a.partnerId === b.partnerId ? 0 : a.partnerId === null ? 1 : b.partnerId === null ? -1 : compareText(a.partnerId, b.partnerId)),
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
