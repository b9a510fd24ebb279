/**
 * FX in the books (SPEC §10): the trial balance read in each entity's base currency (`in=base`, the
 * currency filter gone since a base balance covers every currency, a 422 said with its reason), and
 * a month's revaluation posted by finance after confirming, with the accounts it restated shown
 * and the server's refusals (revalued already, 409; not ended or a rate missing, 422) in plain words.
 */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { RevaluationRun } from '../../src/wire/fx.ts';
import RevenuePage from '../../web/src/features/billing/RevenuePage.tsx';
import TrialBalancePage from '../../web/src/features/billing/TrialBalancePage.tsx';
import { renderSignedIn, type SentRequest, signedInUser, type StubAnswer, stubRequests } from './api-stub.tsx';

const entities = {
  data: [
    { id: 'ent_us', name: 'Tally US', baseCurrency: 'USD' },
    { id: 'ent_france', name: 'Tally France', baseCurrency: 'EUR' },
  ],
};

const problem = (status: number, code: string, detail: string): StubAnswer => ({
  status,
  body: { type: 'about:blank', title: 'Refused', status, code, detail, errors: [{ path: 'period', message: 'refused' }] },
});

/** A book with a EUR receivable in the US entity: per currency, EUR and USD; in base, all USD. */
function trialBalance(request: SentRequest): StubAnswer {
  const base = request.url.searchParams.get('in') === 'base';
  const accounts = base
    ? [
        { account: 'accounts_receivable:pty_maison', currency: 'USD', debit: '1082.50', credit: '0.00', balance: '1082.50' },
        { account: 'media_revenue', currency: 'USD', debit: '0.00', credit: '1082.50', balance: '-1082.50' },
      ]
    : [
        { account: 'accounts_receivable:pty_maison', currency: 'EUR', debit: '1000.00', credit: '0.00', balance: '1000.00' },
        { account: 'media_revenue', currency: 'EUR', debit: '0.00', credit: '1000.00', balance: '-1000.00' },
        { account: 'cash', currency: 'USD', debit: '50.00', credit: '0.00', balance: '50.00' },
        { account: 'media_revenue', currency: 'USD', debit: '0.00', credit: '50.00', balance: '-50.00' },
      ];
  const currencies = [...new Set(accounts.map((account) => account.currency))];
  return {
    body: {
      asOf: request.url.searchParams.get('asOf'),
      currency: null,
      entityId: null,
      in: base ? 'base' : 'document',
      accounts,
      totals: { debit: '0', credit: '0' },
      totalsByCurrency: currencies.map((currency) => {
        const debit = accounts.find((account) => account.currency === currency && account.debit !== '0.00')?.debit ?? '0.00';
        return { currency, debit, credit: debit };
      }),
    },
  };
}

function reads(request: SentRequest): StubAnswer {
  const path = request.url.pathname;
  if (path === '/v1/ledger/trial-balance') return trialBalance(request);
  if (path === '/v1/billing-entities') return { body: entities };
  if (path === '/v1/reports/revenue') {
    const period = request.url.searchParams.get('period') ?? '';
    return { body: { period, asOf: `${period}-30`, rows: [], deferred: [], totals: [] } };
  }
  if (path === '/v1/parties/pty_maison') return { body: { id: 'pty_maison', kind: 'advertiser', name: 'Maison Exemple', currency: 'EUR' } };
  return { body: { data: [], nextCursor: null } };
}

const balances = (sent: SentRequest[]) => sent.filter((request) => request.url.pathname === '/v1/ledger/trial-balance');

describe('the trial balance in base currency', () => {
  it('asks for in=base when switched, without a currency, and shows each account in its base', async () => {
    const user = userEvent.setup();
    const sent = stubRequests(() => undefined, reads);
    await renderSignedIn(<TrialBalancePage />, { ...signedInUser, role: 'viewer' });
    await screen.findByRole('region', { name: 'Trial balance in EUR' });
    expect(balances(sent).every((request) => !request.url.searchParams.has('in'))).toBe(true);
    // Per currency, one currency can be chosen.
    await user.selectOptions(screen.getByLabelText('Currency'), 'EUR');
    await waitFor(() => expect(balances(sent).at(-1)?.url.searchParams.get('currency')).toBe('EUR'));

    await user.click(screen.getByRole('radio', { name: 'Base currency' }));
    const usd = await screen.findByRole('region', { name: 'Trial balance in USD' });
    const asked = balances(sent).at(-1);
    expect(asked?.url.searchParams.get('in')).toBe('base');
    expect(asked?.url.searchParams.has('currency')).toBe(false);
    expect(balances(sent).filter((request) => request.url.searchParams.get('in') === 'base')).toHaveLength(1);
    expect(screen.queryByLabelText('Currency')).toBeNull();
    expect(screen.queryByRole('region', { name: 'Trial balance in EUR' })).toBeNull();
    expect(within(usd).getByRole('heading').textContent).toBe('USD base currency balanced');
    await within(usd).findByText(/Maison Exemple/);
    expect(
      within(usd)
        .getAllByRole('row')
        .map((row) => row.textContent),
    ).toEqual([
      'AccountDebitCreditBalanceEntries',
      'Accounts receivable (1 party)$1,082.50$0.00$1,082.50hide',
      'Accounts receivable: Maison Exempleaccounts_receivable:pty_maison$1,082.50$0.00$1,082.50entries',
      'Media revenuemedia_revenue$0.00$1,082.50-$1,082.50entries',
      'Totals$1,082.50$1,082.50',
    ]);

    // Back to document currencies: the currency filter returns, with nothing chosen.
    await user.click(screen.getByRole('radio', { name: 'Document currencies' }));
    await screen.findByRole('region', { name: 'Trial balance in EUR' });
    expect((screen.getByLabelText('Currency') as HTMLSelectElement).value).toBe('');
  });

  it("lists an account's entries with their amounts in base, exactly as sent, when the books are in base", async () => {
    const user = userEvent.setup();
    const entry = {
      transactionId: 'ltx_1',
      line: 2,
      date: '2026-10-15',
      postedAt: '2026-10-15T10:00:00.000Z',
      account: 'media_revenue',
      currency: 'EUR',
      debit: '0.00',
      credit: '1000.00',
      baseDebit: '0.00',
      baseCredit: '1082.50',
      description: 'Invoice INV-2026-000001',
      sourceType: 'invoice',
      sourceId: 'inv_1',
      documentNumber: 'INV-2026-000001',
    };
    stubRequests(
      (request) =>
        request.url.pathname === '/v1/ledger/accounts/media_revenue/entries'
          ? { body: { data: [entry, { ...entry, transactionId: 'ltx_0', baseDebit: null, baseCredit: null }], nextCursor: null } }
          : undefined,
      reads,
    );
    await renderSignedIn(<TrialBalancePage />);
    await user.click(await screen.findByRole('radio', { name: 'Base currency' }));
    const usd = await screen.findByRole('region', { name: 'Trial balance in USD' });
    await user.click(within(usd).getByRole('button', { name: 'Entries of media_revenue' }));
    const entries = await screen.findByRole('table', { name: 'Entries of media_revenue' });
    await within(entries).findAllByText('Invoice INV-2026-000001');
    const rows = within(entries).getAllByRole('row');
    expect(
      within(rows[0]!)
        .getAllByRole('columnheader')
        .map((header) => header.textContent),
    ).toEqual(['Date', 'Description', 'Source', 'Debit', 'Credit', 'Debit in base', 'Credit in base']);
    const baseCells = (row: HTMLElement) =>
      within(row)
        .getAllByRole('cell')
        .slice(5)
        .map((cell) => cell.textContent);
    expect(baseCells(rows[1]!)).toEqual(['0.00', '1,082.50']);
    // Posted before base amounts were kept: none, rather than a guess.
    expect(baseCells(rows[2]!)).toEqual(['—', '—']);
  });

  it('says why the books cannot be shown in base, and offers the document currencies', async () => {
    const user = userEvent.setup();
    const detail =
      'Entries in EUR of ent_us were posted before Tally kept base amounts, so they have none; the trial balance in base would have to guess their rates. Use the trial balance per currency for those books';
    stubRequests(
      (request) =>
        request.url.pathname === '/v1/ledger/trial-balance' && request.url.searchParams.get('in') === 'base'
          ? problem(422, 'fx_rate_missing', detail)
          : undefined,
      reads,
    );
    await renderSignedIn(<TrialBalancePage />);
    await screen.findByRole('region', { name: 'Trial balance in EUR' });
    await user.click(screen.getByRole('radio', { name: 'Base currency' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe(`An exchange rate is missing${detail} (fx_rate_missing)`);
    expect(screen.queryByRole('region', { name: /^Trial balance in / })).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Show document currencies' }));
    await screen.findByRole('region', { name: 'Trial balance in EUR' });
    expect((screen.getByRole('radio', { name: 'Document currencies' }) as HTMLInputElement).checked).toBe(true);
  });
});

const run: RevaluationRun = {
  period: '2026-10',
  revaluedOn: '2026-10-31',
  reversedOn: '2026-11-01',
  postedAt: '2026-11-02T09:00:00.000Z',
  postedBy: 'usr_me',
  accounts: [
    {
      entityId: 'ent_us',
      baseCurrency: 'USD',
      account: 'accounts_receivable:pty_maison',
      currency: 'EUR',
      open: '1000.00',
      carried: '1082.50',
      rate: '1.1',
      revalued: '1100.00',
      difference: '17.50',
    },
    {
      entityId: 'ent_us',
      baseCurrency: 'USD',
      account: 'customer_credits:pty_maison',
      currency: 'EUR',
      open: '-200.00',
      carried: '-216.50',
      rate: '1.1',
      revalued: '-220.00',
      difference: '-3.50',
    },
  ],
};

async function chooseOctober(user: ReturnType<typeof userEvent.setup>) {
  const month = screen.getByLabelText('Month');
  await user.clear(month);
  await user.type(month, '2026-10');
}

describe('revaluing a month', () => {
  it('asks first, posts the month with an Idempotency-Key and shows each account restated', async () => {
    const user = userEvent.setup();
    const sent = stubRequests(
      (request) => (request.method === 'POST' && request.url.pathname === '/v1/fx/revaluations' ? { status: 201, body: run } : undefined),
      reads,
    );
    await renderSignedIn(<RevenuePage />);
    await chooseOctober(user);
    await user.click(screen.getByRole('button', { name: 'Revalue month…' }));
    const dialog = screen.getByRole('dialog', { name: 'Revalue October 2026' });
    expect(sent.filter((request) => request.method === 'POST')).toEqual([]);
    await user.click(within(dialog).getByRole('button', { name: 'Revalue October 2026' }));
    const posted = await screen.findByRole('region', { name: 'Revaluation posted' });
    expect(within(posted).getByRole('status').textContent).toMatch(
      /^October 2026 revalued, dated Oct 31, 2026 and reversed on Nov 1, 2026\. Posted .+ by /,
    );
    const table = within(posted).getByRole('table', { name: 'Revalued accounts' });
    await within(table).findAllByRole('link', { name: 'Tally US' });
    await within(table).findAllByText(/Maison Exemple/);
    expect(
      within(table)
        .getAllByRole('row')
        .map((row) => row.textContent),
    ).toEqual([
      'Billing entityAccountCurrencyOpenCarriedRateRevaluedDifference',
      'Tally USAccounts receivable: Maison ExempleEUR€1,000.00$1,082.501 EUR = 1.1 USD$1,100.00$17.50',
      'Tally USCustomer credits: Maison ExempleEUR-€200.00-$216.501 EUR = 1.1 USD-$220.00-$3.50',
    ]);
    const posts = sent.filter((request) => request.method === 'POST');
    expect(posts.map((request) => [request.url.pathname, request.body])).toEqual([['/v1/fx/revaluations', { period: '2026-10' }]]);
    expect(posts[0]?.headers.get('idempotency-key')).toMatch(/^web-[0-9a-f]{32}-[0-9a-f]{8}$/);
  });

  it.each([
    [
      409,
      'revaluation_already_posted',
      '2026-10 was revalued at 2026-11-02T09:00:00.000Z by usr_me; a month is revalued once (its reversal is dated 2026-11-01)',
      'This month is already revalued: a month is revalued once',
    ],
    [
      422,
      'period_not_ended',
      '2026-10 ends on 2026-10-31: a month is revalued once it has ended',
      'This month has not ended yet: a month is revalued once it has',
    ],
    [
      422,
      'fx_rate_missing',
      'No EUR→USD rate on or before 2026-10-31: record one with POST /v1/fx-rates (either way round). Nothing was written',
      'An exchange rate is missing',
    ],
  ])('shows the refusal %i %s in plain words with what the server said', async (status, code, detail, title) => {
    const user = userEvent.setup();
    stubRequests((request) => (request.url.pathname === '/v1/fx/revaluations' ? problem(status, code, detail) : undefined), reads);
    await renderSignedIn(<RevenuePage />, { ...signedInUser, role: 'admin' });
    await chooseOctober(user);
    await user.click(screen.getByRole('button', { name: 'Revalue month…' }));
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Revalue October 2026' }));
    const alert = await screen.findByText(title);
    expect(alert.closest('[role="alert"]')?.textContent).toBe(`${title}${detail} (${code})`);
    expect(screen.queryByRole('region', { name: 'Revaluation posted' })).toBeNull();
    // A missing rate is recorded on the FX rates screen.
    const link = screen.queryByRole('link', { name: 'FX rates' });
    expect(link?.getAttribute('href')).toBe(code === 'fx_rate_missing' ? '/fx-rates' : undefined);
    // Another month is another question: the refusal was about October only.
    const month = screen.getByLabelText('Month');
    await user.clear(month);
    await user.type(month, '2026-09');
    expect(screen.queryByText(title)).toBeNull();
  });

  it('is not offered to roles that may not post to the ledger', async () => {
    stubRequests(() => undefined, reads);
    await renderSignedIn(<RevenuePage />, { ...signedInUser, role: 'viewer' });
    await screen.findByLabelText('Month');
    expect(screen.queryByRole('button', { name: 'Revalue month…' })).toBeNull();
  });
});
