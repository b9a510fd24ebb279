/** The rating module's public surface: what other modules may use of it. */
export { type BilledAmount, type BilledKind, lineKeyOf, billedAmountsOf, priorUsageBefore } from './prior-usage.ts';
export { type RatingResult, type ImpressionTotal, type RatedConversion, type ImpressionCount, type RatedVersion } from './types.ts';
export { DailyCountsNeededError, rateContract } from './rate-contract.ts';
export { sortVersions } from './versions.ts';
export { type RatingFlag, type ChargeKind, type ChargeUnit, type Explain, type ChargeLine } from '../../wire/charges.ts';
export { billsCtvCounts } from './metric-models.ts';
export { type AttributionWindows, touchIsInWindow } from './cpa.ts';
export {
  type PayoutChoice,
  type PayoutLevel,
  choosePayoutLevel,
  offerLevelFor,
  offerPayoutPricing,
  ownAgreementFor,
  partnerPayoutsOf,
} from './payout-levels.ts';
export { type FlatPayout, type PayingAgreement, flatPayoutOf } from './flat-payout.ts';
