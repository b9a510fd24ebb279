/**
 * The buy side of a billing run: what each partner agreement pays for the month (SPEC §3, §5), and
 * what offers pay the partners credited with their conversions by the payout hierarchy (SPEC §9).
 *
 * - `holdDays`: a conversion is payable once it is that many days old on the last day of the run's
 *   month, and not reversed. Periods already on a finalized statement are rated again each run, so
 *   conversions whose hold has passed since, and reversals (clawbacks), become adjustments.
 * - `minimumPayout`: when what a contract would pay this run is positive but below its minimum,
 *   none of it goes on the statement; its months stay unbilled and are rated again next run
 *   (carried forward). A negative balance (a clawback) is never held back.
 *
 * An offer's payouts to one partner (levels 2 and 3 of the hierarchy) are planned like a buy
 * contract of their own, with the offer's `partnerPayouts.holdDays` and `minimumPayout`: their
 * lines name the offer as their contract and go on the partner's statement, keyed
 * `<line item>@<level>`, and their history is the pair's (offerPayoutHistoryKey). A period keeps
 * the tier it was first paid by once its statement is finalized (docs/affiliate/payout-hierarchy.md).
 */
import type { Executor } from '../../../platform/database.ts';
import { addDays } from '../../../platform/dates.ts';
import { utcDateOf } from '../../../platform/instants.ts';
import { Decimal, formatMoney, sumMoney } from '../../../wire/money.ts';
import { type BillingPeriod, periodFor } from '../../../platform/periods.ts';
import {
  contractPeriods,
  loadOfferPayoutDelivery,
  offerPayoutLineKey,
  offerPayoutsOf,
  partnerPayoutsOf,
  rateContractPeriods,
  rateOfferPayout,
  type SellSideAmounts,
  tierOfPayoutKeys,
  withPartnerContractLevel,
} from '../../charges/index.ts';
import { buyHoldDays, buyMinimumPayout } from '../../../wire/terms-defaults.ts';
import type { BuyTerms, SellTerms } from '../../../wire/terms.ts';
import { type ApprovedContract, type PartnerAgreement, partnerAgreementOf } from '../../contracts/index.ts';
import type { RatingFlag, RatingResult } from '../../rating/index.ts';
import { type ContractHistory, offerPayoutHistoryKey, parseOfferPayoutHistoryKey } from './billing-history.repository.ts';
import type { ContractPlan } from './plan-invoices.ts';
import { adjustmentLines, type LineKeyOf, periodLines, type PlannedLine } from './plan-lines.ts';
import type { CarriedForward } from '../../../wire/billing.ts';

/** Who is paid, under which terms, and the history of what was paid so far. */
interface Payee {
  /** The contract the lines name: the buy contract, or the offer. */
  contractId: string;
  partyId: string;
  /** Hold, minimum and currency (an offer's payouts: the offer's dates with its partnerPayouts' hold and minimum). */
  terms: BuyTerms;
  history: ContractHistory | undefined;
}

/** A contract's billing period holding `month`, and its billing periods from its start through that one. */
function periodsThrough(
  contract: Pick<ApprovedContract, 'versions'>,
  month: string,
): { runPeriod: BillingPeriod; periods: BillingPeriod[] } {
  const latest = contract.versions.at(-1)?.terms as BuyTerms | SellTerms;
  const runPeriod = periodFor(latest.billingPeriod, month);
  return { runPeriod, periods: contractPeriods(contract, runPeriod.to).filter((period) => period.label <= month) };
}

/** The periods of a payee to rate this run: unbilled ones through `month`, and issued ones before it (for adjustments). */
function periodsToRate(
  periods: readonly BillingPeriod[],
  month: string,
  history: ContractHistory | undefined,
): { period: BillingPeriod; issued: boolean }[] {
  const issued = history?.issued ?? new Map();
  const billedElsewhere = history?.billedPeriods ?? new Set<string>();
  return periods
    .filter((period) => (issued.has(period.label) ? period.label < month : !billedElsewhere.has(period.label)))
    .map((period) => ({ period, issued: issued.has(period.label) }));
}

/**
 * The last date a conversion may have to be payable this run: the payee's hold before the run
 * period's last day (reversed ones are not billable under any billOn).
 */
function lastPayableDate(terms: BuyTerms, runPeriod: BillingPeriod): string {
  return addDays(runPeriod.to, -buyHoldDays(terms));
}

/** A payee's lines from its rated periods, and the balance carried forward when below its minimum payout. */
function planPayee(
  payee: Payee,
  runPeriod: BillingPeriod,
  results: readonly RatingResult[],
  keyOf: LineKeyOf | undefined,
): { plan: ContractPlan; carried?: CarriedForward } {
  const { contractId, partyId, terms, history } = payee;
  const amounts = history?.amounts ?? [];
  const lines: PlannedLine[] = [];
  const flags = new Set<RatingFlag>();
  for (const result of results) {
    const issuedPeriod = history?.issued.get(result.period.label);
    lines.push(
      ...(issuedPeriod
        ? adjustmentLines(contractId, result, amounts, issuedPeriod, terms.currency, keyOf)
        : periodLines(contractId, result, keyOf)),
    );
    for (const flag of result.flags) flags.add(flag);
  }
  const plan: ContractPlan = { contractId, partyId, currency: terms.currency, terms, period: runPeriod, lines, flags: [...flags] };
  const total = sumMoney(lines.map((line) => new Decimal(line.amount)));
  const minimum = buyMinimumPayout(terms);
  // decimal.js counts zero as positive: a contract with nothing payable is not "carried forward".
  if (total.greaterThan(0) && total.lessThan(minimum)) {
    return {
      plan: { ...plan, lines: [] },
      carried: { contractId, partyId, currency: terms.currency, amount: formatMoney(total, terms.currency), minimumPayout: minimum },
    };
  }
  return { plan };
}

/** One buy contract's lines for the run: unbilled months through `month`, and adjustments of issued ones. */
async function planContract(
  db: Executor,
  contract: ApprovedContract,
  month: string,
  history: ContractHistory | undefined,
  sellSide: SellSideAmounts,
): Promise<{ plan: ContractPlan; carried?: CarriedForward } | undefined> {
  const terms = contract.versions.at(-1)?.terms as BuyTerms;
  const { runPeriod, periods } = periodsThrough(contract, month);
  const toRate = periodsToRate(periods, month, history);
  if (toRate.length === 0) return undefined;
  const lastPayable = lastPayableDate(terms, runPeriod);
  const results = await rateContractPeriods(db, contract, toRate, {
    billed: history?.amounts ?? [],
    conversions: (conversion) => utcDateOf(conversion.occurredAt) <= lastPayable,
    sellSide,
  });
  const planned = planPayee({ contractId: contract.id, partyId: contract.partyId, terms, history }, runPeriod, results, undefined);
  // Its adjustments say that the partner's own contract paid them, as its rated lines do.
  return { ...planned, plan: { ...planned.plan, lines: withPartnerContractLevel(contract, planned.plan.lines) } };
}

/** The terms an offer's payouts are paid under: its dates, period and currency, its partnerPayouts' hold and minimum. */
function offerPayoutTerms(offer: ApprovedContract): BuyTerms {
  const first = offer.versions[0]?.terms as SellTerms;
  const latest = offer.versions.at(-1)?.terms as SellTerms;
  const payouts = partnerPayoutsOf(latest);
  return {
    startDate: first.startDate,
    endDate: latest.endDate,
    currency: latest.currency,
    billingPeriod: latest.billingPeriod,
    appliesTo: [offer.id],
    ...(payouts?.holdDays === undefined ? {} : { holdDays: payouts.holdDays }),
    ...(payouts?.minimumPayout === undefined ? {} : { minimumPayout: payouts.minimumPayout }),
    lineItems: [],
  };
}

/**
 * What an offer pays each credited partner that no agreement of its own pays (levels 2 and 3), for
 * the partners with conversions of the offer through `month` or with a history of its payouts (a
 * conversion their own agreement now pays is clawed back from the offer's). What every partner
 * shares is worked out once for the offer: its periods, the payable date, each tier's payout
 * contract and each conversion's date.
 */
async function planOffer(
  db: Executor,
  offer: ApprovedContract,
  month: string,
  agreements: readonly PartnerAgreement[],
  tiers: ReadonlyMap<string, string>,
  histories: Map<string, ContractHistory>,
  historyPartners: readonly string[],
  sellSide: SellSideAmounts,
  includesParty: (partyId: string) => boolean,
): Promise<{ plan: ContractPlan; carried?: CarriedForward }[]> {
  const terms = offerPayoutTerms(offer);
  const { runPeriod, periods } = periodsThrough(offer, month);
  if (periods.length === 0) return [];
  const from = (periods[0] as BillingPeriod).from;
  const delivery = await loadOfferPayoutDelivery(db, offer, from, (periods.at(-1) as BillingPeriod).to, agreements, sellSide);
  const lastPayable = lastPayableDate(terms, runPeriod);
  const payouts = offerPayoutsOf(offer);
  // A partitioned run pays its partition's partners only (SPEC §11).
  const partners = [...new Set([...delivery.keys(), ...historyPartners])].filter(includesParty).sort();
  const planned: { plan: ContractPlan; carried?: CarriedForward }[] = [];
  for (const partnerId of partners) {
    const history = histories.get(offerPayoutHistoryKey(offer.id, partnerId));
    const toRate = periodsToRate(periods, month, history);
    if (toRate.length === 0) continue;
    const tier = tiers.get(partnerId);
    const results = rateOfferPayout({
      payouts,
      conversions: (delivery.get(partnerId) ?? []).filter(({ date }) => date <= lastPayable),
      periods: toRate.map(({ period, issued }) => {
        // A period on a finalized statement is rated again by the tier it was paid by, so that a
        // later change of tier does not reprice it; only what changed since (reversals, holds
        // passed, late conversions) becomes an adjustment.
        const paidBy = issued
          ? tierOfPayoutKeys(
              (history?.amounts ?? []).filter((amount) => amount.billedPeriod === period.label).map((amount) => amount.lineKey),
            )
          : undefined;
        return { period, issued, tier: paidBy === undefined ? tier : (paidBy ?? undefined) };
      }),
    });
    planned.push(planPayee({ contractId: offer.id, partyId: partnerId, terms, history }, runPeriod, results, offerPayoutLineKey));
  }
  return planned;
}

/** Every partner agreement's and offer payout's lines for `month`, and the balances carried forward below their minimum. */
export async function planStatements(
  db: Executor,
  month: string,
  buyContracts: ApprovedContract[],
  histories: Map<string, ContractHistory>,
  offers: { offers: ApprovedContract[]; tiers: ReadonlyMap<string, string> } = { offers: [], tiers: new Map() },
  includesParty: (partyId: string) => boolean = () => true,
): Promise<{ plans: ContractPlan[]; carried: CarriedForward[] }> {
  const plans: ContractPlan[] = [];
  const carried: CarriedForward[] = [];
  const add = (planned: { plan: ContractPlan; carried?: CarriedForward } | undefined) => {
    if (!planned) return;
    if (planned.plan.lines.length > 0) plans.push(planned.plan);
    if (planned.carried) carried.push(planned.carried);
  };
  // The sell contracts whose revenue the run's payers share, each rated once for all of them.
  const sellSide: SellSideAmounts = new Map();
  for (const contract of buyContracts) {
    if (contract.versions.length === 0 || !includesParty(contract.partyId)) continue;
    add(await planContract(db, contract, month, histories.get(contract.id), sellSide));
  }

  const agreements = buyContracts.flatMap((contract) => partnerAgreementOf(contract) ?? []);
  const historyPartners = new Map<string, string[]>();
  for (const key of histories.keys()) {
    const pair = parseOfferPayoutHistoryKey(key);
    if (pair) historyPartners.set(pair.offerId, [...(historyPartners.get(pair.offerId) ?? []), pair.partnerId]);
  }
  for (const offer of [...offers.offers].sort((left, right) => (left.number < right.number ? -1 : 1))) {
    if (offer.versions.length === 0) continue;
    const historyOf = historyPartners.get(offer.id) ?? [];
    for (const planned of await planOffer(db, offer, month, agreements, offers.tiers, histories, historyOf, sellSide, includesParty))
      add(planned);
  }
  return { plans, carried };
}
