/** The charges module's public surface: the rating pipeline over periods, for one contract or the whole book. */
export {
  type BookContract,
  type RateBookOptions,
  bitsOf,
  byContract,
  loadBookContracts,
  rateBookPeriod,
  totalsForPeriod,
} from './rate-book-period.ts';
export {
  contractPeriods,
  type Delivery,
  loadContractDelivery,
  periodDelivery,
  periodsCovering,
  rateContractPeriods,
  ratedPeriodsMax,
} from './rate-contract-periods.ts';
export {
  type PeriodDelivery,
  type PeriodToRate,
  type RatableContract,
  type RatedPeriods,
  ratePeriods,
  ratePeriodsWithHistory,
} from './rate-periods.ts';
export { chargesRoutes } from './charges.routes.ts';
