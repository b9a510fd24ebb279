/** SQL to read credit notes. */
import { sql } from 'kysely';
import type { Executor } from '../../platform/database.ts';
import { Decimal, formatMoney } from '../../wire/money.ts';
import type { CreditNote } from '../../wire/billing.ts';

type Row = {
  id: string;
  number: string;
  invoice_id: string;
  invoice_number: string;
  party_id: string;
  currency: string;
  amount: string;
  reason: string;
  issue_date: string;
  created_at: string;
  created_by: string;
};

function toCreditNote(row: Row): CreditNote {
  return {
    id: row.id,
    number: row.number,
    invoiceId: row.invoice_id,
    invoiceNumber: row.invoice_number,
    partyId: row.party_id,
    currency: row.currency,
    amount: formatMoney(new Decimal(row.amount), row.currency),
    reason: row.reason,
    issueDate: row.issue_date,
    createdAt: row.created_at,
    createdBy: row.created_by,
  };
}

const columns = sql`n.id, n.number, n.invoice_id, d.number as invoice_number, d.party_id, d.currency, n.amount, n.reason, n.issue_date, n.created_at, n.created_by`;

/** One credit note, or undefined. */
export async function findCreditNote(db: Executor, id: string): Promise<CreditNote | undefined> {
  const rows =
    await sql<Row>`select ${columns} from credit_notes n join billing_documents d on d.id = n.invoice_id where n.id = ${id}`.execute(db);
  return rows.rows[0] ? toCreditNote(rows.rows[0]) : undefined;
}

/** Credit notes in id order, optionally of one invoice or party. */
export async function listCreditNotes(
  db: Executor,
  filter: { invoiceId?: string; partyId?: string; after?: string; limit: number },
): Promise<CreditNote[]> {
  const rows = await sql<Row>`
    select ${columns} from credit_notes n join billing_documents d on d.id = n.invoice_id
    where true
      ${filter.invoiceId === undefined ? sql`` : sql`and n.invoice_id = ${filter.invoiceId}`}
      ${filter.partyId === undefined ? sql`` : sql`and d.party_id = ${filter.partyId}`}
      ${filter.after === undefined ? sql`` : sql`and n.id > ${filter.after}`}
    order by n.id limit ${filter.limit}`.execute(db);
  return rows.rows.map(toCreditNote);
}
