/**
 * Fees (SPEC §3, §4.5), applied per period after media, by the version in force on the period's
 * last active day. A percent fee is a share of this period's rounded media lines (a negative percent
 * is a commission: a negative line); a flat fee is its amount, prorated by the contract's active
 * days when the fee says so (absent `prorate` means false, docs/decisions.md).
 */
import type { Fee } from '../../wire/terms.ts';
import { Decimal } from '../../wire/money.ts';
import type { DraftLine } from './lines.ts';
import type { ContractDays } from './versions.ts';

function percentFeeDraft(fee: Extract<Fee, { kind: 'percent_of_media' }>, media: Decimal, days: ContractDays): DraftLine | undefined {
  // No media, no share of it: a zero commission line would only add noise to the invoice.
  if (media.isZero()) return undefined;
  return {
    lineItem: null,
    kind: 'fee',
    description: `${fee.key}: ${fee.percent}% of media ${media.toFixed()}`,
    quantity: 1,
    unit: 'period',
    rate: fee.percent,
    exact: media.times(fee.percent).div(100),
    version: days.version,
    from: days.from,
    to: days.to,
    flags: [],
    rule: 'fee.percent_of_media',
    explain: { fee: fee.key, formula: 'mediaAmount × percent / 100', percent: fee.percent, mediaAmount: media.toFixed() },
  };
}

function flatFeeDraft(fee: Extract<Fee, { kind: 'flat' }>, days: ContractDays): DraftLine {
  const prorate = fee.prorate ?? false;
  const exact = prorate ? new Decimal(fee.amount).times(days.activeDays).div(days.periodDays) : new Decimal(fee.amount);
  const draft: DraftLine = {
    lineItem: null,
    kind: 'fee',
    description: prorate
      ? `${fee.key}: ${fee.amount} prorated ${days.activeDays} of ${days.periodDays} days`
      : `${fee.key}: ${fee.amount} per period`,
    quantity: prorate ? days.activeDays : 1,
    unit: prorate ? 'days' : 'period',
    exact,
    version: days.version,
    from: days.from,
    to: days.to,
    flags: [],
    rule: prorate ? 'fee.flat.prorated' : 'fee.flat',
    explain: {
      fee: fee.key,
      formula: prorate ? 'amount × activeDays / periodDays' : 'amount per period',
      amount: fee.amount,
      activeDays: days.activeDays,
      periodDays: days.periodDays,
    },
  };
  if (!prorate) draft.rate = fee.amount;
  return draft;
}

/** The fee lines of the period, in the terms' fee order; `media` is the sum of this period's rounded media lines. */
export function feeDrafts(days: ContractDays, media: Decimal): DraftLine[] {
  return (days.version.terms.fees ?? []).flatMap((fee) => {
    const draft = fee.kind === 'percent_of_media' ? percentFeeDraft(fee, media, days) : flatFeeDraft(fee, days);
    return draft === undefined ? [] : [draft];
  });
}
