/**
 * Delivery as the rating engine reads it: current delivery counts (impressions, completed views,
 * clicks; daily, or summed over a period) and conversions.
 */
import { sql } from 'kysely';
import type { Executor } from '../../platform/database.ts';
import { addDays, daysBetween } from '../../platform/dates.ts';
import { listDates } from '../../platform/periods.ts';
import type { ImpressionCount, RatedConversion } from '../rating/index.ts';

export interface DeliveryScope {
  /** The contracts whose delivery to load; every contract's when absent (a whole-book rating). */
  contractIds?: string[];
  from: string;
  to: string;
  /** Only this partner's delivery (buy side); every partner's, summed, when absent (sell side). */
  partnerId?: string;
}

/**
 * Current delivery counts per contract, line item, date and source, in no particular order. Each
 * (contract, line item, source) comes back as one row holding its days as `offset:count` pairs
 * (offsets from `from`) in one comma-separated string: a month of a large book is a million counts,
 * and a million rows cost the drivers far more than thirty thousand. One string keeps each day with
 * its count without sorting every group; the rating engine does not depend on the order. A day with
 * completed views or clicks (SPEC §8) adds them to its pair (`offset:impressions:views:clicks`); one
 * without keeps the short pair, so a book without CTV counts costs what it did. Counts of several
 * partners on one day stay separate records; the engine sums records of the same line item, date
 * and source.
 */
export async function loadImpressionCounts(db: Executor, scope: DeliveryScope): Promise<(ImpressionCount & { contractId: string })[]> {
  if (scope.contractIds?.length === 0) return [];
  const contractFilter = scope.contractIds === undefined ? sql`` : sql`and contract_id = any(${scope.contractIds}::text[])`;
  const partnerFilter = scope.partnerId === undefined ? sql`` : sql`and partner_id = ${scope.partnerId}`;
  const rows = await sql<{ contract_id: string; line_item: string; source: 'first_party' | 'third_party'; days: string }>`
    select contract_id, line_item, source, string_agg(case when (completed_views | clicks) = 0
        then (date - ${scope.from}::date) || ':' || impressions
        else (date - ${scope.from}::date) || ':' || impressions || ':' || completed_views || ':' || clicks end, ',') as days
    from impression_counts
    where date between ${scope.from}::date and ${scope.to}::date ${contractFilter} ${partnerFilter}
    group by contract_id, line_item, source`.execute(db);
  const dates = listDates(scope.from, scope.to);
  const counts: (ImpressionCount & { contractId: string })[] = [];
  for (const row of rows.rows) {
    for (const pair of row.days.split(',')) {
      // `offset:impressions`, or `offset:impressions:completedViews:clicks` where those are not both 0.
      const first = pair.indexOf(':');
      const second = pair.indexOf(':', first + 1);
      const count: ImpressionCount & { contractId: string } = {
        contractId: row.contract_id,
        lineItem: row.line_item,
        date: dates[Number(pair.slice(0, first))] as string,
        source: row.source,
        impressions: Number(second === -1 ? pair.slice(first + 1) : pair.slice(first + 1, second)),
      };
      if (second !== -1) {
        const third = pair.indexOf(':', second + 1);
        count.completedViews = Number(pair.slice(second + 1, third));
        count.clicks = Number(pair.slice(third + 1));
      }
      counts.push(count);
    }
  }
  return counts;
}

/**
 * The longest range loadImpressionTotals covers: its day sets are bit masks in a bigint, read into a
 * JS number, which holds 53 bits exactly. A month is at most 35 days (a five-week broadcast month).
 */
export const TOTALS_RANGE_DAYS_MAX = 53;

/**
 * A line item's current delivery from one source over consecutive days, summed over its days and
 * partners: what loadImpressionTotals and loadRunTotals (run-totals.repository.ts) answer per group.
 */
export interface DeliveryTotal {
  lineItem: string;
  source: 'first_party' | 'third_party';
  impressions: number;
  /** The CTV counts (SPEC §8), where the group has some (absent means 0 to the engine). */
  completedViews?: number;
  clicks?: number;
  /** The days with a count: bit i set for the first day summed + i days. */
  dayMask: number;
}

/**
 * A contract's line item's current delivery from one source over a range. Its CTV counts are absent
 * from loadImpressionTotals; rateBookPeriod adds them from loadCtvTotals where a line bills them.
 */
export interface ImpressionTotalRow extends DeliveryTotal {
  contractId: string;
}

export interface TotalsScope {
  from: string;
  to: string;
  /** The contracts whose ids sort from `first` to `last` (both included), or these contracts; every contract when absent. */
  contractIds?: { first: string; last: string } | readonly string[];
}

/**
 * Current impression counts per contract, line item and source, summed over the days from..to, with
 * the set of days that have a count. Rating a whole book needs the days' own counts only where the
 * terms split them (an amendment, third-party billing with both sources, …), so the book is summed
 * in SQL: one aggregate per group instead of a million counts sent and parsed (rateBookPeriod loads
 * the days of the few contracts that need them).
 *
 * The groups come back as one text, a line per group: PGlite spends more on each row and column of
 * a result than on the aggregation (33,333 rows of five columns cost it half again as much as the
 * same rows as one string), and for PostgreSQL it is about even. Keys cannot hold a tab or a line
 * break (the delivery checks allow only the terms' keys), and a line that does not split into its
 * five fields is refused rather than misread.
 *
 * Completed views and clicks are not summed here: two more sums over every count of the book cost
 * this query half again as much, for the few line items that bill them (loadCtvTotals sums those).
 */
export async function loadImpressionTotals(db: Executor, scope: TotalsScope): Promise<ImpressionTotalRow[]> {
  const rangeDays = daysBetween(scope.from, scope.to) + 1;
  if (rangeDays > TOTALS_RANGE_DAYS_MAX)
    throw new RangeError(`impression totals cover at most ${TOTALS_RANGE_DAYS_MAX} days, not ${rangeDays}`);
  const ids = scope.contractIds;
  // A range of ids is one index range scan; a list is a lookup per id.
  const contractFilter =
    ids === undefined
      ? sql``
      : 'first' in ids
        ? sql`and contract_id between ${ids.first} and ${ids.last}`
        : sql`and contract_id = any(${[...ids]}::text[])`;
  const result = await sql<{ totals: string | null }>`
    select string_agg(concat_ws(E'\t', contract_id, line_item, source, impressions, day_mask), E'\n') as totals
    from (
      select contract_id, line_item, source, sum(impressions) as impressions, bit_or(1::int8 << (date - ${scope.from}::date)) as day_mask
      from impression_counts
      where date between ${scope.from}::date and ${scope.to}::date ${contractFilter}
      group by contract_id, line_item, source
    ) as totals`.execute(db);
  const text = result.rows[0]?.totals;
  if (text === null || text === undefined) return [];
  return text.split('\n').map((line) => {
    const fields = line.split('\t');
    const [contractId, lineItem, source, impressionsText, dayMaskText] = fields as [string, string, string, string, string];
    const impressions = Number(impressionsText);
    const dayMask = Number(dayMaskText);
    if (fields.length !== 5 || (source !== 'first_party' && source !== 'third_party'))
      throw new Error(`unreadable impression total: ${JSON.stringify(line.slice(0, 200))}`);
    if (!Number.isSafeInteger(impressions)) throw new RangeError(`impression count ${impressionsText} is beyond Number.MAX_SAFE_INTEGER`);
    return { contractId, lineItem, source, impressions, dayMask };
  });
}

/** A contract's line item's completed views and clicks from one source over a range, summed over its days and partners. */
export interface CtvTotalRow {
  contractId: string;
  lineItem: string;
  source: 'first_party' | 'third_party';
  completedViews: number;
  clicks: number;
}

/**
 * Current completed views and clicks (SPEC §8) of the given contracts per line item and source,
 * summed over the days from..to, for the groups that have any: what rating a book adds to the
 * impression totals of the contracts whose terms bill them (a lookup of their own rows by the
 * primary key, not a second pass over the book).
 */
export async function loadCtvTotals(
  db: Executor,
  scope: { from: string; to: string; contractIds: readonly string[] },
): Promise<CtvTotalRow[]> {
  if (scope.contractIds.length === 0) return [];
  const rows = await sql<{
    contract_id: string;
    line_item: string;
    source: 'first_party' | 'third_party';
    completed_views: string;
    clicks: string;
  }>`
    select contract_id, line_item, source, sum(completed_views)::text as completed_views, sum(clicks)::text as clicks
    from impression_counts
    where contract_id = any(${[...scope.contractIds]}::text[]) and date between ${scope.from}::date and ${scope.to}::date
    group by contract_id, line_item, source
    having sum(completed_views) <> 0 or sum(clicks) <> 0`.execute(db);
  return rows.rows.map((row) => ({
    contractId: row.contract_id,
    lineItem: row.line_item,
    source: row.source,
    completedViews: safeCount(row.completed_views),
    clicks: safeCount(row.clicks),
  }));
}

/** A sum of counts as the database sends it (text), refused beyond what a JS number holds exactly. */
export function safeCount(text: string): number {
  const count = Number(text);
  if (!Number.isSafeInteger(count)) throw new RangeError(`delivery count ${text} is beyond Number.MAX_SAFE_INTEGER`);
  return count;
}

/**
 * The conversions whose occurredAt falls on the dates from..to (UTC), with the columns rating reads
 * (toRatedConversion): what loadConversions and loadCreditedConversions narrow down.
 */
export function ratedConversionsOn(db: Executor, from: string, to: string) {
  return db
    .selectFrom('conversions')
    .select(['id', 'contract_id', 'line_item', 'event_type', 'occurred_at', 'touch_type', 'touch_at', 'value', 'attributes', 'status'])
    .where('occurred_at', '>=', sql<string>`${from}::timestamptz`)
    .where('occurred_at', '<', sql<string>`${addDays(to, 1)}::timestamptz`);
}

type RatedConversionRow = Awaited<ReturnType<ReturnType<typeof ratedConversionsOn>['execute']>>[number];

/** A row of ratedConversionsOn as the rating engine takes it, with its contract. */
export function toRatedConversion(row: RatedConversionRow): RatedConversion & { contractId: string } {
  return {
    id: row.id,
    contractId: row.contract_id,
    lineItem: row.line_item,
    eventType: row.event_type,
    occurredAt: row.occurred_at,
    touch: { type: row.touch_type, at: row.touch_at },
    ...(row.value === null ? {} : { value: row.value }),
    attributes: row.attributes as RatedConversion['attributes'],
    // Rating bills only approved conversions (and pending ones under billOn pending): a held one
    // (a scrub rule holds it, SPEC §9) is not_billable_status, like a rejected one, until released.
    status: row.status,
  };
}

/** Conversions whose occurredAt falls on the dates from..to (UTC). */
export async function loadConversions(db: Executor, scope: DeliveryScope): Promise<(RatedConversion & { contractId: string })[]> {
  if (scope.contractIds?.length === 0) return [];
  let query = ratedConversionsOn(db, scope.from, scope.to);
  if (scope.contractIds !== undefined) query = query.where('contract_id', 'in', scope.contractIds);
  if (scope.partnerId !== undefined) query = query.where('partner_id', '=', scope.partnerId);
  return (await query.execute()).map(toRatedConversion);
}

/**
 * What changed in these contracts' delivery since a moment: per contract and date, the latest
 * restated impression count, or conversion received or given a new status. Billing rates such
 * dates' issued periods again. Looking only at rows changed since keeps this to recent rows.
 */
export async function listDeliveryChangesSince(
  db: Executor,
  contractIds: readonly string[],
  since: string,
): Promise<{ contractId: string; date: string; at: string }[]> {
  if (contractIds.length === 0) return [];
  const ids = [...contractIds];
  const [impressions, conversions] = await Promise.all([
    sql<{ contract_id: string; date: string; at: string }>`
      select contract_id, date, max(recorded_at) as at from impression_counts
      where recorded_at >= ${since}::timestamptz and contract_id = any(${ids}::text[])
      group by contract_id, date`.execute(db),
    sql<{ contract_id: string; date: string; at: string }>`
      select contract_id, (occurred_at at time zone 'UTC')::date::text as date, max(greatest(received_at, status_at)) as at from conversions
      where greatest(received_at, status_at) >= ${since}::timestamptz and contract_id = any(${ids}::text[])
      group by 1, 2`.execute(db),
  ]);
  return [...impressions.rows, ...conversions.rows].map((row) => ({ contractId: row.contract_id, date: row.date, at: row.at }));
}

/** One measure of a partner's delivery on a contract over a range of dates. */
export interface PartnerDeliveryRequest {
  contractId: string;
  partnerId: string;
  from: string;
  to: string;
  /** Its conversions (occurred on those dates, UTC), or its current first-party impressions, completed views or clicks. */
  measure: 'conversions' | 'impressions' | 'completedViews' | 'clicks';
}

/** Measures each request in one statement; answers the figures in the order asked. */
export async function measurePartnerDelivery(db: Executor, requests: readonly PartnerDeliveryRequest[]): Promise<number[]> {
  if (requests.length === 0) return [];
  const rows = await sql<{ weight: string }>`
    select case when r.measure = 'conversions' then
        (select count(*) from conversions x where x.contract_id = r.contract_id and x.partner_id = r.partner_id
           and x.occurred_at >= r.date_from and x.occurred_at < r.date_to + 1)
      else
        (select coalesce(sum(case r.measure when 'completedViews' then i.completed_views when 'clicks' then i.clicks else i.impressions end), 0)
           from impression_counts i where i.contract_id = r.contract_id and i.partner_id = r.partner_id
           and i.source = 'first_party' and i.date between r.date_from and r.date_to)
      end as weight
    from unnest(${requests.map((request) => request.contractId)}::text[], ${requests.map((request) => request.partnerId)}::text[],
      ${requests.map((request) => request.from)}::date[], ${requests.map((request) => request.to)}::date[],
      ${requests.map((request) => request.measure)}::text[]) with ordinality as r(contract_id, partner_id, date_from, date_to, measure, ordinal)
    order by r.ordinal`.execute(db);
  return rows.rows.map((row) => Number(row.weight));
}
