/**
 * The receivables aging (SPEC §10): parties by name per currency with the buckets and each
 * currency's totals, one entity's when chosen, and a party's open invoices on demand with a link to
 * the invoice list filtered by it; the Billing tabs name the aging, the overdue invoices, the
 * revenue report and the tax report.
 */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router';
import { describe, expect, it } from 'vitest';
import ArAgingPage from '../../web/src/features/billing/ArAgingPage.tsx';
import type { ArAging } from '../../web/src/features/billing/billing-api.ts';
import BillingLayout from '../../web/src/features/billing/BillingLayout.tsx';
import DocumentListPage from '../../web/src/features/billing/DocumentListPage.tsx';
import { invoice } from './billing-fixtures.ts';
import { renderSignedIn, type SentRequest, signedInUser, type StubAnswer, stubRequests } from './api-stub.tsx';

const empty: StubAnswer = { body: { data: [], nextCursor: null } };

const parties: Record<string, { name: string; currency: string }> = {
  pty_acme: { name: 'Acme Outdoor', currency: 'USD' },
  pty_maison: { name: 'Maison Exemple', currency: 'EUR' },
};

const aging: ArAging = {
  asOf: '2026-11-30',
  entityId: null,
  rows: [
    {
      partyId: 'pty_acme',
      currency: 'USD',
      current: '700.00',
      days1to30: '0.00',
      days31to60: '250.00',
      days61to90: '0.00',
      over90: '0.00',
      total: '950.00',
    },
    {
      partyId: 'pty_maison',
      currency: 'EUR',
      current: '1200.00',
      days1to30: '0.00',
      days31to60: '0.00',
      days61to90: '0.00',
      over90: '0.00',
      total: '1200.00',
    },
  ],
  totals: [
    { currency: 'EUR', current: '1200.00', days1to30: '0.00', days31to60: '0.00', days61to90: '0.00', over90: '0.00', total: '1200.00' },
    { currency: 'USD', current: '700.00', days1to30: '0.00', days31to60: '250.00', days61to90: '0.00', over90: '0.00', total: '950.00' },
  ],
};

function agingReads(request: SentRequest): StubAnswer {
  const path = request.url.pathname;
  if (path === '/v1/billing-entities') return { body: { data: [{ id: 'ent_france', name: 'Tally France' }] } };
  if (path === '/v1/reports/ar-aging') {
    const entityId = request.url.searchParams.get('entityId');
    return { body: entityId ? { ...aging, entityId, rows: aging.rows.slice(1), totals: aging.totals.slice(0, 1) } : aging };
  }
  const party = /^\/v1\/parties\/([^/]+)$/.exec(path)?.[1];
  if (party && parties[party]) return { body: { id: party, kind: 'advertiser', ...parties[party] } };
  if (path === '/v1/invoices') {
    return {
      body: {
        data: [
          invoice({
            id: 'inv_old',
            number: 'INV-2026-000003',
            period: { label: '2026-09', from: '2026-09-01', to: '2026-09-30' },
            status: 'finalized',
            issueDate: '2026-09-25',
            dueDate: '2026-10-25',
            creditsApplied: '0.00',
            total: '250.00',
            amountDue: '250.00',
          }),
          invoice({ id: 'inv_paid', number: 'INV-2026-000005', status: 'paid', amountDue: '0.00' }),
          invoice({ id: 'inv_draft', number: null, status: 'draft' }),
          invoice(),
        ],
        nextCursor: null,
      },
    };
  }
  return empty;
}

describe('the receivables aging', () => {
  it('lists each party by name per currency with the buckets, and the totals per currency', async () => {
    const user = userEvent.setup();
    const sent = stubRequests(() => undefined, agingReads);
    await renderSignedIn(<ArAgingPage />, { ...signedInUser, role: 'viewer' });
    await user.clear(screen.getByLabelText('As of'));
    await user.type(screen.getByLabelText('As of'), '2026-11-30');
    const table = await screen.findByRole('table', { name: 'Receivables aging' });
    await within(table).findByRole('button', { name: 'Maison Exemple' });
    expect(
      within(table)
        .getAllByRole('row')
        .map((row) => row.textContent),
    ).toEqual([
      'PartyCurrencyCurrent1–30 days31–60 days61–90 daysOver 90 daysTotal',
      'Acme OutdoorUSD$700.00$0.00$250.00$0.00$0.00$950.00',
      'Maison ExempleEUR€1,200.00€0.00€0.00€0.00€0.00€1,200.00',
      'Total EUR€1,200.00€0.00€0.00€0.00€0.00€1,200.00',
      'Total USD$700.00$0.00$250.00$0.00$0.00$950.00',
    ]);
    const asked = () => sent.filter((request) => request.url.pathname === '/v1/reports/ar-aging').at(-1)?.url.searchParams;
    expect(asked()?.get('asOf')).toBe('2026-11-30');
    expect(asked()?.has('entityId')).toBe(false);

    const entity = screen.getByLabelText('Billing entity');
    await within(entity).findByRole('option', { name: 'Tally France' });
    await user.selectOptions(entity, 'ent_france');
    await waitFor(() => expect(asked()?.get('entityId')).toBe('ent_france'));
    await waitFor(() => expect(within(screen.getByRole('table', { name: 'Receivables aging' })).getAllByRole('row')).toHaveLength(3));
  });

  it("opens a party's open invoices, oldest due first, with their days past due and a link to all its invoices", async () => {
    const user = userEvent.setup();
    const sent = stubRequests(() => undefined, agingReads);
    await renderSignedIn(<ArAgingPage />);
    await user.clear(screen.getByLabelText('As of'));
    await user.type(screen.getByLabelText('As of'), '2026-11-30');
    const acme = await screen.findByRole('button', { name: 'Acme Outdoor' });
    expect(acme.getAttribute('aria-expanded')).toBe('false');
    await user.click(acme);
    const panel = await screen.findByRole('region', { name: 'Open invoices of Acme Outdoor in USD' });
    const invoices = await within(panel).findByRole('table');
    expect(
      within(invoices)
        .getAllByRole('row')
        .slice(1)
        .map((row) => row.textContent),
    ).toEqual([
      'INV-2026-0000032026-09finalizedSep 25, 2026Oct 25, 202636$250.00$250.00',
      'INV-2026-0000072026-11partially paidNov 25, 2026Dec 25, 2026not yet due$1,000.00$700.00',
    ]);
    expect(within(invoices).getByRole('link', { name: 'INV-2026-000003' }).getAttribute('href')).toBe('/invoices/inv_old');
    expect(within(panel).getByRole('link', { name: 'All invoices of Acme Outdoor' }).getAttribute('href')).toBe(
      '/billing/invoices?partyId=pty_acme',
    );
    const listed = sent.find((request) => request.url.pathname === '/v1/invoices')?.url.searchParams;
    expect(listed?.get('partyId')).toBe('pty_acme');
    expect(acme.getAttribute('aria-expanded')).toBe('true');
    await user.click(within(panel).getByRole('button', { name: 'Close' }));
    expect(screen.queryByRole('region', { name: 'Open invoices of Acme Outdoor in USD' })).toBeNull();
  });
});

describe("the aging's link to a party's invoices", () => {
  it('opens the invoice list filtered by that party', async () => {
    const sent = stubRequests(() => undefined, agingReads);
    await renderSignedIn(
      <Routes location="/billing/invoices?partyId=pty_acme">
        <Route path="/billing/invoices" element={<DocumentListPage kind="invoice" />} />
      </Routes>,
    );
    await screen.findByRole('link', { name: 'INV-2026-000003' });
    const listed = sent.filter((request) => request.url.pathname === '/v1/invoices');
    expect(listed.map((request) => request.url.searchParams.get('partyId'))).toEqual(['pty_acme']);
    const picker = screen.getByLabelText('Party');
    await within(picker).findByRole('option', { name: 'Acme Outdoor (advertiser, USD)' });
    expect((picker as HTMLSelectElement).value).toBe('pty_acme');
  });
});

describe('the Billing tabs', () => {
  it('give ledger readers the aging, the revenue report and the tax report, each its own tab, and every staff role the overdue invoices', async () => {
    stubRequests(
      () => undefined,
      () => empty,
    );
    await renderSignedIn(<BillingLayout />, { ...signedInUser, role: 'viewer' });
    const tabs = screen.getByRole('navigation', { name: 'Billing sections' });
    expect(
      within(tabs)
        .getAllByRole('link')
        .map((link) => [link.textContent, link.getAttribute('href')]),
    ).toEqual([
      ['Invoices', '/billing/invoices'],
      ['Overdue', '/billing/overdue'],
      ['Payout statements', '/billing/statements'],
      ['Trial balance', '/billing/trial-balance'],
      ['AR aging', '/billing/ar-aging'],
      ['Revenue', '/billing/revenue'],
      ['Tax report', '/billing/tax-report'],
      ['Margin', '/billing/margin'],
      ['Exports', '/billing/exports'],
    ]);
  });
});
