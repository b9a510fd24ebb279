/**
 * The per-contract margin (issue 4): what each sell contract billed for a month, minus what partners
 * were paid on its delivery, from finalized, non-void invoices and payout statements.
 *
 * A payout line prices a partner's delivery across every sell contract its agreement applies to,
 * so it is shared out between them in proportion to that partner's delivery on each over the
 * line's dates: impressions for an impression-priced line, conversions for a conversion-priced one,
 * otherwise (flat and fee lines) by impressions, or equally when there is none. Shares are exact
 * decimals; the margin is rounded once, to the currency, at the end.
 */
import { sql } from 'kysely';
import type { Executor } from '../../platform/database.ts';
import { Decimal, formatMoney } from '../../wire/money.ts';
import type { MarginRow } from '../../wire/ledger.ts';

type RevenueRow = { contract_id: string; number: string; party_id: string; period: string; currency: string; revenue: string };
type PayoutShareRow = {
  sell_contract_id: string;
  period: string;
  currency: string;
  amount: string;
  weight: string;
  total_weight: string;
  sell_contracts: number;
};

const issued = sql`d.status = 'finalized' and not exists (select 1 from document_voids v where v.document_id = d.id)`;

/** Margin per sell contract and month, for months from..to (`YYYY-MM`), oldest first. */
export async function marginReport(db: Executor, from: string, to: string): Promise<MarginRow[]> {
  const revenue = await sql<RevenueRow>`
    select l.contract_id, c.number, c.party_id, l.billed_period as period, d.currency, sum(l.amount) as revenue
    from document_lines l join billing_documents d on d.id = l.document_id join contracts c on c.id = l.contract_id
    where d.kind = 'invoice' and ${issued} and l.billed_period between ${from} and ${to}
    group by l.contract_id, c.number, c.party_id, l.billed_period, d.currency`.execute(db);

  // Each payout line, and each sell contract of its agreement with that partner's delivery weight.
  const shares = await sql<PayoutShareRow>`
    with payout_lines as (
      select l.document_id, l.position, l.contract_id as buy_contract_id, d.party_id as partner_id, d.currency, l.amount, l.unit,
        l.date_from, l.date_to, l.billed_period as period
      from document_lines l join billing_documents d on d.id = l.document_id
      where d.kind = 'payout_statement' and ${issued} and l.billed_period between ${from} and ${to}
    ),
    applied as (
      select v.contract_id as buy_contract_id, s.id as sell_contract_id
      from contract_versions v
      join contracts s on s.side = 'sell' and s.current_version is not null
        and (v.terms->'appliesTo' = '"all"'::jsonb or v.terms->'appliesTo' ? s.id)
      where v.status = 'approved'
        and v.number = (select max(number) from contract_versions latest where latest.contract_id = v.contract_id and latest.status = 'approved')
    ),
    weighted as (
      select p.document_id, p.position, p.period, p.currency, p.amount, a.sell_contract_id,
        case when p.unit = 'conversions' then
          (select count(*) from conversions x where x.contract_id = a.sell_contract_id and x.partner_id = p.partner_id
             and x.occurred_at >= p.date_from and x.occurred_at < p.date_to + 1)
        else
          (select coalesce(sum(i.impressions), 0) from impression_counts i where i.contract_id = a.sell_contract_id and i.partner_id = p.partner_id
             and i.source = 'first_party' and i.date between p.date_from and p.date_to)
        end::numeric as weight
      from payout_lines p join applied a on a.buy_contract_id = p.buy_contract_id
    )
    select sell_contract_id, period, currency, amount, weight,
      sum(weight) over (partition by document_id, position) as total_weight,
      (count(*) over (partition by document_id, position))::int as sell_contracts
    from weighted`.execute(db);

  const rows = new Map<
    string,
    { base: Omit<MarginRow, 'revenue' | 'payouts' | 'margin' | 'marginPercent'>; revenue: Decimal; payouts: Decimal }
  >();
  for (const row of revenue.rows) {
    rows.set(`${row.contract_id}|${row.period}|${row.currency}`, {
      base: { contractId: row.contract_id, contractNumber: row.number, partyId: row.party_id, period: row.period, currency: row.currency },
      revenue: new Decimal(row.revenue),
      payouts: new Decimal(0),
    });
  }
  for (const share of shares.rows) {
    const entry = rows.get(`${share.sell_contract_id}|${share.period}|${share.currency}`);
    // A payout on a contract that billed nothing that month, or in another currency, has no margin row to reduce.
    if (!entry) continue;
    const total = new Decimal(share.total_weight);
    const portion = total.isZero()
      ? new Decimal(share.amount).div(share.sell_contracts)
      : new Decimal(share.amount).times(share.weight).div(total);
    entry.payouts = entry.payouts.plus(portion);
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
