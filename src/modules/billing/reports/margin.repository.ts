/** SQL over issued documents for the margin report: what invoices billed per contract and month, and each payout line. */
import { sql } from 'kysely';
import type { Executor } from '../../../platform/database.ts';

const issued = sql`d.status = 'finalized' and not exists (select 1 from document_voids v where v.document_id = d.id)`;

/** What issued invoices billed per sell contract, billed month and currency (months from..to, `YYYY-MM`). */
export async function listBilledRevenue(db: Executor, from: string, to: string) {
  const rows = await sql<{ contract_id: string; period: string; currency: string; revenue: string }>`
    select l.contract_id, l.billed_period as period, d.currency, sum(l.amount) as revenue
    from document_lines l join billing_documents d on d.id = l.document_id
    where d.kind = 'invoice' and ${issued} and l.billed_period between ${from} and ${to}
    group by l.contract_id, l.billed_period, d.currency`.execute(db);
  return rows.rows;
}

/**
 * Every line of an issued payout statement for months from..to: which agreement (or, for an offer's
 * payout to a partner, the offer: its line key holds the offer payout mark), partner, dates and amount.
 */
export async function listPayoutLines(db: Executor, from: string, to: string) {
  const rows = await sql<{
    buy_contract_id: string;
    line_key: string;
    partner_id: string;
    currency: string;
    amount: string;
    unit: string;
    date_from: string;
    date_to: string;
    period: string;
  }>`
    select l.contract_id as buy_contract_id, l.line_key, d.party_id as partner_id, d.currency, l.amount, l.unit, l.date_from, l.date_to, l.billed_period as period
    from document_lines l join billing_documents d on d.id = l.document_id
    where d.kind = 'payout_statement' and ${issued} and l.billed_period between ${from} and ${to}
    order by l.document_id, l.position`.execute(db);
  return rows.rows;
}
