/** Contract terms in readable form: the contract's dates and money, each line item's pricing in words, an offer's partner payouts. */
import type { BuyTerms, Fee, LineItem, SellTerms } from '../../../../src/wire/terms.ts';
import type { CpcPricing, CpcvPricing, CpmPricing, Pricing } from '../../../../src/wire/pricing.ts';
import { formatDecimal } from '../../common/format-money.ts';
import { formatCount, formatDate, humanize } from '../../common/format.ts';
import { Money } from '../../common/ui/Money.tsx';
import { CardReference } from '../rate-cards/CardReference.tsx';
import { CpaView, PartnerPayoutsView, type ShareBase } from './CpaTermsView.tsx';

type Terms = SellTerms | BuyTerms;

export function TermsView({ terms }: { terms: Terms }) {
  const currency = terms.currency;
  const buy = 'appliesTo' in terms ? terms : undefined;
  const payouts = 'partnerPayouts' in terms ? terms.partnerPayouts : undefined;
  // A partner's revenue share is of what the advertiser was billed for the conversion (SPEC §3).
  const shareBase: ShareBase = buy ? 'billed' : 'value';
  return (
    <div>
      <dl className="facts">
        <dt>Runs</dt>
        <dd>
          {formatDate(terms.startDate)} – {formatDate(terms.endDate)}
        </dd>
        <dt>Currency</dt>
        <dd>{currency}</dd>
        <dt>Billing period</dt>
        <dd>{humanize(terms.billingPeriod)}</dd>
        <dt>Payment terms</dt>
        <dd>{terms.paymentTermsDays === undefined ? "the party's" : `${terms.paymentTermsDays} days`}</dd>
        <dt>Budget cap</dt>
        <dd>{terms.budgetCap ? <Money amount={terms.budgetCap} currency={currency} /> : 'none'}</dd>
        <dt>Minimum spend</dt>
        <dd>
          {terms.minimumSpend ? (
            <>
              <Money amount={terms.minimumSpend.amount} currency={currency} /> per{' '}
              {terms.minimumSpend.per === 'period' ? 'billing period' : 'contract'}
            </>
          ) : (
            'none'
          )}
        </dd>
        <dt>Renewal</dt>
        <dd>
          {!terms.renewal || terms.renewal.mode === 'none'
            ? 'none'
            : `${terms.renewal.mode}, ${terms.renewal.termMonths} months, ${terms.renewal.noticeDays} days' notice`}
        </dd>
        {buy && (
          <>
            <dt>Paid on</dt>
            <dd>{buy.appliesTo === 'all' ? 'all sell contracts' : <span className="mono">{buy.appliesTo.join(', ')}</span>}</dd>
            <dt>Hold</dt>
            <dd>{buy.holdDays ?? 0} days</dd>
            <dt>Minimum payout</dt>
            <dd>
              <Money amount={buy.minimumPayout ?? '0'} currency={currency} />
            </dd>
          </>
        )}
        {terms.fees && terms.fees.length > 0 && (
          <>
            <dt>Fees</dt>
            <dd>
              {terms.fees.map((fee) => (
                <div key={fee.key}>{describeFee(fee, currency)}</div>
              ))}
            </dd>
          </>
        )}
      </dl>
      <h3>Line items</h3>
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>
              <th>Key</th>
              <th>Name</th>
              <th>Dates</th>
              <th>Pricing</th>
              <th>Caps</th>
            </tr>
          </thead>
          <tbody>
            {terms.lineItems.map((lineItem) => (
              <tr key={lineItem.key}>
                <td className="mono">{lineItem.key}</td>
                <td>
                  {lineItem.name}
                  {lineItem.goal && (
                    <div className="small muted">
                      goal {formatCount(lineItem.goal.quantity)}{' '}
                      {lineItem.goal.metric === 'impressions' ? 'impressions' : 'completed views'}
                    </div>
                  )}
                  {lineItem.makegoodFor && (
                    <div className="small muted">
                      makegood for <span className="mono">{lineItem.makegoodFor}</span>, at no charge
                    </div>
                  )}
                </td>
                <td className="small">
                  {lineItem.startDate || lineItem.endDate
                    ? `${formatDate(lineItem.startDate ?? terms.startDate)} – ${formatDate(lineItem.endDate ?? terms.endDate)}`
                    : 'contract dates'}
                </td>
                <td>
                  <PricingView pricing={lineItem.pricing} currency={currency} shareBase={shareBase} />
                  <ImpressionSource lineItem={lineItem} />
                </td>
                <td className="small">
                  {lineItem.budgetCap && (
                    <div>
                      budget <Money amount={lineItem.budgetCap} currency={currency} />
                    </div>
                  )}
                  {lineItem.impressionCap !== undefined && <div>{formatCount(lineItem.impressionCap)} impressions</div>}
                  {!lineItem.budgetCap && lineItem.impressionCap === undefined && '—'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {payouts && <PartnerPayoutsView payouts={payouts} currency={currency} />}
    </div>
  );
}

function describeFee(fee: Fee, currency: string) {
  if (fee.kind === 'percent_of_media') return `${fee.key}: ${formatDecimal(fee.percent)}% of media`;
  return (
    <>
      {fee.key}: <Money amount={fee.amount} currency={currency} /> per period{fee.prorate ? ', prorated' : ''}
    </>
  );
}

function ImpressionSource({ lineItem }: { lineItem: LineItem }) {
  if (lineItem.pricing.model === 'cpa' || lineItem.pricing.model === 'flat') return null;
  return (
    <div className="small muted">
      counted from {humanize(lineItem.billingSource ?? 'first_party')}, tolerance{' '}
      {formatDecimal(lineItem.discrepancyTolerancePercent ?? '10')}%
    </div>
  );
}

export function PricingView({ pricing, currency, shareBase }: { pricing: Pricing; currency: string; shareBase: ShareBase }) {
  switch (pricing.model) {
    case 'cpm':
      return <CpmView pricing={pricing} currency={currency} />;
    case 'cpcv':
    case 'cpc':
      return <PerUnitView pricing={pricing} currency={currency} />;
    case 'cpa':
      return <CpaView pricing={pricing} currency={currency} shareBase={shareBase} />;
    case 'hybrid':
      return (
        <div>
          <div>
            <strong>Hybrid</strong>: the {pricing.combine === 'lesser_of' ? 'lesser' : 'greater'} of
          </div>
          <div style={{ paddingLeft: '0.75rem' }}>
            {pricing.cpm && <CpmView pricing={pricing.cpm} currency={currency} />}
            {pricing.cpcv && <PerUnitView pricing={pricing.cpcv} currency={currency} />}
            {pricing.cpc && <PerUnitView pricing={pricing.cpc} currency={currency} />}
            <CpaView pricing={pricing.cpa} currency={currency} shareBase={shareBase} />
          </div>
        </div>
      );
    case 'flat':
      return (
        <div>
          <strong>Flat</strong> <Money amount={pricing.amount} currency={currency} /> per period
          {pricing.prorate ? ', prorated by active days' : ''}
        </div>
      );
  }
}

function CpmView({ pricing, currency }: { pricing: CpmPricing; currency: string }) {
  if (pricing.tierMode === undefined) {
    return (
      <div>
        <strong>CPM</strong> <Money amount={pricing.ratePerMille} currency={currency} /> per 1,000 impressions
        {pricing.rateCard && <CardReference reference={pricing.rateCard} currency={currency} />}
      </div>
    );
  }
  let from = 1;
  return (
    <div>
      <strong>CPM, {pricing.tierMode} tiers</strong> per period
      <ul style={{ margin: '0.2rem 0', paddingLeft: '1.1rem' }}>
        {pricing.tiers.map((tier, index) => {
          const label = tier.upTo === null ? `from ${formatCount(from)}` : `${formatCount(from)}–${formatCount(tier.upTo)}`;
          if (tier.upTo !== null) from = tier.upTo + 1;
          return (
            <li key={index}>
              {label}: <Money amount={tier.ratePerMille} currency={currency} /> per 1,000
              {tier.flatAmount && tier.flatAmount !== '0' && (
                <>
                  {' '}
                  + <Money amount={tier.flatAmount} currency={currency} /> flat
                </>
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}

/** CTV models (SPEC §8): cpcv prices each completed view, cpc each click, flat or in tiers. */
function PerUnitView({ pricing, currency }: { pricing: CpcvPricing | CpcPricing; currency: string }) {
  const [label, unit] = pricing.model === 'cpcv' ? ['CPCV', 'completed view'] : ['CPC', 'click'];
  const rateOf = (rated: { ratePerView: string } | { ratePerClick: string }) =>
    'ratePerView' in rated ? rated.ratePerView : rated.ratePerClick;
  if (pricing.tierMode === undefined) {
    return (
      <div>
        <strong>{label}</strong> <Money amount={rateOf(pricing)} currency={currency} /> per {unit}
        {pricing.rateCard && <CardReference reference={pricing.rateCard} currency={currency} />}
      </div>
    );
  }
  let from = 1;
  return (
    <div>
      <strong>
        {label}, {pricing.tierMode} tiers
      </strong>{' '}
      per period
      <ul style={{ margin: '0.2rem 0', paddingLeft: '1.1rem' }}>
        {pricing.tiers.map((tier, index) => {
          const label = tier.upTo === null ? `from ${formatCount(from)}` : `${formatCount(from)}–${formatCount(tier.upTo)}`;
          if (tier.upTo !== null) from = tier.upTo + 1;
          return (
            <li key={index}>
              {label}: <Money amount={rateOf(tier)} currency={currency} /> per {unit}
              {tier.flatAmount && tier.flatAmount !== '0' && (
                <>
                  {' '}
                  + <Money amount={tier.flatAmount} currency={currency} /> flat
                </>
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
