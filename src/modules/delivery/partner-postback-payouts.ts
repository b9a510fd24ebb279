/**
 * The `{payout}` of partner postbacks (SPEC §9, docs/affiliate/partner-postbacks.md): for a batch of
 * conversions credited to partners, what the payout hierarchy pays each when that is a flat amount
 * the conversion alone settles (rating's flatPayoutOf). Reads the batch's offers with their approved
 * versions, its partners' tiers and its partners' own agreements, a few statements per batch and
 * none per conversion; the webhooks module asks only when some postback's template shows `{payout}`.
 */
import type { Tx } from '../../platform/database.ts';
import { everything } from '../../platform/visibility.ts';
import { findDeliveryTargets, listApprovedContracts, partnerAgreementOf } from '../contracts/index.ts';
import { findPartiesByIds } from '../parties/index.ts';
import { type PayingAgreement, type RatedConversion, flatPayoutOf } from '../rating/index.ts';

/** A conversion credited to a partner, as rating reads it, on the sell contract (the offer) it was sent for. */
export interface PayoutCandidate {
  contractId: string;
  partnerId: string;
  /** Its `lineItem` is the offer's. */
  conversion: RatedConversion;
}

/** The flat payout of each candidate that has one, by conversion id (money strings). */
export async function flatPayoutsOf(trx: Tx, candidates: readonly PayoutCandidate[]): Promise<Map<string, string>> {
  const payouts = new Map<string, string>();
  if (candidates.length === 0) return payouts;
  const partnerIds = [...new Set(candidates.map((candidate) => candidate.partnerId))];
  const offers = await findDeliveryTargets(
    trx,
    everything,
    candidates.map((candidate) => candidate.contractId),
  );
  const tiers = new Map((await findPartiesByIds(trx, partnerIds)).map((party) => [party.id, party.tier]));
  const agreements = await loadAgreements(trx, partnerIds);
  for (const { contractId, partnerId, conversion } of candidates) {
    const offer = offers.get(contractId);
    if (offer === undefined) continue;
    const payout = flatPayoutOf({
      conversion,
      offer: { id: contractId, versions: offer.versions },
      partnerId,
      tier: tiers.get(partnerId),
      agreements: agreements.get(partnerId) ?? [],
    });
    if (payout !== undefined) payouts.set(conversion.id, payout.amount);
  }
  return payouts;
}

/**
 * Each partner's own agreements with their approved versions. One statement per partner: the
 * contracts module lists approved contracts of one party at a time. A batch's partners are those
 * with a postback that shows `{payout}`, so this is at most the number of such partners, never a
 * statement per conversion.
 */
async function loadAgreements(trx: Tx, partnerIds: readonly string[]): Promise<Map<string, PayingAgreement[]>> {
  const byPartner = new Map<string, PayingAgreement[]>();
  for (const partnerId of partnerIds) {
    const contracts = await listApprovedContracts(trx, 'buy', partnerId);
    byPartner.set(
      partnerId,
      contracts.flatMap((contract) => {
        const agreement = partnerAgreementOf(contract);
        return agreement === undefined ? [] : [{ ...agreement, versions: contract.versions }];
      }),
    );
  }
  return byPartner;
}
