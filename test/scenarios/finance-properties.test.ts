/**
 * Properties of the books across billing entities, taxes, credits and FX (issue 16), over random
 * sequences of operations through the HTTP API: delivery and billing runs, finalizing, payments,
 * credit notes, voids, credits granted (prepayments, promotional) and expired, EUR→USD rates
 * recorded, and days passing. Each run's book has four advertisers: one in the default entity (USD,
 * untaxed), one French business in a French entity charging 20 % VAT (EUR), one German business of
 * the French entity (reverse-charged, EUR), and one German business billed in EUR by the default
 * entity, whose books are in USD.
 *
 * After every operation:
 * - each entity's trial balance balances per currency, and the entities' books together are the
 *   whole ledger; the trial balance as of a date is the entries' own sum up to it;
 * - in base currency too: each entity's books balance in its base currency, and the trial balance
 *   in base is the entries' own base amounts summed;
 * - an invoice in EUR of the USD entity that nothing is owed on any more leaves nothing in its
 *   receivable in USD either, whatever the rates it was invoiced, paid and credited at;
 * - the receivables aging as of today equals, per currency, the receivable balances of the trial
 *   balance as of today;
 * - every issued invoice's total is its subtotal plus its tax (20 % of the subtotal rounded
 *   half-even for the French business, none for the others; the German one carries the note),
 *   and what it owes is its total less payments, credit notes and credits applied;
 * - what remains of each party's credits is what its credit account holds;
 * - every number series (per kind, entity prefix and year) is 1..n.
 *
 * `TALLY_FINANCE_PROPERTY_RUNS` sets the number of runs (4 in `npm test`, 60 in `npm run test:long`).
 */
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Decimal } from '../../src/wire/money.ts';
import {
  callCreditNote,
  callPayment,
  cents,
  type DocumentView,
  finalizeDocument,
  listDocuments,
  runBilling,
} from '../support/billing-helpers.ts';
import { describeStore, type Harness, startHarness } from '../support/harness.ts';
import { type Cast, castOf, createApprovedContract, postImpressions } from '../support/scenario-helpers.ts';
import { scaledCount } from '../support/test-scale.ts';

const numRuns = scaledCount('TALLY_FINANCE_PROPERTY_RUNS', 4, 60);
const months = ['2026-10', '2026-11'] as const;
const issuedStatuses = new Set(['finalized', 'partially_paid', 'paid']);

type Operation =
  | { kind: 'impressions'; advertiser: number; month: number; count: number }
  | { kind: 'run'; month: number }
  | { kind: 'finalize'; pick: number }
  | { kind: 'pay'; pick: number; percent: number }
  | { kind: 'credit'; pick: number; percent: number }
  | { kind: 'void'; pick: number }
  | { kind: 'grant'; advertiser: number; cents: number; promo: boolean; expiresInDays: number | null }
  | { kind: 'expire' }
  | { kind: 'rate'; tenThousandths: number }
  | { kind: 'nextDay'; days: number };

const operationArbitrary: fc.Arbitrary<Operation> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('impressions' as const),
      advertiser: fc.nat(3),
      month: fc.nat(1),
      count: fc.integer({ min: 0, max: 90_000 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('run' as const), month: fc.nat(1) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('finalize' as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('pay' as const), pick: fc.nat(), percent: fc.integer({ min: 1, max: 100 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('credit' as const), pick: fc.nat(), percent: fc.integer({ min: 1, max: 100 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('void' as const), pick: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('grant' as const),
      advertiser: fc.nat(3),
      cents: fc.integer({ min: 1, max: 150_000 }),
      promo: fc.boolean(),
      expiresInDays: fc.option(fc.integer({ min: 0, max: 3 }), { nil: null }),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'expire' as const }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('rate' as const), tenThousandths: fc.integer({ min: 8_000, max: 14_000 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('nextDay' as const), days: fc.integer({ min: 1, max: 3 }) }) },
);

interface World {
  /** [default-entity USD advertiser, French business (taxed), German business (reverse charge), German business of the USD entity in EUR]. */
  advertisers: [string, string, string, string];
  contracts: [string, string, string, string];
}

interface Invoice extends DocumentView {
  subtotal: string;
  taxTotal: string;
  taxNote: string | null;
  creditsApplied: string;
}

describeStore('property: entities, taxes and credits over random operations', () => {
  let h: Harness;
  let cast: Cast;
  let frenchEntity: string;
  let today = '2026-12-01';
  let worldNumber = 0;

  const finance = () => cast.finance.token;
  const advance = (count: number) => {
    today = new Date(Date.parse(`${today}T00:00:00Z`) + count * 86_400_000).toISOString().slice(0, 10);
    h.setToday(today);
  };

  beforeAll(async () => {
    h = await startHarness({ today });
    cast = await castOf(h);
    const entity = await h.call('POST', '/v1/billing-entities', {
      token: finance(),
      body: { name: 'Tally France', legalName: 'Tally France SAS', country: 'FR', baseCurrency: 'EUR', numberPrefix: 'FR' },
    });
    expect(entity.status, entity.text).toBe(201);
    frenchEntity = entity.body.id as string;
    const rate = await h.call('POST', '/v1/tax-rates', {
      token: finance(),
      body: { billingEntityId: frenchEntity, code: 'FR-VAT-20', name: 'TVA', percent: '20', country: 'FR', appliesTo: 'sell' },
    });
    expect(rate.status, rate.text).toBe(201);
  });
  afterAll(async () => h?.close());

  async function createWorld(): Promise<World> {
    worldNumber += 1;
    const party = async (body: Record<string, unknown>) => {
      const response = await h.call('POST', '/v1/parties', { token: cast.ops.token, body: { kind: 'advertiser', ...body } });
      expect(response.status, response.text).toBe(201);
      return response.body.id as string;
    };
    const advertisers: World['advertisers'] = [
      await party({ name: `US ${worldNumber}`, currency: 'USD', country: 'US' }),
      await party({ name: `FR ${worldNumber}`, currency: 'EUR', country: 'FR', taxId: 'FR12345678901', billingEntityId: frenchEntity }),
      await party({ name: `DE ${worldNumber}`, currency: 'EUR', country: 'DE', taxId: 'DE123456789', billingEntityId: frenchEntity }),
      await party({ name: `DE-US ${worldNumber}`, currency: 'EUR', country: 'DE' }),
    ];
    const contracts = [] as unknown as World['contracts'];
    for (const [index, partyId] of advertisers.entries()) {
      contracts.push(
        await createApprovedContract(cast, partyId, 'sell', `Deal ${worldNumber}-${index}`, {
          startDate: '2026-10-01',
          endDate: '2026-11-30',
          currency: index === 0 ? 'USD' : 'EUR',
          billingPeriod: 'calendar_month',
          lineItems: [{ key: 'display', name: 'Display', pricing: { model: 'cpm', ratePerMille: '7.35' } }],
        }),
      );
    }
    return { advertisers, contracts };
  }

  async function invoicesOf(world: World): Promise<Invoice[]> {
    const invoices: Invoice[] = [];
    for (const partyId of world.advertisers) invoices.push(...((await listDocuments(h, finance(), 'invoice', { partyId })) as Invoice[]));
    return invoices.sort((left, right) => (left.id < right.id ? -1 : 1));
  }

  const pick = <T>(items: T[], index: number): T | undefined => (items.length === 0 ? undefined : items[index % items.length]);
  const dueOf = (invoice: Invoice) => new Decimal(invoice.amountDue);

  async function apply(world: World, operation: Operation, invoices: Invoice[]): Promise<void> {
    switch (operation.kind) {
      case 'impressions': {
        const date = `${months[operation.month]!}-10`;
        await postImpressions(cast, [
          {
            contractId: world.contracts[operation.advertiser]!,
            lineItem: 'display',
            source: 'first_party',
            date,
            impressions: operation.count,
          },
        ]);
        return;
      }
      case 'run':
        await runBilling(h, finance(), months[operation.month]!);
        return;
      case 'finalize': {
        const draft = pick(
          invoices.filter((invoice) => invoice.number === null),
          operation.pick,
        );
        if (draft) await finalizeDocument(h, finance(), 'invoice', draft.id, draft.status === 'needs_review' ? true : undefined);
        return;
      }
      case 'pay':
      case 'credit': {
        const target = pick(
          invoices.filter((invoice) => issuedStatuses.has(invoice.status) && dueOf(invoice).greaterThan(0)),
          operation.pick,
        );
        if (!target) return;
        const amount = Decimal.max('0.01', dueOf(target).times(operation.percent).div(100).toDecimalPlaces(2, Decimal.ROUND_DOWN)).toFixed(
          2,
        );
        const response =
          operation.kind === 'pay'
            ? await callPayment(h, finance(), 'invoice', target.id, amount, today)
            : await callCreditNote(h, finance(), target.id, amount);
        expect(response.status, response.text).toBe(201);
        return;
      }
      case 'void': {
        const target = pick(
          invoices.filter((invoice) => invoice.status === 'finalized' && new Decimal(invoice.creditsApplied).isZero()),
          operation.pick,
        );
        if (!target) return;
        const response = await h.call('POST', `/v1/invoices/${target.id}/void`, { token: finance(), body: { reason: 'property' } });
        // A later invoice's adjustment lines may build on it: then it is credited instead, never voided.
        if (response.status === 409) expect(response.body.code).toBe('document_adjusted');
        else expect(response.status, response.text).toBe(200);
        return;
      }
      case 'grant': {
        const partyId = world.advertisers[operation.advertiser]!;
        const expiresAt =
          operation.expiresInDays === null
            ? undefined
            : new Date(Date.parse(`${today}T00:00:00Z`) + operation.expiresInDays * 86_400_000).toISOString().slice(0, 10);
        const response = await h.call('POST', `/v1/parties/${partyId}/credits`, {
          token: finance(),
          body: {
            amount: new Decimal(operation.cents).div(100).toFixed(2),
            currency: operation.advertiser === 0 ? 'USD' : 'EUR',
            kind: operation.promo ? 'promo' : 'prepayment',
            ...(expiresAt === undefined ? {} : { expiresAt }),
          },
        });
        expect(response.status, response.text).toBe(201);
        return;
      }
      case 'expire': {
        const response = await h.call('POST', '/v1/credits/expire', { token: finance(), body: {} });
        expect(response.status, response.text).toBe(200);
        return;
      }
      case 'nextDay':
        advance(operation.days);
        return;
      case 'rate': {
        const response = await h.call('POST', '/v1/fx-rates', {
          token: finance(),
          body: { date: today, from: 'EUR', to: 'USD', rate: new Decimal(operation.tenThousandths).div(10_000).toFixed() },
        });
        // One rate per pair and day: a second one that day is refused, and the first stands.
        if (response.status === 409) expect(response.body.code).toBe('fx_rate_exists');
        else expect(response.status, response.text).toBe(201);
        return;
      }
    }
  }

  async function trialBalance(
    query: string,
  ): Promise<{ account: string; currency: string; debit: string; credit: string; balance: string }[]> {
    const response = await h.call('GET', `/v1/ledger/trial-balance?${query}`, { token: finance() });
    expect(response.status, response.text).toBe(200);
    return response.body.accounts;
  }

  async function checkInvariants(world: World): Promise<Invoice[]> {
    // Each entity's books balance per currency; together they are the whole ledger.
    const whole = await trialBalance('asOf=2099-12-31');
    const byEntity = [
      ...(await trialBalance('asOf=2099-12-31&entityId=ent_00000000000000000000000000')),
      ...(await trialBalance(`asOf=2099-12-31&entityId=${frenchEntity}`)),
    ];
    for (const books of [whole, byEntity]) {
      const sums = new Map<string, Decimal>();
      for (const account of books)
        sums.set(account.currency, (sums.get(account.currency) ?? new Decimal(0)).plus(account.debit).minus(account.credit));
      for (const [currency, sum] of sums) expect(sum.toFixed(2), `books balance in ${currency}`).toBe('0.00');
    }
    const total = (books: typeof whole) => books.reduce((sum, account) => sum.plus(account.debit), new Decimal(0)).toFixed(2);
    expect(total(byEntity)).toBe(total(whole));

    // The trial balance as of a date (monthly sums and that month's entries) is the entries' own sum up to that date.
    for (const asOf of [today, `${today.slice(0, 7)}-01`, '2026-11-15']) {
      const direct = await sql<{ account: string; currency: string; balance: string }>`
        select e.account, e.currency, sum(e.debit) - sum(e.credit) as balance
        from ledger_entries e join ledger_transactions t on t.id = e.transaction_id
        where t.date <= ${asOf}::date group by 1, 2
        having sum(e.debit) <> 0 or sum(e.credit) <> 0`.execute(h.store.db);
      const reported = new Map(
        (await trialBalance(`asOf=${asOf}`)).map((account) => [`${account.account}|${account.currency}`, cents(account.balance)]),
      );
      expect(reported.size, `accounts as of ${asOf}`).toBe(direct.rows.length);
      for (const row of direct.rows)
        expect(reported.get(`${row.account}|${row.currency}`), `${row.account} as of ${asOf}`).toBe(cents(row.balance));
    }

    // In base: each entity's books balance in its base currency, and are the entries' own base amounts.
    const inBase = await trialBalance('asOf=2099-12-31&in=base');
    const baseSums = new Map<string, Decimal>();
    for (const account of inBase)
      baseSums.set(account.currency, (baseSums.get(account.currency) ?? new Decimal(0)).plus(account.debit).minus(account.credit));
    for (const currency of baseSums.keys()) expect(['EUR', 'USD']).toContain(currency);
    for (const [currency, sum] of baseSums) expect(sum.toFixed(2), `books balance in base ${currency}`).toBe('0.00');
    const directBase = await sql<{ base: string; account: string; balance: string }>`
      select case when t.billing_entity_id = ${frenchEntity} then 'EUR' else 'USD' end as base, e.account,
        sum(e.base_debit) - sum(e.base_credit) as balance
      from ledger_entries e join ledger_transactions t on t.id = e.transaction_id group by 1, 2`.execute(h.store.db);
    const reportedBase = new Map(inBase.map((account) => [`${account.currency}|${account.account}`, cents(account.balance)]));
    expect(reportedBase.size).toBe(directBase.rows.length);
    for (const row of directBase.rows)
      expect(reportedBase.get(`${row.base}|${row.account}`), `${row.account} in base`).toBe(cents(row.balance));

    // An EUR invoice of the USD entity with nothing left to owe leaves nothing in its receivable in USD.
    const settled = await sql<{ number: string; base: string }>`
      select d.number, coalesce(sum(e.base_debit - e.base_credit), 0) as base
      from billing_documents d
      join ledger_transactions t on (t.source_type = 'invoice' and t.source_id = d.id)
        or (t.source_type = 'payment' and t.source_id in (select p.id from payments p where p.document_id = d.id))
        or (t.source_type = 'credit_note' and t.source_id in (select c.id from credit_notes c where c.invoice_id = d.id))
      join ledger_entries e on e.transaction_id = t.id and e.account = ${`accounts_receivable:${world.advertisers[3]}`}
      join document_states s on s.id = d.id
      where d.party_id = ${world.advertisers[3]} and d.number is not null and not s.voided
        and d.total - s.amount_paid - s.amount_credited - d.credits_applied = 0
      group by d.number`.execute(h.store.db);
    for (const row of settled.rows) expect(cents(row.base), `${row.number} leaves nothing in USD`).toBe('0.00');

    // The aging as of today is the receivables of the trial balance as of today, per currency.
    const aging = await h.call('GET', `/v1/reports/ar-aging?asOf=${today}`, { token: finance() });
    expect(aging.status).toBe(200);
    const receivables = new Map<string, Decimal>();
    for (const account of await trialBalance(`asOf=${today}`))
      if (account.account.startsWith('accounts_receivable:'))
        receivables.set(account.currency, (receivables.get(account.currency) ?? new Decimal(0)).plus(account.balance));
    for (const [currency, amount] of receivables) {
      const row = (aging.body.totals as { currency: string; total: string }[]).find((candidate) => candidate.currency === currency);
      expect(cents(row?.total ?? '0'), `aging = receivables in ${currency}`).toBe(cents(amount));
    }

    // Each issued invoice: its tax, its total, what it owes.
    const invoices = await invoicesOf(world);
    for (const invoice of invoices.filter((candidate) => candidate.number !== null)) {
      const who = world.advertisers.indexOf(invoice.partyId);
      const tax = who === 1 ? new Decimal(invoice.subtotal).times('0.2').toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN) : new Decimal(0);
      expect(cents(invoice.taxTotal), `${invoice.number} tax`).toBe(cents(tax));
      expect(cents(invoice.total)).toBe(cents(new Decimal(invoice.subtotal).plus(tax)));
      expect(invoice.taxNote).toBe(who === 2 ? 'Reverse charge' : null);
      expect(invoice.number).toMatch(who === 0 || who === 3 ? /^INV-\d{4}-\d{6}$/ : /^INV-FR-\d{4}-\d{6}$/);
      if (invoice.status !== 'void')
        expect(cents(invoice.amountDue)).toBe(
          cents(new Decimal(invoice.total).minus(invoice.amountPaid).minus(invoice.amountCredited).minus(invoice.creditsApplied)),
        );
    }

    // What remains of each party's credits is what its credit account holds.
    const books = new Map(whole.map((account) => [account.account, account.balance]));
    for (const partyId of world.advertisers) {
      const balance = await h.call('GET', `/v1/parties/${partyId}/balance`, { token: finance() });
      const remaining = (balance.body.credits as { remaining: string }[]).reduce(
        (sum, credit) => sum.plus(credit.remaining),
        new Decimal(0),
      );
      expect(remaining.greaterThanOrEqualTo(0)).toBe(true);
      expect(cents(new Decimal(books.get(`customer_credits:${partyId}`) ?? '0').negated()), `credits of ${partyId}`).toBe(cents(remaining));
    }

    // Every series is 1..n, per kind, entity prefix and year.
    const numbers = await sql<{ number: string }>`
      select number from billing_documents where number is not null union all select number from credit_notes`.execute(h.store.db);
    const series = new Map<string, number[]>();
    for (const { number } of numbers.rows) {
      const match = /^((?:INV|PS|CN)(?:-[A-Z0-9]+)?-\d{4})-(\d{6})$/.exec(number);
      expect(match, number).not.toBeNull();
      series.set(match![1]!, [...(series.get(match![1]!) ?? []), Number(match![2])]);
    }
    for (const [key, values] of series)
      expect(
        values.sort((left, right) => left - right),
        key,
      ).toEqual(Array.from({ length: values.length }, (_, index) => index + 1));
    return invoices;
  }

  it(`holds over ${numRuns} random sequences of operations`, { timeout: 600_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(operationArbitrary, { minLength: 6, maxLength: 16 }), async (randomOperations) => {
        const world = await createWorld();
        // Every sequence starts with October delivered for all three and billed, so there is something to settle.
        const operations: Operation[] = [
          ...[0, 1, 2, 3].map((advertiser): Operation => ({
            kind: 'impressions',
            advertiser,
            month: 0,
            count: 10_000 + 13_337 * advertiser,
          })),
          { kind: 'grant', advertiser: 1, cents: 25_000, promo: false, expiresInDays: null },
          { kind: 'rate', tenThousandths: 11_000 },
          { kind: 'run', month: 0 },
          ...randomOperations,
        ];
        let invoices = await invoicesOf(world);
        for (const operation of operations) {
          await apply(world, operation, invoices);
          invoices = await checkInvariants(world);
        }
      }),
      // A failure shows its sequence; shrinking would replay it on a store that earlier runs changed.
      { numRuns, endOnFailure: true },
    );
  });
});
