/**
 * A party's billing entity and tax data (SPEC §10) in its form and on its page: the entity chosen
 * from the entities (a new party may keep the API's default, the first), country, tax id and
 * exemption sent as the API takes them, a move named only when the entity changed, and the 409 the
 * server answers for a party with finalized documents said plainly, at the field and above the form.
 */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router';
import { describe, expect, it } from 'vitest';
import type { Party } from '../../src/wire/parties.ts';
import PartyDetailPage from '../../web/src/features/parties/PartyDetailPage.tsx';
import PartyFormPage from '../../web/src/features/parties/PartyFormPage.tsx';
import PortalPage from '../../web/src/features/portal/PortalPage.tsx';
import { renderSignedIn, type SentRequest, signedInUser, type StubAnswer, stubRequests } from './api-stub.tsx';

const ops = { ...signedInUser, role: 'ops' as const };

const entities = [
  { id: 'ent_00000000000000000000000000', name: 'Tally Inc.', country: 'US', baseCurrency: 'USD' },
  { id: 'ent_france', name: 'Tally France', country: 'FR', baseCurrency: 'EUR' },
];

const maison: Party = {
  id: 'pty_maison',
  kind: 'advertiser',
  name: 'Maison Exemple',
  currency: 'EUR',
  paymentTermsDays: 30,
  billingEmail: null,
  externalRef: null,
  agencyId: null,
  billingEntityId: 'ent_france',
  country: 'FR',
  taxId: 'FR12345678901',
  taxExempt: false,
  createdAt: '2026-11-01T09:00:00.000Z',
  createdBy: 'usr_me',
};

function partyReads(request: SentRequest): StubAnswer {
  const path = request.url.pathname;
  if (path === '/v1/billing-entities') return { body: { data: entities } };
  if (path === `/v1/parties/${maison.id}`) return { body: maison };
  if (path === `/v1/parties/${maison.id}/balance`) return { body: { partyId: maison.id, credits: [], receivable: [] } };
  if (path === '/v1/parties') return { body: { data: [], nextCursor: null } };
  if (path === '/v1/contracts' || path === '/v1/audit') return { body: { data: [], nextCursor: null } };
  if (path === '/v1/people') return { body: { data: [] } };
  return { status: 404, body: { code: 'not_found', title: 'Not found', detail: 'no such thing', errors: [] } };
}

const sentWith = (sent: SentRequest[], method: string) => sent.filter((request) => request.method === method);

describe('a new party', () => {
  it('offers the entities (the first by default) and sends the chosen one with the tax data', async () => {
    const user = userEvent.setup();
    const sent = stubRequests((request) => (request.method === 'POST' ? { status: 201, body: maison } : undefined), partyReads);
    await renderSignedIn(
      <Routes>
        <Route path="*" element={<PartyFormPage />} />
        <Route path="/parties/:partyId" element={<PartyDetailPage />} />
      </Routes>,
      ops,
    );
    const entity = screen.getByLabelText('Billing entity');
    await within(entity).findByRole('option', { name: 'Tally France (FR, EUR)' });
    expect(
      within(entity)
        .getAllByRole('option')
        .map((option) => option.textContent),
    ).toEqual(['Default: Tally Inc.', 'Tally Inc. (US, USD)', 'Tally France (FR, EUR)']);
    await user.type(screen.getByLabelText('Name'), 'Maison Exemple');
    await user.clear(screen.getByLabelText('Currency'));
    await user.type(screen.getByLabelText('Currency'), 'EUR');
    await user.selectOptions(entity, 'ent_france');
    await user.type(screen.getByLabelText('Country (optional)'), 'f');
    await user.click(screen.getByRole('button', { name: 'Create party' }));
    expect(screen.getByText('An ISO 3166-1 code in capitals, such as FR')).toBeTruthy();
    expect(sentWith(sent, 'POST')).toEqual([]);
    await user.type(screen.getByLabelText('Country (optional)'), 'r');
    await user.type(screen.getByLabelText('Tax id (optional)'), 'FR12345678901');
    await user.click(screen.getByRole('button', { name: 'Create party' }));
    await screen.findByRole('heading', { name: 'Maison Exemple' });
    expect(sentWith(sent, 'POST')[0]?.body).toEqual({
      kind: 'advertiser',
      name: 'Maison Exemple',
      currency: 'EUR',
      paymentTermsDays: 30,
      taxExempt: false,
      billingEntityId: 'ent_france',
      country: 'FR',
      taxId: 'FR12345678901',
    });
    // Its page names the entity and the tax data.
    await screen.findByRole('link', { name: 'Tally France' });
    expect(screen.getByText('FR12345678901')).toBeTruthy();
  });
});

describe('editing a party', () => {
  function renderEdit() {
    return renderSignedIn(
      <Routes location={`/parties/${maison.id}/edit`}>
        <Route path="/parties/:partyId/edit" element={<PartyFormPage />} />
        <Route path="/parties/:partyId" element={<PartyDetailPage />} />
      </Routes>,
      ops,
    );
  }

  it('leaves the entity out of the change unless it moved, and sends tax data as the API clears it', async () => {
    const user = userEvent.setup();
    const sent = stubRequests((request) => (request.method === 'PATCH' ? { body: maison } : undefined), partyReads);
    await renderEdit();
    await screen.findByRole('heading', { name: 'Edit Maison Exemple' });
    await user.clear(screen.getByLabelText('Tax id (optional)'));
    await user.click(screen.getByRole('checkbox', { name: /Tax exempt/ }));
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(sentWith(sent, 'PATCH')).toHaveLength(1));
    expect(sentWith(sent, 'PATCH')[0]?.body).toEqual({
      name: 'Maison Exemple',
      currency: 'EUR',
      paymentTermsDays: 30,
      taxExempt: true,
      billingEmail: null,
      externalRef: null,
      agencyId: null,
      country: 'FR',
      taxId: null,
    });
  });

  it('says plainly that a party with finalized documents stays in its entity', async () => {
    const user = userEvent.setup();
    const sent = stubRequests(
      (request) =>
        request.method === 'PATCH'
          ? {
              status: 409,
              body: {
                type: 'about:blank',
                title: 'Conflict',
                status: 409,
                code: 'party_has_documents',
                detail: `Party ${maison.id} has finalized documents of its billing entity; it cannot move to another one. Nothing was changed`,
                errors: [{ path: 'billingEntityId', message: 'fixed once the party has a finalized document' }],
              },
            }
          : undefined,
      partyReads,
    );
    await renderEdit();
    const entity = await screen.findByLabelText('Billing entity');
    await within(entity).findByRole('option', { name: 'Tally Inc. (US, USD)' });
    expect((entity as HTMLSelectElement).value).toBe('ent_france');
    await user.selectOptions(entity, 'ent_00000000000000000000000000');
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    const alert = await screen.findByText('This party has finalized documents, so it stays in its billing entity');
    expect(alert.closest('[data-code]')?.textContent).toContain('it cannot move to another one. Nothing was changed');
    expect(screen.getByText('fixed once the party has a finalized document')).toBeTruthy();
    expect(entity.getAttribute('aria-invalid')).toBe('true');
    expect(sentWith(sent, 'PATCH')[0]?.body).toMatchObject({ billingEntityId: 'ent_00000000000000000000000000' });
  });
});

describe("a party user's portal", () => {
  it('shows its country and tax id but asks nothing of billing entities, which it may not read', async () => {
    const sent = stubRequests(() => undefined, partyReads);
    await renderSignedIn(<PortalPage />, { ...signedInUser, role: 'party', partyId: maison.id });
    await screen.findByRole('heading', { name: 'Maison Exemple' });
    expect(screen.getByText('FR12345678901')).toBeTruthy();
    expect(screen.queryByText('Billing entity')).toBeNull();
    expect(sent.some((request) => request.url.pathname === '/v1/billing-entities')).toBe(false);
  });
});
