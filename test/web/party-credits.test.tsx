/**
 * A party's credits and balance (SPEC §10) on its page and its portal: what it owes per currency,
 * each credit with what remains of it, and the Record credit form for admins and finance: fields
 * checked as typed with the API's schema, the body and Idempotency-Key sent, and the server's
 * refusal (a credit in another currency) at its field. Other staff and party users read only; a
 * partner holds no credits.
 */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router';
import { describe, expect, it } from 'vitest';
import type { PartyCredit } from '../../src/wire/credits.ts';
import type { Party } from '../../src/wire/parties.ts';
import PartyDetailPage from '../../web/src/features/parties/PartyDetailPage.tsx';
import PortalPage from '../../web/src/features/portal/PortalPage.tsx';
import { renderSignedIn, type SentRequest, signedInUser, type StubAnswer, stubRequests } from './api-stub.tsx';

const acme: Party = {
  id: 'pty_acme',
  kind: 'advertiser',
  name: 'Acme Outdoor',
  currency: 'USD',
  paymentTermsDays: 30,
  billingEmail: null,
  externalRef: null,
  agencyId: null,
  billingEntityId: 'ent_00000000000000000000000000',
  country: 'US',
  taxId: null,
  taxExempt: false,
  createdAt: '2026-11-01T09:00:00.000Z',
  createdBy: 'usr_me',
};

function credit(overrides: Partial<PartyCredit>): PartyCredit {
  return {
    id: 'crd_1',
    partyId: acme.id,
    billingEntityId: acme.billingEntityId,
    kind: 'prepayment',
    currency: 'USD',
    amount: '300.00',
    remaining: '0.00',
    expired: '0.00',
    expiresAt: null,
    reference: 'Wire 4471',
    grantedOn: '2026-11-02',
    createdAt: '2026-11-02T09:00:00.000Z',
    createdBy: 'usr_me',
    ...overrides,
  };
}

const balance = {
  partyId: acme.id,
  credits: [
    credit({}),
    credit({ id: 'crd_2', kind: 'promo', amount: '50.00', remaining: '20.00', expired: '30.00', expiresAt: '2026-10-31', reference: null }),
    credit({ id: 'crd_3', kind: 'makegood', amount: '125.50', remaining: '125.50', expiresAt: '2027-03-31', reference: 'IO-2026-0042' }),
  ],
  receivable: [{ currency: 'USD', amount: '700.00' }],
};

function reads(party: Party) {
  return (request: SentRequest): StubAnswer => {
    const path = request.url.pathname;
    if (path === `/v1/parties/${party.id}`) return { body: party };
    if (path === `/v1/parties/${party.id}/balance`) return { body: { ...balance, partyId: party.id } };
    if (path === '/v1/billing-entities') return { body: { data: [] } };
    if (path === '/v1/people') return { body: { data: [] } };
    return { body: { data: [], nextCursor: null } };
  };
}

function renderPartyPage(user = signedInUser, party = acme) {
  return renderSignedIn(
    <Routes location={`/parties/${party.id}`}>
      <Route path="/parties/:partyId" element={<PartyDetailPage />} />
    </Routes>,
    user,
  );
}

const rowsOf = (table: HTMLElement) =>
  within(table)
    .getAllByRole('row')
    .map((row) => row.textContent);

describe("a party's credits and balance", () => {
  it('lists each credit and says what the party owes and what remains, per currency', async () => {
    stubRequests(() => undefined, reads(acme));
    await renderPartyPage({ ...signedInUser, role: 'viewer' });
    const section = await screen.findByRole('region', { name: 'Credits and balance' });
    const table = await within(section).findByRole('table', { name: 'Credits' });
    expect(rowsOf(table)).toEqual([
      'KindAmountRemainingExpiresReferenceRecorded',
      'Prepayment$300.00$0.00neverWire 4471Nov 2, 2026',
      'Promotional credit$50.00$20.00$30.00 expiredOct 31, 2026—Nov 2, 2026',
      'Makegood credit$125.50$125.50Mar 31, 2027IO-2026-0042Nov 2, 2026',
    ]);
    const facts = within(section).getByText('Owes on invoices').closest('dl');
    expect(facts?.textContent).toBe('Owes on invoices$700.00Credits remaining$145.50');
    // A viewer reads; only admins and finance record credits.
    expect(within(section).queryByRole('form', { name: 'Record credit' })).toBeNull();
  });

  it('records a prepayment: fields checked as typed, the body and an Idempotency-Key sent', async () => {
    const user = userEvent.setup();
    const sent = stubRequests(
      (request) => (request.method === 'POST' ? { status: 201, body: credit({ id: 'crd_4', remaining: '300.00' }) } : undefined),
      reads(acme),
    );
    await renderPartyPage();
    const form = await screen.findByRole('form', { name: 'Record credit' });
    expect(within(form).getByLabelText<HTMLInputElement>('Currency').value).toBe('USD');
    expect(within(form).getByLabelText<HTMLSelectElement>('Kind').value).toBe('prepayment');
    // Nothing typed: each field says what is wrong, and nothing is sent.
    await user.click(within(form).getByRole('button', { name: 'Record credit' }));
    expect(within(form).getByText('Required')).toBeTruthy();
    await user.type(within(form).getByLabelText('Amount'), '300.001');
    expect(within(form).getByText('must be greater than 0, with at most 2 decimals')).toBeTruthy();
    await user.type(within(form).getByLabelText('Reference (optional)'), 'Wire 4471');
    await user.click(within(form).getByRole('button', { name: 'Record credit' }));
    expect(sent.filter((request) => request.method === 'POST')).toEqual([]);
    await user.clear(within(form).getByLabelText('Amount'));
    await user.type(within(form).getByLabelText('Amount'), '300.00');
    await user.click(within(form).getByRole('button', { name: 'Record credit' }));
    await within(form).findByText('Prepayment of $300.00 recorded.');
    const posts = sent.filter((request) => request.method === 'POST');
    expect(posts).toHaveLength(1);
    expect(posts[0]?.url.pathname).toBe('/v1/parties/pty_acme/credits');
    expect(posts[0]?.body).toEqual({ amount: '300.00', currency: 'USD', kind: 'prepayment', reference: 'Wire 4471' });
    expect(posts[0]?.headers.get('idempotency-key')).toMatch(/^web-[0-9a-f]{32}-[0-9a-f]{8}$/);
    // The form starts again, and the balance is read again.
    expect(within(form).getByLabelText<HTMLInputElement>('Amount').value).toBe('');
    await waitFor(() => expect(sent.filter((request) => request.url.pathname.endsWith('/balance'))).toHaveLength(2));
  });

  it("shows the server's refusal of another currency at the currency field", async () => {
    const user = userEvent.setup();
    const sent = stubRequests(
      (request) =>
        request.method === 'POST'
          ? {
              status: 422,
              body: {
                type: 'about:blank',
                title: 'Unprocessable',
                status: 422,
                code: 'credit_currency_mismatch',
                detail: 'Party pty_acme is billed in USD; a credit in EUR cannot be applied to its invoices',
                errors: [{ path: 'currency', message: "must be USD, the party's currency" }],
              },
            }
          : undefined,
      reads(acme),
    );
    await renderPartyPage({ ...signedInUser, role: 'admin' });
    const form = await screen.findByRole('form', { name: 'Record credit' });
    await user.type(within(form).getByLabelText('Amount'), '100');
    await user.clear(within(form).getByLabelText('Currency'));
    await user.type(within(form).getByLabelText('Currency'), 'eur');
    await user.selectOptions(within(form).getByLabelText('Kind'), 'promo');
    await user.type(within(form).getByLabelText('Expires (optional)'), '2027-01-31');
    await user.click(within(form).getByRole('button', { name: 'Record credit' }));
    await within(form).findByText("must be USD, the party's currency");
    expect(within(form).getByLabelText('Currency').getAttribute('aria-invalid')).toBe('true');
    expect(within(form).getByText("A credit is held in the party's own currency")).toBeTruthy();
    expect(sent.find((request) => request.method === 'POST')?.body).toEqual({
      amount: '100',
      currency: 'EUR',
      kind: 'promo',
      expiresAt: '2027-01-31',
    });
    // Editing the field takes the server's word away.
    await user.clear(within(form).getByLabelText('Currency'));
    await user.type(within(form).getByLabelText('Currency'), 'USD');
    expect(within(form).queryByText("must be USD, the party's currency")).toBeNull();
  });

  it('shows a party user its own balance on the portal, with nothing to record', async () => {
    const sent = stubRequests(() => undefined, reads(acme));
    await renderSignedIn(<PortalPage />, { ...signedInUser, role: 'party', partyId: acme.id });
    const section = await screen.findByRole('region', { name: 'Your credits and balance' });
    await within(section).findByRole('table', { name: 'Credits' });
    expect(within(section).getByText('$700.00')).toBeTruthy();
    expect(within(section).queryByRole('form')).toBeNull();
    expect(sent.some((request) => request.url.pathname === `/v1/parties/${acme.id}/balance`)).toBe(true);
  });

  it('has no credits for a partner, which is paid, not invoiced', async () => {
    const partner: Party = { ...acme, id: 'pty_partner', kind: 'partner', name: 'Pixel Partners' };
    const sent = stubRequests(() => undefined, reads(partner));
    await renderPartyPage(signedInUser, partner);
    await screen.findByRole('heading', { name: 'Pixel Partners' });
    expect(screen.queryByRole('region', { name: 'Credits and balance' })).toBeNull();
    expect(sent.some((request) => request.url.pathname.endsWith('/balance'))).toBe(false);
  });
});
