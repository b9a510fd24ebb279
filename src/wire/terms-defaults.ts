/**
 * What an absent optional term means. The schemas store terms as written (no defaults filled in),
 * so every reader resolves absent fields here, in one place, instead of repeating `?? …`.
 */
import type { BuyTerms, LineItem, Renewal, Terms } from './terms.ts';

export type BillingSource = NonNullable<LineItem['billingSource']>;

/** SPEC §3: impressions are counted from our own ad server unless the line item says otherwise. */
export const DEFAULT_BILLING_SOURCE: BillingSource = 'first_party';

/**
 * A 1P/3P gap above this share flags the line `discrepancy`. Ten percent is the customary tolerance
 * in insertion orders; without a default every line with two sources would need review.
 */
export const DEFAULT_DISCREPANCY_TOLERANCE_PERCENT = '10';

/** The billing source of a cpm or hybrid line item (absent means first_party). */
export function lineItemBillingSource(lineItem: LineItem): BillingSource {
  return lineItem.billingSource ?? DEFAULT_BILLING_SOURCE;
}

/** The discrepancy tolerance of a line item as a decimal-string percent (absent means "10"). */
export function lineItemDiscrepancyTolerancePercent(lineItem: LineItem): string {
  return lineItem.discrepancyTolerancePercent ?? DEFAULT_DISCREPANCY_TOLERANCE_PERCENT;
}

/** The renewal of a contract (absent means no renewal). */
export function contractRenewal(terms: Terms): Renewal {
  return terms.renewal ?? { mode: 'none' };
}

/**
 * The payment terms in days: the contract's own, or else the party's (`paymentTermsDays` on the
 * party, 30 by default per SPEC §3).
 */
export function contractPaymentTermsDays(terms: Terms, partyPaymentTermsDays: number): number {
  return terms.paymentTermsDays ?? partyPaymentTermsDays;
}

/** Days a partner's conversion waits before it is payable (absent means 0: payable at once). */
export function buyHoldDays(terms: BuyTerms): number {
  return terms.holdDays ?? 0;
}

/** Smallest payout balance paid out; smaller ones carry forward (absent means "0": always pay). */
export function buyMinimumPayout(terms: BuyTerms): string {
  return terms.minimumPayout ?? '0';
}
