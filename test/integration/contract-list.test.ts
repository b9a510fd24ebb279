/**
 * The contracts list is written by PostgreSQL (src/platform/json-text.repository.ts) with the version
 * summaries the database keeps on each contract (migration 0032); a single contract is assembled
 * from its rows. Through a lifecycle that changes versions in every way (drafts, submission,
 * rejection, approval, amendment, termination, a notice of non-renewal), each contract in a page
 * must say exactly what its own read says, for staff and for the party (approved versions only).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { advertiserBody, cpmTerms } from '../support/fixtures.ts';
import { describeStore, type Harness, startHarness } from '../support/harness.ts';

describeStore('contracts list', () => {
  let h: Harness;
  let ops: { id: string; token: string };
  let finance: { id: string; token: string };
  let partyId: string;

  beforeAll(async () => {
    h = await startHarness({ today: '2026-11-25' });
    ops = await h.user('ops');
    finance = await h.user('finance');
    const party = await h.call('POST', '/v1/parties', { token: ops.token, body: advertiserBody() });
    expect(party.status).toBe(201);
    partyId = party.body.id as string;
  });
  afterAll(async () => h?.close());

  const ok = async (method: 'POST' | 'GET', path: string, token: string, body?: Record<string, unknown>) => {
    const response = await h.call(method, path, { token, ...(body === undefined ? {} : { body }) });
    expect(response.status, response.text.slice(0, 400)).toBeLessThan(300);
    return response.body as Record<string, unknown>;
  };
  const create = async (name: string, terms = cpmTerms()) =>
    (await ok('POST', '/v1/contracts', ops.token, { partyId, side: 'sell', name, terms })).id as string;
  const approve = async (id: string, number: number) => {
    await ok('POST', `/v1/contracts/${id}/versions/${number}/submit`, ops.token);
    await ok('POST', `/v1/contracts/${id}/versions/${number}/approve`, finance.token, {});
  };

  /** Every page of the list, 2 at a time (so that cursors are followed), as `token` sees it. */
  const listAll = async (token: string) => {
    const contracts: Record<string, unknown>[] = [];
    let cursor: string | null = null;
    do {
      const page = await ok('GET', `/v1/contracts?limit=2${cursor === null ? '' : `&cursor=${cursor}`}`, token);
      contracts.push(...(page.data as Record<string, unknown>[]));
      cursor = page.nextCursor as string | null;
    } while (cursor !== null);
    return contracts;
  };

  it('shows each contract as its own read does, whatever happened to its versions', async () => {
    await create('Only a draft \u2028 "quoted" \\ name');
    const pending = await create('Pending');
    await ok('POST', `/v1/contracts/${pending}/versions/1/submit`, ops.token);
    const rejected = await create('Rejected');
    await ok('POST', `/v1/contracts/${rejected}/versions/1/submit`, ops.token);
    await ok('POST', `/v1/contracts/${rejected}/versions/1/reject`, finance.token, { reason: 'Rates too low' });
    const amended = await create('Amended, amendment in draft');
    await approve(amended, 1);
    await ok('POST', `/v1/contracts/${amended}/amendments`, ops.token, {
      effectiveFrom: '2026-11-01',
      terms: cpmTerms({ paymentTermsDays: 45 }),
      reason: 'Rate change',
    });
    const terminated = await create('Terminated');
    await approve(terminated, 1);
    const termination = await ok('POST', `/v1/contracts/${terminated}/terminate`, ops.token, {
      effectiveDate: '2026-11-15',
      reason: 'Ended',
    });
    if (typeof termination.number === 'number') await approve(terminated, termination.number);
    const noticed = await create('Notice given', cpmTerms({ renewal: { mode: 'auto', termMonths: 3, noticeDays: 30 } }));
    await approve(noticed, 1);
    await ok('POST', `/v1/contracts/${noticed}/non-renewal-notice`, ops.token, { reason: 'Budget "moves"' });

    const party = await h.user('party', { partyId });
    for (const token of [ops.token, party.token]) {
      const listed = await listAll(token);
      expect(listed.length).toBe(token === ops.token ? 6 : 3);
      for (const contract of listed) expect(contract).toEqual(await ok('GET', `/v1/contracts/${contract.id as string}`, token));
    }
  });
});
