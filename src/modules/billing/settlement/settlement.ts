/** Shared checks for what is recorded against a finalized document: payments, credit notes, voids. */
import type { UseCaseContext } from '../../../platform/context.ts';
import { AppError } from '../../../platform/errors.ts';
import { Decimal } from '../../../wire/money.ts';
import type { DocumentKind } from '../../../wire/billing.ts';
import { type Conversion, type FxSettlement, payableAccount, receivableAccount, settlementOf } from '../../ledger/index.ts';
import { lockDocumentForSettling, settlementsOf } from './settlement.repository.ts';

export interface LockedDocument {
  id: string;
  kind: DocumentKind;
  partyId: string;
  currency: string;
  number: string;
  /** The billing entity that issued it: its settlements post to that entity's books. */
  billingEntityId: string;
  total: Decimal;
  paid: Decimal;
  credited: Decimal;
  /** What credits paid of it at finalization. */
  creditsApplied: Decimal;
  /** total − paid − credited − creditsApplied. */
  due: Decimal;
}

/** Locks a finalized, non-void document of `kind` for the rest of the transaction, with its money state. */
export async function lockFinalizedDocument(context: UseCaseContext, id: string, kind: DocumentKind): Promise<LockedDocument> {
  const row = await lockDocumentForSettling(context.trx, id);
  if (!row) throw new AppError('document_not_found', `Document ${id} does not exist`);
  if (row.kind !== kind)
    throw new AppError('wrong_document_kind', `Document ${id} is a ${row.kind.replace('_', ' ')}, not a ${kind.replace('_', ' ')}`);
  if (row.stored_status !== 'finalized' || row.number === null || row.billing_entity_id === null)
    throw new AppError('document_not_finalized', `Document ${id} is a draft; finalize it first`);
  if (row.voided) throw new AppError('document_void', `Document ${row.number} is void`);
  const total = new Decimal(row.total);
  const paid = new Decimal(row.amount_paid);
  const credited = new Decimal(row.amount_credited);
  const creditsApplied = new Decimal(row.credits_applied);
  return {
    id: row.id,
    kind: row.kind,
    partyId: row.party_id,
    currency: row.currency,
    number: row.number,
    billingEntityId: row.billing_entity_id,
    total,
    paid,
    credited,
    creditsApplied,
    due: total.minus(paid).minus(credited).minus(creditsApplied),
  };
}

/** Refuses an amount with more decimals than the currency has (a payment of 10.005 USD cannot exist). */
export function assertCurrencyPrecision(amount: Decimal, minorUnits: number, path: string): void {
  if (amount.decimalPlaces() > minorUnits)
    throw new AppError('validation_failed', `The amount has more than ${minorUnits} decimals`, [
      { path, message: `at most ${minorUnits} decimal places for this currency` },
    ]);
}

/**
 * The base amounts of settling `amount` of `document` on `date` (a payment, or a credit note of an
 * invoice) when the document is in another currency than its entity's base (SPEC §10): what the
 * settlement is worth at that date's rate, and what it clears of the receivable or payable at the
 * rate the document was carried at. Their difference is a realized FX gain or loss (`fx`, undefined
 * in the base currency). With the conversion of that date, for the settlement's own transaction.
 */
export async function fxSettlement(
  context: UseCaseContext,
  document: LockedDocument,
  amount: Decimal,
  date: string,
): Promise<{ conversion: Conversion; fx: FxSettlement | undefined }> {
  const recorded = await settlementsOf(context.trx, document.id);
  return settlementOf(context.trx, {
    account: document.kind === 'invoice' ? receivableAccount(document.partyId) : payableAccount(document.partyId),
    sources: [
      { sourceType: document.kind, sourceId: document.id },
      ...recorded.creditNoteIds.map((id) => ({ sourceType: 'credit_note' as const, sourceId: id })),
      ...recorded.paymentIds.map((id) => ({
        sourceType: document.kind === 'invoice' ? ('payment' as const) : ('payout_payment' as const),
        sourceId: id,
      })),
    ],
    amount,
    currency: document.currency,
    billingEntityId: document.billingEntityId,
    date,
  });
}
