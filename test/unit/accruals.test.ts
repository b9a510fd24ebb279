/** Month-end accruals (SPEC §10): rated less billed per contract, the sums per book, and their postings, by hand. */
import { expect, it } from 'vitest';
import { accrualBooks, contractAccruals, type PeriodAmount } from '../../src/modules/billing/accruals/accruals.ts';
import { accrualPostings, accrualReversalPostings, type LedgerTransaction } from '../../src/modules/ledger/index.ts';
import { toEntries } from '../../src/modules/ledger/ledger.ts';
import { Decimal } from '../../src/wire/money.ts';

const amount = (side: PeriodAmount['side'], contractId: string, partyId: string, value: string, currency = 'USD'): PeriodAmount => ({
  side,
  contractId,
  partyId,
  currency,
  amount: new Decimal(value),
});
const numbers: Record<string, string> = {
  ctr_io1: 'IO-2026-0001',
  ctr_io2: 'IO-2026-0002',
  ctr_pa1: 'PA-2026-0001',
  ctr_offer: 'IO-2026-0003',
};
const entities: Record<string, string> = { pty_a: 'ent_us', pty_b: 'ent_eu', pty_p: 'ent_us', pty_q: 'ent_us' };
const accrue = (rated: PeriodAmount[], billed: PeriodAmount[]) =>
  contractAccruals(
    rated,
    billed,
    (id) => numbers[id] as string,
    (id) => entities[id] as string,
  );

it('accrues what rating says less what finalized documents billed, per contract, sell side first', () => {
  const accruals = accrue(
    [
      amount('buy', 'ctr_pa1', 'pty_p', '200.00'),
      amount('sell', 'ctr_io2', 'pty_b', '300.00', 'EUR'),
      amount('sell', 'ctr_io1', 'pty_a', '1000.00'),
    ],
    [amount('sell', 'ctr_io1', 'pty_a', '600.00'), amount('sell', 'ctr_io1', 'pty_a', '150.50')],
  );
  expect(
    accruals.map((row) => [row.side, row.contractNumber, row.billingEntityId, row.currency, row.rated, row.billed, row.accrued]),
  ).toEqual([
    ['sell', 'IO-2026-0001', 'ent_us', 'USD', '1000.00', '750.50', '249.50'],
    ['sell', 'IO-2026-0002', 'ent_eu', 'EUR', '300.00', '0.00', '300.00'],
    ['buy', 'PA-2026-0001', 'ent_us', 'USD', '200.00', '0.00', '200.00'],
  ]);
});

it('a contract billed more than it rates now accrues a negative amount; one with nothing rated or billed is left out', () => {
  const accruals = accrue(
    [amount('sell', 'ctr_io1', 'pty_a', '900.00'), amount('sell', 'ctr_io2', 'pty_b', '0', 'EUR')],
    [amount('sell', 'ctr_io1', 'pty_a', '1000.00'), amount('buy', 'ctr_pa1', 'pty_p', '40.00')],
  );
  expect(accruals.map((row) => [row.contractNumber, row.accrued])).toEqual([
    ['IO-2026-0001', '-100.00'],
    ['PA-2026-0001', '-40.00'],
  ]);
});

it("keeps an offer's payouts to each partner apart, and apart from the offer's own invoice", () => {
  const accruals = accrue(
    [
      amount('sell', 'ctr_offer', 'pty_a', '500.00'),
      amount('buy', 'ctr_offer', 'pty_p', '50.00'),
      amount('buy', 'ctr_offer', 'pty_q', '30.00'),
    ],
    [amount('buy', 'ctr_offer', 'pty_q', '30.00')],
  );
  expect(accruals.map((row) => [row.side, row.partyId, row.accrued])).toEqual([
    ['sell', 'pty_a', '500.00'],
    ['buy', 'pty_p', '50.00'],
    ['buy', 'pty_q', '0.00'],
  ]);
});

it('sums revenue and cost per billing entity and currency, leaving out books with nothing to post', () => {
  const books = accrualBooks(
    accrue(
      [
        amount('sell', 'ctr_io1', 'pty_a', '1000.00'),
        amount('buy', 'ctr_pa1', 'pty_p', '200.00'),
        amount('sell', 'ctr_io2', 'pty_b', '300.00', 'EUR'),
        amount('buy', 'ctr_offer', 'pty_q', '25.00'),
      ],
      [amount('sell', 'ctr_io2', 'pty_b', '300.00', 'EUR')],
    ),
  );
  expect(books.map((book) => [book.billingEntityId, book.currency, book.revenue.toFixed(2), book.cost.toFixed(2)])).toEqual([
    ['ent_us', 'USD', '1000.00', '225.00'],
  ]);
});

it('posts the accrual balanced and its reversal as the mirror image', () => {
  const transaction = (postings: LedgerTransaction['postings']): LedgerTransaction => ({
    id: 'ltx_1',
    date: '2026-10-31',
    description: 'test',
    sourceType: 'accrual',
    sourceId: '2026-10:ent_us:USD',
    documentNumber: null,
    billingEntityId: 'ent_us',
    currency: 'USD',
    postings,
  });
  const revenue = new Decimal('1000.00');
  const cost = new Decimal('200.00');
  const usd = { rate: new Decimal(1), baseCurrency: 'USD' };
  expect(toEntries(transaction(accrualPostings(revenue, cost)), usd).map((entry) => [entry.account, entry.debit, entry.credit])).toEqual([
    ['accrued_revenue', '1000', '0'],
    ['media_revenue', '0', '1000'],
    ['partner_payouts', '200', '0'],
    ['accrued_payouts', '0', '200'],
  ]);
  expect(
    toEntries(transaction(accrualReversalPostings(revenue, cost)), usd).map((entry) => [entry.account, entry.debit, entry.credit]),
  ).toEqual([
    ['accrued_revenue', '0', '1000'],
    ['media_revenue', '1000', '0'],
    ['partner_payouts', '0', '200'],
    ['accrued_payouts', '200', '0'],
  ]);
  // Nothing to accrue on the buy side: its postings are zeros, which the ledger does not write.
  expect(toEntries(transaction(accrualPostings(revenue, new Decimal(0))), usd).map((entry) => entry.account)).toEqual([
    'accrued_revenue',
    'media_revenue',
  ]);
});
