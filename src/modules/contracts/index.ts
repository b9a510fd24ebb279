/** The contracts module's public surface: what other modules may use of it. */
export {
  type ApprovedContract,
  type ApprovedVersion,
  findApprovedContract,
  findContractNumbers,
  listAppliedSellContractIds,
  listApprovedContractHeads,
  listApprovedContracts,
  listVersionsApprovedSince,
} from './approved-versions.repository.ts';
export type { BuyTerms, LineItem, SellTerms, Terms } from './terms.ts';
export { buyHoldDays, buyMinimumPayout, contractPaymentTermsDays } from './terms-defaults.ts';
