/** SQL to read the payments recorded against a document (money received, or paid out to a partner). */
import { sql } from 'kysely';
import type { Executor, Tx } from '../../../platform/database.ts';
import { Decimal, formatMoney } from '../../../wire/money.ts';
import type { Payment } from '../../../wire/billing.ts';

type Row = { id: string; document_id: string; amount: string; date: string; reference: string; recorded_at: string; recorded_by: string };

/** A document's payments in the order they were recorded (ids are time-ordered), a page at a time, as money of the document's currency. */
export async function listPayments(
  db: Executor,
  filter: { documentId: string; currency: string; after?: string | undefined; limit: number },
): Promise<Payment[]> {
  const rows = await sql<Row>`
    select id, document_id, amount, date::text as date, reference, recorded_at, recorded_by
    from payments
    where document_id = ${filter.documentId}
      ${filter.after === undefined ? sql`` : sql`and id > ${filter.after}`}
    order by id limit ${filter.limit}`.execute(db);
  return rows.rows.map((row) => ({
    id: row.id,
    documentId: row.document_id,
    amount: formatMoney(new Decimal(row.amount), filter.currency),
    date: row.date,
    reference: row.reference,
    recordedAt: row.recorded_at,
    recordedBy: row.recorded_by,
  }));
}

/** Records a payment (payments are never updated or deleted). */
export async function insertPayment(trx: Tx, payment: Payment): Promise<void> {
  await trx
    .insertInto('payments')
    .values({
      id: payment.id,
      document_id: payment.documentId,
      amount: payment.amount,
      date: payment.date,
      reference: payment.reference,
      recorded_at: payment.recordedAt,
      recorded_by: payment.recordedBy,
    })
    .execute();
}
