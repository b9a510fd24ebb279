/**
 * CPA terms in words (SPEC §3, §9): each event entry with when it applies and its price (a fixed
 * amount, a revenue share, or tiers with their levels), the attribution windows and model, and an
 * offer's payouts to partners by default and by tier, with their hold and minimum.
 */
import { Fragment } from 'react';
import type { CpaEvent, CpaPricing } from '../../../../src/wire/pricing.ts';
import type { PartnerPayouts } from '../../../../src/wire/terms.ts';
import { formatDecimal } from '../../common/format-money.ts';
import { formatCount, humanize } from '../../common/format.ts';
import { Money } from '../../common/ui/Money.tsx';

/** What a revenue share is a share of: a conversion's value (sell), what the advertiser was billed for it (payouts). */
export type ShareBase = 'value' | 'billed';

const shareWords: Record<ShareBase, string> = { value: 'of its value', billed: 'of what the advertiser is billed for it' };

/** An entry's `when` in words ("US, CA; new customers"), or undefined when it applies to every conversion. */
export function describeWhen(when: CpaEvent['when']): string | undefined {
  if (when === undefined) return undefined;
  const parts = [
    ...(when.countries === undefined ? [] : [when.countries.join(', ')]),
    ...(when.newCustomer === undefined ? [] : [when.newCustomer ? 'new customers' : 'not new customers']),
  ];
  return parts.join('; ');
}

/** Each event entry on its own line, in the order that decides which one prices a conversion. */
export function CpaEventsList({ events, currency, shareBase }: { events: readonly CpaEvent[]; currency: string; shareBase: ShareBase }) {
  return (
    <ul className="cpa-events" style={{ margin: '0.2rem 0', paddingLeft: '1.1rem' }}>
      {/* Entries of one event type repeat with different conditions: the index is what tells them apart. */}
      {events.map((event, index) => {
        const when = describeWhen(event.when);
        return (
          <li key={index}>
            {event.eventType}
            {when && <span className="muted"> ({when})</span>}: <EventPrice event={event} currency={currency} shareBase={shareBase} />
          </li>
        );
      })}
    </ul>
  );
}

function EventPrice({ event, currency, shareBase }: { event: CpaEvent; currency: string; shareBase: ShareBase }) {
  if (event.tiers !== undefined) {
    let from = 1;
    return (
      <>
        {event.tiers.mode} tiers per period
        <ul style={{ margin: '0.1rem 0', paddingLeft: '1.1rem' }}>
          {event.tiers.levels.map((level, index) => {
            const range =
              level.upTo === null ? `from conversion ${formatCount(from)}` : `conversions ${formatCount(from)}–${formatCount(level.upTo)}`;
            if (level.upTo !== null) from = level.upTo + 1;
            return (
              <li key={index}>
                {range}: <Money amount={level.amount} currency={currency} /> each
              </li>
            );
          })}
        </ul>
      </>
    );
  }
  if (event.amount !== undefined) return <Money amount={event.amount} currency={currency} />;
  return <>{`${formatDecimal(event.revenueSharePercent ?? '0')}% ${shareWords[shareBase]}`}</>;
}

export function CpaView({ pricing, currency, shareBase }: { pricing: CpaPricing; currency: string; shareBase: ShareBase }) {
  const caps = [
    pricing.caps?.conversionsPerDay != null && `${formatCount(pricing.caps.conversionsPerDay)}/day`,
    pricing.caps?.conversionsPerPeriod != null && `${formatCount(pricing.caps.conversionsPerPeriod)}/period`,
  ].filter(Boolean);
  return (
    <div>
      <strong>CPA</strong>
      {pricing.events.length > 1 && <span className="small muted"> (the first entry that matches a conversion prices it)</span>}
      <CpaEventsList events={pricing.events} currency={currency} shareBase={shareBase} />
      <div className="small muted">
        windows: view {pricing.attribution.viewWindowDays} d, click {pricing.attribution.clickWindowDays} d · credit:{' '}
        {humanize(pricing.attribution.model ?? 'last_click')}
        {pricing.attribution.model === undefined && ' (default)'} · bills {pricing.billOn ?? 'approved'} conversions
        {pricing.eligibility?.countries && ` · ${pricing.eligibility.countries.join(', ')}`}
        {pricing.eligibility?.newCustomersOnly && ' · new customers only'}
        {pricing.eligibility?.minValue && (
          <>
            {' · value at least '}
            <Money amount={pricing.eligibility.minValue} currency={currency} />
          </>
        )}
        {caps.length > 0 && ` · caps ${caps.join(', ')}`}
      </div>
    </div>
  );
}

/** The offer's payouts to the partners credited with its conversions (docs/affiliate/payout-hierarchy.md). */
export function PartnerPayoutsView({ payouts, currency }: { payouts: PartnerPayouts; currency: string }) {
  const tiers = Object.entries(payouts.tiers ?? {});
  return (
    <section className="partner-payouts" aria-label="Partner payouts">
      <h3>Partner payouts</h3>
      <p className="small muted">
        A credited partner is paid by its own agreement with this offer when it has one, else by its tier&apos;s payout below, else by the
        default.
      </p>
      <dl className="facts">
        <dt>Default</dt>
        <dd>
          {payouts.default ? (
            <CpaEventsList events={payouts.default.events} currency={currency} shareBase="billed" />
          ) : (
            'none: partners without a tier payout are not paid by this offer'
          )}
        </dd>
        {tiers.map(([name, level]) => (
          <Fragment key={name}>
            <dt>
              Tier <span className="mono">{name}</span>
            </dt>
            <dd>
              <CpaEventsList events={level.events} currency={currency} shareBase="billed" />
            </dd>
          </Fragment>
        ))}
        <dt>Hold</dt>
        <dd>{payouts.holdDays ?? 0} days</dd>
        <dt>Minimum payout</dt>
        <dd>
          <Money amount={payouts.minimumPayout ?? '0'} currency={currency} />
        </dd>
      </dl>
    </section>
  );
}
