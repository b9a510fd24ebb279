/**
 * The payout hierarchy's rules (SPEC §9), as pure functions: which level pays a credited partner
 * (own agreement, tier, default; first match wins, never two), the offer's payouts as a contract
 * the rating pipeline rates, and the line keys that keep a period's tier once it is paid.
 */
import { describe, expect, it } from 'vitest';
import {
  choosePayoutLevel,
  offerLevelFor,
  offerPayoutContract,
  offerPayoutLineKey,
  offerPayoutsOf,
  ownAgreementFor,
  rateOfferPayout,
  tierOfPayoutKeys,
} from '../../src/modules/charges/payout-hierarchy.ts';
import { type ApprovedContract, type PartnerAgreement, partnerAgreementOf } from '../../src/modules/contracts/index.ts';
import type { RatedConversion } from '../../src/modules/rating/types.ts';
import { utcDateOf } from '../../src/platform/instants.ts';
import { calendarMonth } from '../../src/platform/periods.ts';
import type { PartnerPayouts, SellTerms } from '../../src/wire/terms.ts';
import { sellTerms } from '../support/rating-helpers.ts';

const offerId = 'ctr_offer';
const payouts: PartnerPayouts = {
  default: { events: [{ eventType: 'purchase', amount: '10.00' }] },
  tiers: { gold: { events: [{ eventType: 'purchase', amount: '14.00' }] } },
};
const agreement = (overrides: Partial<PartnerAgreement> = {}): PartnerAgreement => ({
  contractId: 'ctr_own',
  partnerId: 'pty_owen',
  appliesTo: [offerId],
  startDate: '2026-10-01',
  endDate: '2026-12-31',
  paysConversions: true,
  ...overrides,
});
const choose = (overrides: Partial<Parameters<typeof choosePayoutLevel>[0]> = {}) =>
  choosePayoutLevel({ offerId, partnerId: 'pty_owen', tier: 'gold', date: '2026-10-15', payouts, agreements: [agreement()], ...overrides });

describe('choosePayoutLevel: first match wins', () => {
  it('(1) the partner’s own agreement that applies to the offer, in force on the date, wins over its tier', () => {
    expect(choose()).toEqual({ level: 'partner_contract', contractId: 'ctr_own' });
    expect(choose({ agreements: [agreement({ appliesTo: 'all' })] })).toEqual({ level: 'partner_contract', contractId: 'ctr_own' });
    // The agreement's first and last days are in force.
    expect(choose({ date: '2026-10-01' })?.level).toBe('partner_contract');
    expect(choose({ date: '2026-12-31' })?.level).toBe('partner_contract');
  });

  it('(2) the tier’s payout when no agreement of the partner pays the conversion', () => {
    const tier = { level: 'tier:gold', events: [{ eventType: 'purchase', amount: '14.00' }] };
    expect(choose({ agreements: [] })).toEqual(tier);
    // Another offer's agreement, another partner's, one not yet or no longer in force, or one that pays no conversions:
    expect(choose({ agreements: [agreement({ appliesTo: ['ctr_other'] })] })).toEqual(tier);
    expect(choose({ agreements: [agreement({ partnerId: 'pty_someone' })] })).toEqual(tier);
    expect(choose({ date: '2026-09-30' })).toEqual(tier);
    expect(choose({ date: '2027-01-01' })).toEqual(tier);
    expect(choose({ agreements: [agreement({ paysConversions: false })] })).toEqual(tier);
  });

  it('(3) the default when the partner has no tier, or one the offer does not name', () => {
    const fallback = { level: 'default', events: [{ eventType: 'purchase', amount: '10.00' }] };
    expect(choose({ agreements: [], tier: undefined })).toEqual(fallback);
    expect(choose({ agreements: [], tier: 'silver' })).toEqual(fallback);
    // A tier named like an Object property is no payout of the offer's.
    expect(choose({ agreements: [], tier: 'constructor' })).toEqual(fallback);
  });

  it('nobody when the offer pays no partner this way', () => {
    expect(choose({ agreements: [], payouts: undefined })).toBeUndefined();
    expect(choose({ agreements: [], tier: 'silver', payouts: { tiers: payouts.tiers } })).toBeUndefined();
    expect(offerLevelFor({ tiers: payouts.tiers }, 'gold')?.level).toBe('tier:gold');
  });

  it('picks one level for every combination, never two', () => {
    const gold = { level: 'tier:gold', events: [{ eventType: 'purchase', amount: '14.00' }] };
    const fallback = { level: 'default', events: [{ eventType: 'purchase', amount: '10.00' }] };
    for (const agreements of [[], [agreement()], [agreement({ paysConversions: false })]])
      for (const tier of [undefined, 'gold', 'silver'])
        for (const date of ['2026-09-30', '2026-10-15'])
          for (const offered of [payouts, { default: payouts.default }, { tiers: payouts.tiers }, undefined]) {
            const choice = choose({ agreements, tier, date, payouts: offered });
            // Worked out here, not with the module's own helpers: the agreement pays conversions and is in
            // force on 2026-10-15 only (it starts 2026-10-01); else the gold payout for a gold partner when
            // the offer has tiers; else the offer's default; else nobody.
            const own = agreements.some((candidate) => candidate.paysConversions) && date === '2026-10-15';
            const expected = own
              ? { level: 'partner_contract', contractId: 'ctr_own' }
              : tier === 'gold' && offered?.tiers !== undefined
                ? gold
                : offered?.default !== undefined
                  ? fallback
                  : undefined;
            expect(choice, JSON.stringify({ agreements: agreements.length, tier, date, offered })).toEqual(expected);
            // The agreement wins whenever there is one, and then the offer's level is not chosen too.
            expect(choice?.level === 'partner_contract').toBe(ownAgreementFor(agreements, 'pty_owen', offerId, date) !== undefined);
          }
  });
});

describe('partnerAgreementOf', () => {
  const buy = (lineItems: unknown[], overrides: Partial<ApprovedContract> = {}): ApprovedContract =>
    ({
      id: 'ctr_own',
      number: 'PA-2026-0001',
      partyId: 'pty_owen',
      side: 'buy',
      versions: [
        {
          number: 1,
          effectiveFrom: '2026-10-01',
          terms: { startDate: '2026-10-01', endDate: '2026-11-30', appliesTo: 'all', lineItems },
        },
        {
          number: 2,
          effectiveFrom: '2026-11-15',
          terms: { startDate: '2026-10-01', endDate: '2026-12-31', appliesTo: [offerId], lineItems },
        },
      ],
      ...overrides,
    }) as ApprovedContract;

  it('takes the first start, the latest end and the latest appliesTo, and whether a line item pays per conversion', () => {
    expect(partnerAgreementOf(buy([{ key: 'p', pricing: { model: 'cpa' } }]))).toEqual(agreement());
    expect(partnerAgreementOf(buy([{ key: 'p', pricing: { model: 'hybrid' } }]))?.paysConversions).toBe(true);
    expect(partnerAgreementOf(buy([{ key: 'p', pricing: { model: 'cpm' } }]))?.paysConversions).toBe(false);
  });

  it('is no agreement for a sell contract or one without an approved version', () => {
    expect(partnerAgreementOf(buy([], { side: 'sell' }))).toBeUndefined();
    expect(partnerAgreementOf(buy([], { versions: [] }))).toBeUndefined();
  });
});

const cpa = (eventType: string, amount: string) => ({
  model: 'cpa' as const,
  events: [{ eventType, amount }],
  attribution: { viewWindowDays: 7, clickWindowDays: 30 },
  caps: { conversionsPerDay: 1, conversionsPerPeriod: 1 },
  billOn: 'approved' as const,
});
const offerTerms = (partnerPayouts: PartnerPayouts | undefined): SellTerms =>
  sellTerms({
    lineItems: [
      { key: 'sales', name: 'Sales', pricing: cpa('purchase', '40.00') },
      { key: 'video', name: 'Video', pricing: { model: 'cpm', ratePerMille: '20.00' } },
      {
        key: 'guaranteed',
        name: 'Guaranteed',
        pricing: { model: 'hybrid', combine: 'lesser_of', cpm: { model: 'cpm', ratePerMille: '10.00' }, cpa: cpa('purchase', '25.00') },
      },
    ],
    ...(partnerPayouts === undefined ? {} : { partnerPayouts }),
  });
/** An offer whose version 2, from 2026-10-16, drops the gold tier. */
const offer = {
  id: offerId,
  versions: [
    { number: 1, effectiveFrom: '2026-10-01', terms: offerTerms({ ...payouts, holdDays: 5, minimumPayout: '20.00' }) },
    { number: 2, effectiveFrom: '2026-10-16', terms: offerTerms({ default: payouts.default }) },
  ],
};

describe('offerPayoutContract', () => {
  it('pays per conversion on the offer’s cpa and hybrid line items, by each version’s level, without the offer’s caps', () => {
    const payout = offerPayoutContract(offer, 'gold')!;
    expect([...payout.levels]).toEqual([
      [1, 'tier:gold'],
      [2, 'default'],
    ]);
    expect(payout.contract).toMatchObject({ id: offerId, side: 'buy' });
    const [first, second] = payout.contract.versions;
    expect(first!.terms).toMatchObject({ appliesTo: [offerId], holdDays: 5, minimumPayout: '20.00', currency: 'USD' });
    expect(first!.terms.lineItems.map((lineItem) => [lineItem.key, lineItem.pricing])).toEqual([
      [
        'sales',
        { model: 'cpa', events: [{ eventType: 'purchase', amount: '14.00' }], attribution: cpa('', '').attribution, billOn: 'approved' },
      ],
      [
        'guaranteed',
        { model: 'cpa', events: [{ eventType: 'purchase', amount: '14.00' }], attribution: cpa('', '').attribution, billOn: 'approved' },
      ],
    ]);
    expect(second!.terms.lineItems[0]!.pricing).toMatchObject({ events: [{ eventType: 'purchase', amount: '10.00' }] });
  });

  it('is nothing when no version pays the partner', () => {
    expect(
      offerPayoutContract({ id: offerId, versions: [{ number: 1, effectiveFrom: '2026-10-01', terms: offerTerms(undefined) }] }, 'gold'),
    ).toBe(undefined);
  });
});

describe('rateOfferPayout', () => {
  const purchase = (id: string, date: string, lineItem = 'sales', status: RatedConversion['status'] = 'approved'): RatedConversion => ({
    id,
    lineItem,
    eventType: 'purchase',
    occurredAt: `${date}T12:00:00Z`,
    touch: { type: 'click', at: `${date}T10:00:00Z` },
    status,
  });
  const conversions = [
    purchase('c1', '2026-10-05'),
    purchase('c2', '2026-10-06'),
    purchase('c3', '2026-10-07'), // over the offer's caps (one a day, one a period): the partner is paid all the same
    purchase('c4', '2026-10-20'),
    purchase('c5', '2026-10-21', 'guaranteed'),
    purchase('c6', '2026-10-22', 'sales', 'pending'), // billOn approved: not paid
    purchase('c7', '2026-11-02'),
  ];
  const october = calendarMonth('2026-10');
  /** The conversions with their UTC dates, as offerPayoutConversions gives them. */
  const dated = (list: RatedConversion[]) => list.map((conversion) => ({ date: utcDateOf(conversion.occurredAt), conversion }));

  it('builds the offer’s payout contract once per tier, for every partner it pays', () => {
    const payouts = offerPayoutsOf(offer);
    expect(payouts.contractFor('gold')).toBe(payouts.contractFor('gold'));
    expect(payouts.contractFor('gold')).toEqual(offerPayoutContract(offer, 'gold'));
    expect(payouts.contractFor(undefined)).toEqual(offerPayoutContract(offer, undefined));
    expect(payouts.currency).toBe('USD');
  });

  it('pays each version’s segment by its level and names the level on each line', () => {
    const [result] = rateOfferPayout({
      payouts: offerPayoutsOf(offer),
      conversions: dated(conversions),
      periods: [{ period: october, issued: false, tier: 'gold' }],
    });
    // 10-01..10-15 (version 1, gold): c1, c2, c3 = 3 × 14.00 = 42.00. 10-16..10-31 (version 2, default): c4 = 10.00 on
    // sales, c5 = 10.00 on guaranteed (c6 pending, c7 in November). 42.00 + 10.00 + 10.00 = 62.00.
    expect(result!.lines.map((line) => [line.lineItem, line.quantity, line.amount, line.explain.payoutLevel])).toEqual([
      ['sales', 3, '42.00', 'tier:gold'],
      ['sales', 1, '10.00', 'default'],
      ['guaranteed', 1, '10.00', 'default'],
    ]);
    expect(result!.subtotal).toBe('62.00');
    expect(result!.lines.map(offerPayoutLineKey)).toEqual(['sales@tier:gold', 'sales@default', 'guaranteed@default']);
  });

  it('pays a partner without the tier by the default throughout', () => {
    const [result] = rateOfferPayout({
      payouts: offerPayoutsOf(offer),
      conversions: dated(conversions),
      periods: [{ period: october, issued: false, tier: undefined }],
    });
    // c1..c5 at 10.00: 4 on sales = 40.00, 1 on guaranteed = 10.00.
    expect(result!.lines.map((line) => [line.lineItem, line.quantity, line.amount, line.explain.payoutLevel])).toEqual([
      ['sales', 3, '30.00', 'default'],
      ['sales', 1, '10.00', 'default'],
      ['guaranteed', 1, '10.00', 'default'],
    ]);
  });

  it('shares what the offer billed for a conversion when the payout is a revenue share', () => {
    const shared = {
      id: offerId,
      versions: [
        {
          number: 1,
          effectiveFrom: '2026-10-01',
          terms: offerTerms({ default: { events: [{ eventType: 'purchase', revenueSharePercent: '25' }] } }),
        },
      ],
    };
    const [result] = rateOfferPayout({
      payouts: offerPayoutsOf(shared),
      conversions: dated([{ ...purchase('c1', '2026-10-05'), billedAmount: '40.00' }, purchase('c2', '2026-10-06')]),
      periods: [{ period: october, issued: false, tier: undefined }],
    });
    // 25 % of the 40.00 billed for c1 = 10.00; c2 was billed nothing, so there is nothing to share.
    expect(result!.lines.map((line) => [line.quantity, line.amount, line.explain.payoutLevel])).toEqual([[1, '10.00', 'default']]);
  });

  it('rates a period that no version pays the partner for to no lines', () => {
    const unpaid = { id: offerId, versions: [{ number: 1, effectiveFrom: '2026-10-01', terms: offerTerms({ tiers: payouts.tiers }) }] };
    const [result] = rateOfferPayout({
      payouts: offerPayoutsOf(unpaid),
      conversions: dated(conversions),
      periods: [{ period: october, issued: true, tier: undefined }],
    });
    expect(result).toMatchObject({ lines: [], subtotal: '0.00' });
  });
});

describe('tierOfPayoutKeys', () => {
  it('reads the tier a period was paid by from its line keys', () => {
    expect(tierOfPayoutKeys(['sales@default', 'sales@tier:gold'])).toBe('gold');
    expect(tierOfPayoutKeys(['sales@default'])).toBeNull();
    expect(tierOfPayoutKeys(['sales', 'fee:platform'])).toBeUndefined();
    expect(tierOfPayoutKeys([])).toBeUndefined();
  });
});
