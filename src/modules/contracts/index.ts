/** The contracts module's public surface: what other modules may use of it. */
export {
  type ApprovedContract,
  type ApprovedVersion,
  type DeliveryRefusal,
  type DeliveryTarget,
  findDeliveryRefusal,
  findDeliveryTargets,
  findApprovedContract,
  findContractHeads,
  findContractNumbers,
  listAppliedSellContractsOf,
  listAppliedSellContractIds,
  listApprovedContractHeads,
  listApprovedContracts,
  listApprovedOffers,
  listVersionsApprovedSince,
} from './approved-versions.repository.ts';
export { agreementsOverlap, type PartnerAgreement, partnerAgreementOf } from './partner-agreements.ts';
export { contractRoutes } from './contracts.routes.ts';
export { settingsRoutes } from './settings.routes.ts';
export { belowCardRoutes } from './below-card.routes.ts';
export { amendContract } from './amend-contract.ts';
export { approveVersion } from './approve-version.ts';
export { createContract } from './create-contract.ts';
export { editVersion } from './edit-version.ts';
export { rejectVersion } from './reject-version.ts';
export { submitVersion } from './submit-version.ts';
export { terminateContract } from './terminate-contract.ts';
export { assertContractVisible, readContract, readVersion } from './read-contract.ts';
export { findProposal, type Proposal } from './impact-proposal.ts';
export { createMakegood, type GoalStanding, type MeasureGoal } from './makegood.ts';
export { versionEtag } from '../versioning/index.ts';
export { findVisibleContractIds, isContractVisible } from './contract.repository.ts';
