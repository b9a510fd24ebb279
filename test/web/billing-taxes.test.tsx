/**
 * Tax on the billing screens (SPEC §10): a finalized invoice's tax rows (name, code, base, percent,
 * amount) between its subtotal and total, the reverse-charge note in their place, a draft that says
 * tax comes at finalization, a credit note's tax part, the trial balance of one entity's books, and
 * the tax report with a table per side and exact totals per currency.
 */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { BillingDocument } from '../../web/src/features/billing/billing-api.ts';
import { CreditNotes } from '../../web/src/features/billing/CreditNotes.tsx';
import { DocumentLines } from '../../web/src/features/billing/DocumentLines.tsx';
import TaxReportPage, { taxTotals } from '../../web/src/features/billing/TaxReportPage.tsx';
import TrialBalancePage from '../../web/src/features/billing/TrialBalancePage.tsx';
import { renderSignedIn, type SentRequest, type StubAnswer, stubRequests } from './api-stub.tsx';
import { invoice as issuedInvoice } from './billing-fixtures.ts';

/** INV-FR-2026-000001: 1,000.00 net for October, 20 % VAT, 1,200.00, nothing paid yet. */
function invoice(overrides: Partial<BillingDocument> = {}): BillingDocument {
  const base = issuedInvoice();
  return issuedInvoice({
    id: 'inv_fr',
    number: 'INV-FR-2026-000001',
    partyId: 'pty_maison',
    party: { id: 'pty_maison', name: 'Maison Exemple', kind: 'advertiser', billingEmail: null, externalRef: null, taxId: 'FR12345678901' },
    period: { label: '2026-10', from: '2026-10-01', to: '2026-10-31' },
    currency: 'EUR',
    status: 'finalized',
    lines: base.lines.map((line) => ({ ...line, from: '2026-10-01', to: '2026-10-31' })),
    taxes: [{ code: 'FR-VAT-20', name: 'TVA 20 %', percent: '20', base: '1000.00', amount: '200.00' }],
    taxTotal: '200.00',
    total: '1200.00',
    creditsApplied: '0.00',
    amountDue: '1200.00',
    ...overrides,
  });
}

/** The lines table's footer rows, as text. */
async function footerRows(document: BillingDocument): Promise<string[]> {
  stubRequests(
    () => undefined,
    () => ({ body: { data: [] } }),
  );
  await renderSignedIn(<DocumentLines document={document} />);
  const table = screen.getByRole('table', { name: 'Lines' });
  return [...(table.querySelector('tfoot')?.querySelectorAll('tr') ?? [])].map((row) => row.textContent ?? '');
}

describe("a document's tax", () => {
  it('shows each tax line with its base and percent between the subtotal and the total', async () => {
    expect(await footerRows(invoice())).toEqual(['Subtotal€1,000.00', 'TVA 20 % FR-VAT-20on €1,000.0020 %€200.00', 'Total€1,200.00']);
  });

  it('sums two rates in a tax total', async () => {
    const twoRates = invoice({
      taxes: [
        { code: 'US-NY', name: 'New York sales tax', percent: '4', base: '1000.00', amount: '40.00' },
        { code: 'US-NYC', name: 'New York City tax', percent: '4.875', base: '1000.00', amount: '48.75' },
      ],
      taxTotal: '88.75',
      total: '1088.75',
      currency: 'USD',
    });
    expect(await footerRows(twoRates)).toEqual([
      'Subtotal$1,000.00',
      'New York sales tax US-NYon $1,000.004 %$40.00',
      'New York City tax US-NYCon $1,000.004.875 %$48.75',
      'Tax total$88.75',
      'Total$1,088.75',
    ]);
  });

  it('prints the reverse-charge note instead of tax', async () => {
    const reverse = invoice({ taxes: [], taxTotal: '0.00', taxNote: 'Reverse charge', total: '1000.00', amountDue: '1000.00' });
    expect(await footerRows(reverse)).toEqual([
      'Subtotal€1,000.00',
      'Reverse charge no tax charged: the customer accounts for the VAT€0.00',
      'Total€1,000.00',
    ]);
  });

  it('says on a draft that tax is worked out at finalization', async () => {
    const draft = invoice({ number: null, status: 'draft', taxes: [], taxTotal: '0.00', total: '1000.00', issueDate: null });
    expect(await footerRows(draft)).toEqual(['Subtotal€1,000.00', 'Taxworked out when finalized', 'Total€1,000.00']);
  });

  it("shows a credit note's tax part per rate", async () => {
    stubRequests(
      () => undefined,
      (request): StubAnswer =>
        request.url.pathname === '/v1/credit-notes'
          ? {
              body: {
                data: [
                  {
                    id: 'crn_1',
                    number: 'CN-FR-2026-000001',
                    invoiceId: 'inv_fr',
                    invoiceNumber: 'INV-FR-2026-000001',
                    partyId: 'pty_maison',
                    currency: 'EUR',
                    amount: '120.00',
                    reason: 'Make-good',
                    taxes: [{ code: 'FR-VAT-20', percent: '20', amount: '20.00' }],
                    issueDate: '2026-11-26',
                    createdAt: '2026-11-26T09:00:00.000Z',
                    createdBy: 'usr_me',
                  },
                ],
                nextCursor: null,
              },
            }
          : { body: { data: [] } },
    );
    await renderSignedIn(<CreditNotes invoiceId="inv_fr" currency="EUR" />);
    const table = await screen.findByRole('table', { name: 'Credit notes' });
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map((cell) => cell.textContent),
    ).toEqual(['Number', 'Issued', 'Reason', 'By', 'Of which tax', 'Amount']);
    expect(within(table).getAllByRole('row')[1]?.textContent).toBe(
      'CN-FR-2026-000001Nov 26, 2026Make-goodMia Me (you)€20.00 (FR-VAT-20 20 %)€120.00',
    );
  });
});

const entities = {
  data: [
    { id: 'ent_00000000000000000000000000', name: 'Tally Inc.' },
    { id: 'ent_france', name: 'Tally France' },
  ],
};

describe('the trial balance by entity', () => {
  it("asks for one entity's books when one is chosen, and all of them by default", async () => {
    const user = userEvent.setup();
    const sent = stubRequests(
      () => undefined,
      (request: SentRequest): StubAnswer => {
        if (request.url.pathname === '/v1/billing-entities') return { body: entities };
        const entityId = request.url.searchParams.get('entityId');
        return {
          body: {
            asOf: '2026-11-30',
            currency: null,
            entityId,
            accounts: [{ account: 'tax_payable', currency: 'EUR', debit: '0.00', credit: '200.00', balance: '-200.00' }],
            totals: { debit: '200.00', credit: '200.00' },
            totalsByCurrency: [{ currency: entityId ? 'EUR' : 'USD', debit: '200.00', credit: '200.00' }],
          },
        };
      },
    );
    await renderSignedIn(<TrialBalancePage />);
    const balances = () => sent.filter((request) => request.url.pathname === '/v1/ledger/trial-balance');
    await waitFor(() => expect(balances()).toHaveLength(1));
    expect(balances()[0]?.url.searchParams.has('entityId')).toBe(false);
    const filter = screen.getByLabelText('Billing entity');
    await within(filter).findByRole('option', { name: 'Tally France' });
    await user.selectOptions(filter, 'ent_france');
    await screen.findByRole('region', { name: 'Trial balance in EUR' });
    expect(balances().at(-1)?.url.searchParams.get('entityId')).toBe('ent_france');
  });
});

describe('the tax report', () => {
  const rows = [
    {
      entityId: 'ent_france',
      side: 'sell',
      code: 'FR-VAT-20',
      name: 'TVA 20 %',
      percent: '20',
      currency: 'EUR',
      documents: 1,
      base: '1000.00',
      tax: '200.00',
      credited: '20.00',
      net: '180.00',
    },
    {
      entityId: 'ent_france',
      side: 'buy',
      code: 'FR-VAT-20',
      name: 'TVA 20 %',
      percent: '20',
      currency: 'EUR',
      documents: 1,
      base: '200.00',
      tax: '40.00',
      credited: '0.00',
      net: '40.00',
    },
  ] as const;

  it('sums tax, credited and net per currency exactly', () => {
    expect(taxTotals([rows[0], { ...rows[0], code: 'FR-VAT-10', tax: '0.10', credited: '0.20', net: '-0.10' }])).toEqual([
      { currency: 'EUR', tax: '200.1', credited: '20.2', net: '179.9' },
    ]);
  });

  it('shows a table per side, with the entity, and asks for one entity when chosen', async () => {
    const user = userEvent.setup();
    const sent = stubRequests(
      () => undefined,
      (request: SentRequest): StubAnswer =>
        request.url.pathname === '/v1/billing-entities'
          ? { body: entities }
          : { body: { from: '2026-11-01', to: '2026-11-30', entityId: request.url.searchParams.get('entityId'), rows } },
    );
    await renderSignedIn(<TaxReportPage />);
    await user.clear(screen.getByLabelText('From'));
    await user.type(screen.getByLabelText('From'), '2026-11-01');
    await user.clear(screen.getByLabelText('To'));
    await user.type(screen.getByLabelText('To'), '2026-11-30');
    const owed = await screen.findByRole('table', { name: 'Tax charged on invoices (owed)' });
    await within(owed).findByText('Tally France');
    expect(
      within(owed)
        .getAllByRole('row')
        .map((row) => row.textContent),
    ).toEqual([
      'EntityRatePercentCurrencyDocumentsBaseTaxCreditedNet',
      'Tally FranceTVA 20 % FR-VAT-2020 %EUR1€1,000.00€200.00€20.00€180.00',
      'Total EUR€200.00€20.00€180.00',
    ]);
    const recoverable = screen.getByRole('table', { name: 'Tax on payout statements (recoverable)' });
    expect(within(recoverable).getAllByRole('row')[1]?.textContent).toContain('€40.00');
    const reports = () => sent.filter((request) => request.url.pathname === '/v1/reports/tax');
    expect(reports().at(-1)?.url.searchParams.get('from')).toBe('2026-11-01');
    expect(reports().at(-1)?.url.searchParams.get('to')).toBe('2026-11-30');

    await user.selectOptions(screen.getByLabelText('Billing entity'), 'ent_france');
    await waitFor(() => expect(reports().at(-1)?.url.searchParams.get('entityId')).toBe('ent_france'));
    // One entity's report leaves the entity column out.
    await waitFor(() =>
      expect(within(screen.getByRole('table', { name: 'Tax charged on invoices (owed)' })).queryByText('Entity')).toBeNull(),
    );
  });
});
