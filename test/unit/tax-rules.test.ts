/** Which taxes a document carries (SPEC §10): the pure rule, case by case, with the arithmetic worked by hand. */
import { describe, expect, it } from 'vitest';
import { creditNoteTaxes, taxesFor } from '../../src/modules/taxes/tax-rules.ts';
import { Decimal } from '../../src/wire/money.ts';
import type { TaxRate } from '../../src/wire/taxes.ts';

const rate = (overrides: Partial<TaxRate>): TaxRate => ({
  id: 'txr_1',
  billingEntityId: 'ent_1',
  code: 'FR-VAT-20',
  name: 'TVA',
  percent: '20',
  country: 'FR',
  appliesTo: 'sell',
  active: true,
  createdAt: '2026-01-01T00:00:00Z',
  createdBy: 'usr_1',
  ...overrides,
});
const french = { country: 'FR', taxId: null, taxExempt: false };
const decide = (input: Partial<Parameters<typeof taxesFor>[0]>) =>
  taxesFor({ side: 'sell', entityCountry: 'FR', party: french, rates: [rate({})], net: new Decimal('1000.00'), currency: 'EUR', ...input });
const summary = (decision: ReturnType<typeof taxesFor>) => ({
  lines: decision.lines.map((line) => [line.rate.code, line.base.toFixed(2), line.amount.toFixed(2)]),
  note: decision.note,
});

describe('taxesFor', () => {
  it('charges each applicable rate on the net: 1,000.00 × 20 % = 200.00', () => {
    expect(summary(decide({}))).toEqual({ lines: [['FR-VAT-20', '1000.00', '200.00']], note: null });
  });

  it('rounds half-even once per rate: 0.25 × 10 % = 0.025 → 0.02; 0.35 × 10 % = 0.035 → 0.04; 0.26 × 10 % = 0.026 → 0.03', () => {
    const tenth = [rate({ percent: '10' })];
    expect(decide({ rates: tenth, net: new Decimal('0.25') }).lines[0]?.amount.toFixed()).toBe('0.02');
    expect(decide({ rates: tenth, net: new Decimal('0.35') }).lines[0]?.amount.toFixed()).toBe('0.04');
    expect(decide({ rates: tenth, net: new Decimal('0.26') }).lines[0]?.amount.toFixed()).toBe('0.03');
  });

  it('reverse-charges an EU business in another EU country, with a tax id; without one it pays no French rate', () => {
    expect(summary(decide({ party: { country: 'DE', taxId: 'DE123456789', taxExempt: false } }))).toEqual({
      lines: [],
      note: 'Reverse charge',
    });
    expect(summary(decide({ party: { country: 'DE', taxId: null, taxExempt: false } }))).toEqual({ lines: [], note: null });
  });

  it('never reverse-charges outside the EU: a UK entity charging a German business', () => {
    const decision = decide({ entityCountry: 'GB', party: { country: 'DE', taxId: 'DE123456789', taxExempt: false } });
    expect(summary(decision)).toEqual({ lines: [], note: null });
  });

  it('charges an exempt party, a party with no country, and rates of other countries or sides nothing', () => {
    expect(decide({ party: { ...french, taxExempt: true } }).lines).toEqual([]);
    expect(decide({ party: { ...french, country: null } }).lines).toEqual([]);
    expect(decide({ rates: [rate({ country: 'BE' })] }).lines).toEqual([]);
    expect(decide({ rates: [rate({ appliesTo: 'buy' })] }).lines).toEqual([]);
    expect(decide({ rates: [rate({ active: false })] }).lines).toEqual([]);
  });

  it('on the buy side, only a partner with a tax id charges tax; `both` rates apply to either side', () => {
    const both = [rate({ appliesTo: 'both' })];
    expect(decide({ side: 'buy', rates: both }).lines).toEqual([]);
    expect(summary(decide({ side: 'buy', rates: both, party: { ...french, taxId: 'FR98765432109' } }))).toEqual({
      lines: [['FR-VAT-20', '1000.00', '200.00']],
      note: null,
    });
  });

  it('gives one line per rate: state 4 % and city 4.875 % on 1,000.00 = 40.00 + 48.75', () => {
    const rates = [
      rate({ code: 'NY-STATE', percent: '4', country: 'US' }),
      rate({ id: 'txr_2', code: 'NYC', percent: '4.875', country: 'US' }),
    ];
    const decision = decide({ entityCountry: 'US', party: { country: 'US', taxId: null, taxExempt: false }, rates, currency: 'USD' });
    expect(summary(decision).lines).toEqual([
      ['NY-STATE', '1000.00', '40.00'],
      ['NYC', '1000.00', '48.75'],
    ]);
  });
});

describe('creditNoteTaxes', () => {
  it("takes back tax in the invoice's proportion: 120.00 of 1,200.00 with 200.00 tax → 20.00 tax, 100.00 net", () => {
    const result = creditNoteTaxes(
      new Decimal('120.00'),
      new Decimal('1200.00'),
      [{ code: 'V', percent: '20', amount: new Decimal('200.00') }],
      'EUR',
    );
    expect([result.taxes.map((tax) => tax.amount.toFixed(2)), result.net.toFixed(2)]).toEqual([['20.00'], '100.00']);
  });

  it('rounds each part half-even and leaves the rest net: 10.00 of 1,088.75 with 40.00 and 48.75 → 0.37 + 0.45, 9.18 net', () => {
    // 10 × 40 / 1,088.75 = 0.3673… → 0.37; 10 × 48.75 / 1,088.75 = 0.4477… → 0.45; 10.00 − 0.82 = 9.18.
    const result = creditNoteTaxes(
      new Decimal('10.00'),
      new Decimal('1088.75'),
      [
        { code: 'S', percent: '4', amount: new Decimal('40.00') },
        { code: 'C', percent: '4.875', amount: new Decimal('48.75') },
      ],
      'USD',
    );
    expect([result.taxes.map((tax) => tax.amount.toFixed(2)), result.net.toFixed(2)]).toEqual([['0.37', '0.45'], '9.18']);
  });

  it('is all net on an untaxed invoice', () => {
    expect(creditNoteTaxes(new Decimal('50'), new Decimal('1000'), [], 'USD')).toEqual({ taxes: [], net: new Decimal('50') });
  });
});
