/**
 * `POST /v1/invoices/:id/payments` (money received) and `POST /v1/payout-statements/:id/payments`
 * (money paid out to a partner). A payment never exceeds what is due; it posts cash against the
 * party's receivable or payable in the same transaction.
 */
import type { UseCaseContext } from '../../../platform/context.ts';
import { AppError } from '../../../platform/errors.ts';
import { newId } from '../../../platform/ids.ts';
import { currencyMinorUnits, Decimal, formatMoney } from '../../../wire/money.ts';
import { appendAuditEntry } from '../../audit/index.ts';
import { paymentPostings, payoutPaymentPostings } from '../../ledger/index.ts';
import { postTransactions } from '../../ledger/index.ts';
import { insertPayment } from './payment.repository.ts';
import { assertCurrencyPrecision, fxSettlement, lockFinalizedDocument } from './settlement.ts';
import type { DocumentKind } from '../../../wire/billing.ts';
import type { Payment } from '../../../wire/billing.ts';

export interface PaymentInput {
  amount: string;
  date: string;
  reference: string;
}

/** Records a payment against a finalized document of `kind`. */
export async function recordPayment(
  context: UseCaseContext,
  kind: DocumentKind,
  documentId: string,
  input: PaymentInput,
): Promise<Payment> {
  const document = await lockFinalizedDocument(context, documentId, kind);
  const amount = new Decimal(input.amount);
  assertCurrencyPrecision(amount, currencyMinorUnits(document.currency) ?? 2, 'amount');
  if (!amount.greaterThan(0))
    throw new AppError('validation_failed', 'A payment is a positive amount', [{ path: 'amount', message: 'must be greater than 0' }]);
  // decimal.js counts zero as positive, so "nothing due" is a comparison with zero.
  if (!document.due.greaterThan(0)) throw new AppError('nothing_due', `Nothing is due on ${document.number}`);
  if (amount.greaterThan(document.due)) {
    throw new AppError(
      'payment_exceeds_due',
      `${formatMoney(amount, document.currency)} is more than the ${formatMoney(document.due, document.currency)} ${document.currency} due on ${document.number}`,
      [{ path: 'amount', message: `at most ${formatMoney(document.due, document.currency)}` }],
    );
  }
  const payment: Payment = {
    id: newId('pay'),
    documentId,
    amount: formatMoney(amount, document.currency),
    date: input.date,
    reference: input.reference,
    recordedAt: context.now.toISOString(),
    recordedBy: context.actor.userId,
  };
  // In another currency than the entity's base, cash comes in at the payment date's rate and clears
  // what the document carries at its own: the difference is a realized FX gain or loss (SPEC §10).
  const { conversion, fx } = await fxSettlement(context, document, amount, input.date);
  await insertPayment(context.trx, payment);
  await postTransactions(context.trx, context.now, [
    {
      id: newId('ltx'),
      date: input.date,
      description: `${kind === 'invoice' ? 'Payment received for' : 'Payout paid for'} ${document.number} (${input.reference})`,
      sourceType: kind === 'invoice' ? 'payment' : 'payout_payment',
      sourceId: payment.id,
      documentNumber: document.number,
      billingEntityId: document.billingEntityId,
      currency: document.currency,
      conversion,
      postings: kind === 'invoice' ? paymentPostings(document.partyId, amount, fx) : payoutPaymentPostings(document.partyId, amount, fx),
    },
  ]);
  await appendAuditEntry(context.trx, context.now, {
    actor: context.actor.userId,
    action: `${kind}.payment_recorded`,
    entityType: kind,
    entityId: documentId,
    after: payment,
  });
  return payment;
}
