/** SQL to read credit notes. */
import { sql } from 'kysely';
import type { Executor, Tx } from '../../../platform/database.ts';
import type { VisibilityScope } from '../../../platform/visibility.ts';
import { Decimal, formatMoney } from '../../../wire/money.ts';
import type { CreditNote, CreditNoteTax } from '../../../wire/billing.ts';

type Row = {
  id: string;
  number: string;
  invoice_id: string;
  invoice_number: string;
  party_id: string;
  currency: string;
  amount: string;
  reason: string;
  taxes: CreditNoteTax[];
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
    taxes: row.taxes.map((tax) => ({ ...tax, amount: formatMoney(new Decimal(tax.amount), row.currency) })),
    issueDate: row.issue_date,
    createdAt: row.created_at,
    createdBy: row.created_by,
  };
}

const columns = sql`n.id, n.number, n.invoice_id, d.number as invoice_number, d.party_id, d.currency, n.amount, n.reason, n.taxes, n.issue_date, n.created_at, n.created_by`;

/** The scope's condition on the credited invoice `d` (credit notes exist only on issued invoices). */
function scopeCondition(scope: VisibilityScope) {
  return scope.partyId === null ? sql`` : sql`and d.party_id = ${scope.partyId}`;
}

/** One credit note, if the scope may see it, or undefined. */
export async function findCreditNote(db: Executor, scope: VisibilityScope, id: string): Promise<CreditNote | undefined> {
  const rows =
    await sql<Row>`select ${columns} from credit_notes n join billing_documents d on d.id = n.invoice_id where n.id = ${id} ${scopeCondition(scope)}`.execute(
      db,
    );
  return rows.rows[0] ? toCreditNote(rows.rows[0]) : undefined;
}

/** Credit notes the scope may see, in id order, optionally of one invoice. */
export async function listCreditNotes(
  db: Executor,
  scope: VisibilityScope,
  filter: { invoiceId?: string | undefined; after?: string | undefined; limit: number },
): Promise<CreditNote[]> {
  const rows = await sql<Row>`
    select ${columns} from credit_notes n join billing_documents d on d.id = n.invoice_id
    where true
      ${filter.invoiceId === undefined ? sql`` : sql`and n.invoice_id = ${filter.invoiceId}`}
      ${scopeCondition(scope)}
      ${filter.after === undefined ? sql`` : sql`and n.id > ${filter.after}`}
    order by n.id limit ${filter.limit}`.execute(db);
  return rows.rows.map(toCreditNote);
}

/** Records a credit note (credit notes are never updated or deleted). */
export async function insertCreditNote(trx: Tx, note: CreditNote): Promise<void> {
  await trx
    .insertInto('credit_notes')
    .values({
      id: note.id,
      number: note.number,
      invoice_id: note.invoiceId,
      amount: note.amount,
      reason: note.reason,
      taxes: JSON.stringify(note.taxes),
      issue_date: note.issueDate,
      created_at: note.createdAt,
      created_by: note.createdBy,
    })
    .execute();
}
