/**
 * A partner's own buy contract as the payout hierarchy sees it (docs/affiliate/payout-hierarchy.md),
 * and the rule that keeps a conversion paid once: one partner has at most one approved agreement
 * that prices conversions of an offer on any day. Two would each pay the same conversions by their
 * own terms, since the hierarchy chooses between an agreement and the offer, not between agreements.
 */
import type { Executor } from '../../platform/database.ts';
import { AppError } from '../../platform/errors.ts';
import { CONVERSION_PRICED_MODELS } from '../../wire/pricing.ts';
import type { BuyTerms } from '../../wire/terms.ts';
import { type ApprovedContract, findApprovedContract, listApprovedContracts } from './approved-versions.repository.ts';

/** A partner's own buy contract as the hierarchy sees it. */
export interface PartnerAgreement {
  contractId: string;
  partnerId: string;
  appliesTo: 'all' | readonly string[];
  /** The first version's startDate and the latest version's endDate. */
  startDate: string;
  endDate: string;
  /** Whether a version has a line item that pays per conversion (cpa or hybrid). */
  paysConversions: boolean;
}

/** A buy contract with an approved version as the hierarchy sees it; undefined for anything else. */
export function partnerAgreementOf(contract: ApprovedContract): PartnerAgreement | undefined {
  const first = contract.versions[0]?.terms;
  const latest = contract.versions.at(-1)?.terms as BuyTerms | undefined;
  if (contract.side !== 'buy' || first === undefined || latest === undefined) return undefined;
  return {
    contractId: contract.id,
    partnerId: contract.partyId,
    appliesTo: latest.appliesTo,
    startDate: first.startDate,
    endDate: latest.endDate,
    paysConversions: contract.versions.some((version) =>
      version.terms.lineItems.some((lineItem) => CONVERSION_PRICED_MODELS.has(lineItem.pricing.model)),
    ),
  };
}

/** Whether two agreements could both pay one conversion: one partner, both priced per conversion, a day and an offer in common. */
export function agreementsOverlap(a: PartnerAgreement, b: PartnerAgreement): boolean {
  return (
    a.partnerId === b.partnerId &&
    a.paysConversions &&
    b.paysConversions &&
    a.startDate <= b.endDate &&
    b.startDate <= a.endDate &&
    (a.appliesTo === 'all' || b.appliesTo === 'all' || a.appliesTo.some((offerId) => b.appliesTo.includes(offerId)))
  );
}

/**
 * Refuses the approval of version `versionNumber` (just recorded, in this transaction) when it makes
 * the contract a second agreement of its partner on an offer: one that overlaps another approved
 * agreement it did not overlap before. A version that only narrows an overlap already there (a
 * termination, say) is let through, so that two agreements approved before this rule can be undone.
 */
export async function assertOneAgreementPerOffer(db: Executor, contractId: string, versionNumber: number): Promise<void> {
  const contract = await findApprovedContract(db, contractId);
  const after = contract && partnerAgreementOf(contract);
  if (!contract || !after?.paysConversions) return;
  const earlier = contract.versions.filter((version) => version.number !== versionNumber);
  const before = earlier.length > 0 ? partnerAgreementOf({ ...contract, versions: earlier }) : undefined;
  for (const other of await listApprovedContracts(db, 'buy', contract.partyId)) {
    const agreement = other.id === contractId ? undefined : partnerAgreementOf(other);
    if (!agreement || !agreementsOverlap(after, agreement) || (before && agreementsOverlap(before, agreement))) continue;
    const offers = after.appliesTo === 'all' || agreement.appliesTo === 'all' ? 'the same offers' : 'an offer they both name';
    const message =
      `contract ${other.number} of this partner already pays its conversions of ${offers} between ` +
      `${agreement.startDate} and ${agreement.endDate}: one agreement per partner and offer (end or narrow the other first)`;
    throw new AppError('partner_agreement_overlap', message, [{ path: 'terms.appliesTo', message }]);
  }
}
