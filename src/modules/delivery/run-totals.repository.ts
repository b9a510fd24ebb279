/**
 * One contract's delivery counts summed over runs of consecutive dates: per run, line item and
 * source, the sum over the run's days and partners, with the set of days that have a count. The
 * impact of a version rates from these (docs/architecture.md, "Impact of a version"): it cuts each
 * billing period where a version, a contract or a line item date begins or ends, so that no total
 * straddles a change of terms, and asks for every run of every period in one statement, one pass
 * over the contract's counts instead of a query per period and the split period's counts day by day.
 */
import { sql } from 'kysely';
import type { Executor } from '../../platform/database.ts';
import { addDays, daysBetween } from '../../platform/dates.ts';
import { type DeliveryTotal, safeCount, TOTALS_RANGE_DAYS_MAX } from './rating-delivery.repository.ts';

/** Consecutive dates whose counts are summed as one (both included). */
export interface DateRun {
  from: string;
  to: string;
}

/**
 * A line item's current delivery from one source over one run: its CTV counts only when asked for,
 * and its day mask from the run's first day.
 */
export interface RunTotalRow extends DeliveryTotal {
  /** The run's index in the runs asked for. */
  run: number;
}

export interface RunTotalsScope {
  contractId: string;
  /** In date order, each starting the day after the one before ends, none longer than TOTALS_RANGE_DAYS_MAX days. */
  runs: readonly DateRun[];
  /** Whether to sum completed views and clicks too (for terms that bill them): two more sums over every count. */
  ctvCounts: boolean;
}

function checkRuns(runs: readonly DateRun[]): void {
  runs.forEach((run, index) => {
    const days = daysBetween(run.from, run.to) + 1;
    if (days < 1 || days > TOTALS_RANGE_DAYS_MAX) throw new RangeError(`a run of ${days} days (${run.from}..${run.to}) cannot be summed`);
    const next = runs[index + 1];
    if (next !== undefined && next.from !== addDays(run.to, 1))
      throw new RangeError(`runs must follow each other: ${run.from}..${run.to} then ${next.from}..${next.to}`);
  });
}

/**
 * The contract's counts summed per run, line item and source, in no particular order; groups without
 * a count are absent. One line of text per group, as loadImpressionTotals reads the book's: keys
 * cannot hold a tab or a line break (the delivery checks allow only the terms' keys), and a line
 * that does not split into its fields is refused rather than misread.
 */
export async function loadRunTotals(db: Executor, scope: RunTotalsScope): Promise<RunTotalRow[]> {
  const { runs } = scope;
  if (runs.length === 0) return [];
  checkRuns(runs);
  // width_bucket numbers the runs from 1 by their first days; a run's days are offsets from its own first day.
  const starts = runs.map((run) => run.from);
  const ctvSums = scope.ctvCounts ? sql`, sum(completed_views) as completed_views, sum(clicks) as clicks` : sql``;
  const ctvFields = scope.ctvCounts ? sql`, completed_views, clicks` : sql``;
  const result = await sql<{ totals: string | null }>`
    select string_agg(concat_ws(E'\t', run, line_item, source, impressions, day_mask ${ctvFields}), E'\n') as totals
    from (
      select run, line_item, source, sum(impressions) as impressions,
        bit_or(1::int8 << (date - (${starts}::date[])[run])) as day_mask ${ctvSums}
      from (
        select width_bucket(date, ${starts}::date[]) as run, line_item, source, date, impressions, completed_views, clicks
        from impression_counts
        where contract_id = ${scope.contractId} and date between ${runs[0]!.from}::date and ${runs.at(-1)!.to}::date
      ) as counts
      group by run, line_item, source
    ) as totals`.execute(db);
  const text = result.rows[0]?.totals;
  if (text === null || text === undefined) return [];
  const fieldCount = scope.ctvCounts ? 7 : 5;
  return text.split('\n').map((line) => {
    const fields = line.split('\t');
    const [runText, lineItem, source, impressionsText, dayMaskText, viewsText, clicksText] = fields as string[];
    const run = Number(runText) - 1;
    if (fields.length !== fieldCount || (source !== 'first_party' && source !== 'third_party') || !(run >= 0 && run < runs.length))
      throw new Error(`unreadable run total: ${JSON.stringify(line.slice(0, 200))}`);
    const row: RunTotalRow = { run, lineItem: lineItem!, source, impressions: safeCount(impressionsText!), dayMask: Number(dayMaskText) };
    if (viewsText !== undefined && clicksText !== undefined) {
      const completedViews = safeCount(viewsText);
      const clicks = safeCount(clicksText);
      // As the book's totals send them: only where the group has some (absent means 0 to the engine).
      if (completedViews !== 0 || clicks !== 0) Object.assign(row, { completedViews, clicks });
    }
    return row;
  });
}
