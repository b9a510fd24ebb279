/** How far a contract's delivery reaches: its last date with an impression count or a conversion (UTC date). */
import { sql } from 'kysely';
import type { Executor } from '../../platform/database.ts';

/** The contract's last date holding delivery, or undefined when nothing was delivered. */
export async function findLastDeliveryDate(db: Executor, contractId: string): Promise<string | undefined> {
  const result = await sql<{ last: string | null }>`
    select greatest(
      (select max(date) from impression_counts where contract_id = ${contractId}),
      ((select max(occurred_at) from conversions where contract_id = ${contractId}) at time zone 'UTC')::date
    )::text as last`.execute(db);
  return result.rows[0]?.last ?? undefined;
}
