/**
 * Billing entities and their tax rates (SPEC §10): the list, the create form (the API's own checks
 * at each field as typed, the server's refusal at its field, the body sent), the edit form (the
 * number prefix read-only, cleared details sent as null), the entity's page with its tax rates
 * (added, ended, restored), and all of it read-only for roles that may not write it.
 */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router';
import { describe, expect, it } from 'vitest';
import type { BillingEntity } from '../../src/wire/billing-entities.ts';
import type { TaxRate } from '../../src/wire/taxes.ts';
import EntityFormPage from '../../web/src/features/entities/EntityFormPage.tsx';
import EntityListPage from '../../web/src/features/entities/EntityListPage.tsx';
import EntityPage from '../../web/src/features/entities/EntityPage.tsx';
import { renderSignedIn, type SentRequest, signedInUser, type StubAnswer, stubRequests } from './api-stub.tsx';

const viewer = { ...signedInUser, role: 'viewer' as const };

const problem = (status: number, code: string, errors: { path: string; message: string }[] = []): StubAnswer => ({
  status,
  body: { type: 'about:blank', title: code, status, code, detail: `refused: ${code}`, errors },
});

const defaultEntity: BillingEntity = {
  id: 'ent_00000000000000000000000000',
  name: 'Tally Inc.',
  legalName: 'Tally Inc.',
  country: 'US',
  baseCurrency: 'USD',
  taxId: null,
  numberPrefix: null,
  address: ['1 Market St', 'San Francisco, CA 94105'],
  email: 'billing@tally.example',
  paymentInstructions: null,
  bankDetails: null,
  remitTo: [],
  paperSize: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  createdBy: 'system',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

const france: BillingEntity = {
  ...defaultEntity,
  id: 'ent_france',
  name: 'Tally France',
  legalName: 'Tally France SAS',
  country: 'FR',
  baseCurrency: 'EUR',
  taxId: 'FR40303265045',
  numberPrefix: 'FR',
  address: ['10 rue de la Paix', '75002 Paris'],
  bankDetails: {
    accountName: 'Tally France SAS',
    bankName: null,
    iban: 'FR1420041010050500013M02606',
    bic: 'PSSTFRPPPAR',
    accountNumber: null,
    routingNumber: null,
    reference: null,
  },
  createdBy: 'usr_me',
};

const vat: TaxRate = {
  id: 'txr_1',
  billingEntityId: france.id,
  code: 'FR-VAT-20',
  name: 'TVA 20 %',
  percent: '20',
  country: 'FR',
  appliesTo: 'sell',
  active: true,
  createdAt: '2026-11-01T09:00:00.000Z',
  createdBy: 'usr_me',
};

/** The entity screens' reads: the list, an entity, its tax rates, people and the audit trail. */
function entityReads(rates: TaxRate[] = [vat]) {
  return (request: SentRequest): StubAnswer => {
    const path = request.url.pathname;
    if (path === '/v1/billing-entities') return { body: { data: [defaultEntity, france] } };
    if (path === `/v1/billing-entities/${france.id}`) return { body: france };
    if (path === '/v1/tax-rates') return { body: { data: rates } };
    if (path === '/v1/people') return { body: { data: [] } };
    if (path === '/v1/audit') return { body: { data: [], nextCursor: null } };
    return problem(404, 'not_found');
  };
}

const posts = (sent: SentRequest[], method = 'POST') => sent.filter((request) => request.method === method);

describe('the billing entities list', () => {
  it('shows each entity with its country, currency and prefix; only admins and finance get “New entity”', async () => {
    stubRequests(() => undefined, entityReads());
    const { unmount } = await renderSignedIn(<EntityListPage />, viewer);
    const table = await screen.findByRole('table', { name: 'Billing entities' });
    await within(table).findByText('Tally France');
    expect(
      within(table)
        .getAllByRole('row')
        .slice(1)
        .map((row) => row.textContent),
    ).toEqual(['Tally Inc.Tally Inc.USUSDnone—', 'Tally FranceTally France SASFREURFRFR40303265045']);
    expect(screen.queryByRole('link', { name: 'New entity' })).toBeNull();
    unmount();
    await renderSignedIn(<EntityListPage />);
    expect(await screen.findByRole('link', { name: 'New entity' })).toBeTruthy();
  });
});

describe('a new billing entity', () => {
  function renderNew() {
    return renderSignedIn(
      <Routes>
        <Route path="*" element={<EntityFormPage />} />
        <Route path="/entities/:entityId" element={<EntityPage />} />
      </Routes>,
    );
  }

  it('shows what the API would refuse at each field, before anything is sent', async () => {
    const user = userEvent.setup();
    const sent = stubRequests(() => undefined, entityReads());
    await renderNew();
    await user.click(screen.getByRole('button', { name: 'Create entity' }));
    // A field's error is the one of its descriptions that ends in -error (the other is its hint).
    const messageOf = (label: string) => {
      const ids = (screen.getByLabelText(label).getAttribute('aria-describedby') ?? '').split(' ');
      const errorId = ids.find((id) => id.endsWith('-error'));
      return errorId ? document.getElementById(errorId)?.textContent : undefined;
    };
    expect(messageOf('Name')).toBe('Required');
    expect(messageOf('Legal name')).toBe('Required');
    expect(messageOf('Country')).toBe('must be an ISO 3166-1 alpha-2 country code in upper case, e.g. "US"');
    expect(messageOf('Number prefix')).toBe('must be 1 to 10 upper-case letters or digits, e.g. "EU"');
    // A prefix with a dash, and half a bank account: each said at its field as typed.
    await user.type(screen.getByLabelText('Number prefix'), 'fr-1');
    expect((screen.getByLabelText('Number prefix') as HTMLInputElement).value).toBe('FR-1');
    expect(screen.getByText('must be 1 to 10 upper-case letters or digits, e.g. "EU"')).toBeTruthy();
    await user.type(screen.getByLabelText('Account holder'), 'Tally France SAS');
    expect(screen.getByText('needs an iban or an accountNumber: the account to pay into')).toBeTruthy();
    await user.type(screen.getByLabelText('IBAN'), 'FR14 2004 1010 0505 0001 3M02 607');
    expect(screen.getByText('must be an IBAN: country code, check digits and account, with a valid checksum')).toBeTruthy();
    expect(posts(sent)).toEqual([]);
  });

  it('sends the entity, shows a prefix another entity has at its field, and opens the new entity', async () => {
    const user = userEvent.setup();
    let refused = false;
    const sent = stubRequests((request) => {
      if (request.method !== 'POST') return undefined;
      if (!refused) {
        refused = true;
        return problem(409, 'number_prefix_taken', [{ path: 'numberPrefix', message: 'already used by another entity' }]);
      }
      return { status: 201, body: france };
    }, entityReads());
    await renderNew();
    await user.type(screen.getByLabelText('Name'), 'Tally France');
    await user.type(screen.getByLabelText('Legal name'), 'Tally France SAS');
    await user.type(screen.getByLabelText('Country'), 'fr');
    await user.type(screen.getByLabelText('Base currency'), 'eur');
    await user.type(screen.getByLabelText('Number prefix'), 'US');
    await user.type(screen.getByLabelText('Tax id (optional)'), 'FR40303265045');
    await user.type(screen.getByLabelText('Address (optional)'), '10 rue de la Paix{enter}{enter}75002 Paris');
    await user.type(screen.getByLabelText('Account holder'), 'Tally France SAS');
    await user.type(screen.getByLabelText('IBAN'), 'FR14 2004 1010 0505 0001 3M02 606');
    await user.selectOptions(screen.getByLabelText('Paper size'), 'A4');
    await user.click(screen.getByRole('button', { name: 'Create entity' }));
    const alert = await screen.findByText('Another billing entity has this number prefix');
    expect(alert.closest('[data-code]')?.getAttribute('data-code')).toBe('number_prefix_taken');
    expect(screen.getByText('already used by another entity')).toBeTruthy();

    await user.clear(screen.getByLabelText('Number prefix'));
    await user.type(screen.getByLabelText('Number prefix'), 'FR');
    expect(screen.queryByText('already used by another entity')).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Create entity' }));
    await screen.findByRole('heading', { name: 'Tally France' });
    expect(posts(sent).map((request) => request.body)).toEqual([
      expect.objectContaining({ numberPrefix: 'US' }),
      {
        name: 'Tally France',
        legalName: 'Tally France SAS',
        country: 'FR',
        baseCurrency: 'EUR',
        numberPrefix: 'FR',
        taxId: 'FR40303265045',
        address: ['10 rue de la Paix', '75002 Paris'],
        bankDetails: {
          accountName: 'Tally France SAS',
          bankName: null,
          iban: 'FR14 2004 1010 0505 0001 3M02 606',
          bic: null,
          accountNumber: null,
          routingNumber: null,
          reference: null,
        },
        paperSize: 'A4',
      },
    ]);
  });
});

describe('editing a billing entity', () => {
  it('shows the number prefix read-only and sends every other field, a cleared detail as null', async () => {
    const user = userEvent.setup();
    const sent = stubRequests(
      (request) => (request.method === 'PATCH' ? { body: { ...france, taxId: null, name: 'Tally France SAS' } } : undefined),
      entityReads(),
    );
    await renderSignedIn(
      <Routes location={`/entities/${france.id}/edit`}>
        <Route path="/entities/:entityId/edit" element={<EntityFormPage />} />
        <Route path="/entities/:entityId" element={<EntityPage />} />
      </Routes>,
    );
    await screen.findByRole('heading', { name: 'Edit Tally France' });
    const prefix = screen.getByLabelText('Number prefix') as HTMLInputElement;
    expect(prefix.value).toBe('FR');
    expect(prefix.disabled).toBe(true);
    await user.clear(screen.getByLabelText('Tax id (optional)'));
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(posts(sent, 'PATCH')).toHaveLength(1));
    const patch = posts(sent, 'PATCH')[0];
    expect(patch?.url.pathname).toBe(`/v1/billing-entities/${france.id}`);
    expect(patch?.body).toEqual({
      name: 'Tally France',
      legalName: 'Tally France SAS',
      country: 'FR',
      baseCurrency: 'EUR',
      taxId: null,
      address: ['10 rue de la Paix', '75002 Paris'],
      email: 'billing@tally.example',
      paymentInstructions: null,
      bankDetails: france.bankDetails,
      remitTo: [],
      paperSize: null,
    });
    expect(patch?.body).not.toHaveProperty('numberPrefix');
  });
});

describe("an entity's page and its tax rates", () => {
  function renderEntity(user = signedInUser) {
    return renderSignedIn(
      <Routes location={`/entities/${france.id}`}>
        <Route path="/entities/:entityId" element={<EntityPage />} />
      </Routes>,
      user,
    );
  }

  it('shows the issuer block and the rates, read-only for a viewer', async () => {
    stubRequests(
      () => undefined,
      entityReads([vat, { ...vat, id: 'txr_2', code: 'FR-VAT-10', name: 'TVA 10 %', percent: '10', active: false }]),
    );
    await renderEntity(viewer);
    await screen.findByRole('heading', { name: 'Tally France' });
    expect(screen.getByText('FR40303265045')).toBeTruthy();
    expect(screen.getByText('FR14 2004 1010 0505 0001 3M02 606')).toBeTruthy();
    expect(screen.getByText('(numbers such as INV-FR-2026-000001)')).toBeTruthy();
    const rates = await screen.findByRole('table', { name: 'Tax rates' });
    await within(rates).findByText('FR-VAT-20');
    expect(
      within(rates)
        .getAllByRole('row')
        .slice(1)
        .map((row) => row.textContent),
    ).toEqual(['FR-VAT-20TVA 20 %20 %FRinvoices (sell)Nov 1, 2026in force', 'FR-VAT-10TVA 10 %10 %FRinvoices (sell)Nov 1, 2026ended']);
    expect(screen.queryByRole('form', { name: 'New tax rate' })).toBeNull();
    expect(screen.queryByRole('button', { name: /^End / })).toBeNull();
    expect(screen.queryByRole('link', { name: 'Edit entity' })).toBeNull();
  });

  it('lets finance add a rate, checked as typed, and end or restore one', async () => {
    const user = userEvent.setup();
    const sent = stubRequests((request) => {
      if (request.method === 'POST') return { status: 201, body: { ...vat, id: 'txr_3', code: 'FR-VAT-5.5', percent: '5.5' } };
      if (request.method === 'PATCH') return { body: { ...vat, active: false } };
      return undefined;
    }, entityReads());
    await renderEntity();
    const form = await screen.findByRole('form', { name: 'New tax rate' });
    expect((within(form).getByLabelText('Country of the parties') as HTMLInputElement).value).toBe('FR');
    await user.type(within(form).getByLabelText('Code'), 'FR VAT');
    expect(within(form).getByText('must be 1 to 32 letters, digits, "_", "." or "-", e.g. "DE-VAT-19"')).toBeTruthy();
    await user.type(within(form).getByLabelText('Percent'), '120');
    expect(within(form).getByText('must be between 0 and 100')).toBeTruthy();
    await user.click(within(form).getByRole('button', { name: 'Add tax rate' }));
    expect(posts(sent)).toEqual([]);

    await user.clear(within(form).getByLabelText('Code'));
    await user.type(within(form).getByLabelText('Code'), 'FR-VAT-5.5');
    await user.type(within(form).getByLabelText('Name'), 'TVA 5,5 %');
    await user.clear(within(form).getByLabelText('Percent'));
    await user.type(within(form).getByLabelText('Percent'), '5.5');
    await user.selectOptions(within(form).getByLabelText('Applies to'), 'both');
    await user.click(within(form).getByRole('button', { name: 'Add tax rate' }));
    await within(form).findByText('FR-VAT-5.5');
    expect(posts(sent)[0]?.body).toEqual({
      billingEntityId: france.id,
      code: 'FR-VAT-5.5',
      name: 'TVA 5,5 %',
      percent: '5.5',
      country: 'FR',
      appliesTo: 'both',
    });

    await user.click(screen.getByRole('button', { name: 'End FR-VAT-20' }));
    await waitFor(() => expect(posts(sent, 'PATCH')).toHaveLength(1));
    expect(posts(sent, 'PATCH')[0]?.url.pathname).toBe('/v1/tax-rates/txr_1');
    expect(posts(sent, 'PATCH')[0]?.body).toEqual({ active: false });
  });
});
