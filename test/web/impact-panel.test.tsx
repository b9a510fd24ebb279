/**
 * The impact panel: a draft or pending version's impact on billing, period by period (current,
 * proposed, difference) with totals, in the currency's own decimals; on the version's page only
 * while it is a draft or pending, and per pending version in the approvals inbox.
 */
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Contract, ContractVersion } from '../../src/wire/contracts.ts';
import type { VersionImpact } from '../../src/wire/impact.ts';
import ApprovalsPage from '../../web/src/features/approvals/ApprovalsPage.tsx';
import { VersionDetails } from '../../web/src/features/contracts/VersionDetails.tsx';
import { ImpactPanel } from '../../web/src/features/impact/ImpactPanel.tsx';
import { renderSignedIn, type StubAnswer, stubApi } from './api-stub.tsx';

const impact: VersionImpact = {
  currency: 'USD',
  periods: [
    { period: '2026-10', current: '1200.00', proposed: '1350.00', difference: '150.00' },
    { period: '2026-11', current: '1000.00', proposed: '700.00', difference: '-300.00' },
    { period: '2026-12', current: '0.00', proposed: '0.00', difference: '0.00' },
  ],
  total: { current: '2200.00', proposed: '2050.00', difference: '-150.00' },
};

const contract: Contract = {
  id: 'ctr_impact1',
  number: 'IO-2026-0007',
  partyId: 'pty_impact1',
  side: 'sell',
  name: 'Impact test IO',
  status: 'active',
  currentVersion: 1,
  startDate: '2026-10-01',
  endDate: '2026-12-31',
  nonRenewalNotice: null,
  createdBy: 'usr_olivia',
  createdAt: '2026-09-20T09:00:00.000Z',
  versions: [
    {
      number: 1,
      kind: 'original',
      status: 'approved',
      effectiveFrom: '2026-10-01',
      createdBy: 'usr_olivia',
      createdAt: '2026-09-20T09:00:00.000Z',
    },
    {
      number: 2,
      kind: 'amendment',
      status: 'pending_approval',
      effectiveFrom: '2026-10-16',
      createdBy: 'usr_olivia',
      createdAt: '2026-11-20T09:00:00.000Z',
    },
  ],
};

function version(number: number, status: ContractVersion['status']): ContractVersion {
  return {
    contractId: contract.id,
    number,
    kind: number === 1 ? 'original' : 'amendment',
    status,
    effectiveFrom: number === 1 ? '2026-10-01' : '2026-10-16',
    terms: {
      startDate: '2026-10-01',
      endDate: '2026-12-31',
      currency: 'USD',
      billingPeriod: 'calendar_month',
      lineItems: [{ key: 'display', name: 'Display', pricing: { model: 'cpm', ratePerMille: '25.00' } }],
    },
    reason: null,
    committedValue: '0',
    revision: 2,
    createdBy: 'usr_olivia',
    createdAt: '2026-11-20T09:00:00.000Z',
    submittedBy: status === 'approved' || status === 'pending_approval' ? 'usr_olivia' : null,
    submittedAt: status === 'approved' || status === 'pending_approval' ? '2026-11-20T10:00:00.000Z' : null,
    approvedAt: status === 'approved' ? '2026-11-21T10:00:00.000Z' : null,
    approvals: [],
    rejection: null,
  };
}

/** The stand-in API: contracts, versions, the impact of version 2, people and parties; anything else 404. */
function stubTally(): URL[] {
  return stubApi((url): StubAnswer => {
    const path = url.pathname;
    if (path === '/v1/contracts') return { body: { data: [contract], nextCursor: null } };
    if (path === `/v1/contracts/${contract.id}/versions/2/impact`) return { body: impact };
    if (path === `/v1/contracts/${contract.id}/versions/1`) return { body: version(1, 'approved') };
    if (path === `/v1/contracts/${contract.id}/versions/2`) return { body: version(2, 'pending_approval') };
    if (path === '/v1/people') return { body: { data: [] } };
    if (path.startsWith('/v1/parties')) return { body: { data: [], nextCursor: null } };
    return { status: 404, body: { type: 'about:blank', title: 'Not Found', status: 404, code: 'not_found', detail: path } };
  });
}

afterEach(() => vi.unstubAllGlobals());

describe('<ImpactPanel>', () => {
  it('shows each period’s current, proposed and difference, signed, and the totals', async () => {
    const requests = stubTally();
    await renderSignedIn(<ImpactPanel contractId={contract.id} number={2} />);
    const table = await screen.findByRole('table', { name: 'Impact of version 2 by billing period' });
    const rows = within(table)
      .getAllByRole('row')
      .map((row) =>
        within(row)
          .getAllByRole(row.parentElement?.tagName === 'THEAD' ? 'columnheader' : 'cell')
          .map((cell) => cell.textContent),
      );
    expect(rows).toEqual([
      ['Period', 'Current', 'Proposed', 'Difference'],
      ['2026-10', '$1,200.00', '$1,350.00', '+$150.00'],
      ['2026-11', '$1,000.00', '$700.00', '-$300.00'],
      ['2026-12', '$0.00', '$0.00', '$0.00'],
      ['Total', '$2,200.00', '$2,050.00', '-$150.00'],
    ]);
    expect(requests.map((url) => url.pathname)).toEqual([`/v1/contracts/${contract.id}/versions/2/impact`]);
  });

  it('says so when no period has begun, and shows the problem when the API refuses', async () => {
    stubApi(() => ({ body: { ...impact, periods: [], total: { current: '0.00', proposed: '0.00', difference: '0.00' } } }));
    await renderSignedIn(<ImpactPanel contractId={contract.id} number={2} />);
    expect(await screen.findByText('Nothing billed yet')).toBeTruthy();
    vi.unstubAllGlobals();

    stubApi(() => ({
      status: 409,
      body: { type: 'about:blank', title: 'Conflict', status: 409, code: 'version_not_proposed', detail: 'Version 3 is approved' },
    }));
    await renderSignedIn(<ImpactPanel contractId={contract.id} number={3} />);
    expect(await screen.findByText(/Version 3 is approved/)).toBeTruthy();
  });

  it('is on the page of a pending version, not on an approved one', async () => {
    const requests = stubTally();
    await renderSignedIn(<VersionDetails contract={contract} number={2} />);
    expect(await screen.findByRole('table', { name: 'Impact of version 2 by billing period' })).toBeTruthy();
    expect(screen.getByRole('region', { name: 'Impact of approving' })).toBeTruthy();
    cleanup();

    await renderSignedIn(<VersionDetails contract={contract} number={1} />);
    expect(await screen.findByText('Version 1: Original', { exact: false })).toBeTruthy();
    expect(screen.queryByRole('region', { name: 'Impact of approving' })).toBeNull();
    expect(requests.filter((url) => url.pathname.endsWith('/impact')).map((url) => url.pathname)).toEqual([
      `/v1/contracts/${contract.id}/versions/2/impact`,
    ]);
  });

  it('in the approvals inbox: each pending version’s total difference, its periods one click away', async () => {
    stubTally();
    await renderSignedIn(<ApprovalsPage />);
    const inbox = await screen.findByRole('table', { name: 'Versions waiting for approval' });
    await waitFor(() => expect(inbox.querySelector('summary')?.textContent).toBe('-$150.00'));
    const details = inbox.querySelector('details') as HTMLDetailsElement;
    expect(details.open).toBe(false);
    await userEvent.click(inbox.querySelector('summary') as HTMLElement);
    expect(details.open).toBe(true);
    const periods = within(inbox).getByRole('table', { name: 'Impact of version 2 by billing period' });
    const october = within(periods).getByText('2026-10').closest('tr') as HTMLElement;
    expect([...october.querySelectorAll('td')].map((cell) => cell.textContent)).toEqual(['2026-10', '$1,200.00', '$1,350.00', '+$150.00']);
  });
});
