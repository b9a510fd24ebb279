/**
 * An invoice's or payout statement's actions follow its status and the user's role (a viewer sees
 * no button it cannot use), and the command dialogs check what they can before anything is sent.
 * Also the small exact helpers of the billing screens.
 */
import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Provider } from 'react-redux';
import { describe, expect, it } from 'vitest';
import { makeStore } from '../../web/src/app/store.ts';
import { dispositionFileName } from '../../web/src/common/download.ts';
import { formatDuration, formatMonth } from '../../web/src/common/format.ts';
import { bodyFingerprint } from '../../web/src/common/idempotency.ts';
import type { BillingDocument } from '../../web/src/features/billing/billing-api.ts';
import { amountProblem, DocumentActions } from '../../web/src/features/billing/DocumentActions.tsx';
import { exportUrl } from '../../web/src/features/billing/ExportsPage.tsx';
import { marginTotals } from '../../web/src/features/billing/MarginPage.tsx';
import { groupAccounts } from '../../web/src/features/billing/TrialBalancePage.tsx';
import { type Role, sessionApi } from '../../web/src/features/session/session-api.ts';

function invoice(overrides: Partial<BillingDocument> = {}): BillingDocument {
  return {
    id: 'inv_test1',
    kind: 'invoice',
    number: 'INV-2026-000001',
    runId: 'run_test1',
    partyId: 'pty_test1',
    party: { id: 'pty_test1', name: 'Northwind Streaming', kind: 'advertiser', billingEmail: null, externalRef: null },
    period: { label: '2026-10', from: '2026-10-01', to: '2026-10-31' },
    currency: 'USD',
    status: 'partially_paid',
    issueDate: '2026-11-25',
    dueDate: '2026-12-25',
    paymentTermsDays: 30,
    lines: [],
    subtotal: '140718.36',
    taxes: [],
    taxTotal: '0.00',
    taxNote: null,
    creditsApplied: '0.00',
    total: '140718.36',
    amountPaid: '70359.18',
    amountCredited: '0.00',
    amountDue: '70359.18',
    overdue: false,
    daysPastDue: null,
    flags: [],
    createdAt: '2026-11-25T12:00:00.000Z',
    finalizedAt: '2026-11-25T12:00:00.000Z',
    finalizedBy: 'usr_other',
    ...overrides,
  };
}

const draft = (overrides: Partial<BillingDocument> = {}) =>
  invoice({
    number: null,
    status: 'needs_review',
    flags: ['capped'],
    issueDate: null,
    dueDate: null,
    amountPaid: '0.00',
    amountDue: '140718.36',
    finalizedAt: null,
    finalizedBy: null,
    ...overrides,
  });

async function renderAs(role: Role, document: BillingDocument) {
  const store = makeStore();
  // The signed-in user, as the sign-in writes it to the cache.
  await store.dispatch(
    sessionApi.util.upsertQueryData('me', undefined, {
      id: 'usr_me',
      email: 'me@example.com',
      name: 'Me',
      role,
      partyId: role === 'party' ? 'pty_test1' : null,
    }),
  );
  return render(
    <Provider store={store}>
      <DocumentActions document={document} />
    </Provider>,
  );
}

const buttonNames = () => screen.getAllByRole('button').map((button) => button.textContent);

describe('<DocumentActions>', () => {
  it('offers a viewer and a party user only the PDF', async () => {
    await renderAs('viewer', invoice());
    expect(buttonNames()).toEqual(['Download PDF']);
    cleanup();
    await renderAs('party', invoice());
    expect(buttonNames()).toEqual(['Download PDF']);
  });

  it('offers finance what the status allows: pay or credit a part-paid invoice, not void it', async () => {
    await renderAs('finance', invoice());
    expect(buttonNames()).toEqual(['Download PDF', 'Record payment…', 'Credit note…']);
  });

  it('offers a void only while nothing is paid or credited, and no credit note on a payout statement', async () => {
    await renderAs(
      'admin',
      invoice({ kind: 'payout_statement', number: 'PS-2026-000001', status: 'finalized', amountPaid: '0.00', amountDue: '140718.36' }),
    );
    expect(buttonNames()).toEqual(['Download PDF', 'Record payout…', 'Void…']);
  });

  it('asks to confirm the review before a flagged draft is finalized', async () => {
    const user = userEvent.setup();
    await renderAs('finance', draft());
    expect(buttonNames()).toEqual(['Download PDF', 'Finalize…']);
    await user.click(screen.getByRole('button', { name: 'Finalize…' }));
    const dialog = screen.getByRole('dialog');
    expect(within(dialog).getByText(/I reviewed the flagged lines \(capped\)/)).toBeTruthy();
    await user.click(within(dialog).getByRole('button', { name: 'Finalize' }));
    expect(within(dialog).getByRole('alert').textContent).toBe('Confirm the review first');
    expect(within(dialog).getByRole('checkbox').getAttribute('aria-invalid')).toBe('true');
  });

  it('checks a payment against the currency and what is outstanding before sending it', async () => {
    const user = userEvent.setup();
    await renderAs('finance', invoice());
    await user.click(screen.getByRole('button', { name: 'Record payment…' }));
    const dialog = screen.getByRole('dialog');
    const amount = within(dialog).getByLabelText('Amount (USD)') as HTMLInputElement;
    expect(amount.value).toBe('70359.18');
    await user.clear(amount);
    await user.type(amount, '70359.19');
    await user.click(within(dialog).getByRole('button', { name: 'Record' }));
    expect(within(dialog).getByText('At most $70,359.18')).toBeTruthy();
    expect(within(dialog).getByText('Say how it was paid (a bank reference)')).toBeTruthy();
    await user.clear(amount);
    await user.type(amount, '10.005');
    expect(within(dialog).getByText('At most 2 decimal places in USD')).toBeTruthy();
    expect(amount.getAttribute('aria-invalid')).toBe('true');
  });
});

describe('billing helpers', () => {
  it('checks amounts exactly, by the currency minor unit', () => {
    expect(amountProblem('100', 'USD')).toBeUndefined();
    expect(amountProblem('0.00', 'USD')).toBe('Must be greater than 0');
    expect(amountProblem('1,5', 'USD')).toBe('An amount such as 1250.00');
    expect(amountProblem('1.5', 'JPY')).toBe('At most 0 decimal places in JPY');
    expect(amountProblem('0.125', 'KWD')).toBeUndefined();
    // Beyond a float's precision, still exact.
    expect(amountProblem('90071992547409.93', 'USD', '90071992547409.92')).toBe('At most $90,071,992,547,409.92');
  });

  it('sums the margin per currency exactly', () => {
    const row = (currency: string, revenue: string, payouts: string, margin: string) => ({
      contractId: 'c',
      contractNumber: 'IO',
      partyId: 'p',
      period: '2026-10',
      currency,
      revenue,
      payouts,
      margin,
      marginPercent: null,
    });
    expect(marginTotals([row('USD', '0.1', '0.05', '0.05'), row('USD', '0.2', '0.05', '0.15'), row('JPY', '1000', '0', '1000')])).toEqual([
      { currency: 'USD', revenue: '0.3', payouts: '0.1', margin: '0.2' },
      { currency: 'JPY', revenue: '1000', payouts: '0', margin: '1000' },
    ]);
  });

  it('groups the trial balance by account kind, summing each party group exactly', () => {
    const account = (name: string, debit: string, credit: string, balance: string) => ({
      account: name,
      currency: 'USD',
      debit,
      credit,
      balance,
    });
    const groups = groupAccounts([
      account('accounts_receivable:pty_a', '0.10', '0.00', '0.10'),
      account('cash', '0.20', '0.00', '0.20'),
      account('accounts_receivable:pty_b', '0.20', '0.05', '0.15'),
      account('media_revenue', '0.00', '0.50', '-0.50'),
    ]);
    expect(groups.map((group) => [group.kind, group.perParty, group.accounts.length, group.debit, group.credit, group.balance])).toEqual([
      ['accounts_receivable', true, 2, '0.3', '0.05', '0.25'],
      ['cash', false, 1, '0.2', '0', '0.2'],
      ['media_revenue', false, 1, '0', '0.5', '-0.5'],
    ]);
  });

  it('keys a command by its body, whatever the order of its fields', () => {
    expect(bodyFingerprint({ amount: '10.00', date: '2026-11-25' })).toBe(bodyFingerprint({ date: '2026-11-25', amount: '10.00' }));
    expect(bodyFingerprint({ amount: '10.00' })).not.toBe(bodyFingerprint({ amount: '10.01' }));
  });

  it('reads the file name the server gives, and builds the export URLs', () => {
    expect(dispositionFileName('inline; filename="INV-2026-000001.pdf"')).toBe('INV-2026-000001.pdf');
    expect(dispositionFileName("attachment; filename*=UTF-8''journal%202026.csv")).toBe('journal 2026.csv');
    expect(dispositionFileName(null)).toBeUndefined();
    const range = { from: '2026-11-01', to: '2026-11-30' };
    expect(exportUrl('journal', range)).toBe('/v1/exports/journal.csv?from=2026-11-01&to=2026-11-30');
    expect(exportUrl('quickbooks', { ...range, part: 2 })).toBe(
      '/v1/exports/invoices.csv?format=quickbooks&from=2026-11-01&to=2026-11-30&part=2',
    );
    expect(exportUrl('quickbooks-credit-memos', range)).toBe(
      '/v1/exports/invoices.csv?format=quickbooks-credit-memos&from=2026-11-01&to=2026-11-30',
    );
  });

  it('puts each export option in the URL, and none that is the default', () => {
    const range = { from: '2026-11-01', to: '2026-11-30' };
    // The defaults, given or not: all entities, the product's own date order, part 1.
    expect(exportUrl('xero', { ...range, entityId: '', dateFormat: '', part: 1 })).toBe(
      '/v1/exports/invoices.csv?format=xero&from=2026-11-01&to=2026-11-30',
    );
    expect(exportUrl('journal', { ...range, entityId: '', dateFormat: '' })).toBe('/v1/exports/journal.csv?from=2026-11-01&to=2026-11-30');
    expect(exportUrl('journal', { ...range, entityId: 'ent_france' })).toBe(
      '/v1/exports/journal.csv?from=2026-11-01&to=2026-11-30&entityId=ent_france',
    );
    expect(exportUrl('journal', { ...range, dateFormat: 'DD/MM/YYYY' })).toBe(
      '/v1/exports/journal.csv?from=2026-11-01&to=2026-11-30&dateFormat=DD%2FMM%2FYYYY',
    );
    // The journal is one file: no part however asked.
    expect(exportUrl('journal', { ...range, part: 3 })).toBe('/v1/exports/journal.csv?from=2026-11-01&to=2026-11-30');
    expect(exportUrl('quickbooks-credit-memos', { ...range, entityId: 'ent_a&b', dateFormat: 'YYYY-MM-DD', part: 3 })).toBe(
      '/v1/exports/invoices.csv?format=quickbooks-credit-memos&from=2026-11-01&to=2026-11-30&entityId=ent_a%26b&dateFormat=YYYY-MM-DD&part=3',
    );
  });

  it('formats run durations and billing months', () => {
    expect(formatDuration(249, 'en-US')).toBe('249 ms');
    expect(formatDuration(9366, 'en-US')).toBe('9.4 s');
    expect(formatDuration(125_000, 'en-US')).toBe('2 min 5 s');
    expect(formatMonth('2026-10', 'en-US')).toBe('October 2026');
    expect(formatMonth('2026-10', 'de-DE')).toBe('Oktober 2026');
  });
});
