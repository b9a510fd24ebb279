/**
 * The Exports page: the journal and the invoice files for a range, one billing entity's or all, in
 * the product's own date order or another; QuickBooks' credit memos beside its invoices, with their
 * further parts asked with the same options as part 1.
 */
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import ExportsPage from '../../web/src/features/billing/ExportsPage.tsx';
import { renderSignedIn, stubRequests } from './api-stub.tsx';

/** Makes the API list one billing entity and answer each download (asked by URL) with a CSV; returns the download URLs. */
function stubExports(parts: number): string[] {
  stubRequests(
    () => undefined,
    (request) =>
      request.url.pathname === '/v1/billing-entities'
        ? { body: { data: [{ id: 'ent_france', name: 'Tally France' }] } }
        : { status: 404, body: { type: 'about:blank', title: 'Not found', status: 404 } },
  );
  const apiFetch = globalThis.fetch;
  const downloaded: string[] = [];
  vi.stubGlobal('fetch', async (input: Request | string, init?: RequestInit) => {
    if (typeof input !== 'string') return apiFetch(input, init);
    downloaded.push(input);
    return new Response('*CreditMemoNo\n', {
      headers: { 'content-type': 'text/csv', 'tally-export-parts': String(parts) },
    });
  });
  Object.assign(URL, { createObjectURL: vi.fn(() => 'blob:export'), revokeObjectURL: vi.fn() });
  // The browser saves the file when the link is clicked; happy-dom would navigate to the blob instead.
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
  return downloaded;
}

async function chooseRange(user: ReturnType<typeof userEvent.setup>) {
  for (const [label, date] of [
    ['From', '2026-11-01'],
    ['To', '2026-11-30'],
  ] as const) {
    const input = screen.getByLabelText(label);
    await user.clear(input);
    await user.type(input, date);
  }
}

describe('<ExportsPage>', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllGlobals();
  });

  it('downloads all entities in the product’s own date order unless told otherwise', async () => {
    const user = userEvent.setup();
    const downloaded = stubExports(1);
    await renderSignedIn(<ExportsPage />);
    await chooseRange(user);
    expect(screen.getByText(/import it after the invoices/)).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Download QuickBooks credit memos' }));
    await waitFor(() => expect(downloaded).toHaveLength(1));
    expect(downloaded).toEqual(['/v1/exports/invoices.csv?format=quickbooks-credit-memos&from=2026-11-01&to=2026-11-30']);
    expect(screen.queryByRole('region', { name: 'More parts' })).toBeNull();
  });

  it('asks for one entity’s books in the date order chosen, and the other parts with the same options', async () => {
    const user = userEvent.setup();
    const downloaded = stubExports(2);
    await renderSignedIn(<ExportsPage />);
    await chooseRange(user);
    await screen.findByRole('option', { name: 'Tally France' });
    await user.selectOptions(screen.getByLabelText('Billing entity'), 'ent_france');
    await user.selectOptions(screen.getByLabelText('Date order'), 'DD/MM/YYYY');
    await user.click(screen.getByRole('button', { name: 'Download journal CSV' }));
    await user.click(screen.getByRole('button', { name: 'Download QuickBooks credit memos' }));
    const more = await screen.findByRole('region', { name: 'More parts' });
    expect(more.textContent).toContain('That range has 2 files for QuickBooks credit memos');
    // A filter changed after part 1 does not change what the other parts cover.
    await user.selectOptions(screen.getByLabelText('Billing entity'), '');
    await user.click(screen.getByRole('button', { name: 'Part 2' }));
    await waitFor(() => expect(downloaded).toHaveLength(3));
    const options = 'from=2026-11-01&to=2026-11-30&entityId=ent_france&dateFormat=DD%2FMM%2FYYYY';
    expect(downloaded).toEqual([
      `/v1/exports/journal.csv?${options}`,
      `/v1/exports/invoices.csv?format=quickbooks-credit-memos&${options}`,
      `/v1/exports/invoices.csv?format=quickbooks-credit-memos&${options}&part=2`,
    ]);
  });
});
