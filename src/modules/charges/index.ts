/** The charges module's public surface: the rating pipeline over periods, for one contract or the whole book. */
export {
  type BookContract,
  type RateBookOptions,
  bitsOf,
  byContract,
  loadBookContracts,
  rateBookPeriod,
  sharedMonthTotals,
  totalsForPeriod,
  type TotalsByContract,
} from './rate-book-period.ts';
export {
  contractPeriods,
  type Delivery,
  loadContractDelivery,
  loadOfferPayoutDelivery,
  periodDelivery,
  periodsCovering,
  rateContractPeriods,
  ratedPeriodsMax,
  type SellSideAmounts,
} from './rate-contract-periods.ts';
export {
  type PeriodDelivery,
  type PeriodToRate,
  type RatableContract,
  type RatedPeriods,
  ratePeriods,
  ratePeriodsWithHistory,
} from './rate-periods.ts';
export {
  OFFER_PAYOUT_KEY_MARK,
  type DatedConversion,
  type OfferPayoutPeriod,
  type OfferPayouts,
  type PayoutChoice,
  type PayoutLevel,
  choosePayoutLevel,
  hasPartnerPayouts,
  offerPayoutLineKey,
  offerPayoutsOf,
  partnerPayoutsOf,
  payoutLevelOf,
  rateOfferPayout,
  tierOfPayoutKeys,
  withPartnerContractLevel,
} from './payout-hierarchy.ts';
export { chargesRoutes } from './charges.routes.ts';
