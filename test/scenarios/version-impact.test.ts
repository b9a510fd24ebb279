/**
 * Scenarios of the impact of a version before approval (SPEC §8): the delivery loaded so far rated
 * under the approved versions and under the proposal, period by period. An amendment that raises a
 * rate mid-period (one period finalized: its difference is the adjustment the next run bills), a
 * renewal that adds periods after the old end, a termination on broadcast months, a cpcv line's
 * completed views, version 1, and the refusals.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeStore, type Harness, startHarness } from '../support/harness.ts';
import { documentOf, finalizeDocument, runBilling, sumOf } from '../support/billing-helpers.ts';
import {
  type Cast,
  amendAndApprove,
  castOf,
  createApprovedContract,
  createDraftContract,
  createParty,
  postImpressions,
  submitAndApprove,
} from '../support/scenario-helpers.ts';

interface Impact {
  currency: string;
  periods: { period: string; current: string; proposed: string; difference: string }[];
  total: { current: string; proposed: string; difference: string };
}

describeStore('scenario: impact of a version before approval', () => {
  let h: Harness;
  let cast: Cast;

  const impactOf = async (contractId: string, version: number, token = cast.finance.token): Promise<Impact> => {
    const response = await h.call('GET', `/v1/contracts/${contractId}/versions/${version}/impact`, { token });
    expect(response.status, response.text).toBe(200);
    return response.body as Impact;
  };
  const rows = (impact: Impact) => impact.periods.map((row) => [row.period, row.current, row.proposed, row.difference]);

  beforeAll(async () => {
    h = await startHarness({ today: '2026-11-25' });
    cast = await castOf(h);
  });
  afterAll(async () => h?.close());

  it('an amendment raising the rate from mid-October, October already invoiced: its difference is the adjustment the next run bills', async () => {
    const partyId = await createParty(cast, 'advertiser', 'Impact Amendment Co');
    const terms = (ratePerMille: string) => ({
      startDate: '2026-10-01',
      endDate: '2026-12-31',
      currency: 'USD',
      billingPeriod: 'calendar_month',
      lineItems: [{ key: 'display', name: 'Display', pricing: { model: 'cpm', ratePerMille } }],
    });
    const contractId = await createApprovedContract(cast, partyId, 'sell', 'Impact amendment', terms('20.00'));
    const at = (date: string, impressions: number) => ({
      contractId,
      lineItem: 'display',
      date,
      source: 'first_party' as const,
      impressions,
    });
    await postImpressions(cast, [at('2026-10-10', 50_000), at('2026-10-20', 10_000), at('2026-11-05', 20_000), at('2026-11-20', 30_000)]);
    // October is billed and finalized: 60,000 × 20.00 / 1000 = 1,200.00.
    await runBilling(h, cast.finance.token, '2026-10');
    const october = await documentOf(h, cast.finance.token, 'invoice', '2026-10', partyId);
    expect(october.subtotal).toBe('1200.00');
    const issued = await finalizeDocument(h, cast.finance.token, 'invoice', october.id);
    expect(issued.number).toMatch(/^INV-/);
    // Late delivery for October after it was invoiced: the run would adjust it anyway.
    await postImpressions(cast, [at('2026-10-25', 4_000)]);

    const amendment = await h.call('POST', `/v1/contracts/${contractId}/amendments`, {
      token: cast.ops.token,
      body: { effectiveFrom: '2026-10-16', terms: terms('25.00'), reason: 'Rate up from the 16th' },
    });
    expect(amendment.status, amendment.text).toBe(201);
    expect(amendment.body.number).toBe(2);

    // October (finalized): current is what the invoice billed, 1,200.00 (the late 4,000 are not billed yet).
    //   proposed: Oct 1–15 under v1: 50,000 × 20.00 / 1000 = 1,000.00; Oct 16–31 under v2: (10,000 + 4,000) × 25.00 / 1000 = 350.00;
    //   1,350.00, so the adjustment approval would cause is 150.00.
    // November: current 50,000 × 20.00 / 1000 = 1,000.00; proposed 50,000 × 25.00 / 1000 = 1,250.00; difference 250.00.
    // December has no delivery and has not begun (today is 2026-11-25): not listed.
    // Totals: 2,200.00 current, 2,600.00 proposed, 400.00 difference.
    const draftImpact = await impactOf(contractId, 2);
    expect(draftImpact.currency).toBe('USD');
    expect(rows(draftImpact)).toEqual([
      ['2026-10', '1200.00', '1350.00', '150.00'],
      ['2026-11', '1000.00', '1250.00', '250.00'],
    ]);
    expect(draftImpact.total).toEqual({ current: '2200.00', proposed: '2600.00', difference: '400.00' });
    // ops (who wrote it) and a viewer read the same; pending_approval answers as the draft did.
    expect(await impactOf(contractId, 2, cast.ops.token)).toEqual(draftImpact);
    expect((await h.call('POST', `/v1/contracts/${contractId}/versions/2/submit`, { token: cast.ops.token })).status).toBe(200);
    expect(await impactOf(contractId, 2, (await h.user('viewer')).token)).toEqual(draftImpact);

    // Approved, the next run bills exactly that: November at the new rate, and October's adjustment.
    const approved = await h.call('POST', `/v1/contracts/${contractId}/versions/2/approve`, { token: cast.finance.token, body: {} });
    expect(approved.status, approved.text).toBe(200);
    await runBilling(h, cast.finance.token, '2026-11');
    const november = await documentOf(h, cast.finance.token, 'invoice', '2026-11', partyId);
    const adjustments = november.lines.filter((line) => line.kind === 'adjustment');
    const own = november.lines.filter((line) => line.kind !== 'adjustment');
    expect(adjustments.length).toBeGreaterThan(0);
    expect(adjustments.every((line) => line.corrects?.number === issued.number)).toBe(true);
    expect(sumOf(adjustments.map((line) => line.amount))).toBe('150.00');
    expect(sumOf(own.map((line) => line.amount))).toBe('1250.00');
    expect(november.subtotal).toBe('1400.00');

    // An approved version has no impact to show.
    const refused = await h.call('GET', `/v1/contracts/${contractId}/versions/2/impact`, { token: cast.finance.token });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('version_not_proposed');
  });

  it('a renewal adds periods after the old end: current 0 there, proposed more than 0 only where delivery exists', async () => {
    const partyId = await createParty(cast, 'advertiser', 'Impact Renewal Co');
    const terms = (endDate: string) => ({
      startDate: '2026-09-01',
      endDate,
      currency: 'USD',
      billingPeriod: 'calendar_month',
      renewal: { mode: 'manual', termMonths: 3, noticeDays: 30 },
      lineItems: [{ key: 'ctv', name: 'CTV', pricing: { model: 'cpm', ratePerMille: '10.00' } }],
    });
    const contractId = await createApprovedContract(cast, partyId, 'sell', 'Impact renewal', terms('2026-11-30'));
    await postImpressions(cast, [
      { contractId, lineItem: 'ctv', date: '2026-09-15', source: 'first_party', impressions: 10_000 },
      { contractId, lineItem: 'ctv', date: '2026-10-15', source: 'first_party', impressions: 20_000 },
    ]);
    // Cut short to September by an amendment: October's delivery stays loaded but is no longer priced.
    await amendAndApprove(cast, contractId, '2026-09-01', terms('2026-09-30'), 'Ended early');
    const renewal = await h.call('POST', `/v1/contracts/${contractId}/renew`, { token: cast.ops.token, body: {} });
    expect(renewal.status, renewal.text).toBe(201);
    expect(renewal.body.kind).toBe('renewal');
    expect(renewal.body.terms.endDate).toBe('2026-12-31');

    // September: 10,000 × 10.00 / 1000 = 100.00 under both. October (after the old end): current 0.00,
    // proposed 20,000 × 10.00 / 1000 = 200.00. November: no delivery, 0.00 both. December has not begun: not listed.
    const impact = await impactOf(contractId, renewal.body.number as number);
    expect(rows(impact)).toEqual([
      ['2026-09', '100.00', '100.00', '0.00'],
      ['2026-10', '0.00', '200.00', '200.00'],
      ['2026-11', '0.00', '0.00', '0.00'],
    ]);
    expect(impact.total).toEqual({ current: '100.00', proposed: '300.00', difference: '200.00' });
  });

  it('a termination on broadcast months drops the delivery after its date; withdrawn, it has no impact', async () => {
    const partyId = await createParty(cast, 'advertiser', 'Impact Termination Co');
    const contractId = await createApprovedContract(cast, partyId, 'sell', 'Impact termination', {
      startDate: '2026-10-01',
      endDate: '2026-12-31',
      currency: 'USD',
      billingPeriod: 'broadcast_month',
      lineItems: [{ key: 'spots', name: 'Spots', pricing: { model: 'cpm', ratePerMille: '10.00' } }],
    });
    const at = (date: string, impressions: number) => ({
      contractId,
      lineItem: 'spots',
      date,
      source: 'first_party' as const,
      impressions,
    });
    await postImpressions(cast, [at('2026-10-10', 10_000), at('2026-10-28', 5_000), at('2026-11-05', 20_000), at('2026-11-20', 30_000)]);
    const termination = await h.call('POST', `/v1/contracts/${contractId}/terminate`, {
      token: cast.ops.token,
      body: { effectiveDate: '2026-11-10', reason: 'Campaign cancelled' },
    });
    expect(termination.status, termination.text).toBe(201);
    const number = termination.body.number as number;

    // Broadcast October is 2026-09-28..2026-10-25: 10,000 → 100.00 under both.
    // Broadcast November is 2026-10-26..2026-11-29 (so October 28 is in it): current 5,000 + 20,000 + 30,000 = 55,000 → 550.00;
    // proposed ends on 2026-11-10: 5,000 + 20,000 = 25,000 → 250.00; difference −300.00.
    const impact = await impactOf(contractId, number);
    expect(rows(impact)).toEqual([
      ['2026-10', '100.00', '100.00', '0.00'],
      ['2026-11', '550.00', '250.00', '-300.00'],
    ]);
    expect(impact.total).toEqual({ current: '650.00', proposed: '350.00', difference: '-300.00' });

    const withdrawn = await h.call('POST', `/v1/contracts/${contractId}/versions/${number}/withdraw`, { token: cast.ops.token, body: {} });
    expect(withdrawn.status, withdrawn.text).toBe(200);
    const refused = await h.call('GET', `/v1/contracts/${contractId}/versions/${number}/impact`, { token: cast.finance.token });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('version_not_proposed');
  });

  it('a cpcv line bills its completed views in every period, whole months read as totals included', async () => {
    const partyId = await createParty(cast, 'advertiser', 'Impact Views Co');
    const terms = (ratePerView: string) => ({
      startDate: '2026-10-01',
      endDate: '2026-12-31',
      currency: 'USD',
      billingPeriod: 'calendar_month',
      lineItems: [{ key: 'ctv', name: 'CTV', pricing: { model: 'cpcv', ratePerView } }],
    });
    const contractId = await createApprovedContract(cast, partyId, 'sell', 'Impact views', terms('0.05'));
    await postImpressions(cast, [
      { contractId, lineItem: 'ctv', date: '2026-10-03', source: 'first_party', impressions: 100_000, completedViews: 80_000 },
      { contractId, lineItem: 'ctv', date: '2026-11-20', source: 'first_party', impressions: 100_000, completedViews: 1_000 },
    ]);
    const amendment = await h.call('POST', `/v1/contracts/${contractId}/amendments`, {
      token: cast.ops.token,
      body: { effectiveFrom: '2026-11-16', terms: terms('0.10'), reason: 'Views up from the 16th' },
    });
    expect(amendment.status, amendment.text).toBe(201);

    // October (no term changes in it): 80,000 views × 0.05 = 4,000.00 under both.
    // November: current 1,000 × 0.05 = 50.00; proposed, the 20th is under the amendment: 1,000 × 0.10 = 100.00.
    const impact = await impactOf(contractId, 2);
    expect(rows(impact)).toEqual([
      ['2026-10', '4000.00', '4000.00', '0.00'],
      ['2026-11', '50.00', '100.00', '50.00'],
    ]);
    expect(impact.total).toEqual({ current: '4050.00', proposed: '4100.00', difference: '50.00' });
  });

  it('version 1: current is zero; rejected it has no impact; a party user does not see the draft; unknown versions are 404', async () => {
    const partyId = await createParty(cast, 'advertiser', 'Impact First Co', 'JPY');
    const contractId = await createDraftContract(cast, partyId, 'sell', 'Impact first version', {
      startDate: '2026-10-15',
      endDate: '2027-03-31',
      currency: 'JPY',
      billingPeriod: 'calendar_month',
      fees: [{ key: 'platform', kind: 'flat', amount: '31000', prorate: true }],
      lineItems: [{ key: 'display', name: 'Display', pricing: { model: 'cpm', ratePerMille: '500' } }],
    });
    // Nothing can be delivered before approval, so only the prorated fee bills, rounded to whole yen:
    // October 15..31 is 17 of 31 days: 31,000 × 17 / 31 = 17,000; November 31,000 × 30 / 30 = 31,000.
    const impact = await impactOf(contractId, 1);
    expect(impact.currency).toBe('JPY');
    expect(rows(impact)).toEqual([
      ['2026-10', '0', '17000', '17000'],
      ['2026-11', '0', '31000', '31000'],
    ]);
    expect(impact.total).toEqual({ current: '0', proposed: '48000', difference: '48000' });

    const partyUser = await h.user('party', { partyId });
    const hidden = await h.call('GET', `/v1/contracts/${contractId}/versions/1/impact`, { token: partyUser.token });
    expect(hidden.status).toBe(404);
    expect(hidden.body.code).toBe('contract_not_found');
    const missing = await h.call('GET', `/v1/contracts/${contractId}/versions/9/impact`, { token: cast.finance.token });
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('version_not_found');

    expect((await h.call('POST', `/v1/contracts/${contractId}/versions/1/submit`, { token: cast.ops.token })).status).toBe(200);
    const rejected = await h.call('POST', `/v1/contracts/${contractId}/versions/1/reject`, {
      token: cast.finance.token,
      body: { reason: 'Fee too high' },
    });
    expect(rejected.status, rejected.text).toBe(200);
    const refused = await h.call('GET', `/v1/contracts/${contractId}/versions/1/impact`, { token: cast.finance.token });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('version_not_proposed');
    // Approved at last, the party sees its contract, and still no impact of an approved version.
    await submitAndApprove(cast, contractId, 1);
    const approved = await h.call('GET', `/v1/contracts/${contractId}/versions/1/impact`, { token: partyUser.token });
    expect(approved.status).toBe(409);
  });
});
