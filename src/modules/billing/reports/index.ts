/** The billing/reports module's public surface: reports over issued documents. */
export { marginReport } from './margin-report.ts';
export { reportRoutes } from './reports.routes.ts';
