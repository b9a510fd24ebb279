/**
 * The ledger's rules (SPEC §5): which accounts a document, payment, credit note or void moves, as
 * balanced postings. Pure: the repository writes what these functions return.
 *
 * A posting is a signed amount: positive is a debit, negative a credit. Every transaction's postings
 * sum to zero per currency; `toEntries` asserts it before anything reaches the database, and the
 * database checks it again.
 *
 * Every entry also carries its amount in the billing entity's base currency (SPEC §10): the
 * document amount at the rate of the transaction's date, rounded half-even per account, the
 * rounding made to balance in base too; or a base amount a posting states itself (what a payment
 * clears of a receivable at the rate it was carried at, and the FX difference, which has no
 * document amount).
 */
import { Decimal, formatMoney, minorUnitsOrThrow, roundToCurrency, sumMoney } from '../../wire/money.ts';
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
  /** Realized FX gains (credit) and losses (debit): a payment at another rate than its document's (SPEC §10). */
  fxGainLoss: 'fx_gain_loss',
  /** Unrealized FX gains and losses: a month-end revaluation of open balances, reversed the next day. */
  fxRevaluation: 'fx_revaluation',
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
  /^(cash|media_revenue|fee_revenue|partner_payouts|tax_payable|tax_receivable|credit_allowances|breakage|accrued_revenue|accrued_payouts|fx_gain_loss|fx_revaluation|(accounts_receivable|accounts_payable|customer_credits):[a-z]{3}_[0-9a-z]{26})$/;

export interface Posting {
  account: string;
  /** Positive: debit; negative: credit. */
  amount: Decimal;
  /** Its amount in the entity's base currency, signed the same way, when the posting states it; else converted at the transaction's rate. */
  base?: Decimal;
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
  /** The date whose rate converts it into base, when not its own: a reversal converts at the rate of what it reverses. */
  rateDate?: string;
  /** Its conversion into base when the caller has already looked it up for that date (a payment's settlement does): not looked up again. */
  conversion?: Conversion;
  postings: Posting[];
}

export interface LedgerEntry {
  line: number;
  account: string;
  debit: string;
  credit: string;
  baseDebit: string;
  baseCredit: string;
}

/** How a transaction's amounts become base amounts: 1 unit of its currency = `rate` × `baseCurrency`. */
export interface Conversion {
  rate: Decimal;
  baseCurrency: string;
}

interface AccountSum {
  account: string;
  amount: Decimal;
  /** The base amounts postings stated. */
  statedBase: Decimal;
  /** The amounts of postings that did not state one: converted at the rate. */
  converted: Decimal;
}

/**
 * Each account's base amount: what its postings stated, plus the rest converted at the rate,
 * rounded half-even to the base currency. Rounding each account on its own can leave the
 * transaction a few minor units off balance in base; those units go, one each, to the converted
 * accounts whose rounding moved them furthest the other way (largest remainder), so that base
 * debits equal base credits and no account is off by more than one unit of its exact conversion.
 */
export function baseAmounts(sums: readonly AccountSum[], conversion: Conversion, transactionId: string): Decimal[] {
  const exact = sums.map((sum) => sum.statedBase.plus(sum.converted.times(conversion.rate)));
  const rounded = exact.map((amount) => roundToCurrency(amount, conversion.baseCurrency));
  const unit = new Decimal(1).dividedBy(new Decimal(10).pow(minorUnitsOrThrow(conversion.baseCurrency)));
  let residual = sumMoney(rounded).negated();
  if (residual.isZero()) return rounded;
  const step = residual.isPositive() ? unit : unit.negated();
  // Those rounded furthest against the residual's direction first: exact − rounded is largest for a positive residual.
  const candidates = sums
    .map((sum, index) => ({ index, remainder: exact[index]!.minus(rounded[index]!), converted: !sum.converted.isZero() }))
    .filter((candidate) => candidate.converted)
    .sort((a, b) => (step.isPositive() ? b.remainder.comparedTo(a.remainder) : a.remainder.comparedTo(b.remainder)) || a.index - b.index);
  if (candidates.length === 0)
    throw new Error(`invariant: ledger transaction ${transactionId} does not balance in base (${residual.negated().toFixed()})`);
  for (let next = 0; !residual.isZero(); next = (next + 1) % candidates.length) {
    const { index } = candidates[next]!;
    rounded[index] = rounded[index]!.plus(step);
    residual = residual.minus(step);
  }
  return rounded;
}

/**
 * Turns signed postings into debit/credit entries with their base amounts, merging postings to the
 * same account and dropping those with neither amount.
 */
export function toEntries(transaction: LedgerTransaction, conversion: Conversion): LedgerEntry[] {
  const byAccount = new Map<string, AccountSum>();
  for (const posting of transaction.postings) {
    const sum = byAccount.get(posting.account) ?? {
      account: posting.account,
      amount: new Decimal(0),
      statedBase: new Decimal(0),
      converted: new Decimal(0),
    };
    byAccount.set(posting.account, {
      account: posting.account,
      amount: sum.amount.plus(posting.amount),
      statedBase: posting.base === undefined ? sum.statedBase : sum.statedBase.plus(posting.base),
      converted: posting.base === undefined ? sum.converted.plus(posting.amount) : sum.converted,
    });
  }
  const sums = [...byAccount.values()];
  const total = sumMoney(sums.map((sum) => sum.amount));
  if (!total.isZero()) throw new Error(`invariant: ledger transaction ${transaction.id} does not balance (${total.toFixed()})`);
  const bases = baseAmounts(sums, conversion, transaction.id);
  const entries: LedgerEntry[] = [];
  sums.forEach(({ account, amount }, index) => {
    const base = bases[index]!;
    if (amount.isZero() && base.isZero()) return;
    entries.push({
      line: entries.length + 1,
      account,
      debit: amount.isPositive() && !amount.isZero() ? amount.toFixed() : '0',
      credit: amount.isNegative() ? amount.negated().toFixed() : '0',
      // With the base currency's decimals: the journal prints them as stored.
      baseDebit: base.isPositive() && !base.isZero() ? formatMoney(base, conversion.baseCurrency) : '0',
      baseCredit: base.isNegative() ? formatMoney(base.negated(), conversion.baseCurrency) : '0',
    });
  });
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

/**
 * Money received from a party against an invoice. Cash comes in at the payment date's rate; the
 * receivable is cleared at `clearedBase`, what it carried in base for this amount (SPEC §10); the
 * difference is a realized FX gain (credit) or loss (debit). Without `clearedBase` (no FX), both
 * convert at the payment date's rate.
 */
export function paymentPostings(partyId: string, amount: Decimal, settlement?: FxSettlement): Posting[] {
  if (settlement === undefined)
    return [
      { account: accounts.cash, amount },
      { account: receivableAccount(partyId), amount: amount.negated() },
    ];
  return [
    { account: accounts.cash, amount, base: settlement.cashBase },
    { account: receivableAccount(partyId), amount: amount.negated(), base: settlement.clearedBase.negated() },
    { account: accounts.fxGainLoss, amount: new Decimal(0), base: settlement.clearedBase.minus(settlement.cashBase) },
  ];
}

/** Money paid out to a partner against a statement: the payable cleared at what it carried, cash at the payment's rate. */
export function payoutPaymentPostings(partyId: string, amount: Decimal, settlement?: FxSettlement): Posting[] {
  if (settlement === undefined)
    return [
      { account: payableAccount(partyId), amount },
      { account: accounts.cash, amount: amount.negated() },
    ];
  return [
    { account: payableAccount(partyId), amount, base: settlement.clearedBase },
    { account: accounts.cash, amount: amount.negated(), base: settlement.cashBase.negated() },
    { account: accounts.fxGainLoss, amount: new Decimal(0), base: settlement.cashBase.minus(settlement.clearedBase) },
  ];
}

/** A settlement's two base amounts: the cash at the payment date's rate, and what the receivable or payable carried for it. */
export interface FxSettlement {
  cashBase: Decimal;
  clearedBase: Decimal;
}

/**
 * What a payment clears in base of a receivable or payable that carries `carried` (document
 * currency) and `carriedBase` (base): the whole base when it pays all that is open, else its share,
 * rounded half-even. So a document paid in full leaves nothing in base, whatever the rates.
 */
export function clearedBase(paid: Decimal, carried: Decimal, carriedBase: Decimal, baseCurrency: string): Decimal {
  if (paid.equals(carried) || carried.isZero()) return carriedBase;
  return roundToCurrency(carriedBase.times(paid).dividedBy(carried), baseCurrency);
}

/**
 * A month-end revaluation of one account (SPEC §10): what it holds open in a document currency is
 * worth `difference` more (positive) or less in base at the month-end rate than it carries. The
 * account moves by the difference in base only; the other side is the unrealized FX account.
 */
export function revaluationPostings(account: string, difference: Decimal): Posting[] {
  return [
    { account, amount: new Decimal(0), base: difference },
    { account: accounts.fxRevaluation, amount: new Decimal(0), base: difference.negated() },
  ];
}

/**
 * A credit note reduces media revenue, the tax owed on it (its tax part), and what the party owes.
 * With `settlement`, revenue and tax go back at the credit note's rate, the receivable clears what
 * it carried, and the difference is a realized FX gain or loss, as for a payment.
 */
export function creditNotePostings(partyId: string, amount: Decimal, tax: Decimal = new Decimal(0), settlement?: FxSettlement): Posting[] {
  const postings: Posting[] = [
    { account: accounts.mediaRevenue, amount: amount.minus(tax) },
    { account: accounts.taxPayable, amount: tax },
  ];
  if (settlement === undefined) return [...postings, { account: receivableAccount(partyId), amount: amount.negated() }];
  return [
    ...postings,
    { account: receivableAccount(partyId), amount: amount.negated(), base: settlement.clearedBase.negated() },
    { account: accounts.fxGainLoss, amount: new Decimal(0), base: settlement.clearedBase.minus(settlement.cashBase) },
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

/**
 * A void (or a revaluation's reversal) takes back postings entry by entry, in base too. Entries
 * posted before base amounts were kept (null) are converted again at the reversal's rate.
 */
export function reversingPostings(
  entries: { account: string; debit: string; credit: string; baseDebit: string | null; baseCredit: string | null }[],
): Posting[] {
  return entries.map((entry) => ({
    account: entry.account,
    amount: new Decimal(entry.credit).minus(entry.debit),
    ...(entry.baseDebit === null || entry.baseCredit === null ? {} : { base: new Decimal(entry.baseCredit).minus(entry.baseDebit) }),
  }));
}
