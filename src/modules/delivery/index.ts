/** The delivery module's public surface: what other modules may use of it. */
export {
  type CtvTotalRow,
  type DeliveryScope,
  type ImpressionTotalRow,
  type TotalsScope,
  TOTALS_RANGE_DAYS_MAX,
  listDeliveryChangesSince,
  loadConversions,
  loadCtvTotals,
  loadImpressionCounts,
  loadImpressionTotals,
  measurePartnerDelivery,
  type PartnerDeliveryRequest,
} from './rating-delivery.repository.ts';
export { type CreditedConversion, loadCreditedConversions } from './credited-conversions.repository.ts';
export { importCsv, type ImportKind, type ImportResult } from './import-csv.ts';
export { deliveryRoutes } from './delivery.routes.ts';
export { type ClickRecord, type ConversionRecord, type ImpressionRecord } from './delivery.ts';
export { ingestConversions } from './ingest-conversions.ts';
export { ingestClicks } from './ingest-clicks.ts';
export { type Attribution, type AttributedTouch, type AttributionTouch, attribute } from './attribution.ts';
export { ingestImpressions } from './ingest-impressions.ts';
export { type GoalDeliveryMetric, type GoalDeliveryRange, goalDeliveryKey, sumGoalDelivery } from './goal-delivery.repository.ts';
export { findLastDeliveryDate } from './delivery-span.repository.ts';
export { type DateRun, type RunTotalRow, loadRunTotals } from './run-totals.repository.ts';
export { updateConversionStatuses } from './update-conversion-statuses.ts';
export {
  type FactsCursor,
  type HeldCursor,
  type HeldFilter,
  type ScrubReportScope,
  countConversionsByStatus,
  countHeldConversions,
  countRuleDecisionsByReason,
  listHeldConversions,
  loadConversionFacts,
  lockHeldConversionIds,
} from './scrubbed-conversions.repository.ts';
export { type IntakeIngestor, publishIntake, startIntakeConsumer } from './intake-queue.ts';
