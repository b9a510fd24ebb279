/** The billing entities module's public surface: what other modules may use of it. */
export { findBillingEntity, findBillingEntitiesByIds, findFirstBillingEntityId, listBillingEntities } from './entity.repository.ts';
export { billingEntityNotFound, createBillingEntity, updateBillingEntity } from './billing-entities.ts';
export { billingEntityRoutes } from './billing-entities.routes.ts';
