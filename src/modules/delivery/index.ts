/** The delivery module's public surface: what other modules may use of it. */
export {
  type DeliveryScope,
  type ImpressionTotalRow,
  type TotalsScope,
  TOTALS_RANGE_DAYS_MAX,
  listDeliveryChangesSince,
  loadConversions,
  loadImpressionCounts,
  loadImpressionTotals,
} from './rating-delivery.repository.ts';
