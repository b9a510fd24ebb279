/** SQL for settling finalized documents: lock one with its money state, record a void, find what adjusts it. */
import { sql } from 'kysely';
import type { Executor, Tx } from '../../../platform/database.ts';
import type { DocumentKind, StoredStatus } from '../../../wire/billing.ts';

/** A document locked for settling, with what was paid and credited on it (the document_states view). */
export interface LockedDocumentRow {
  id: string;
  kind: DocumentKind;
  party_id: string;
  currency: string;
  number: string | null;
  billing_entity_id: string | null;
  stored_status: StoredStatus;
  total: string;
  amount_paid: string;
  amount_credited: string;
  credits_applied: string;
  voided: boolean;
}

/** Locks a document's row until the transaction ends and reads its money state, or undefined. */
export async function lockDocumentForSettling(trx: Tx, id: string): Promise<LockedDocumentRow | undefined> {
  await sql`select id from billing_documents where id = ${id} for update`.execute(trx);
  const rows = await sql<LockedDocumentRow>`
    select d.id, d.kind, d.party_id, d.currency, d.number, d.billing_entity_id, d.status as stored_status, d.total, s.amount_paid, s.amount_credited, d.credits_applied, s.voided
    from billing_documents d join document_states s on s.id = d.id where d.id = ${id}`.execute(trx);
  return rows.rows[0];
}

/** A live (not void) document with adjustment lines that correct this one, if any. */
export async function findAdjustingDocument(db: Executor, documentId: string): Promise<string | undefined> {
  const rows = await sql<{ id: string }>`
    select d.id from document_lines l join billing_documents d on d.id = l.document_id
    where l.corrects_document_id = ${documentId}
      and not exists (select 1 from document_voids v where v.document_id = d.id)
    limit 1`.execute(db);
  return rows.rows[0]?.id;
}

/** Records a document's void (the document and its number stay). */
export async function insertVoid(trx: Tx, documentVoid: { documentId: string; reason: string; date: string; at: string; by: string }) {
  await trx
    .insertInto('document_voids')
    .values({
      document_id: documentVoid.documentId,
      reason: documentVoid.reason,
      date: documentVoid.date,
      voided_at: documentVoid.at,
      voided_by: documentVoid.by,
    })
    .execute();
}

/** What has been recorded against a document so far: its payments' and credit notes' ids (their ledger postings' sources). */
export async function settlementsOf(db: Executor, documentId: string): Promise<{ paymentIds: string[]; creditNoteIds: string[] }> {
  const rows = await sql<{ kind: 'payment' | 'credit_note'; id: string }>`
    select 'payment' as kind, id from payments where document_id = ${documentId}
    union all
    select 'credit_note', id from credit_notes where invoice_id = ${documentId}`.execute(db);
  return {
    paymentIds: rows.rows.filter((row) => row.kind === 'payment').map((row) => row.id),
    creditNoteIds: rows.rows.filter((row) => row.kind === 'credit_note').map((row) => row.id),
  };
}
