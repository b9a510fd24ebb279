/**
 * An invoice that a party's credits paid in part (SPEC §10) shows the credits applied after its
 * total, then the amount due, in its totals and its lines' footer; one without credits ends at its
 * total, as before.
 */
import { screen } from '@testing-library/react';
import { Route, Routes } from 'react-router';
import { describe, expect, it } from 'vitest';
import type { BillingDocument } from '../../web/src/features/billing/billing-api.ts';
import DocumentPage from '../../web/src/features/billing/DocumentPage.tsx';
import { invoice } from './billing-fixtures.ts';
import { renderSignedIn, type StubAnswer, stubRequests } from './api-stub.tsx';

const empty: StubAnswer = { body: { data: [], nextCursor: null } };

async function renderDocument(document: BillingDocument) {
  stubRequests(
    () => undefined,
    (request) => (request.url.pathname === `/v1/invoices/${document.id}` ? { body: document } : empty),
  );
  await renderSignedIn(
    <Routes location={`/invoices/${document.id}`}>
      <Route path="/invoices/:documentId" element={<DocumentPage kind="invoice" />} />
    </Routes>,
  );
  await screen.findByRole('heading', { name: `Invoice ${document.number}` });
  const table = screen.getByRole('table', { name: 'Lines' });
  return {
    footer: [...(table.querySelector('tfoot')?.querySelectorAll('tr') ?? [])].map((row) => row.textContent),
    totals: [...screen.getByLabelText('Totals').querySelectorAll('.label')].map(
      (label) => `${label.textContent} ${label.nextSibling?.textContent}`,
    ),
  };
}

describe("an invoice's credits", () => {
  it('shows the credits applied after the total, then the amount due', async () => {
    const { footer, totals } = await renderDocument(invoice());
    expect(footer).toEqual(['Subtotal$1,000.00', 'Total$1,000.00', 'Credits applied$300.00', 'Amount due$700.00']);
    expect(totals).toEqual(['Total $1,000.00', 'Credits applied $300.00', 'Credited $0.00', 'Paid $0.00', 'Outstanding $700.00']);
  });

  it('shows no credits row when none was applied', async () => {
    const { footer, totals } = await renderDocument(invoice({ status: 'finalized', creditsApplied: '0.00', amountDue: '1000.00' }));
    expect(footer).toEqual(['Subtotal$1,000.00', 'Total$1,000.00']);
    expect(totals).toEqual(['Total $1,000.00', 'Credited $0.00', 'Paid $0.00', 'Outstanding $1,000.00']);
  });
});
