/**
 * SQL for receivables as of a date: the open invoices a dunning run and a statement of account
 * read, and the dunning notices. What an invoice owes as of a date is the aging's one rule
 * (reports' invoicesOwingAsOf): its total less the credits applied at finalization, the payments
 * dated and the credit notes issued on or before the date, and nothing once voided by then.
 */
import { sql } from 'kysely';
import type { Executor, Tx } from '../../../platform/database.ts';
import { invoicesOwingAsOf } from '../reports/index.ts';

export interface OpenInvoiceRow {
  id: string;
  number: string;
  party_id: string;
  billing_entity_id: string;
  currency: string;
  issue_date: string;
  due_date: string;
  total: string;
  credits_applied: string;
  /** Paid and credited on or before the date. */
  paid: string;
  credited: string;
  /** What it owed on the date. */
  open: string;
  /** What it owes counting every payment, credit note and void recorded, whatever their dates. */
  due_now: string;
}

/**
 * Finalized invoices with something open (not zero) on `asOf`, oldest due first; of one party, or
 * (`pastDueOnly`) only those due before `asOf` that owe something then and now and are not void now.
 */
export async function listOpenInvoices(
  db: Executor,
  filter: { asOf: string; partyId?: string; pastDueOnly?: boolean },
): Promise<OpenInvoiceRow[]> {
  const { asOf } = filter;
  const pastDue =
    filter.pastDueOnly === true
      ? sql`where o.due_date::date < ${asOf}::date and o.open > 0 and o.due_now > 0 and not o.voided_now`
      : sql`where o.open <> 0`;
  const rows = await sql<OpenInvoiceRow>`
    select o.id, o.number, o.party_id, o.billing_entity_id, o.currency, o.issue_date, o.due_date, o.total, o.credits_applied,
      o.paid, o.credited, o.open, o.due_now
    from (
      select owing.id, owing.number, owing.party_id, owing.billing_entity_id, owing.currency, owing.issue_date::text as issue_date,
        owing.due_date::text as due_date, owing.total, owing.credits_applied, owing.paid, owing.credited, owing.open,
        owing.total - owing.credits_applied - a.paid_ever - a.credited_ever as due_now,
        exists (select 1 from document_voids v where v.document_id = owing.id) as voided_now
      from (${invoicesOwingAsOf(asOf, { partyId: filter.partyId })}) owing
      cross join lateral (
        select
          coalesce((select sum(p.amount) from payments p where p.document_id = owing.id), 0) as paid_ever,
          coalesce((select sum(n.amount) from credit_notes n where n.invoice_id = owing.id), 0) as credited_ever
      ) a
    ) o
    ${pastDue}
    order by o.due_date, o.number`.execute(db);
  return rows.rows;
}

/** Serializes dunning runs: two at once would decide the same invoices from the same records. */
export async function lockDunning(trx: Tx): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext('tally.dunning'))`.execute(trx);
}

/** The steps recorded (sent or skipped) for each of these invoices. */
export async function findRecordedSteps(db: Executor, documentIds: readonly string[]): Promise<Map<string, Set<number>>> {
  const recorded = new Map<string, Set<number>>();
  if (documentIds.length === 0) return recorded;
  const rows = await db
    .selectFrom('dunning_notices')
    .select(['document_id', 'step'])
    .where('document_id', 'in', [...documentIds])
    .execute();
  for (const row of rows) {
    let steps = recorded.get(row.document_id);
    if (!steps) recorded.set(row.document_id, (steps = new Set()));
    steps.add(row.step);
  }
  return recorded;
}

export interface DunningNoticeRow {
  documentId: string;
  step: number;
  outcome: 'sent' | 'skipped';
  asOf: string;
  daysPastDue: number;
  amountDue: string;
  currency: string;
  eventId: string | null;
}

/** Records notices (each (invoice, step) once; a row already there is left as it is). */
export async function insertDunningNotices(trx: Tx, notices: readonly DunningNoticeRow[], at: string, by: string): Promise<void> {
  if (notices.length === 0) return;
  // Chunks keep a first run over a large backlog within the parameter limit of one statement.
  const chunkSize = 2_000;
  for (let start = 0; start < notices.length; start += chunkSize) {
    await trx
      .insertInto('dunning_notices')
      .values(
        notices.slice(start, start + chunkSize).map((notice) => ({
          document_id: notice.documentId,
          step: notice.step,
          outcome: notice.outcome,
          as_of: notice.asOf,
          days_past_due: notice.daysPastDue,
          amount_due: notice.amountDue,
          currency: notice.currency,
          event_id: notice.eventId,
          created_at: at,
          created_by: by,
        })),
      )
      .onConflict((conflict) => conflict.columns(['document_id', 'step']).doNothing())
      .execute();
  }
}
