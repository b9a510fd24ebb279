/**
 * Gap-free number series (`IO-2026`, `INV-2026`, `CN-2026`, …): one row per series, incremented in
 * the caller's transaction. The increment locks the row until the transaction ends, so concurrent
 * callers queue behind it, and a rolled-back transaction returns its numbers: no gap, no duplicate.
 */
import { sql } from 'kysely';
import type { Tx } from './database.ts';

/** Reserves `count` consecutive numbers of a series (starting it at 1 if new); returns the first. */
export async function reserveNumbers(trx: Tx, series: string, count = 1): Promise<number> {
  const result = await sql<{ last_value: number }>`
    insert into number_series (series, last_value) values (${series}, ${count})
    on conflict (series) do update set last_value = number_series.last_value + ${count}
    returning last_value`.execute(trx);
  return (result.rows[0] as { last_value: number }).last_value - count + 1;
}
