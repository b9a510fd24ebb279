/**
 * What a month earns and costs by the rating pipeline, and what finalized documents billed for it:
 * the two sides of an accrual and of the revenue report. The sell side is rateBookPeriod (the path
 * billing runs take); the buy side rates each partner agreement and each offer's payouts to its
 * credited partners (SPEC §9) for the period as the statements' rating does (charges module), with
 * one difference: no hold. A hold says when a partner's conversion becomes payable, not whether the
 * cost was incurred; at the month's end the cost of the month's conversions is owed either way.
 * Minimum payouts are left out for the same reason: a balance carried forward is still a cost.
 */
import type { Executor } from '../../../platform/database.ts';
import { type BillingPeriod, periodFor } from '../../../platform/periods.ts';
import { Decimal } from '../../../wire/money.ts';
import type { Terms } from '../../../wire/terms.ts';
import {
  hasPartnerPayouts,
  loadOfferPayoutDelivery,
  offerPayoutsOf,
  rateBookPeriod,
  rateContractPeriods,
  rateOfferPayout,
  type SellSideAmounts,
} from '../../charges/index.ts';
import { type ApprovedContract, listApprovedContracts, listApprovedOffers, partnerAgreementOf } from '../../contracts/index.ts';
import { listPartnerTiers } from '../../parties/index.ts';
import type { BilledAmount } from '../../rating/index.ts';
import { loadBilledAmounts } from '../runs/index.ts';
import { loadBilledForPeriod } from './accrual.repository.ts';
import type { PeriodAmount } from './accruals.ts';

/** The contract's own billing period for `month`, when it overlaps the contract's dates. */
function contractPeriodOf(contract: ApprovedContract, month: string): BillingPeriod | undefined {
  const first = contract.versions[0]?.terms as Terms | undefined;
  const latest = contract.versions.at(-1)?.terms as Terms | undefined;
  if (!first || !latest) return undefined;
  const period = periodFor(latest.billingPeriod, month);
  return period.from <= latest.endDate && period.to >= first.startDate ? period : undefined;
}

/** What finalized documents billed before, per contract: the base of caps over a contract's life. */
async function finalizedHistory(db: Executor): Promise<Map<string, BilledAmount[]>> {
  const history = new Map<string, BilledAmount[]>();
  for (const { contractId, hasOriginal: _hasOriginal, ...amount } of await loadBilledAmounts(db, 'finalized')) {
    history.set(contractId, [...(history.get(contractId) ?? []), amount]);
  }
  return history;
}

/** Every sell contract's rated amount for `month` (net of tax: what its invoice lines would sum to). */
async function ratedSellAmounts(db: Executor, month: string, billed: Map<string, BilledAmount[]>): Promise<PeriodAmount[]> {
  const rated = await rateBookPeriod(db, month, { billedOf: (contractId) => billed.get(contractId) ?? [] });
  return rated.map(({ contract, result }) => ({
    side: 'sell' as const,
    contractId: contract.id,
    partyId: contract.partyId,
    currency: result.currency,
    amount: new Decimal(result.subtotal),
  }));
}

/** Every partner agreement's and offer payout's rated cost for `month`. */
async function ratedBuyAmounts(db: Executor, month: string, history: Map<string, BilledAmount[]>): Promise<PeriodAmount[]> {
  const amounts: PeriodAmount[] = [];
  // The sell contracts whose revenue the payers share, each rated once for all of them.
  const sellSide: SellSideAmounts = new Map();
  const agreements = await listApprovedContracts(db, 'buy');
  for (const contract of agreements) {
    const period = contractPeriodOf(contract, month);
    if (!period) continue;
    const [result] = await rateContractPeriods(db, contract, [{ period }], { billed: history.get(contract.id) ?? [], sellSide });
    if (result)
      amounts.push({
        side: 'buy',
        contractId: contract.id,
        partyId: contract.partyId,
        currency: result.currency,
        amount: new Decimal(result.subtotal),
      });
  }
  const [offers, tiers] = await Promise.all([listApprovedOffers(db), listPartnerTiers(db)]);
  const partnerAgreements = agreements.flatMap((contract) => partnerAgreementOf(contract) ?? []);
  for (const offer of offers) {
    const period = hasPartnerPayouts(offer) ? contractPeriodOf(offer, month) : undefined;
    if (!period) continue;
    const delivery = await loadOfferPayoutDelivery(db, offer, period.from, period.to, partnerAgreements, sellSide);
    const payouts = offerPayoutsOf(offer);
    for (const [partnerId, conversions] of [...delivery].sort(([left], [right]) => left.localeCompare(right))) {
      const [result] = rateOfferPayout({ payouts, conversions, periods: [{ period, issued: false, tier: tiers.get(partnerId) }] });
      if (result)
        amounts.push({
          side: 'buy',
          contractId: offer.id,
          partyId: partnerId,
          currency: result.currency,
          amount: new Decimal(result.subtotal),
        });
    }
  }
  return amounts;
}

/** Rated and billed amounts of `month`: of both sides, or of the sell side alone (the revenue report). */
export async function periodAmounts(
  db: Executor,
  month: string,
  sides: 'both' | 'sell' = 'both',
): Promise<{ rated: PeriodAmount[]; billed: PeriodAmount[] }> {
  const history = await finalizedHistory(db);
  // One after the other: inside a transaction the queries share one connection anyway.
  const sell = await ratedSellAmounts(db, month, history);
  const buy = sides === 'both' ? await ratedBuyAmounts(db, month, history) : [];
  const billed = (await loadBilledForPeriod(db, month)).filter((amount) => sides === 'both' || amount.side === 'sell');
  return { rated: [...sell, ...buy], billed };
}
