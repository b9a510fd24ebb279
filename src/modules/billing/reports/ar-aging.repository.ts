/**
 * Receivables aging (SPEC §10, `GET /v1/reports/ar-aging`): what each party owes on its invoices as
 * of a date, by how many days past due. An invoice counts from its issue date, less the payments
 * dated and the credit notes issued on or before that date, unless it was voided by then: the same
 * events, on the same dates, that the ledger posts to the party's receivable account, so each
 * currency's total equals the receivable balance of the trial balance as of that date.
 */
import { sql } from 'kysely';
import type { Executor } from '../../../platform/database.ts';
import { type AgingAmounts, type AgingBucket, agingBuckets, type AgingRow, type AgingTotals } from '../../../wire/finance-reports.ts';
import { Decimal, formatMoney } from '../../../wire/money.ts';

// The report's shapes are the wire's (the route answers them, the web app reads them); exported here
// too, so that the module's public surface (index.ts) keeps offering them beside arAging.
export { agingBuckets };
export type { AgingAmounts, AgingBucket, AgingRow, AgingTotals };

/** The last day past due of each bucket but the last: 0 (not yet due), 30, 60, 90. */
const bucketEnds = [0, 30, 60, 90] as const;

/** The bucket of an amount `daysPastDue` days after its due date (0 or less: not yet due). */
export function agingBucket(daysPastDue: number): AgingBucket {
  const index = bucketEnds.findIndex((end) => daysPastDue <= end);
  return agingBuckets[index === -1 ? bucketEnds.length : index] as AgingBucket;
}

/** The same rule in SQL, over `days`: the bucket's name. */
const bucketSql = sql.raw(
  `case ${bucketEnds.map((end, index) => `when days <= ${end} then '${agingBuckets[index]}'`).join(' ')} else '${agingBuckets[bucketEnds.length]}' end`,
);

/**
 * Every finalized invoice issued on or before `asOf` and not voided by then, with what was paid and
 * credited on it by then and what it owed then (`open`): the one rule of what an invoice owes as of
 * a date, which the aging sums and a dunning run and a statement of account list. Payments and
 * credit notes are summed once per table, not looked up per invoice. A SQL query to select from.
 */
export function invoicesOwingAsOf(asOf: string, filter: { entityId?: string | undefined; partyId?: string | undefined } = {}) {
  const entityFilter = filter.entityId === undefined ? sql`` : sql`and d.billing_entity_id = ${filter.entityId}`;
  const partyFilter = filter.partyId === undefined ? sql`` : sql`and d.party_id = ${filter.partyId}`;
  return sql`
    select d.id, d.number, d.party_id, d.billing_entity_id, d.currency, d.issue_date, d.due_date, d.total, d.credits_applied,
      coalesce(p.amount, 0) as paid, coalesce(c.amount, 0) as credited,
      d.total - d.credits_applied - coalesce(p.amount, 0) - coalesce(c.amount, 0) as open
    from billing_documents d
    left join (select document_id, sum(amount) as amount from payments where date <= ${asOf}::date group by document_id) p
      on p.document_id = d.id
    left join (select invoice_id, sum(amount) as amount from credit_notes where issue_date <= ${asOf}::date group by invoice_id) c
      on c.invoice_id = d.id
    where d.kind = 'invoice' and d.status = 'finalized' and d.issue_date <= ${asOf}::date ${entityFilter} ${partyFilter}
      and not exists (select 1 from document_voids v where v.document_id = d.id and v.date <= ${asOf}::date)`;
}

/** What remains due on the open invoices as of `asOf`, summed per party, currency and bucket in the database. */
async function openAmounts(db: Executor, asOf: string, entityId?: string) {
  const rows = await sql<{ party_id: string; currency: string; bucket: AgingBucket; open: string }>`
    select party_id, currency, ${bucketSql} as bucket, sum(open) as open
    from (select party_id, currency, open, ${asOf}::date - due_date as days from (${invoicesOwingAsOf(asOf, { entityId })}) owing) open
    where open <> 0
    group by party_id, currency, bucket
    order by party_id, currency`.execute(db);
  return rows.rows;
}

/** The aging of receivables as of `asOf` (of one billing entity, or of all): per party and currency, and per currency. */
export async function arAging(db: Executor, asOf: string, entityId?: string): Promise<{ rows: AgingRow[]; totals: AgingTotals[] }> {
  const zero = () =>
    Object.fromEntries([...agingBuckets, 'total'].map((bucket) => [bucket, new Decimal(0)])) as Record<AgingBucket | 'total', Decimal>;
  const byParty = new Map<string, { partyId: string; currency: string; sums: Record<AgingBucket | 'total', Decimal> }>();
  const byCurrency = new Map<string, Record<AgingBucket | 'total', Decimal>>();
  for (const amount of await openAmounts(db, asOf, entityId)) {
    const open = new Decimal(amount.open);
    const bucket = amount.bucket;
    const key = `${amount.party_id}|${amount.currency}`;
    let row = byParty.get(key);
    if (!row) byParty.set(key, (row = { partyId: amount.party_id, currency: amount.currency, sums: zero() }));
    let totals = byCurrency.get(amount.currency);
    if (!totals) byCurrency.set(amount.currency, (totals = zero()));
    for (const sums of [row.sums, totals]) {
      sums[bucket] = sums[bucket].plus(open);
      sums.total = sums.total.plus(open);
    }
  }
  const format = (sums: Record<AgingBucket | 'total', Decimal>, currency: string): AgingAmounts =>
    Object.fromEntries(Object.entries(sums).map(([bucket, amount]) => [bucket, formatMoney(amount, currency)])) as AgingAmounts;
  return {
    rows: [...byParty.values()].map((row) => ({ partyId: row.partyId, currency: row.currency, ...format(row.sums, row.currency) })),
    totals: [...byCurrency.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([currency, sums]) => ({ currency, ...format(sums, currency) })),
  };
}
