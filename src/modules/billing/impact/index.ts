/** The billing/impact module's public surface: what approving a version would bill. */
export { impactRoutes } from './impact.routes.ts';
export { versionImpact } from './version-impact.ts';
