/**
 * The per-contract margin (issue 4): what each sell contract billed for a month, minus what partners
 * were paid on its delivery, from finalized, non-void invoices and payout statements.
 *
 * A payout line prices a partner's delivery across every sell contract its agreement applies to,
 * so it is shared out between them in proportion to that partner's delivery on each over the
 * line's dates: impressions for an impression-priced line (completed views for cpcv, clicks for cpc), conversions for a conversion-priced one,
 * otherwise (flat and fee lines) by impressions, or equally when there is none. Shares are exact
 * decimals; the margin is rounded once, to the currency, at the end.
 *
 * An offer's own payouts to partners (SPEC §9, the payout hierarchy's tier and default levels) name
 * the offer as their contract: each such line counts wholly against the offer.
 */
import type { Executor } from '../../../platform/database.ts';
import type { MarginRow } from '../../../wire/ledger.ts';
import { Decimal, formatMoney } from '../../../wire/money.ts';
import { OFFER_PAYOUT_KEY_MARK } from '../../charges/index.ts';
import { findContractHeads, listAppliedSellContractsOf } from '../../contracts/index.ts';
import { type PartnerDeliveryRequest, measurePartnerDelivery } from '../../delivery/index.ts';
import { listBilledRevenue, listPayoutLines } from './margin.repository.ts';

/** The delivery a payout line's unit is shared out by: its own count, else impressions (flat and fee lines). */
function measureOf(unit: string): PartnerDeliveryRequest['measure'] {
  if (unit === 'conversions') return 'conversions';
  if (unit === 'completed_views') return 'completedViews';
  if (unit === 'clicks') return 'clicks';
  return 'impressions';
}

/** Margin per sell contract and month, for months from..to (`YYYY-MM`), oldest first. */
export async function marginReport(db: Executor, from: string, to: string): Promise<MarginRow[]> {
  const [revenue, payoutLines] = await Promise.all([listBilledRevenue(db, from, to), listPayoutLines(db, from, to)]);
  const isOfferPayout = (line: { line_key: string }) => line.line_key.includes(OFFER_PAYOUT_KEY_MARK);
  const buyContractIds = payoutLines.filter((line) => !isOfferPayout(line)).map((line) => line.buy_contract_id);
  const applied = await listAppliedSellContractsOf(db, [...new Set(buyContractIds)]);
  /** The sell contracts a payout line is shared between: its agreement's, or the offer that pays it. */
  const sellContractsOf = (line: { buy_contract_id: string; line_key: string }): string[] =>
    isOfferPayout(line) ? [line.buy_contract_id] : (applied.get(line.buy_contract_id) ?? []);
  // Each payout line's weight on each sell contract of its agreement: that partner's delivery there over the line's dates.
  const requests = payoutLines.flatMap((line) =>
    (isOfferPayout(line) ? [] : sellContractsOf(line)).map((sellContractId) => ({
      contractId: sellContractId,
      partnerId: line.partner_id,
      from: line.date_from,
      to: line.date_to,
      measure: measureOf(line.unit),
    })),
  );
  const weights = await measurePartnerDelivery(db, requests);
  const heads = await findContractHeads(db, [...new Set(revenue.map((row) => row.contract_id))]);

  const rows = new Map<
    string,
    { base: Omit<MarginRow, 'revenue' | 'payouts' | 'margin' | 'marginPercent'>; revenue: Decimal; payouts: Decimal }
  >();
  for (const row of revenue) {
    const head = heads.get(row.contract_id);
    rows.set(`${row.contract_id}|${row.period}|${row.currency}`, {
      base: {
        contractId: row.contract_id,
        contractNumber: head?.number ?? row.contract_id,
        partyId: head?.partyId ?? '',
        period: row.period,
        currency: row.currency,
      },
      revenue: new Decimal(row.revenue),
      payouts: new Decimal(0),
    });
  }
  let request = 0;
  for (const line of payoutLines) {
    const sellContracts = sellContractsOf(line);
    // An offer's payout is the offer's alone: one share, weighed by nothing.
    const lineWeights = isOfferPayout(line) ? [new Decimal(1)] : sellContracts.map(() => new Decimal(weights[request++] ?? 0));
    const total = lineWeights.reduce((sum, weight) => sum.plus(weight), new Decimal(0));
    sellContracts.forEach((sellContractId, index) => {
      const entry = rows.get(`${sellContractId}|${line.period}|${line.currency}`);
      // A payout on a contract that billed nothing that month, or in another currency, has no margin row to reduce.
      if (!entry) return;
      const portion = total.isZero()
        ? new Decimal(line.amount).div(sellContracts.length)
        : new Decimal(line.amount).times(lineWeights[index] as Decimal).div(total);
      entry.payouts = entry.payouts.plus(portion);
    });
  }
  return [...rows.values()]
    .map(({ base, revenue: billed, payouts }) => {
      const margin = billed.minus(payouts);
      return {
        ...base,
        revenue: formatMoney(billed, base.currency),
        payouts: formatMoney(payouts, base.currency),
        margin: formatMoney(margin, base.currency),
        marginPercent: billed.isZero() ? null : margin.div(billed).times(100).toDecimalPlaces(2).toFixed(2),
      };
    })
    .sort((left, right) =>
      left.period === right.period ? (left.contractNumber < right.contractNumber ? -1 : 1) : left.period < right.period ? -1 : 1,
    );
}
