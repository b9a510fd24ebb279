/**
 * Receivables aging (SPEC §10, `GET /v1/reports/ar-aging`): what each party owes on its invoices as
 * of a date, by how many days past due. An invoice counts from its issue date, less the payments
 * dated and the credit notes issued on or before that date, unless it was voided by then: the same
 * events, on the same dates, that the ledger posts to the party's receivable account, so each
 * currency's total equals the receivable balance of the trial balance as of that date.
 */
import { sql } from 'kysely';
import type { Executor } from '../../../platform/database.ts';
import { daysBetween } from '../../../platform/dates.ts';
import { Decimal, formatMoney } from '../../../wire/money.ts';

export const agingBuckets = ['current', 'days1to30', 'days31to60', 'days61to90', 'over90'] as const;
export type AgingBucket = (typeof agingBuckets)[number];

export type AgingAmounts = Record<AgingBucket | 'total', string>;
export interface AgingRow extends AgingAmounts {
  partyId: string;
  currency: string;
}
export interface AgingTotals extends AgingAmounts {
  currency: string;
}

/** The bucket of an amount `daysPastDue` days after its due date (0 or less: not yet due). */
export function agingBucket(daysPastDue: number): AgingBucket {
  if (daysPastDue <= 0) return 'current';
  if (daysPastDue <= 30) return 'days1to30';
  if (daysPastDue <= 60) return 'days31to60';
  if (daysPastDue <= 90) return 'days61to90';
  return 'over90';
}

/** Each open invoice as of `asOf`: what remains due on it then, and its due date. */
async function openInvoices(db: Executor, asOf: string, entityId?: string) {
  const entityFilter = entityId === undefined ? sql`` : sql`and d.billing_entity_id = ${entityId}`;
  const rows = await sql<{ party_id: string; currency: string; due_date: string; open: string }>`
    select d.party_id, d.currency, d.due_date::text as due_date,
      d.total - d.credits_applied
        - coalesce((select sum(p.amount) from payments p where p.document_id = d.id and p.date <= ${asOf}::date), 0)
        - coalesce((select sum(n.amount) from credit_notes n where n.invoice_id = d.id and n.issue_date <= ${asOf}::date), 0) as open
    from billing_documents d
    where d.kind = 'invoice' and d.status = 'finalized' and d.issue_date <= ${asOf}::date ${entityFilter}
      and not exists (select 1 from document_voids v where v.document_id = d.id and v.date <= ${asOf}::date)
    order by d.party_id, d.currency`.execute(db);
  return rows.rows;
}

/** The aging of receivables as of `asOf` (of one billing entity, or of all): per party and currency, and per currency. */
export async function arAging(db: Executor, asOf: string, entityId?: string): Promise<{ rows: AgingRow[]; totals: AgingTotals[] }> {
  const zero = () =>
    Object.fromEntries([...agingBuckets, 'total'].map((bucket) => [bucket, new Decimal(0)])) as Record<AgingBucket | 'total', Decimal>;
  const byParty = new Map<string, { partyId: string; currency: string; sums: Record<AgingBucket | 'total', Decimal> }>();
  const byCurrency = new Map<string, Record<AgingBucket | 'total', Decimal>>();
  for (const invoice of await openInvoices(db, asOf, entityId)) {
    const open = new Decimal(invoice.open);
    if (open.isZero()) continue;
    const bucket = agingBucket(daysBetween(invoice.due_date, asOf));
    const key = `${invoice.party_id}|${invoice.currency}`;
    let row = byParty.get(key);
    if (!row) byParty.set(key, (row = { partyId: invoice.party_id, currency: invoice.currency, sums: zero() }));
    let totals = byCurrency.get(invoice.currency);
    if (!totals) byCurrency.set(invoice.currency, (totals = zero()));
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
