/**
 * The revenue report and accruals (SPEC §10): for the month chosen, per sell contract recognized,
 * billed and accrued with each currency's totals, and the prepayments held as deferred revenue;
 * admins and finance post the month's accruals after confirming, with the books it posted shown,
 * and the server's refusals (the month not ended, 422; accrued already, 409) said in plain words.
 * The figures are those of docs/finance/accruals.md's example.
 */
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { AccrualRun, RevenueReport } from '../../web/src/features/billing/accruals-api.ts';
import RevenuePage, { lastEndedMonth } from '../../web/src/features/billing/RevenuePage.tsx';
import { renderSignedIn, type SentRequest, signedInUser, type StubAnswer, stubRequests } from './api-stub.tsx';

const parties: Record<string, string> = { pty_northwind: 'Northwind', pty_maison: 'Maison Exemple', pty_stream: 'StreamCast' };

const october: RevenueReport = {
  period: '2026-10',
  asOf: '2026-10-31',
  rows: [
    {
      contractId: 'ctr_1',
      contractNumber: 'IO-2026-0001',
      partyId: 'pty_northwind',
      currency: 'USD',
      recognized: '1000.00',
      billed: '0.00',
      accrued: '1000.00',
    },
    {
      contractId: 'ctr_2',
      contractNumber: 'IO-2026-0002',
      partyId: 'pty_maison',
      currency: 'EUR',
      recognized: '400.00',
      billed: '450.00',
      accrued: '-50.00',
    },
  ],
  deferred: [{ partyId: 'pty_northwind', currency: 'USD', amount: '300.00' }],
  totals: [
    { currency: 'EUR', recognized: '400.00', billed: '450.00', accrued: '-50.00', deferred: '0.00' },
    { currency: 'USD', recognized: '1000.00', billed: '0.00', accrued: '1000.00', deferred: '300.00' },
  ],
};

const run: AccrualRun = {
  period: '2026-10',
  accruedOn: '2026-10-31',
  reversedOn: '2026-11-01',
  postedAt: '2026-11-02T09:00:00.000Z',
  postedBy: 'usr_me',
  contracts: [
    {
      side: 'sell',
      contractId: 'ctr_1',
      contractNumber: 'IO-2026-0001',
      partyId: 'pty_northwind',
      billingEntityId: 'ent_us',
      currency: 'USD',
      rated: '1000.00',
      billed: '0.00',
      accrued: '1000.00',
    },
    {
      side: 'buy',
      contractId: 'ctr_3',
      contractNumber: 'PA-2026-0001',
      partyId: 'pty_stream',
      billingEntityId: 'ent_us',
      currency: 'USD',
      rated: '200.00',
      billed: '0.00',
      accrued: '200.00',
    },
  ],
  books: [{ billingEntityId: 'ent_us', currency: 'USD', revenue: '1000.00', cost: '200.00' }],
};

function reads(request: SentRequest): StubAnswer {
  const path = request.url.pathname;
  if (path === '/v1/reports/revenue') {
    const period = request.url.searchParams.get('period') ?? '';
    return { body: period === '2026-10' ? october : { period, asOf: `${period}-30`, rows: [], deferred: [], totals: [] } };
  }
  if (path === '/v1/billing-entities') return { body: { data: [{ id: 'ent_us', name: 'Tally US' }], nextCursor: null } };
  const party = /^\/v1\/parties\/([^/]+)$/.exec(path)?.[1];
  if (party && parties[party]) return { body: { id: party, kind: 'advertiser', name: parties[party], currency: 'USD' } };
  return { body: { data: [], nextCursor: null } };
}

const problem = (status: number, code: string, detail: string): StubAnswer => ({
  status,
  body: { type: 'about:blank', title: 'Refused', status, code, detail, errors: [{ path: 'period', message: 'refused' }] },
});

const rowsOf = (table: HTMLElement) =>
  within(table)
    .getAllByRole('row')
    .map((row) => row.textContent);

async function chooseOctober(user: ReturnType<typeof userEvent.setup>) {
  const month = screen.getByLabelText('Month');
  await user.clear(month);
  await user.type(month, '2026-10');
}

describe('the revenue report', () => {
  it('shows per contract recognized, billed and accrued with totals per currency, and the prepayments deferred', async () => {
    const user = userEvent.setup();
    const sent = stubRequests(() => undefined, reads);
    await renderSignedIn(<RevenuePage />, { ...signedInUser, role: 'viewer' });
    await chooseOctober(user);
    const revenue = await screen.findByRole('table', { name: 'Revenue per contract' });
    await within(revenue).findByRole('link', { name: 'Maison Exemple' });
    expect(rowsOf(revenue)).toEqual([
      'ContractPartyCurrencyRecognizedBilledAccrued',
      'IO-2026-0001NorthwindUSD$1,000.00$0.00$1,000.00',
      'IO-2026-0002Maison ExempleEUR€400.00€450.00-€50.00',
      'Total EUR€400.00€450.00-€50.00',
      'Total USD$1,000.00$0.00$1,000.00',
    ]);
    expect(within(revenue).getByRole('link', { name: 'IO-2026-0001' }).getAttribute('href')).toBe('/contracts/ctr_1');
    const deferred = screen.getByRole('table', { name: 'Deferred revenue' });
    expect(rowsOf(deferred)).toEqual(['PartyCurrencyPrepayments held', 'NorthwindUSD$300.00', 'Total USD$300.00']);
    expect(
      sent
        .filter((request) => request.url.pathname === '/v1/reports/revenue')
        .at(-1)
        ?.url.searchParams.get('period'),
    ).toBe('2026-10');
    // A viewer reads the report; only admins and finance post accruals.
    expect(screen.queryByRole('button', { name: 'Post accruals…' })).toBeNull();
  });

  it('says so when a month has nothing', async () => {
    const user = userEvent.setup();
    stubRequests(() => undefined, reads);
    await renderSignedIn(<RevenuePage />);
    const month = screen.getByLabelText('Month');
    await user.clear(month);
    await user.type(month, '2026-09');
    await screen.findByText('Nothing recognized, billed or deferred in September 2026');
  });

  it('starts at the last month that has ended', () => {
    expect(lastEndedMonth('2026-11-02')).toBe('2026-10');
    expect(lastEndedMonth('2027-01-01')).toBe('2026-12');
  });
});

describe('posting accruals', () => {
  it('asks first, posts the month with an Idempotency-Key and shows what each book got', async () => {
    const user = userEvent.setup();
    const sent = stubRequests((request) => (request.method === 'POST' ? { status: 201, body: run } : undefined), reads);
    await renderSignedIn(<RevenuePage />);
    await chooseOctober(user);
    await user.click(screen.getByRole('button', { name: 'Post accruals…' }));
    const dialog = screen.getByRole('dialog', { name: 'Post accruals for October 2026' });
    expect(sent.filter((request) => request.method === 'POST')).toEqual([]);
    await user.click(within(dialog).getByRole('button', { name: 'Post accruals' }));
    const posted = await screen.findByRole('region', { name: 'Accruals posted' });
    expect(within(posted).getByRole('status').textContent).toMatch(
      /^Accruals for October 2026 posted, dated Oct 31, 2026 and reversed on Nov 1, 2026\. Posted .+ by /,
    );
    const books = within(posted).getByRole('table', { name: 'Books' });
    await within(books).findByRole('link', { name: 'Tally US' });
    expect(rowsOf(books)).toEqual(['Billing entityCurrencyRevenue accruedPartner cost accrued', 'Tally USUSD$1,000.00$200.00']);
    expect(rowsOf(within(posted).getByRole('table', { name: 'Accruals per contract', hidden: true }))).toEqual([
      'SideContractPartyRatedBilledAccrued',
      'RevenueIO-2026-0001Northwind$1,000.00$0.00$1,000.00',
      'Partner costPA-2026-0001StreamCast$200.00$0.00$200.00',
    ]);
    const posts = sent.filter((request) => request.method === 'POST');
    expect(posts.map((request) => [request.url.pathname, request.body])).toEqual([['/v1/accruals', { period: '2026-10' }]]);
    expect(posts[0]?.headers.get('idempotency-key')).toMatch(/^web-[0-9a-f]{32}-[0-9a-f]{8}$/);
  });

  it.each([
    [
      409,
      'accruals_already_posted',
      'Accruals for 2026-10 were posted at 2026-11-02T09:00:00.000Z by usr_me',
      'This month is already accrued: a month is accrued once',
    ],
    [
      422,
      'period_not_ended',
      '2026-10 ends on 2026-10-31: accruals are posted once a period has ended',
      'This month has not ended yet: accruals are posted once it has',
    ],
  ])('shows the refusal %i %s in plain words with what the server said', async (status, code, detail, title) => {
    const user = userEvent.setup();
    stubRequests((request) => (request.method === 'POST' ? problem(status, code, detail) : undefined), reads);
    await renderSignedIn(<RevenuePage />, { ...signedInUser, role: 'admin' });
    await chooseOctober(user);
    await user.click(screen.getByRole('button', { name: 'Post accruals…' }));
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Post accruals' }));
    const alert = await screen.findByText(title);
    expect(alert.closest('[role="alert"]')?.textContent).toBe(`${title}${detail} (${code})`);
    expect(screen.queryByRole('region', { name: 'Accruals posted' })).toBeNull();
    // Another month is another question: the refusal was about October only.
    const month = screen.getByLabelText('Month');
    await user.clear(month);
    await user.type(month, '2026-09');
    expect(screen.queryByText(title)).toBeNull();
  });
});
