/**
 * The impact of a version before approval (SPEC §8): the contract's delivery loaded so far, rated
 * period by period under the approved versions (current) and under the approved versions with the
 * proposal in place (proposed), through the one rating pipeline (charges' ratePeriods), with what
 * finalized documents billed as the history a billing run would start from. A finalized period's
 * current is what its documents billed, so that its difference is the adjustment the next run
 * would bill once the proposal is approved (docs/architecture.md, "Impact of a version").
 *
 * The periods that end before the proposal takes effect are rated once for both: the same approved
 * versions are in force on each of their days under both lists, so they rate alike, and the
 * periods after them start from the history that rating leaves (ratePeriodsWithHistory), as they
 * would in one pass.
 */
import type { Executor } from '../../../platform/database.ts';
import { maxDate, minDate } from '../../../platform/dates.ts';
import { AppError } from '../../../platform/errors.ts';
import type { VisibilityScope } from '../../../platform/visibility.ts';
import type { VersionImpact } from '../../../wire/impact.ts';
import { Decimal, formatMoney } from '../../../wire/money.ts';
import { periodsCovering, type RatedPeriods, ratePeriods, ratePeriodsWithHistory } from '../../charges/index.ts';
import { type ApprovedContract, type ApprovedVersion, findApprovedContract, findProposal } from '../../contracts/index.ts';
import { findLastDeliveryDate } from '../../delivery/index.ts';
import { type BilledAmount, DailyCountsNeededError, type RatingResult } from '../../rating/index.ts';
import { type DeliveryGroup, loadDailyDelivery, loadImpactDelivery } from './impact-delivery.ts';
import { loadIssuedBilling } from './issued-billing.ts';

/** Subtotals by period label; nothing (zero everywhere) when there is no version to rate by. */
function subtotals(results: readonly RatingResult[]): Map<string, Decimal> {
  return new Map(results.map((result) => [result.period.label, new Decimal(result.subtotal)]));
}

/**
 * The impact of version `versionNumber` of the contract, as the scope may see it. Periods run from
 * the contract's first through the later of today's and the last one holding delivery, within the
 * later end date of the approved terms and the proposal; billing periods by the proposal's terms.
 */
export async function versionImpact(
  db: Executor,
  scope: VisibilityScope,
  today: string,
  contractId: string,
  versionNumber: number,
): Promise<VersionImpact> {
  // Read side by side; the proposal's refusals (not found, not a proposal) are the answer when it has one.
  const [proposal, contract, lastDelivered, billing] = await Promise.all([
    findProposal(db, scope, contractId, versionNumber),
    findApprovedContract(db, contractId),
    findLastDeliveryDate(db, contractId),
    loadIssuedBilling(db, contractId),
  ]);
  if (!contract) throw new AppError('contract_not_found', `Contract ${contractId} does not exist`);
  const current = contract.versions;
  const proposedVersion: ApprovedVersion = { number: proposal.number, effectiveFrom: proposal.effectiveFrom, terms: proposal.terms };
  const proposed = [...current.filter((version) => version.number !== proposal.number), proposedVersion];
  const currency = proposal.terms.currency;

  const startDate = proposed.map((version) => version.terms.startDate).reduce(minDate);
  const latestCurrent = current.at(-1)?.terms.endDate;
  const endDate = latestCurrent === undefined ? proposal.terms.endDate : maxDate(latestCurrent, proposal.terms.endDate);
  // Loaded with every version's line items in view, so that a buy side's new line item gets its delivery.
  const loadable: ApprovedContract = { ...contract, versions: proposed };
  const until = minDate(endDate, lastDelivered === undefined ? today : maxDate(today, lastDelivered));
  const periods = until < startDate ? [] : periodsCovering(proposal.terms.billingPeriod, startDate, until);
  const toRate = periods.map((period) => ({ period, issued: billing.issued.has(period.label) }));

  // Periods that end before the proposal takes effect, rated once for both lists (none when there is no
  // approved version, or when the currencies differ and the proposal's rating refuses every period).
  const sharedCount =
    current.at(-1)?.terms.currency === currency ? toRate.filter(({ period }) => period.to < proposal.effectiveFrom).length : 0;
  const rateBoth = async (groups: readonly DeliveryGroup[]): Promise<{ current: RatingResult[]; proposed: RatingResult[] }> => {
    // A group whose loading fails after an earlier group's rating has thrown is not awaited: not an unhandled rejection.
    for (const group of groups) group.delivery.catch(() => undefined);
    const rated = { current: [] as RatingResult[], proposed: [] as RatingResult[] };
    let history = { current: billing.amounts as readonly BilledAmount[], proposed: billing.amounts as readonly BilledAmount[] };
    let first = 0;
    for (const [index, group] of groups.entries()) {
      const delivery = await group.delivery;
      const some = toRate.slice(first, first + group.periods.length);
      first += some.length;
      const last = index === groups.length - 1;
      // Each list goes on from its own history, as one pass over all the periods would.
      const rate = (versions: ApprovedVersion[], billed: readonly BilledAmount[], periodsRated = some): RatedPeriods => {
        if (versions.length === 0) return { results: [], billed };
        const input = { contract: { id: contract.id, side: contract.side, versions }, periods: periodsRated, delivery, billed };
        return last ? { results: ratePeriods(input), billed } : ratePeriodsWithHistory(input);
      };
      if (first <= sharedCount) {
        const shared = rate(current, history.current);
        rated.current.push(...shared.results);
        rated.proposed.push(...shared.results);
        history = { current: shared.billed, proposed: shared.billed };
      } else {
        // Under the approved versions a finalized period is what it billed, and it adds nothing to the
        // history (a run adjusts it, never bills it again): rating it would change nothing shown.
        const unissued = some.filter(({ issued }) => !issued);
        const [currentRated, proposedRated] = [rate(current, history.current, unissued), rate(proposed, history.proposed)];
        rated.current.push(...currentRated.results);
        rated.proposed.push(...proposedRated.results);
        history = { current: currentRated.billed, proposed: proposedRated.billed };
      }
    }
    return rated;
  };
  // Two groups loaded side by side: the shared periods and the rest, or else two halves.
  const cut = sharedCount > 0 && sharedCount < periods.length ? sharedCount : Math.ceil(periods.length / 2);
  let rated: { current: RatingResult[]; proposed: RatingResult[] };
  try {
    rated = await rateBoth(loadImpactDelivery(db, loadable, periods, [current, proposed], [cut, periods.length - cut]));
  } catch (error) {
    // Totals that the terms split after all: the days' own counts, as a billing run does.
    if (!(error instanceof DailyCountsNeededError)) throw error;
    rated = await rateBoth([{ periods, delivery: loadDailyDelivery(db, loadable, periods) }]);
  }
  const currentSubtotals = subtotals(rated.current);
  const proposedSubtotals = subtotals(rated.proposed);
  const billedByPeriod = new Map<string, Decimal>();
  for (const amount of billing.amounts) {
    billedByPeriod.set(amount.billedPeriod, (billedByPeriod.get(amount.billedPeriod) ?? new Decimal(0)).plus(amount.amount));
  }

  const zero = new Decimal(0);
  const total = { current: zero, proposed: zero };
  const rows = toRate.map(({ period, issued }) => {
    const currentAmount = (issued ? billedByPeriod.get(period.label) : currentSubtotals.get(period.label)) ?? zero;
    const proposedAmount = proposedSubtotals.get(period.label) ?? zero;
    total.current = total.current.plus(currentAmount);
    total.proposed = total.proposed.plus(proposedAmount);
    return {
      period: period.label,
      current: formatMoney(currentAmount, currency),
      proposed: formatMoney(proposedAmount, currency),
      difference: formatMoney(proposedAmount.minus(currentAmount), currency),
    };
  });
  return {
    currency,
    periods: rows,
    total: {
      current: formatMoney(total.current, currency),
      proposed: formatMoney(total.proposed, currency),
      difference: formatMoney(total.proposed.minus(total.current), currency),
    },
  };
}
