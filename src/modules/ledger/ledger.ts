/**
 * The ledger's rules (SPEC §5): which accounts a document, payment, credit note or void moves, as
 * balanced postings. Pure: the repository writes what these functions return.
 *
 * A posting is a signed amount: positive is a debit, negative a credit. Every transaction's postings
 * sum to zero per currency; `toEntries` asserts it before anything reaches the database, and the
 * database checks it again.
 */
import { Decimal, sumMoney } from '../../wire/money.ts';
import type { LedgerSourceType } from './ledger.table.ts';

export const accounts = {
  cash: 'cash',
  mediaRevenue: 'media_revenue',
  feeRevenue: 'fee_revenue',
  partnerPayouts: 'partner_payouts',
  /** Tax charged on invoices, owed to the tax authority (SPEC §10). */
  taxPayable: 'tax_payable',
  /** Tax partners charged on payout statements, recoverable from the tax authority. */
  taxReceivable: 'tax_receivable',
  /** Promotional and makegood credits given: contra revenue (SPEC §10). */
  creditAllowances: 'credit_allowances',
  /** What expired credits leave behind: income. */
  breakage: 'breakage',
  /** Revenue delivered but not yet invoiced at a month's end: an asset until the invoice (SPEC §10 accruals). */
  accruedRevenue: 'accrued_revenue',
  /** Partner cost incurred but not yet on a payout statement at a month's end: a liability. */
  accruedPayouts: 'accrued_payouts',
} as const;

/** What a party owes us: one receivable account per party. */
export function receivableAccount(partyId: string): string {
  return `accounts_receivable:${partyId}`;
}

/** Credits a party holds and has not used: a liability, one account per party (SPEC §10). */
export function customerCreditsAccount(partyId: string): string {
  return `customer_credits:${partyId}`;
}

/** What we owe a partner: one payable account per partner. */
export function payableAccount(partyId: string): string {
  return `accounts_payable:${partyId}`;
}

/** Account names: a fixed name, or a per-party account `kind:pty_…`. */
export const accountPattern =
  /^(cash|media_revenue|fee_revenue|partner_payouts|tax_payable|tax_receivable|credit_allowances|breakage|accrued_revenue|accrued_payouts|(accounts_receivable|accounts_payable|customer_credits):[a-z]{3}_[0-9a-z]{26})$/;

export interface Posting {
  account: string;
  /** Positive: debit; negative: credit. */
  amount: Decimal;
}

export interface LedgerTransaction {
  id: string;
  date: string;
  description: string;
  sourceType: LedgerSourceType;
  sourceId: string;
  documentNumber: string | null;
  /** The billing entity whose books it is in: the entity of the document it posts (SPEC §10). */
  billingEntityId: string;
  currency: string;
  postings: Posting[];
}

export interface LedgerEntry {
  line: number;
  account: string;
  debit: string;
  credit: string;
}

/** Turns signed postings into debit/credit entries, merging postings to the same account and dropping zeros. */
export function toEntries(transaction: LedgerTransaction): LedgerEntry[] {
  const byAccount = new Map<string, Decimal>();
  for (const posting of transaction.postings)
    byAccount.set(posting.account, (byAccount.get(posting.account) ?? new Decimal(0)).plus(posting.amount));
  const total = sumMoney([...byAccount.values()]);
  if (!total.isZero()) throw new Error(`invariant: ledger transaction ${transaction.id} does not balance (${total.toFixed()})`);
  const entries: LedgerEntry[] = [];
  for (const [account, amount] of byAccount) {
    if (amount.isZero()) continue;
    entries.push({
      line: entries.length + 1,
      account,
      debit: amount.isPositive() ? amount.toFixed() : '0',
      credit: amount.isNegative() ? amount.negated().toFixed() : '0',
    });
  }
  return entries;
}

/** Revenue of an invoice split by account: fees (and their adjustments) to fee revenue, the rest to media revenue. */
export interface RevenueSplit {
  media: Decimal;
  fee: Decimal;
}

/**
 * A finalized invoice: the party owes the total, less what its credits paid (taken from its credit
 * account); revenue is recognized by kind, and its tax is owed to the tax authority.
 */
export function invoicePostings(
  partyId: string,
  revenue: RevenueSplit,
  tax: Decimal = new Decimal(0),
  creditsApplied: Decimal = new Decimal(0),
): Posting[] {
  return [
    { account: receivableAccount(partyId), amount: revenue.media.plus(revenue.fee).plus(tax).minus(creditsApplied) },
    { account: customerCreditsAccount(partyId), amount: creditsApplied },
    { account: accounts.mediaRevenue, amount: revenue.media.negated() },
    { account: accounts.feeRevenue, amount: revenue.fee.negated() },
    { account: accounts.taxPayable, amount: tax.negated() },
  ];
}

/** A finalized payout statement: the partner's payout is a cost we owe it, and the tax it charges is recoverable. */
export function statementPostings(partyId: string, net: Decimal, tax: Decimal = new Decimal(0)): Posting[] {
  return [
    { account: accounts.partnerPayouts, amount: net },
    { account: accounts.taxReceivable, amount: tax },
    { account: payableAccount(partyId), amount: net.plus(tax).negated() },
  ];
}

/** Money received from a party against an invoice. */
export function paymentPostings(partyId: string, amount: Decimal): Posting[] {
  return [
    { account: accounts.cash, amount },
    { account: receivableAccount(partyId), amount: amount.negated() },
  ];
}

/** Money paid out to a partner against a statement. */
export function payoutPaymentPostings(partyId: string, amount: Decimal): Posting[] {
  return [
    { account: payableAccount(partyId), amount },
    { account: accounts.cash, amount: amount.negated() },
  ];
}

/** A credit note reduces media revenue, the tax owed on it (its tax part), and what the party owes. */
export function creditNotePostings(partyId: string, amount: Decimal, tax: Decimal = new Decimal(0)): Posting[] {
  return [
    { account: accounts.mediaRevenue, amount: amount.minus(tax) },
    { account: accounts.taxPayable, amount: tax },
    { account: receivableAccount(partyId), amount: amount.negated() },
  ];
}

/** A credit granted: a prepayment is cash received, a promotional or makegood credit an allowance given; the party holds it. */
export function creditGrantPostings(partyId: string, kind: 'prepayment' | 'promo' | 'makegood', amount: Decimal): Posting[] {
  return [
    { account: kind === 'prepayment' ? accounts.cash : accounts.creditAllowances, amount },
    { account: customerCreditsAccount(partyId), amount: amount.negated() },
  ];
}

/** What is left of an expired credit: no longer owed to the party, it is breakage. */
export function creditExpiryPostings(partyId: string, amount: Decimal): Posting[] {
  return [
    { account: customerCreditsAccount(partyId), amount },
    { account: accounts.breakage, amount: amount.negated() },
  ];
}

/**
 * A month-end accrual (SPEC §10): revenue delivered but not yet invoiced is recognized against
 * accrued revenue, and partner cost not yet on a statement against accrued payouts. Either amount
 * may be negative (billed more than rating now says), which accrues the other way.
 */
export function accrualPostings(revenue: Decimal, cost: Decimal): Posting[] {
  return [
    { account: accounts.accruedRevenue, amount: revenue },
    { account: accounts.mediaRevenue, amount: revenue.negated() },
    { account: accounts.partnerPayouts, amount: cost },
    { account: accounts.accruedPayouts, amount: cost.negated() },
  ];
}

/** An accrual's reversal on the next period's first day: the same postings the other way, so the invoice and statement recognize them. */
export function accrualReversalPostings(revenue: Decimal, cost: Decimal): Posting[] {
  return accrualPostings(revenue.negated(), cost.negated());
}

/** A void reverses the document's own posting, entry by entry. */
export function reversingPostings(entries: { account: string; debit: string; credit: string }[]): Posting[] {
  return entries.map((entry) => ({ account: entry.account, amount: new Decimal(entry.credit).minus(entry.debit) }));
}
