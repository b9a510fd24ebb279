import { describe, it, expect } from 'vitest';
import { z } from 'zod';
import {
  buyTermsSchema,
  calendarMonthsTouched,
  committedValue,
  sellTermsSchema,
  termsSchemaForSide,
  validateTerms,
  type ContractSide,
  type Terms,
} from '../../src/wire/terms.ts';
import { cpaBillOn, isTieredCpm, type Pricing } from '../../src/wire/pricing.ts';
import { contractRenewal, lineItemBillingSource, lineItemDiscrepancyTolerancePercent } from '../../src/wire/terms-defaults.ts';

const cpmFlat = { model: 'cpm', ratePerMille: '25.00' };
const cpmTiered = {
  model: 'cpm',
  tierMode: 'graduated',
  tierBasis: 'period',
  tiers: [
    { upTo: 1000000, ratePerMille: '25.00', flatAmount: '0' },
    { upTo: 5000000, ratePerMille: '22.50' },
    { upTo: null, ratePerMille: '20.00' },
  ],
};
const cpa = {
  model: 'cpa',
  events: [
    { eventType: 'purchase', amount: '30.00' },
    { eventType: 'subscription', revenueSharePercent: '12.5' },
  ],
  attribution: { viewWindowDays: 7, clickWindowDays: 30 },
  eligibility: { countries: ['US', 'CA'], newCustomersOnly: false, minValue: '0' },
  caps: { conversionsPerDay: null, conversionsPerPeriod: 500 },
  billOn: 'approved',
};
const hybrid = { model: 'hybrid', combine: 'lesser_of', cpm: cpmTiered, cpa };
const flat = { model: 'flat', amount: '5000.00', prorate: true };

function sellTerms(pricing: object = cpmFlat, extra: object = {}) {
  return {
    startDate: '2026-10-01',
    endDate: '2026-12-31',
    currency: 'USD',
    billingPeriod: 'calendar_month',
    paymentTermsDays: 30,
    budgetCap: '250000.00',
    minimumSpend: { amount: '20000.00', per: 'period' },
    renewal: { mode: 'none' },
    fees: [
      { key: 'agency-commission', kind: 'percent_of_media', percent: '-15' },
      { key: 'platform', kind: 'flat', amount: '500.00', prorate: true },
    ],
    lineItems: [{ key: 'ctv-prime', name: 'CTV prime time', pricing }],
    ...extra,
  };
}

/** Deep copy of `value` with `change` applied: how each bad input differs from a valid one. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function changed<T>(value: T, change: (copy: any) => void): T {
  const copy = structuredClone(value);
  change(copy);
  return copy;
}

function issuesOf(side: ContractSide, input: unknown) {
  const result = validateTerms(side, input);
  if (result.success) return [];
  return result.error.issues.map((issue) => ({ path: issue.path, message: issue.message, code: issue.code }));
}

describe('valid terms', () => {
  const models: [string, object][] = [
    ['flat cpm', cpmFlat],
    ['tiered cpm', cpmTiered],
    ['cpa', cpa],
    ['hybrid', hybrid],
    ['flat', flat],
  ];
  for (const [label, pricing] of models) {
    it(`parses sell terms priced ${label}`, () => {
      const result = validateTerms('sell', sellTerms(pricing));
      expect(result.success ? [] : result.error.issues).toEqual([]);
      expect(result.data).toEqual(sellTerms(pricing));
    });
  }

  it('parses minimal sell terms and resolves absent fields to their documented meanings', () => {
    const minimal = {
      startDate: '2026-10-01',
      endDate: '2026-10-31',
      currency: 'JPY',
      billingPeriod: 'broadcast_month',
      lineItems: [
        {
          key: 'a',
          name: 'A',
          pricing: { model: 'cpa', events: [{ eventType: 'lead', amount: '100' }], attribution: { viewWindowDays: 0, clickWindowDays: 0 } },
        },
      ],
    };
    const terms = sellTermsSchema.parse(minimal);
    const lineItem = terms.lineItems[0]!;
    expect(lineItemBillingSource(lineItem)).toBe('first_party');
    expect(lineItemDiscrepancyTolerancePercent(lineItem)).toBe('10');
    expect(contractRenewal(terms)).toEqual({ mode: 'none' });
    expect(lineItem.pricing.model === 'cpa' && cpaBillOn(lineItem.pricing)).toBe('approved');
  });

  it('parses cpm line items with billingSource, tolerance and line dates inside the contract', () => {
    const terms = sellTerms(cpmFlat, {
      renewal: { mode: 'auto', termMonths: 12, noticeDays: 30 },
      lineItems: [
        {
          key: 'a',
          name: 'A',
          startDate: '2026-10-01',
          endDate: '2026-10-31',
          budgetCap: '1000',
          impressionCap: 40000,
          pricing: cpmFlat,
          billingSource: 'third_party',
          discrepancyTolerancePercent: '10',
        },
        { key: 'b', name: 'B', startDate: '2026-12-31', pricing: hybrid, billingSource: 'lesser_of' },
      ],
    });
    expect(issuesOf('sell', terms)).toEqual([]);
  });

  it('tells the two cpm shapes apart by tierMode', () => {
    const parsed = sellTermsSchema.parse(sellTerms(cpmTiered));
    const pricing: Pricing = parsed.lineItems[0]!.pricing;
    expect(pricing.model === 'cpm' && isTieredCpm(pricing)).toBe(true);
  });

  it('parses buy terms', () => {
    const buy = { ...sellTerms(cpa), appliesTo: ['ctr_01jd5y0000000000000000000a'], holdDays: 30, minimumPayout: '50.00' };
    expect(issuesOf('buy', buy)).toEqual([]);
    expect(issuesOf('buy', { ...buy, appliesTo: 'all' })).toEqual([]);
    expect(termsSchemaForSide('buy')).toBe(buyTermsSchema);
    expect(termsSchemaForSide('sell')).toBe(sellTermsSchema);
  });

  it('keeps buy-only fields off sell terms', () => {
    expect(issuesOf('sell', { ...sellTerms(), appliesTo: 'all' })).toEqual([
      expect.objectContaining({ path: [], code: 'unrecognized_keys' }),
    ]);
  });

  it('accepts leap days and refuses dates that do not exist', () => {
    expect(issuesOf('sell', sellTerms(cpmFlat, { startDate: '2028-02-29', endDate: '2028-03-31' }))).toEqual([]);
    expect(issuesOf('sell', sellTerms(cpmFlat, { startDate: '2027-02-29', endDate: '2027-03-31' }))[0]?.path).toEqual(['startDate']);
  });

  it('generates a JSON Schema for the OpenAPI document, in both directions', () => {
    for (const io of ['input', 'output'] as const) {
      for (const schema of [sellTermsSchema, buyTermsSchema]) {
        const document = JSON.stringify(z.toJSONSchema(schema, { io, unrepresentable: 'any' }));
        expect(document).toContain('"additionalProperties":false');
      }
    }
  });
});

const base = sellTerms(cpmTiered);
const item = (index: number) => (copy: { lineItems: Record<string, unknown>[] }) => copy.lineItems[index]!;

// Each case: a label, the side, the bad input, the path the first matching issue must carry, and
// a fragment of its message.
const badInputs: [string, ContractSide, unknown, (string | number)[], RegExp][] = [
  ['terms that are not an object', 'sell', 'terms', [], /expected object/],
  ['missing startDate', 'sell', changed(base, (t) => delete t.startDate), ['startDate'], /expected string/],
  ['missing lineItems', 'sell', changed(base, (t) => delete t.lineItems), ['lineItems'], /expected array/],
  ['no line items', 'sell', changed(base, (t) => (t.lineItems = [])), ['lineItems'], /at least 1|>=1/],
  ['an unknown top-level field', 'sell', changed(base, (t) => (t.discount = '5')), [], /discount/],
  ['an unknown line item field', 'sell', changed(base, (t) => (item(0)(t).color = 'red')), ['lineItems', 0], /color/],
  [
    'an unknown tier field',
    'sell',
    changed(base, (t) => (t.lineItems[0].pricing.tiers[0].rate = '1')),
    ['lineItems', 0, 'pricing', 'tiers', 0],
    /rate/,
  ],
  ['a date that does not exist', 'sell', changed(base, (t) => (t.endDate = '2026-02-30')), ['endDate'], /real calendar date/],
  ['a date in another format', 'sell', changed(base, (t) => (t.startDate = '01/10/2026')), ['startDate'], /YYYY-MM-DD/],
  ['startDate after endDate', 'sell', changed(base, (t) => (t.startDate = '2027-01-01')), ['endDate'], /on or after startDate/],
  ['an unknown currency', 'sell', changed(base, (t) => (t.currency = 'ABC')), ['currency'], /unknown ISO 4217/],
  ['a currency without minor unit', 'sell', changed(base, (t) => (t.currency = 'XAU')), ['currency'], /unknown ISO 4217/],
  ['a lower-case currency', 'sell', changed(base, (t) => (t.currency = 'usd')), ['currency'], /upper case/],
  ['a JSON number for money', 'sell', changed(base, (t) => (t.budgetCap = 250000)), ['budgetCap'], /decimal string/],
  [
    'a JSON number for a rate',
    'sell',
    changed(sellTerms(cpmFlat), (t) => (t.lineItems[0].pricing.ratePerMille = 25)),
    ['lineItems', 0, 'pricing', 'ratePerMille'],
    /decimal string/,
  ],
  ['an exponent in a decimal string', 'sell', changed(base, (t) => (t.budgetCap = '1e5')), ['budgetCap'], /decimal string/],
  ['too many decimals', 'sell', changed(base, (t) => (t.budgetCap = '1.0000001')), ['budgetCap'], /at most 6 decimal places/],
  ['a negative amount', 'sell', changed(base, (t) => (t.minimumSpend.amount = '-1.00')), ['minimumSpend', 'amount'], /between 0 and/],
  [
    'an amount above the limit',
    'sell',
    changed(sellTerms(flat), (t) => (t.lineItems[0].pricing.amount = '1000000000000.01')),
    ['lineItems', 0, 'pricing', 'amount'],
    /between 0 and 1000000000000/,
  ],
  [
    'a fee percent below -100',
    'sell',
    changed(base, (t) => (t.fees[0].percent = '-100.5')),
    ['fees', 0, 'percent'],
    /between -100 and 100/,
  ],
  [
    'a revenue share above 100',
    'sell',
    changed(sellTerms(cpa), (t) => (t.lineItems[0].pricing.events[1].revenueSharePercent = '101')),
    ['lineItems', 0, 'pricing', 'events', 1, 'revenueSharePercent'],
    /between 0 and 100/,
  ],
  [
    'a tolerance above 100',
    'sell',
    changed(base, (t) => (item(0)(t).discrepancyTolerancePercent = '150')),
    ['lineItems', 0, 'discrepancyTolerancePercent'],
    /between 0 and 100/,
  ],
  [
    'a fractional impression cap',
    'sell',
    changed(base, (t) => (item(0)(t).impressionCap = 10.5)),
    ['lineItems', 0, 'impressionCap'],
    /int/,
  ],
  ['a string for paymentTermsDays', 'sell', changed(base, (t) => (t.paymentTermsDays = '30')), ['paymentTermsDays'], /expected number/],
  ['paymentTermsDays above 365', 'sell', changed(base, (t) => (t.paymentTermsDays = 400)), ['paymentTermsDays'], /365/],
  ['a key with upper case', 'sell', changed(base, (t) => (item(0)(t).key = 'CTV')), ['lineItems', 0, 'key'], /lower-case/],
  ['a key too long', 'sell', changed(base, (t) => (item(0)(t).key = 'k'.repeat(65))), ['lineItems', 0, 'key'], /64/],
  ['a name too long', 'sell', changed(base, (t) => (item(0)(t).name = 'n'.repeat(201))), ['lineItems', 0, 'name'], /200/],
  [
    'an unknown pricing model',
    'sell',
    changed(base, (t) => (t.lineItems[0].pricing = { model: 'cpx', rate: '1' })),
    ['lineItems', 0, 'pricing', 'model'],
    /one of "cpm", "cpcv", "cpc", "cpa", "hybrid", "flat"/,
  ],
  [
    'a tiered cpm without tierMode',
    'sell',
    changed(base, (t) => delete t.lineItems[0].pricing.tierMode),
    ['lineItems', 0, 'pricing', 'ratePerMille'],
    /tiered cpm pricing takes tierMode/,
  ],
  [
    'an unknown tierMode',
    'sell',
    changed(base, (t) => (t.lineItems[0].pricing.tierMode = 'stepped')),
    ['lineItems', 0, 'pricing', 'tierMode'],
    /"graduated" or "volume"/,
  ],
  [
    'unordered tiers',
    'sell',
    changed(base, (t) => (t.lineItems[0].pricing.tiers[1].upTo = 1000000)),
    ['lineItems', 0, 'pricing', 'tiers', 1, 'upTo'],
    /greater than the previous tier's upTo \(1000000\)/,
  ],
  [
    'two open tiers',
    'sell',
    changed(base, (t) => (t.lineItems[0].pricing.tiers[1].upTo = null)),
    ['lineItems', 0, 'pricing', 'tiers', 1, 'upTo'],
    /only the last tier may be open-ended/,
  ],
  [
    'an open tier that is not last',
    'sell',
    changed(base, (t) => t.lineItems[0].pricing.tiers.reverse()),
    ['lineItems', 0, 'pricing', 'tiers', 0, 'upTo'],
    /only the last tier/,
  ],
  [
    'a closed last tier',
    'sell',
    changed(base, (t) => (t.lineItems[0].pricing.tiers[2].upTo = 9000000)),
    ['lineItems', 0, 'pricing', 'tiers', 2, 'upTo'],
    /last tier must be open-ended/,
  ],
  [
    'a zero upTo',
    'sell',
    changed(base, (t) => (t.lineItems[0].pricing.tiers[0].upTo = 0)),
    ['lineItems', 0, 'pricing', 'tiers', 0, 'upTo'],
    />=1/,
  ],
  [
    'too many tiers',
    'sell',
    changed(
      base,
      (t) => (t.lineItems[0].pricing.tiers = Array.from({ length: 21 }, (_, i) => ({ upTo: i === 20 ? null : i + 1, ratePerMille: '1' }))),
    ),
    ['lineItems', 0, 'pricing', 'tiers'],
    /20/,
  ],
  [
    'duplicate line item keys',
    'sell',
    changed(base, (t) => t.lineItems.push({ ...t.lineItems[0], name: 'again' })),
    ['lineItems', 1, 'key'],
    /duplicate line item key/,
  ],
  ['duplicate fee keys', 'sell', changed(base, (t) => (t.fees[1].key = 'agency-commission')), ['fees', 1, 'key'], /duplicate fee key/],
  ['an unknown fee kind', 'sell', changed(base, (t) => (t.fees[0].kind = 'percent')), ['fees', 0, 'kind'], /"percent_of_media" or "flat"/],
  ['a flat fee with a percent', 'sell', changed(base, (t) => (t.fees[1].percent = '5')), ['fees', 1], /percent/],
  [
    'a line starting before the contract',
    'sell',
    changed(base, (t) => (item(0)(t).startDate = '2026-09-30')),
    ['lineItems', 0, 'startDate'],
    /on or after the contract's startDate/,
  ],
  [
    'a line ending after the contract',
    'sell',
    changed(base, (t) => (item(0)(t).endDate = '2027-01-01')),
    ['lineItems', 0, 'endDate'],
    /on or before the contract's endDate/,
  ],
  [
    'a line ending before it starts',
    'sell',
    changed(base, (t) => Object.assign(item(0)(t), { startDate: '2026-11-10', endDate: '2026-11-09' })),
    ['lineItems', 0, 'endDate'],
    /line item's startDate/,
  ],
  ['renewal none with a term', 'sell', changed(base, (t) => (t.renewal = { mode: 'none', termMonths: 12 })), ['renewal'], /termMonths/],
  [
    'auto renewal without noticeDays',
    'sell',
    changed(base, (t) => (t.renewal = { mode: 'auto', termMonths: 12 })),
    ['renewal', 'noticeDays'],
    /expected number/,
  ],
  [
    'a renewal term of 121 months',
    'sell',
    changed(base, (t) => (t.renewal = { mode: 'manual', termMonths: 121, noticeDays: 30 })),
    ['renewal', 'termMonths'],
    /120/,
  ],
  ['an unknown minimumSpend per', 'sell', changed(base, (t) => (t.minimumSpend.per = 'month')), ['minimumSpend', 'per'], /period/],
  [
    'billingSource on a flat-priced line',
    'sell',
    changed(sellTerms(flat), (t) => (item(0)(t).billingSource = 'first_party')),
    ['lineItems', 0, 'billingSource'],
    /only to cpm, cpcv, cpc and hybrid/,
  ],
  [
    'a tolerance on a cpa line',
    'sell',
    changed(sellTerms(cpa), (t) => (item(0)(t).discrepancyTolerancePercent = '10')),
    ['lineItems', 0, 'discrepancyTolerancePercent'],
    /only to cpm, cpcv, cpc and hybrid/,
  ],
  [
    'a cpa event with amount and share',
    'sell',
    changed(sellTerms(cpa), (t) => (t.lineItems[0].pricing.events[0].revenueSharePercent = '5')),
    ['lineItems', 0, 'pricing', 'events', 0, 'revenueSharePercent'],
    /not both/,
  ],
  [
    'a cpa event with neither',
    'sell',
    changed(sellTerms(cpa), (t) => delete t.lineItems[0].pricing.events[0].amount),
    ['lineItems', 0, 'pricing', 'events', 0],
    /either amount or revenueSharePercent/,
  ],
  [
    'duplicate cpa event types',
    'sell',
    changed(sellTerms(cpa), (t) => (t.lineItems[0].pricing.events[1].eventType = 'purchase')),
    ['lineItems', 0, 'pricing', 'events', 1, 'eventType'],
    /duplicate eventType/,
  ],
  [
    'a lower-case country',
    'sell',
    changed(sellTerms(cpa), (t) => (t.lineItems[0].pricing.eligibility.countries[1] = 'ca')),
    ['lineItems', 0, 'pricing', 'eligibility', 'countries', 1],
    /alpha-2/,
  ],
  [
    'an unknown billOn',
    'sell',
    changed(sellTerms(cpa), (t) => (t.lineItems[0].pricing.billOn = 'paid')),
    ['lineItems', 0, 'pricing', 'billOn'],
    /approved/,
  ],
  [
    'an attribution window above 365',
    'sell',
    changed(sellTerms(cpa), (t) => (t.lineItems[0].pricing.attribution.clickWindowDays = 366)),
    ['lineItems', 0, 'pricing', 'attribution', 'clickWindowDays'],
    /365/,
  ],
  [
    'a hybrid cpm without model',
    'sell',
    changed(sellTerms(hybrid), (t) => delete t.lineItems[0].pricing.cpm.model),
    ['lineItems', 0, 'pricing', 'cpm', 'model'],
    /cpm/,
  ],
  [
    'a hybrid with a bad tier',
    'sell',
    changed(sellTerms(hybrid), (t) => (t.lineItems[0].pricing.cpm.tiers[0].upTo = 9000000)),
    ['lineItems', 0, 'pricing', 'cpm', 'tiers', 1, 'upTo'],
    /greater than the previous/,
  ],
  ['buy terms without appliesTo', 'buy', base, ['appliesTo'], /"all" or a list/],
  ['buy terms applying to a non-contract id', 'buy', { ...base, appliesTo: ['pty_1'] }, ['appliesTo', 0], /ctr_/],
  [
    'buy terms applying to a contract twice',
    'buy',
    { ...base, appliesTo: ['ctr_1', 'ctr_2', 'ctr_1'] },
    ['appliesTo', 2],
    /duplicate contract id/,
  ],
  ['buy terms with holdDays above 365', 'buy', { ...base, appliesTo: 'all', holdDays: 366 }, ['holdDays'], /365/],
  [
    'buy terms with a JSON number minimumPayout',
    'buy',
    { ...base, appliesTo: 'all', minimumPayout: 50 },
    ['minimumPayout'],
    /decimal string/,
  ],
];

describe('invalid terms', () => {
  it('starts from valid inputs', () => {
    expect(issuesOf('sell', base)).toEqual([]);
    expect(issuesOf('buy', { ...base, appliesTo: 'all' })).toEqual([]);
  });

  for (const [label, side, input, path, message] of badInputs) {
    it(`rejects ${label} at ${JSON.stringify(path)}`, () => {
      const issues = issuesOf(side, input);
      expect(issues.length).toBeGreaterThan(0);
      const atPath = issues.filter((issue) => JSON.stringify(issue.path) === JSON.stringify(path));
      expect(atPath, JSON.stringify(issues)).not.toEqual([]);
      expect(
        atPath.map((issue) => issue.message).some((text) => message.test(text)),
        JSON.stringify(atPath),
      ).toBe(true);
    });
  }

  it('refuses more than 200 line items and 50 fees', () => {
    const lineItems = Array.from({ length: 201 }, (_, index) => ({ key: `li-${index}`, name: 'x', pricing: cpmFlat }));
    expect(issuesOf('sell', { ...base, lineItems }).map((issue) => issue.path)).toContainEqual(['lineItems']);
    const fees = Array.from({ length: 51 }, (_, index) => ({ key: `fee-${index}`, kind: 'flat', amount: '1' }));
    expect(issuesOf('sell', { ...base, fees }).map((issue) => issue.path)).toContainEqual(['fees']);
  });

  it('reports every independent problem at once', () => {
    const input = changed(base, (t) => {
      t.currency = 'ABC';
      t.fees[1].key = 'agency-commission';
      item(0)(t).endDate = '2027-06-30';
    });
    expect(issuesOf('sell', input).map((issue) => issue.path)).toEqual(
      expect.arrayContaining([['currency'], ['fees', 1, 'key'], ['lineItems', 0, 'endDate']]),
    );
  });
});

describe('committedValue', () => {
  const parse = (input: unknown): Terms => sellTermsSchema.parse(input);

  it('adds the contract cap, the line caps and a per-period minimum for every month touched', () => {
    const terms = parse(
      sellTerms(cpmFlat, {
        startDate: '2026-10-15',
        endDate: '2026-12-01',
        lineItems: [
          { key: 'a', name: 'A', budgetCap: '1000.50', pricing: cpmFlat },
          { key: 'b', name: 'B', pricing: cpmFlat },
          { key: 'c', name: 'C', budgetCap: '0.25', pricing: flat },
        ],
      }),
    );
    // 250000.00 + 1000.50 + 0.25 + 20000.00 × 3 months (October, November, December).
    expect(committedValue(terms).toFixed()).toBe('311000.75');
  });

  it('counts a per-contract minimum once', () => {
    const terms = parse(sellTerms(cpmFlat, { minimumSpend: { amount: '20000.00', per: 'contract' } }));
    expect(committedValue(terms).toFixed()).toBe('270000');
  });

  it('is zero without caps and minimums', () => {
    const terms = parse(
      changed(sellTerms(cpmFlat), (t) => {
        delete t.budgetCap;
        delete t.minimumSpend;
      }),
    );
    expect(committedValue(terms).isZero()).toBe(true);
  });

  it('counts calendar months across a year end', () => {
    expect(calendarMonthsTouched('2026-10-01', '2026-10-31')).toBe(1);
    expect(calendarMonthsTouched('2026-10-31', '2026-11-01')).toBe(2);
    expect(calendarMonthsTouched('2026-11-15', '2027-02-01')).toBe(4);
    expect(calendarMonthsTouched('2026-01-01', '2026-12-31')).toBe(12);
  });
});
