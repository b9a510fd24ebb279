/** The parties module's public surface: what other modules may use of it. */
export { findParty, listPaymentTermsDays } from './party.repository.ts';
