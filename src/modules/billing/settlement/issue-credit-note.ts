/**
 * `POST /v1/credit-notes {invoiceId, amount, reason}`: a correction of a finalized invoice by a new
 * document with its own gap-free series (`CN-2026-000001`). It never exceeds what remains due, and
 * posts the reduction of revenue and of the receivable.
 */
import type { UseCaseContext } from '../../../platform/context.ts';
import { AppError } from '../../../platform/errors.ts';
import { newId } from '../../../platform/ids.ts';
import { currencyMinorUnits, Decimal, formatMoney } from '../../../wire/money.ts';
import { appendAuditEntry } from '../../audit/index.ts';
import { creditNotePostings } from '../../ledger/index.ts';
import { postTransactions } from '../../ledger/index.ts';
import { reserveNumbers } from '../../../platform/number-series.repository.ts';
import { findBillingEntity } from '../../entities/index.ts';
import { creditNoteTaxes } from '../../taxes/index.ts';
import { documentNumber, findDocumentTaxes, seriesOf } from '../documents/index.ts';
import { insertCreditNote } from './credit-note.repository.ts';
import { assertCurrencyPrecision, fxSettlement, lockFinalizedDocument } from './settlement.ts';
import type { CreditNote } from '../../../wire/billing.ts';

export interface CreditNoteInput {
  invoiceId: string;
  amount: string;
  reason: string;
}

/** Issues a credit note against a finalized invoice. */
export async function issueCreditNote(context: UseCaseContext, input: CreditNoteInput): Promise<CreditNote> {
  const invoice = await lockFinalizedDocument(context, input.invoiceId, 'invoice');
  const amount = new Decimal(input.amount);
  assertCurrencyPrecision(amount, currencyMinorUnits(invoice.currency) ?? 2, 'amount');
  if (!amount.greaterThan(0))
    throw new AppError('validation_failed', 'A credit note is a positive amount', [{ path: 'amount', message: 'must be greater than 0' }]);
  if (amount.greaterThan(invoice.due)) {
    throw new AppError(
      'credit_exceeds_remaining',
      `${formatMoney(amount, invoice.currency)} is more than the ${formatMoney(invoice.due.isNegative() ? new Decimal(0) : invoice.due, invoice.currency)} ${invoice.currency} that remains on ${invoice.number}`,
      [{ path: 'amount', message: 'more than remains due' }],
    );
  }
  // The credit note is the invoice's entity's, in its CN series (SPEC §10).
  const entity = await findBillingEntity(context.trx, invoice.billingEntityId);
  if (!entity)
    throw new Error(`invariant: invoice ${invoice.number} names billing entity ${invoice.billingEntityId}, which does not exist`);
  const year = context.today.slice(0, 4);
  const prefix = seriesOf('CN', entity);
  const number = documentNumber(prefix, year, await reserveNumbers(context.trx, `${prefix}-${year}`));
  // On a taxed invoice, the credit takes back tax in the invoice's proportions (SPEC §10).
  const invoiceTaxes = await findDocumentTaxes(context.trx, invoice.id);
  const { taxes } = creditNoteTaxes(
    amount,
    invoice.total,
    invoiceTaxes.map((tax) => ({ code: tax.code, percent: new Decimal(tax.percent).toFixed(), amount: new Decimal(tax.amount) })),
    invoice.currency,
  );
  const taxPart = taxes.reduce((sum, tax) => sum.plus(tax.amount), new Decimal(0));
  const note: CreditNote = {
    id: newId('crn'),
    number,
    invoiceId: invoice.id,
    invoiceNumber: invoice.number,
    partyId: invoice.partyId,
    currency: invoice.currency,
    amount: formatMoney(amount, invoice.currency),
    reason: input.reason,
    taxes: taxes.map((tax) => ({ code: tax.code, percent: tax.percent, amount: formatMoney(tax.amount, invoice.currency) })),
    issueDate: context.today,
    createdAt: context.now.toISOString(),
    createdBy: context.actor.userId,
  };
  // Like a payment, a credit note clears what the invoice carries in base at its own rate (SPEC §10).
  const { conversion, fx } = await fxSettlement(context, invoice, amount, context.today);
  await insertCreditNote(context.trx, note);
  await postTransactions(context.trx, context.now, [
    {
      id: newId('ltx'),
      date: context.today,
      description: `Credit note ${number} for ${invoice.number}: ${input.reason}`,
      sourceType: 'credit_note',
      sourceId: note.id,
      documentNumber: number,
      billingEntityId: invoice.billingEntityId,
      currency: invoice.currency,
      conversion,
      postings: creditNotePostings(invoice.partyId, amount, taxPart, fx),
    },
  ]);
  await appendAuditEntry(context.trx, context.now, {
    actor: context.actor.userId,
    action: 'credit_note.issued',
    entityType: 'credit_note',
    entityId: note.id,
    after: note,
  });
  return note;
}
