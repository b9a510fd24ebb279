/** The billing/reports module's public surface: reports over issued documents. */
export { marginReport } from './margin-report.ts';
export { reportRoutes } from './reports.routes.ts';
export { type AgingAmounts, type AgingRow, agingBucket, agingBuckets, arAging, invoicesOwingAsOf } from './ar-aging.repository.ts';
