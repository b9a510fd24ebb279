/**
 * The `{payout}` of a partner postback as a pure rule (rating's flatPayoutOf, SPEC §9): the level the
 * payout hierarchy chooses (own agreement, tier, default; first match wins), the first entry of the
 * event type whose `when` holds, and its flat amount, exact; nothing when the amount is the period's
 * to decide (tiers, revenue share, caps, hybrid) or no level pays the conversion. Each flat amount
 * is also checked against what a payout statement pays for that conversion alone.
 */
import { describe, expect, it } from 'vitest';
import { offerPayoutsOf, rateOfferPayout } from '../../src/modules/charges/payout-hierarchy.ts';
import { agreementConversions, rateDeliveredPeriods } from '../../src/modules/charges/rate-contract-periods.ts';
import { type ApprovedContract, partnerAgreementOf } from '../../src/modules/contracts/index.ts';
import { type PayingAgreement, flatPayoutOf } from '../../src/modules/rating/flat-payout.ts';
import type { RatedConversion, RatedVersion } from '../../src/modules/rating/types.ts';
import { utcDateOf } from '../../src/platform/instants.ts';
import { calendarMonth } from '../../src/platform/periods.ts';
import { type BuyTerms, type PartnerPayouts, type SellTerms, validateTerms } from '../../src/wire/terms.ts';
import { payoutLevelsByKind } from '../support/payout-levels.ts';

const offerId = 'ctr_offer';
const partnerId = 'pty_partner';
const windows = { viewWindowDays: 7, clickWindowDays: 30 };
const quarter = { startDate: '2026-10-01', endDate: '2026-12-31', currency: 'USD', billingPeriod: 'calendar_month' };

function sell(terms: Record<string, unknown>): SellTerms {
  const parsed = validateTerms('sell', { ...quarter, ...terms });
  if (!parsed.success) throw new Error(JSON.stringify(parsed.error.issues));
  return parsed.data;
}
function buy(terms: Record<string, unknown>): BuyTerms {
  const parsed = validateTerms('buy', { ...quarter, appliesTo: [offerId], ...terms });
  if (!parsed.success) throw new Error(JSON.stringify(parsed.error.issues));
  return parsed.data;
}
const cpaLine = (key: string, events: unknown[], extra: Record<string, unknown> = {}) => ({
  key,
  name: key,
  pricing: { model: 'cpa', events, attribution: windows, billOn: 'approved', ...extra },
});

/**
 * The offer: 40.00 per purchase to the advertiser, and partner payouts: default 10.00; gold 14.00;
 * silver 12.50 in DE, else 11.00; graduated (10.00 for the first 100, then 12.00); share (20 % of what
 * the advertiser was billed).
 */
const payouts: PartnerPayouts = payoutLevelsByKind;
const offerVersion = (number: number, effectiveFrom: string, terms: Record<string, unknown> = {}): RatedVersion => ({
  number,
  effectiveFrom,
  terms: sell({ lineItems: [cpaLine('sales', [{ eventType: 'purchase', amount: '40.00' }])], partnerPayouts: payouts, ...terms }),
});
const offer = { id: offerId, versions: [offerVersion(1, '2026-10-01')] };

/** A partner's own agreement (a buy contract applying to the offer) with these line items. */
function agreement(lineItems: unknown[], terms: Record<string, unknown> = {}): PayingAgreement {
  const contract: ApprovedContract = {
    id: 'ctr_own',
    number: 'PA-2026-0001',
    partyId: partnerId,
    side: 'buy',
    versions: [{ number: 1, effectiveFrom: '2026-10-01', terms: buy({ lineItems, ...terms }) }],
  };
  return { ...partnerAgreementOf(contract)!, versions: contract.versions };
}
const sixteen = agreement([cpaLine('payout', [{ eventType: 'purchase', amount: '16.00' }])]);

/** A purchase on the offer's `sales` at 12:00 UTC of `date`, clicked two hours before. */
const purchase = (fields: Partial<RatedConversion> = {}, date = '2026-10-15'): RatedConversion => ({
  id: 'cv1',
  lineItem: 'sales',
  eventType: 'purchase',
  occurredAt: `${date}T12:00:00Z`,
  touch: { type: 'click', at: `${date}T10:00:00Z` },
  attributes: {},
  status: 'pending',
  ...fields,
});

const payoutOf = (
  options: { conversion?: RatedConversion; tier?: string; agreements?: PayingAgreement[]; versions?: RatedVersion[] } = {},
) =>
  flatPayoutOf({
    conversion: options.conversion ?? purchase(),
    offer: { id: offerId, versions: options.versions ?? offer.versions },
    partnerId,
    tier: options.tier,
    agreements: options.agreements ?? [],
  });

describe('flatPayoutOf: the level', () => {
  it('(1) the partner’s own agreement pays 16.00, whatever its tier', () => {
    expect(payoutOf({ agreements: [sixteen] })).toEqual({ amount: '16.00', currency: 'USD', level: 'partner_contract' });
    expect(payoutOf({ agreements: [sixteen], tier: 'gold' })).toEqual({ amount: '16.00', currency: 'USD', level: 'partner_contract' });
  });

  it('(2) the offer’s payout for the partner’s tier: gold 14.00', () => {
    expect(payoutOf({ tier: 'gold' })).toEqual({ amount: '14.00', currency: 'USD', level: 'tier:gold' });
  });

  it('(3) the offer’s default: 10.00 without a tier, or with one the offer does not name', () => {
    expect(payoutOf()).toEqual({ amount: '10.00', currency: 'USD', level: 'default' });
    expect(payoutOf({ tier: 'bronze' })).toEqual({ amount: '10.00', currency: 'USD', level: 'default' });
  });

  it('takes the agreement only when it applies on the conversion’s date and to this offer', () => {
    const ended = agreement([cpaLine('payout', [{ eventType: 'purchase', amount: '16.00' }])], { endDate: '2026-10-31' });
    expect(payoutOf({ agreements: [ended], tier: 'gold', conversion: purchase({}, '2026-10-31') })?.amount).toBe('16.00');
    expect(payoutOf({ agreements: [ended], tier: 'gold', conversion: purchase({}, '2026-11-01') })?.amount).toBe('14.00');
    const elsewhere = agreement([cpaLine('payout', [{ eventType: 'purchase', amount: '16.00' }])], { appliesTo: ['ctr_other'] });
    expect(payoutOf({ agreements: [elsewhere], tier: 'gold' })?.level).toBe('tier:gold');
  });

  it('takes the payouts of the offer’s version in force on the conversion’s date', () => {
    const amended = [
      offer.versions[0]!,
      offerVersion(2, '2026-11-01', { partnerPayouts: { default: { events: [{ eventType: 'purchase', amount: '12.00' }] } } }),
    ];
    expect(payoutOf({ versions: amended, conversion: purchase({}, '2026-10-31') })?.amount).toBe('10.00');
    expect(payoutOf({ versions: amended, conversion: purchase({}, '2026-11-01') })?.amount).toBe('12.00');
    // Version 2 has no gold tier: a gold partner falls to its default.
    expect(payoutOf({ versions: amended, tier: 'gold', conversion: purchase({}, '2026-11-01') })).toMatchObject({
      amount: '12.00',
      level: 'default',
    });
    const dropped = [offer.versions[0]!, offerVersion(2, '2026-11-01', { partnerPayouts: undefined })];
    expect(payoutOf({ versions: dropped, conversion: purchase({}, '2026-11-01') })).toBeUndefined();
  });
});

describe('flatPayoutOf: the entry', () => {
  it('takes the first entry of the event type whose when holds: silver 12.50 in DE, 11.00 elsewhere', () => {
    expect(payoutOf({ tier: 'silver', conversion: purchase({ attributes: { country: 'DE' } }) })?.amount).toBe('12.50');
    expect(payoutOf({ tier: 'silver', conversion: purchase({ attributes: { country: 'FR' } }) })?.amount).toBe('11.00');
    expect(payoutOf({ tier: 'silver', conversion: purchase({ attributes: {} }) })?.amount).toBe('11.00');
  });

  it('is nothing for a tiered entry or a revenue share: the period decides those amounts', () => {
    expect(payoutOf({ tier: 'graduated' })).toBeUndefined();
    expect(payoutOf({ tier: 'share', conversion: purchase({ value: '100.00' }) })).toBeUndefined();
  });

  it('is nothing when the chosen level does not pay the event, even if a lower level would', () => {
    expect(payoutOf({ conversion: purchase({ eventType: 'lead' }) })).toBeUndefined();
    const leadsOnly = agreement([cpaLine('payout', [{ eventType: 'lead', amount: '3.00' }])]);
    expect(payoutOf({ agreements: [leadsOnly], tier: 'gold' })).toBeUndefined();
    const sharing = agreement([cpaLine('payout', [{ eventType: 'purchase', revenueSharePercent: '30' }])]);
    expect(payoutOf({ agreements: [sharing], tier: 'gold' })).toBeUndefined();
  });

  it('is nothing when rating would not pay the conversion: outside the window, or not eligible', () => {
    // The agreement's click window is 7 days; the click came 10 days before.
    const shortWindow = agreement([
      cpaLine('payout', [{ eventType: 'purchase', amount: '16.00' }], { attribution: { viewWindowDays: 1, clickWindowDays: 7 } }),
    ]);
    const late = purchase({ touch: { type: 'click', at: '2026-10-05T12:00:00Z' } });
    expect(payoutOf({ agreements: [shortWindow], conversion: late })).toBeUndefined();
    expect(payoutOf({ agreements: [sixteen], conversion: late })?.amount).toBe('16.00');
    // The offer's line item takes US only: a German purchase pays no partner.
    const usOnly = [
      offerVersion(1, '2026-10-01', {
        lineItems: [cpaLine('sales', [{ eventType: 'purchase', amount: '40.00' }], { eligibility: { countries: ['US'] } })],
      }),
    ];
    expect(payoutOf({ versions: usOnly, conversion: purchase({ attributes: { country: 'DE' } }) })).toBeUndefined();
    expect(payoutOf({ versions: usOnly, conversion: purchase({ attributes: { country: 'US' } }) })?.amount).toBe('10.00');
  });

  it('says what the conversion earns once payable, whatever its status now', () => {
    for (const status of ['pending', 'approved', 'held', 'rejected', 'reversed'] as const) {
      expect(payoutOf({ tier: 'gold', conversion: purchase({ status }) })?.amount, status).toBe('14.00');
    }
  });
});

describe('flatPayoutOf: the partner’s agreement', () => {
  it('is nothing when a cap or a budget can stop the conversion being paid, or a hybrid line prices it', () => {
    const flat = [{ eventType: 'purchase', amount: '16.00' }];
    const capped = agreement([cpaLine('payout', flat, { caps: { conversionsPerDay: null, conversionsPerPeriod: 500 } })]);
    expect(payoutOf({ agreements: [capped] })).toBeUndefined();
    const uncapped = agreement([cpaLine('payout', flat, { caps: { conversionsPerDay: null, conversionsPerPeriod: null } })]);
    expect(payoutOf({ agreements: [uncapped] })?.amount).toBe('16.00');
    expect(payoutOf({ agreements: [agreement([{ ...cpaLine('payout', flat), budgetCap: '1000.00' }])] })).toBeUndefined();
    expect(payoutOf({ agreements: [agreement([cpaLine('payout', flat)], { budgetCap: '1000.00' })] })).toBeUndefined();
    const hybrid = agreement([
      {
        key: 'payout',
        name: 'payout',
        pricing: {
          model: 'hybrid',
          combine: 'lesser_of',
          cpm: { model: 'cpm', ratePerMille: '5.00' },
          cpa: { model: 'cpa', events: flat, attribution: windows },
        },
      },
    ]);
    expect(payoutOf({ agreements: [hybrid] })).toBeUndefined();
  });

  it('is nothing when several of its line items price conversions: its statement pays one of them, by rating’s choice of copy', () => {
    const two = agreement([
      cpaLine('payout', [{ eventType: 'purchase', amount: '16.00' }]),
      cpaLine('bonus', [{ eventType: 'purchase', amount: '2.50' }]),
    ]);
    expect(payoutOf({ agreements: [two], tier: 'gold' })).toBeUndefined();
    // A line item that does not price conversions does not count.
    const withMedia = agreement([
      cpaLine('payout', [{ eventType: 'purchase', amount: '16.00' }]),
      { key: 'display', name: 'display', pricing: { model: 'cpm', ratePerMille: '2.00' } },
    ]);
    expect(payoutOf({ agreements: [withMedia] })?.amount).toBe('16.00');
  });
});

describe('flatPayoutOf: the amount', () => {
  it('is exact, with at least the currency’s decimals, never rounded', () => {
    const of = (amount: string, currency = 'USD') =>
      payoutOf({ agreements: [agreement([cpaLine('payout', [{ eventType: 'purchase', amount }])], { currency })] });
    expect(of('16')?.amount).toBe('16.00');
    expect(of('0.125')?.amount).toBe('0.125');
    expect(of('0')?.amount).toBe('0.00');
    expect(of('1500', 'JPY')).toEqual({ amount: '1500', currency: 'JPY', level: 'partner_contract' });
    expect(of('7.5', 'KWD')?.amount).toBe('7.500');
  });
});

describe('flatPayoutOf agrees with the payout statement', () => {
  const october = calendarMonth('2026-10');
  const conversions = [
    purchase({ id: 'de', attributes: { country: 'DE' }, status: 'approved' }),
    purchase({ id: 'fr', attributes: { country: 'FR' }, status: 'approved' }, '2026-10-20'),
  ];

  it('on the offer’s levels: what the offer pays the partner for the conversion alone', () => {
    // By hand: default 10.00 for both; gold 14.00 for both; silver 12.50 in DE, 11.00 in FR.
    const byHand: Record<string, string[]> = { default: ['10.00', '10.00'], gold: ['14.00', '14.00'], silver: ['12.50', '11.00'] };
    for (const tier of [undefined, 'gold', 'silver'])
      for (const [index, conversion] of conversions.entries()) {
        expect(payoutOf({ tier, conversion })?.amount).toBe(byHand[tier ?? 'default']![index]);
        const [rated] = rateOfferPayout({
          payouts: offerPayoutsOf(offer),
          periods: [{ period: october, issued: false, tier }],
          conversions: [{ date: utcDateOf(conversion.occurredAt), conversion }],
        });
        expect(payoutOf({ tier, conversion })?.amount, `${tier} ${conversion.id}`).toBe(rated!.subtotal);
      }
  });

  it('on the partner’s own agreement: what the agreement pays for the conversion alone', () => {
    const own = agreement([
      cpaLine('payout', [
        { eventType: 'purchase', when: { countries: ['DE'] }, amount: '17.25' },
        { eventType: 'purchase', amount: '16.00' },
      ]),
    ]);
    const byHand = ['17.25', '16.00'];
    for (const [index, conversion] of conversions.entries()) {
      expect(payoutOf({ agreements: [own], conversion })?.amount).toBe(byHand[index]);
      const [rated] = rateDeliveredPeriods(
        { id: own.contractId, side: 'buy', versions: [...own.versions] },
        [{ period: october, issued: false }],
        {
          impressions: [],
          conversions: agreementConversions({ versions: [...own.versions] }, [{ ...conversion, contractId: offerId }], new Map()),
        },
      );
      expect(payoutOf({ agreements: [own], conversion })?.amount, conversion.id).toBe(rated!.subtotal);
    }
  });
});
