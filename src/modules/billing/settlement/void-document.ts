/**
 * `POST /v1/invoices/:id/void` and `POST /v1/payout-statements/:id/void`: cancels a finalized
 * document that nothing was paid or credited against. The document and its number stay; a void
 * record and a reversing ledger transaction are added. Its month is billable again: a re-run drafts
 * the delivery anew.
 */
import type { UseCaseContext } from '../../../platform/context.ts';
import { AppError } from '../../../platform/errors.ts';
import { newId } from '../../../platform/ids.ts';
import { appendAuditEntry } from '../../audit/index.ts';
import { reversingPostings } from '../../ledger/index.ts';
import { entriesOfSource, postTransactions } from '../../ledger/index.ts';
import { enqueueWebhookEvent } from '../../webhooks/index.ts';
import { lockFinalizedDocument } from './settlement.ts';
import { findAdjustingDocument, insertVoid } from './settlement.repository.ts';
import type { DocumentKind } from '../../../wire/billing.ts';

/** Voids a finalized document of `kind`. */
export async function voidDocument(context: UseCaseContext, kind: DocumentKind, documentId: string, reason: string): Promise<void> {
  const document = await lockFinalizedDocument(context, documentId, kind);
  if (!document.paid.isZero() || !document.credited.isZero() || !document.creditsApplied.isZero()) {
    throw new AppError(
      'document_has_settlements',
      `${document.number} has payments, credit notes or applied credits; issue a credit note for what remains instead`,
    );
  }
  // A later document that adjusts this one builds on its amounts: voiding it would bill or pay the
  // month twice (re-running it drafts the whole month again). Credit what remains instead.
  const adjustedBy = await findAdjustingDocument(context.trx, documentId);
  if (adjustedBy)
    throw new AppError(
      'document_adjusted',
      `${document.number} is corrected by adjustment lines on ${adjustedBy}; issue a credit note instead`,
    );
  await insertVoid(context.trx, { documentId, reason, date: context.today, at: context.now.toISOString(), by: context.actor.userId });
  const entries = await entriesOfSource(context.trx, kind, documentId);
  await postTransactions(context.trx, context.now, [
    {
      id: newId('ltx'),
      date: context.today,
      description: `Void of ${document.number}: ${reason}`,
      sourceType: 'void',
      sourceId: documentId,
      documentNumber: document.number,
      billingEntityId: document.billingEntityId,
      currency: document.currency,
      postings: reversingPostings(entries),
    },
  ]);
  await appendAuditEntry(context.trx, context.now, {
    actor: context.actor.userId,
    action: `${kind}.voided`,
    entityType: kind,
    entityId: documentId,
    before: { status: 'finalized' },
    after: { status: 'void', reason },
  });
  if (kind === 'invoice') {
    await enqueueWebhookEvent(context.trx, {
      type: 'invoice.voided',
      data: {
        id: documentId,
        number: document.number,
        partyId: document.partyId,
        currency: document.currency,
        total: document.total.toFixed(),
        reason,
      },
      occurredAt: context.now,
    });
  }
}
