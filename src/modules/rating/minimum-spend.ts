/**
 * Minimum spend (SPEC §3, §4.5): a true-up line for what rounded media falls short of the minimum.
 * Only media lines count toward it (not fees, not reversal adjustments), and the version in force
 * on the period's last active day sets it.
 *
 * - `per: "period"`: the minimum is prorated by the contract's active days over the period's
 *   days, so a contract that starts or ends mid-period owes its share, not a whole month's.
 * - `per: "contract"`: checked once, in the period that contains the contract's end date, against
 *   the media of the contract's whole life (prior periods plus this one), never prorated.
 */
import { Decimal } from '../../wire/money.ts';
import type { BillingPeriod } from '../../platform/periods.ts';
import type { DraftLine } from './lines.ts';
import type { ContractDays } from './versions.ts';

interface Shortfall {
  required: Decimal;
  media: Decimal;
  explain: Record<string, string | number>;
}

function shortfallOf(days: ContractDays, period: BillingPeriod, media: Decimal, priorMedia: Decimal): Shortfall | undefined {
  const minimum = days.version.terms.minimumSpend;
  if (minimum === undefined) return undefined;
  if (minimum.per === 'period') {
    const required = new Decimal(minimum.amount).times(days.activeDays).div(days.periodDays);
    const explain = {
      per: 'period',
      minimum: minimum.amount,
      activeDays: days.activeDays,
      periodDays: days.periodDays,
      formula: 'minimum × activeDays / periodDays − mediaAmount',
    };
    return { required, media, explain };
  }
  const endDate = days.version.terms.endDate;
  if (endDate < period.from || endDate > period.to) return undefined;
  const explain = {
    per: 'contract',
    minimum: minimum.amount,
    endDate,
    priorMediaAmount: priorMedia.toFixed(),
    periodMediaAmount: media.toFixed(),
    formula: 'minimum − (priorMediaAmount + periodMediaAmount)',
  };
  return { required: new Decimal(minimum.amount), media: priorMedia.plus(media), explain };
}

/** The minimum-spend true-up line of the period, if media falls short; `media` is the sum of this period's rounded media lines. */
export function minimumSpendDraft(days: ContractDays, period: BillingPeriod, media: Decimal, priorMedia: Decimal): DraftLine | undefined {
  const shortfall = shortfallOf(days, period, media, priorMedia);
  if (shortfall === undefined || !shortfall.required.gt(shortfall.media)) return undefined;
  const exact = shortfall.required.minus(shortfall.media);
  return {
    lineItem: null,
    kind: 'minimum_spend',
    description: `Minimum spend true-up: ${shortfall.explain.minimum} per ${shortfall.explain.per}, media ${shortfall.media.toFixed()}`,
    quantity: 1,
    unit: 'period',
    exact,
    version: days.version,
    from: days.from,
    to: days.to,
    flags: [],
    rule: `minimum_spend.${shortfall.explain.per}`,
    explain: { ...shortfall.explain, requiredAmount: shortfall.required.toFixed(), mediaAmount: shortfall.media.toFixed() },
  };
}
