/**
 * The dunning queue (SPEC §10): the overdue invoices with their party, number, due date, days past
 * due and amount due; the dunning run for admins and finance, with what it sent and skipped and the
 * server's refusal of a date at its field; the schedule every staff role reads and admins edit, each
 * step checked at its own field; the overdue badge on invoice lists and the document page; and a
 * party's statement of account downloaded from its page.
 */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router';
import { describe, expect, it, vi } from 'vitest';
import type { Party } from '../../src/wire/parties.ts';
import DocumentPage from '../../web/src/features/billing/DocumentPage.tsx';
import { DocumentTable } from '../../web/src/features/billing/DocumentTable.tsx';
import { describeSchedule } from '../../web/src/features/billing/DunningScheduleCard.tsx';
import OverduePage from '../../web/src/features/billing/OverduePage.tsx';
import PartyDetailPage from '../../web/src/features/parties/PartyDetailPage.tsx';
import { invoice } from './billing-fixtures.ts';
import { renderSignedIn, type SentRequest, signedInUser, type StubAnswer, stubRequests } from './api-stub.tsx';

const parties: Record<string, string> = { pty_acme: 'Acme Outdoor', pty_maison: 'Maison Exemple' };

const overdueInvoices = [
  invoice({
    id: 'inv_3',
    number: 'INV-2026-000003',
    status: 'finalized',
    dueDate: '2026-11-30',
    creditsApplied: '0.00',
    total: '900.00',
    amountDue: '900.00',
    overdue: true,
    daysPastDue: 31,
  }),
  invoice({
    id: 'inv_5',
    number: 'INV-FR-2026-000005',
    partyId: 'pty_maison',
    party: { ...invoice().party, id: 'pty_maison', name: 'Maison Exemple' },
    currency: 'EUR',
    status: 'partially_paid',
    dueDate: '2026-12-30',
    amountDue: '750.00',
    overdue: true,
    daysPastDue: 1,
  }),
];

const problem = (status: number, code: string, errors: { path: string; message: string }[] = []): StubAnswer => ({
  status,
  body: { type: 'about:blank', title: 'Refused', status, code, detail: `Refused: ${code}`, errors },
});

function reads(request: SentRequest): StubAnswer {
  const path = request.url.pathname;
  if (path === '/v1/invoices') return { body: { data: overdueInvoices, nextCursor: null } };
  if (path === '/v1/settings/dunning') return { body: { steps: [1, 15, 30] } };
  const party = /^\/v1\/parties\/([^/]+)$/.exec(path)?.[1];
  if (party && parties[party]) return { body: { id: party, kind: 'advertiser', name: parties[party], currency: 'USD' } };
  return { body: { data: [], nextCursor: null } };
}

const rowsOf = (table: HTMLElement) =>
  within(table)
    .getAllByRole('row')
    .map((row) => row.textContent);

describe('the dunning queue', () => {
  it('lists the overdue invoices with party, number, due date, days past due and amount due, and the schedule', async () => {
    const sent = stubRequests(() => undefined, reads);
    await renderSignedIn(<OverduePage />, { ...signedInUser, role: 'viewer' });
    const table = await screen.findByRole('table', { name: 'Overdue invoices' });
    await within(table).findByRole('link', { name: 'Maison Exemple' });
    expect(rowsOf(table)).toEqual([
      'PartyNumberDueDays past dueAmount due',
      'Acme OutdoorINV-2026-000003Nov 30, 202631$900.00',
      'Maison ExempleINV-FR-2026-000005Dec 30, 20261€750.00',
    ]);
    expect(within(table).getByRole('link', { name: 'INV-2026-000003' }).getAttribute('href')).toBe('/invoices/inv_3');
    const listed = sent.find((request) => request.url.pathname === '/v1/invoices')?.url.searchParams;
    expect(listed?.get('overdue')).toBe('true');
    const schedule = screen.getByRole('region', { name: 'Dunning schedule' });
    await within(schedule).findByText('1, 15 and 30 days past due');
    // A viewer reads the queue and the schedule, and neither runs dunning nor edits the schedule.
    expect(screen.queryByRole('form', { name: 'Run dunning' })).toBeNull();
    expect(within(schedule).queryByRole('button', { name: 'Edit schedule' })).toBeNull();
  });

  it('runs dunning as of a date for finance and shows what was sent and what was skipped', async () => {
    const user = userEvent.setup();
    const sent = stubRequests(
      (request) =>
        request.method === 'POST'
          ? {
              body: {
                asOf: '2026-12-31',
                notices: [
                  {
                    documentId: 'inv_3',
                    number: 'INV-2026-000003',
                    partyId: 'pty_acme',
                    step: 30,
                    daysPastDue: 31,
                    currency: 'USD',
                    amountDue: '900.00',
                  },
                  {
                    documentId: 'inv_5',
                    number: 'INV-FR-2026-000005',
                    partyId: 'pty_maison',
                    step: 1,
                    daysPastDue: 1,
                    currency: 'EUR',
                    amountDue: '750',
                  },
                ],
                skipped: [
                  { documentId: 'inv_3', number: 'INV-2026-000003', step: 1 },
                  { documentId: 'inv_3', number: 'INV-2026-000003', step: 15 },
                ],
              },
            }
          : undefined,
      reads,
    );
    await renderSignedIn(<OverduePage />);
    const form = await screen.findByRole('form', { name: 'Run dunning' });
    // Finance runs dunning but may not change settings.
    await screen.findByText('1, 15 and 30 days past due');
    expect(screen.queryByRole('button', { name: 'Edit schedule' })).toBeNull();
    const asOf = within(form).getByLabelText<HTMLInputElement>('As of');
    expect(asOf.value).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await user.clear(asOf);
    await user.type(asOf, '2026-12-31');
    await user.click(within(form).getByRole('button', { name: 'Run dunning' }));
    const result = await within(form).findByRole('region', { name: 'Dunning result' });
    expect(within(result).getByRole('status').textContent).toBe('Dunning as of Dec 31, 2026: 2 notices sent, 2 earlier steps skipped.');
    const notices = within(result).getByRole('table', { name: 'Sent' });
    await within(notices).findByRole('link', { name: 'Maison Exemple' });
    expect(rowsOf(notices)).toEqual([
      'NumberPartyStepDays past dueAmount due',
      'INV-2026-000003Acme Outdoor+30 days31$900.00',
      'INV-FR-2026-000005Maison Exemple+1 day1€750.00',
    ]);
    expect(rowsOf(within(result).getByRole('table', { name: 'Skipped' }))).toEqual([
      'NumberStep',
      'INV-2026-000003+1 day',
      'INV-2026-000003+15 days',
    ]);
    const posts = sent.filter((request) => request.method === 'POST');
    expect(posts.map((request) => [request.url.pathname, request.body])).toEqual([['/v1/dunning/run', { asOf: '2026-12-31' }]]);
  });

  it("shows the server's refusal of a later date at the As of field", async () => {
    const user = userEvent.setup();
    stubRequests(
      (request) =>
        request.method === 'POST' ? problem(400, 'validation_failed', [{ path: 'asOf', message: 'must be today or earlier' }]) : undefined,
      reads,
    );
    await renderSignedIn(<OverduePage />, { ...signedInUser, role: 'admin' });
    const form = await screen.findByRole('form', { name: 'Run dunning' });
    const asOf = within(form).getByLabelText('As of');
    await user.clear(asOf);
    await user.type(asOf, '2099-01-01');
    await user.click(within(form).getByRole('button', { name: 'Run dunning' }));
    await within(form).findByText('must be today or earlier');
    expect(asOf.getAttribute('aria-invalid')).toBe('true');
    expect(within(form).queryByRole('region', { name: 'Dunning result' })).toBeNull();
  });
});

describe('the dunning schedule', () => {
  it('is edited by an admin, a field per step, checked before it is sent', async () => {
    const user = userEvent.setup();
    const sent = stubRequests((request) => (request.method === 'PUT' ? { body: request.body } : undefined), reads);
    await renderSignedIn(<OverduePage />, { ...signedInUser, role: 'admin' });
    await user.click(await screen.findByRole('button', { name: 'Edit schedule' }));
    const form = screen.getByRole('form', { name: 'Edit dunning schedule' });
    expect(within(form).getByLabelText<HTMLInputElement>('Step 3').value).toBe('30');
    const second = within(form).getByLabelText('Step 2');
    await user.clear(second);
    await user.type(second, '45');
    // Step 3 (30) is now out of order: said at its field once the save is tried, and nothing is sent.
    await user.click(within(form).getByRole('button', { name: 'Save schedule' }));
    expect(within(form).getByText('must be greater than the step before it (45)')).toBeTruthy();
    expect(within(form).getByLabelText('Step 3').getAttribute('aria-invalid')).toBe('true');
    await user.click(within(form).getByRole('button', { name: 'Remove step 3' }));
    await user.click(within(form).getByRole('button', { name: 'Add step' }));
    await user.type(within(form).getByLabelText('Step 3'), '1.5');
    expect(within(form).getByText('Must be a whole number')).toBeTruthy();
    await user.clear(within(form).getByLabelText('Step 3'));
    await user.type(within(form).getByLabelText('Step 3'), '60');
    expect(sent.filter((request) => request.method === 'PUT')).toEqual([]);
    await user.click(within(form).getByRole('button', { name: 'Save schedule' }));
    await screen.findByText('Schedule saved: dunning runs follow it from now on.');
    expect(sent.filter((request) => request.method === 'PUT').map((request) => [request.url.pathname, request.body])).toEqual([
      ['/v1/settings/dunning', { steps: [1, 45, 60] }],
    ]);
  });

  it("shows the server's refusal at the step it names", async () => {
    const user = userEvent.setup();
    stubRequests(
      (request) =>
        request.method === 'PUT' ? problem(400, 'validation_failed', [{ path: 'steps[0]', message: 'must be at most 3650' }]) : undefined,
      reads,
    );
    await renderSignedIn(<OverduePage />, { ...signedInUser, role: 'admin' });
    await user.click(await screen.findByRole('button', { name: 'Edit schedule' }));
    const form = screen.getByRole('form', { name: 'Edit dunning schedule' });
    await user.click(within(form).getByRole('button', { name: 'Save schedule' }));
    await within(form).findByText('must be at most 3650');
    expect(within(form).getByLabelText('Step 1').getAttribute('aria-invalid')).toBe('true');
    expect(within(form).getByLabelText('Step 2').getAttribute('aria-invalid')).toBeNull();
  });

  it('is said in words', () => {
    expect(describeSchedule([1, 15, 30])).toBe('1, 15 and 30 days past due');
    expect(describeSchedule([1])).toBe('1 day past due');
    expect(describeSchedule([7, 1000])).toBe('7 and 1,000 days past due');
  });
});

describe('the overdue badge', () => {
  it('marks overdue invoices in a list with their days past due', async () => {
    stubRequests(
      () => undefined,
      () => ({ body: { data: [...overdueInvoices, invoice({ id: 'inv_7' })], nextCursor: null } }),
    );
    await renderSignedIn(<DocumentTable filters={{ kind: 'invoice' }} label="Invoices" />);
    const table = await screen.findByRole('table', { name: 'Invoices' });
    expect(
      within(table)
        .getAllByRole('row')
        .slice(1)
        .map((row) => row.querySelectorAll('td')[3]?.textContent),
    ).toEqual(['finalized Overdue · 31 days', 'partially paid Overdue · 1 day', 'partially paid']);
  });

  it("shows on the document's page", async () => {
    stubRequests(
      () => undefined,
      (request) =>
        request.url.pathname === '/v1/invoices/inv_3' ? { body: overdueInvoices[0] } : { body: { data: [], nextCursor: null } },
    );
    await renderSignedIn(
      <Routes location="/invoices/inv_3">
        <Route path="/invoices/:documentId" element={<DocumentPage kind="invoice" />} />
      </Routes>,
    );
    await screen.findByRole('heading', { name: 'Invoice INV-2026-000003' });
    expect(screen.getByText('Overdue · 31 days')).toBeTruthy();
  });
});

describe('the statement of account', () => {
  const acme = {
    id: 'pty_acme',
    kind: 'advertiser',
    name: 'Acme Outdoor',
    currency: 'USD',
    paymentTermsDays: 30,
    billingEmail: null,
    externalRef: null,
    agencyId: null,
    billingEntityId: 'ent_default',
    country: 'US',
    taxId: null,
    taxExempt: false,
    createdAt: '2026-11-01T09:00:00.000Z',
    createdBy: 'usr_me',
  } satisfies Party;

  const partyReads = (request: SentRequest): StubAnswer => {
    const path = request.url.pathname;
    if (path === '/v1/parties/pty_acme') return { body: acme };
    if (path === '/v1/parties/pty_acme/balance') return { body: { partyId: acme.id, credits: [], receivable: [] } };
    return { body: { data: [], nextCursor: null } };
  };

  function renderPartyPage(role: 'finance' | 'ops') {
    return renderSignedIn(
      <Routes location="/parties/pty_acme">
        <Route path="/parties/:partyId" element={<PartyDetailPage />} />
      </Routes>,
      { ...signedInUser, role },
    );
  }

  it("downloads the party's statement as of a date, like an invoice's PDF", async () => {
    const user = userEvent.setup();
    stubRequests(() => undefined, partyReads);
    const apiFetch = globalThis.fetch;
    const downloaded: string[] = [];
    // The download asks by URL (the API's own requests come as Requests): answer it with a PDF.
    vi.stubGlobal('fetch', async (input: Request | string, init?: RequestInit) => {
      if (typeof input !== 'string') return apiFetch(input, init);
      downloaded.push(input);
      return new Response('%PDF-1.7', {
        headers: { 'content-type': 'application/pdf', 'content-disposition': 'inline; filename="statement-pty_acme-2026-11-30.pdf"' },
      });
    });
    const createObjectURL = vi.fn(() => 'blob:statement');
    Object.assign(URL, { createObjectURL, revokeObjectURL: vi.fn() });
    // The browser saves the file when the link is clicked; happy-dom would navigate to the blob instead.
    const saved = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    await renderPartyPage('finance');
    const asOf = await screen.findByLabelText('Statement as of');
    await user.clear(asOf);
    await user.type(asOf, '2026-11-30');
    await user.click(screen.getByRole('button', { name: 'Statement of account (PDF)' }));
    await waitFor(() => expect(saved).toHaveBeenCalled());
    expect(downloaded).toEqual(['/v1/parties/pty_acme/statement.pdf?asOf=2026-11-30']);
    expect((saved.mock.contexts[0] as HTMLAnchorElement).download).toBe('statement-pty_acme-2026-11-30.pdf');
    saved.mockRestore();
  });

  it('is not offered to ops, who may not read receivables', async () => {
    stubRequests(() => undefined, partyReads);
    await renderPartyPage('ops');
    await screen.findByRole('region', { name: 'Credits and balance' });
    await screen.findByText('Owes on invoices');
    expect(screen.queryByRole('button', { name: 'Statement of account (PDF)' })).toBeNull();
  });
});
