/**
 * The charges preview as its different callers see it: the party itself (same lines as ops), a
 * party looking at another party's contract (404), a contract with no approved version (409), and
 * ranges the preview refuses (400).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeStore, type Harness, startHarness } from '../support/harness.ts';
import {
  type Cast,
  callPreview,
  castOf,
  createApprovedContract,
  createDraftContract,
  createParty,
  expectLines,
  postImpressions,
  preview,
} from '../support/scenario-helpers.ts';

const terms = {
  startDate: '2026-10-01',
  endDate: '2026-12-31',
  currency: 'USD',
  billingPeriod: 'calendar_month',
  fees: [{ key: 'agency-commission', kind: 'percent_of_media', percent: '-10' }],
  lineItems: [{ key: 'ctv', name: 'CTV', pricing: { model: 'cpm', ratePerMille: '12.00' } }],
};

describeStore('scenario: who may preview what', () => {
  let h: Harness;
  let cast: Cast;
  let advertiserId: string;
  let otherAdvertiserId: string;
  let contractId: string;
  let otherContractId: string;

  beforeAll(async () => {
    h = await startHarness({ today: '2026-11-25' });
    cast = await castOf(h);
    advertiserId = await createParty(cast, 'advertiser', 'Wingtip Toys');
    otherAdvertiserId = await createParty(cast, 'advertiser', 'Woodgrove Bank');
    contractId = await createApprovedContract(cast, advertiserId, 'sell', 'Wingtip IO', terms);
    otherContractId = await createApprovedContract(cast, otherAdvertiserId, 'sell', 'Woodgrove IO', terms);
    await postImpressions(cast, [
      { contractId, lineItem: 'ctv', date: '2026-10-09', source: 'first_party', impressions: 75_000 },
      { contractId: otherContractId, lineItem: 'ctv', date: '2026-10-09', source: 'first_party', impressions: 1_000 },
    ]);
  });
  afterAll(async () => h?.close());

  it('the party itself gets the same lines as ops; another party’s contract is 404', async () => {
    const asOps = await preview(cast, contractId, '2026-10-01', '2026-10-31');
    // 75,000 × 12.00 / 1000 = 900.00; commission −10% = −90.00; subtotal 810.00.
    expectLines(asOps, [
      { period: '2026-10', lineItem: 'ctv', kind: 'media', quantity: 75_000, unit: 'impressions', rate: '12.00', amount: '900.00' },
      { period: '2026-10', lineItem: null, kind: 'fee', quantity: 1, unit: 'period', rate: '-10', amount: '-90.00' },
    ]);
    expect(asOps.subtotal).toBe('810.00');

    const customer = await h.user('party', { partyId: advertiserId });
    const asCustomer = await preview(cast, contractId, '2026-10-01', '2026-10-31', customer.token);
    expect(asCustomer).toEqual(asOps);
    const viewer = await h.user('viewer');
    expect(await preview(cast, contractId, '2026-10-01', '2026-10-31', viewer.token)).toEqual(asOps);

    const other = await callPreview(cast, otherContractId, '2026-10-01', '2026-10-31', customer.token);
    expect(other.status).toBe(404);
    expect(other.body.code).toBe('contract_not_found');
    // A contract that does not exist answers the same way.
    expect((await callPreview(cast, 'ctr_doesnotexist', '2026-10-01', '2026-10-31', customer.token)).body.code).toBe('contract_not_found');
  });

  it('a contract with no approved version is 409 contract_not_approved (a party does not even see it)', async () => {
    const draftId = await createDraftContract(cast, advertiserId, 'sell', 'Draft IO', terms);
    const draft = await callPreview(cast, draftId, '2026-10-01', '2026-10-31');
    expect(draft.status).toBe(409);
    expect(draft.body.code).toBe('contract_not_approved');
    expect(draft.headers['content-type']).toContain('application/problem+json');

    // Submitted but not yet approved: still nothing to rate.
    expect((await h.call('POST', `/v1/contracts/${draftId}/versions/1/submit`, { token: cast.ops.token })).status).toBe(200);
    expect((await callPreview(cast, draftId, '2026-10-01', '2026-10-31')).body.code).toBe('contract_not_approved');

    const customer = await h.user('party', { partyId: advertiserId });
    expect((await callPreview(cast, draftId, '2026-10-01', '2026-10-31', customer.token)).status).toBe(404);
  });

  it('refuses a reversed range, a range over a year, and dates that are not dates, with 400', async () => {
    const reversed = await callPreview(cast, contractId, '2026-10-31', '2026-10-01');
    expect(reversed.status).toBe(400);
    expect(reversed.body.code).toBe('validation_failed');
    expect(reversed.body.errors).toEqual([expect.objectContaining({ path: 'to' })]);

    const twoYears = await callPreview(cast, contractId, '2026-01-01', '2027-12-31');
    expect(twoYears.status).toBe(400);
    expect(twoYears.body.code).toBe('validation_failed');

    // Exactly one year (2026-10-01 to 2027-10-01) is accepted.
    expect((await callPreview(cast, contractId, '2026-10-01', '2027-10-01')).status).toBe(200);
    // One year and one day is refused, even in a year without 29 February (366 days apart).
    expect((await callPreview(cast, contractId, '2026-10-01', '2027-10-02')).status).toBe(400);
    expect((await callPreview(cast, contractId, '2027-03-01', '2028-03-02')).status).toBe(400);

    for (const [from, to] of [
      ['2026-10-01', '2026-13-01'],
      ['2026-10-1', '2026-10-31'],
      ['yesterday', '2026-10-31'],
    ]) {
      const response = await callPreview(cast, contractId, from!, to!);
      expect(response.status, `${from}..${to}`).toBe(400);
    }
    const missing = await h.call('GET', `/v1/contracts/${contractId}/charges?from=2026-10-01`, { token: cast.ops.token });
    expect(missing.status).toBe(400);
  });
});
