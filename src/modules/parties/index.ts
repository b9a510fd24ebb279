/** The parties module's public surface: what other modules may use of it. */
export {
  countParties,
  documentPartyJsonSql,
  findParty,
  findPartiesByIds,
  findPartnerIds,
  listPartnerTiers,
  listPaymentTermsDays,
  hasAnyParty,
} from './party.repository.ts';
export { partyRoutes } from './parties.routes.ts';
export { createParty } from './create-party.ts';
export { updateParty } from './update-party.ts';
export { type CreatePartyInput } from '../../wire/parties.ts';
