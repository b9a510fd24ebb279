/**
 * The ledger's base amounts (SPEC §10), worked by hand: conversion at a transaction's rate, the
 * rounding that keeps base debits equal to base credits, realized FX on payments, and the choice of
 * a rate from what is recorded.
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { chooseRate } from '../../src/modules/fx/fx-rates.ts';
import {
  clearedBase,
  invoicePostings,
  type LedgerTransaction,
  paymentPostings,
  payoutPaymentPostings,
  type Posting,
  revaluationPostings,
  toEntries,
} from '../../src/modules/ledger/ledger.ts';
import { Decimal } from '../../src/wire/money.ts';

const transaction = (postings: Posting[], currency = 'EUR'): LedgerTransaction => ({
  id: 'ltx_test',
  date: '2026-11-10',
  description: 'test',
  sourceType: 'invoice',
  sourceId: 'doc_test',
  documentNumber: null,
  billingEntityId: 'ent_test',
  currency,
  postings,
});
const usdAt = (rate: string) => ({ rate: new Decimal(rate), baseCurrency: 'USD' });
const summary = (postings: Posting[], rate: string) =>
  toEntries(transaction(postings), usdAt(rate)).map((entry) => [
    entry.account,
    entry.debit,
    entry.credit,
    entry.baseDebit,
    entry.baseCredit,
  ]);

it('an invoice of 1,000.00 EUR (800.00 media, 200.00 fees) at 1.10 is 1,100.00 USD in base, account by account', () => {
  expect(summary(invoicePostings('pty_a', { media: new Decimal('800.00'), fee: new Decimal('200.00') }), '1.10')).toEqual([
    ['accounts_receivable:pty_a', '1000', '0', '1100.00', '0'],
    ['media_revenue', '0', '800', '0', '880.00'],
    ['fee_revenue', '0', '200', '0', '220.00'],
  ]);
});

it('rounding each account can leave base off balance: the units go to the accounts rounded furthest the other way', () => {
  // 0.03 EUR against three credits of 0.01 at 1.5: exactly 0.045 and 3 × 0.015. Half-even gives 0.04 and
  // 3 × 0.02 (0.04 − 0.06 = −0.02 off). Each was rounded 0.005 away; the tie goes in account order:
  // the receivable up to 0.05 and the first credit down to 0.01. 0.05 = 0.01 + 0.02 + 0.02.
  const postings: Posting[] = [
    { account: 'accounts_receivable:pty_a', amount: new Decimal('0.03') },
    { account: 'media_revenue', amount: new Decimal('-0.01') },
    { account: 'fee_revenue', amount: new Decimal('-0.01') },
    { account: 'tax_payable', amount: new Decimal('-0.01') },
  ];
  expect(summary(postings, '1.5').map((entry) => [entry[0], entry[3], entry[4]])).toEqual([
    ['accounts_receivable:pty_a', '0.05', '0'],
    ['media_revenue', '0', '0.01'],
    ['fee_revenue', '0', '0.02'],
    ['tax_payable', '0', '0.02'],
  ]);
});

it('a JPY invoice into a USD base: 123,457 JPY at 0.0067 = 827.1619 → 827.16', () => {
  const entries = toEntries(
    transaction(invoicePostings('pty_a', { media: new Decimal('123457'), fee: new Decimal(0) }), 'JPY'),
    usdAt('0.0067'),
  );
  expect(entries.map((entry) => [entry.debit, entry.credit, entry.baseDebit, entry.baseCredit])).toEqual([
    ['123457', '0', '827.16', '0'],
    ['0', '123457', '0', '827.16'],
  ]);
});

it('a payment of 1,000.00 EUR at 1.05 clears 1,100.00 carried: 50.00 of realized loss, in base only', () => {
  const postings = paymentPostings('pty_a', new Decimal('1000.00'), {
    cashBase: new Decimal('1050.00'),
    clearedBase: new Decimal('1100.00'),
  });
  expect(summary(postings, '1.05')).toEqual([
    ['cash', '1000', '0', '1050.00', '0'],
    ['accounts_receivable:pty_a', '0', '1000', '0', '1100.00'],
    ['fx_gain_loss', '0', '0', '50.00', '0'],
  ]);
  // At 1.20 instead, 1,200.00 comes in for 1,100.00 carried: a gain of 100.00 (a credit).
  const gain = paymentPostings('pty_a', new Decimal('1000.00'), { cashBase: new Decimal('1200.00'), clearedBase: new Decimal('1100.00') });
  expect(summary(gain, '1.20').at(-1)).toEqual(['fx_gain_loss', '0', '0', '0', '100.00']);
  // Paying a partner 1,000.00 EUR carried at 1,100.00 with 1,050.00: 50.00 gained.
  const payout = payoutPaymentPostings('pty_p', new Decimal('1000.00'), {
    cashBase: new Decimal('1050.00'),
    clearedBase: new Decimal('1100.00'),
  });
  expect(summary(payout, '1.05').at(-1)).toEqual(['fx_gain_loss', '0', '0', '0', '50.00']);
  // At the rate it was carried at, there is no FX entry at all.
  const even = paymentPostings('pty_a', new Decimal('1000.00'), { cashBase: new Decimal('1100.00'), clearedBase: new Decimal('1100.00') });
  expect(summary(even, '1.10').map((entry) => entry[0])).toEqual(['cash', 'accounts_receivable:pty_a']);
});

it('a part payment clears its share of what is carried; the last one clears the rest', () => {
  expect(clearedBase(new Decimal('400.00'), new Decimal('1000.00'), new Decimal('1100.00'), 'USD').toFixed()).toBe('440');
  expect(clearedBase(new Decimal('600.00'), new Decimal('600.00'), new Decimal('660.00'), 'USD').toFixed()).toBe('660');
  // A third of 100.00 carried: 33.333… → 33.33, and the rest 66.67 with the last payment.
  expect(clearedBase(new Decimal('1.00'), new Decimal('3.00'), new Decimal('100.00'), 'USD').toFixed()).toBe('33.33');
});

it('a revaluation moves an account in base only, against fx_revaluation', () => {
  expect(summary(revaluationPostings('accounts_receivable:pty_b', new Decimal('-10.00')), '1.08')).toEqual([
    ['accounts_receivable:pty_b', '0', '0', '0', '10.00'],
    ['fx_revaluation', '0', '0', '10.00', '0'],
  ]);
});

it('a rate is the latest on or before the date either way round; the pair as asked wins a tie', () => {
  const at = (rate: string, date: string) => ({ rate: new Decimal(rate), date });
  expect(chooseRate({ direct: at('1.10', '2026-11-01'), inverse: undefined })?.toFixed()).toBe('1.1');
  expect(chooseRate({ direct: undefined, inverse: at('0.8', '2026-11-01') })?.toFixed()).toBe('1.25');
  expect(chooseRate({ direct: at('1.10', '2026-11-01'), inverse: at('0.8', '2026-11-02') })?.toFixed()).toBe('1.25');
  expect(chooseRate({ direct: at('1.10', '2026-11-02'), inverse: at('0.8', '2026-11-02') })?.toFixed()).toBe('1.1');
  expect(chooseRate({ direct: undefined, inverse: undefined })).toBeUndefined();
});

it('any balanced postings at any rate balance in base, each account within one minor unit of its exact conversion', () => {
  const amount = fc.integer({ min: -10_000_000, max: 10_000_000 }).map((cents) => new Decimal(cents).dividedBy(100));
  fc.assert(
    fc.property(
      fc.array(amount, { minLength: 1, maxLength: 8 }),
      fc.integer({ min: 1, max: 5_000_000 }).map((micros) => new Decimal(micros).dividedBy(1_000_000)),
      (amounts, rate) => {
        const postings: Posting[] = amounts.map((value, index) => ({
          account: `accounts_receivable:pty_${String(index).padStart(26, '0')}`,
          amount: value,
        }));
        postings.push({ account: 'media_revenue', amount: amounts.reduce((sum, value) => sum.minus(value), new Decimal(0)) });
        const entries = toEntries(transaction(postings), { rate, baseCurrency: 'USD' });
        const base = (entry: (typeof entries)[number]) => new Decimal(entry.baseDebit).minus(entry.baseCredit);
        expect(entries.reduce((sum, entry) => sum.plus(base(entry)), new Decimal(0)).isZero()).toBe(true);
        for (const entry of entries) {
          const exact = new Decimal(entry.debit).minus(entry.credit).times(rate);
          expect(
            base(entry).minus(exact).abs().lessThanOrEqualTo('0.01'),
            `${entry.account}: ${base(entry).toFixed()} for ${exact.toFixed()}`,
          ).toBe(true);
        }
      },
    ),
    { numRuns: 300 },
  );
});
