/** SQL for the revenue report: the prepayments parties hold (deferred revenue) as of a date. */
import { sql } from 'kysely';
import type { Executor } from '../../../platform/database.ts';
import { Decimal } from '../../../wire/money.ts';

/**
 * What remains of each party's prepayments at the end of `asOf`, per currency: granted by then, less
 * what invoices finalized by then took and what expired by then. Money received for revenue not yet
 * earned (SPEC §10 credits); promotional and makegood credits were given, not paid, so they are not
 * deferred revenue.
 */
export async function prepaymentsHeld(db: Executor, asOf: string): Promise<{ partyId: string; currency: string; amount: Decimal }[]> {
  const rows = await sql<{ party_id: string; currency: string; remaining: string }>`
    select c.party_id, c.currency, sum(
      c.amount
      - coalesce((select sum(a.amount) from credit_applications a where a.credit_id = c.id and a.applied_on <= ${asOf}::date), 0)
      - coalesce((select sum(e.amount) from credit_expiries e where e.credit_id = c.id and e.expired_on <= ${asOf}::date), 0)
    ) as remaining
    from party_credits c
    where c.kind = 'prepayment' and c.granted_on <= ${asOf}::date
    group by c.party_id, c.currency
    order by c.party_id, c.currency`.execute(db);
  return rows.rows
    .map((row) => ({ partyId: row.party_id, currency: row.currency, amount: new Decimal(row.remaining) }))
    .filter((row) => !row.amount.isZero());
}
