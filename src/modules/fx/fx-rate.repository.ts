/** SQL for exchange rates: record them, list them, and find the rate of a pair on a date. */
import { sql } from 'kysely';
import type { Executor, Tx } from '../../platform/database.ts';
import { Decimal } from '../../wire/money.ts';
import type { FxRate } from '../../wire/fx.ts';
import type { FxRatesTable } from './fx.table.ts';

function toFxRate(row: FxRatesTable): FxRate {
  return {
    id: row.id,
    date: row.date,
    from: row.from_currency,
    to: row.to_currency,
    rate: new Decimal(row.rate).toFixed(),
    source: row.source,
    createdAt: row.created_at,
    createdBy: row.created_by,
  };
}

export async function insertFxRate(trx: Tx, rate: FxRate): Promise<void> {
  await trx
    .insertInto('fx_rates')
    .values({
      id: rate.id,
      date: rate.date,
      from_currency: rate.from,
      to_currency: rate.to,
      rate: rate.rate,
      source: rate.source,
      created_at: rate.createdAt,
      created_by: rate.createdBy,
    })
    .execute();
}

/** The rate of the pair recorded for exactly this date, if any. */
export async function findFxRateOfDate(db: Executor, from: string, to: string, date: string): Promise<FxRate | undefined> {
  const row = await db
    .selectFrom('fx_rates')
    .selectAll()
    .where('from_currency', '=', from)
    .where('to_currency', '=', to)
    .where('date', '=', date)
    .executeTakeFirst();
  return row && toFxRate(row);
}

/** Whether a failed insert hit the unique (pair, date) constraint: two recordings at once. */
export function isFxRateConflict(error: unknown): boolean {
  const candidate = error as { code?: unknown; constraint?: unknown } | null;
  return candidate?.code === '23505' && candidate.constraint === 'fx_rates_from_currency_to_currency_date_key';
}

/** Rates, newest first, optionally of one pair's currencies and up to a date (at most `limit`). */
export async function listFxRates(
  db: Executor,
  filter: { from?: string; to?: string; onOrBefore?: string; limit: number },
): Promise<FxRate[]> {
  let query = db.selectFrom('fx_rates').selectAll();
  if (filter.from !== undefined) query = query.where('from_currency', '=', filter.from);
  if (filter.to !== undefined) query = query.where('to_currency', '=', filter.to);
  if (filter.onOrBefore !== undefined) query = query.where('date', '<=', filter.onOrBefore);
  const rows = await query.orderBy('date', 'desc').orderBy('from_currency').orderBy('to_currency').limit(filter.limit).execute();
  return rows.map(toFxRate);
}

export interface RateRequest {
  from: string;
  to: string;
  date: string;
}

export interface PairRates {
  /** The latest rate of from→to on or before the date, and its date. */
  direct: { rate: Decimal; date: string } | undefined;
  /** The latest rate of to→from on or before the date, and its date. */
  inverse: { rate: Decimal; date: string } | undefined;
}

/** For each request, the latest rates of its pair both ways on or before its date: one statement. */
export async function latestRates(db: Executor, requests: readonly RateRequest[]): Promise<PairRates[]> {
  if (requests.length === 0) return [];
  const rows = await sql<{ direct: string | null; direct_date: string | null; inverse: string | null; inverse_date: string | null }>`
    select d.rate as direct, d.date as direct_date, i.rate as inverse, i.date as inverse_date
    from unnest(
      ${requests.map((request) => request.from)}::text[],
      ${requests.map((request) => request.to)}::text[],
      ${requests.map((request) => request.date)}::date[]
    ) with ordinality as r(from_currency, to_currency, date, position)
    left join lateral (
      select f.rate, f.date from fx_rates f
      where f.from_currency = r.from_currency and f.to_currency = r.to_currency and f.date <= r.date
      order by f.date desc limit 1
    ) d on true
    left join lateral (
      select f.rate, f.date from fx_rates f
      where f.from_currency = r.to_currency and f.to_currency = r.from_currency and f.date <= r.date
      order by f.date desc limit 1
    ) i on true
    order by r.position`.execute(db);
  return rows.rows.map((row) => ({
    direct: row.direct === null ? undefined : { rate: new Decimal(row.direct), date: String(row.direct_date) },
    inverse: row.inverse === null ? undefined : { rate: new Decimal(row.inverse), date: String(row.inverse_date) },
  }));
}
