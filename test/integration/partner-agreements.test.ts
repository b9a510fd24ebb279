/**
 * One agreement per partner and offer (SPEC §9, docs/affiliate/payout-hierarchy.md): the payout
 * hierarchy chooses between a partner's own agreement and the offer's payouts, not between two
 * agreements, so an approval that would make a second approved agreement of one partner price
 * conversions of one offer on a common day is refused with 409 partner_agreement_overlap, writing
 * nothing. Agreements on other days, on other offers, paying impressions only, or of another partner
 * are approved as before.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeStore, type Harness, startHarness } from '../support/harness.ts';
import {
  type Cast,
  castOf,
  createApprovedContract,
  createDraftContract,
  createParty,
  submitAndApprove,
  wideAttribution,
} from '../support/scenario-helpers.ts';

describeStore('one agreement per partner and offer', () => {
  let h: Harness;
  let cast: Cast;
  let partner: string;
  let offer: string;
  let display: string;
  let first: string;

  const cpa = (amount: string) => ({ model: 'cpa', events: [{ eventType: 'purchase', amount }], attribution: wideAttribution });
  const agreement = (startDate: string, endDate: string, appliesTo: 'all' | string[], pricing: object = cpa('16.00')) => ({
    startDate,
    endDate,
    currency: 'USD',
    billingPeriod: 'calendar_month',
    appliesTo,
    lineItems: [{ key: 'payout', name: 'Payout', pricing }],
  });
  const submit = async (contractId: string, number = 1) => {
    const submitted = await h.call('POST', `/v1/contracts/${contractId}/versions/${number}/submit`, { token: cast.ops.token });
    expect(submitted.status, submitted.text).toBe(200);
  };
  const approve = (contractId: string, number = 1) =>
    h.call('POST', `/v1/contracts/${contractId}/versions/${number}/approve`, { token: cast.finance.token, body: {} });

  beforeAll(async () => {
    h = await startHarness({ today: '2026-10-01' });
    cast = await castOf(h);
    const advertiser = await createParty(cast, 'advertiser', 'Northwind Traders');
    partner = await createParty(cast, 'partner', 'Owen Media');
    const quarter = { startDate: '2026-10-01', endDate: '2027-06-30', currency: 'USD', billingPeriod: 'calendar_month' };
    offer = await createApprovedContract(cast, advertiser, 'sell', 'Northwind Performance', {
      ...quarter,
      lineItems: [{ key: 'sales', name: 'Sales', pricing: cpa('40.00') }],
      partnerPayouts: { default: { events: [{ eventType: 'purchase', amount: '10.00' }] } },
    });
    display = await createApprovedContract(cast, advertiser, 'sell', 'Northwind Display', {
      ...quarter,
      lineItems: [{ key: 'display', name: 'Display', pricing: { model: 'cpm', ratePerMille: '20.00' } }],
    });
    // Owen's agreement on the offer for the last quarter of 2026.
    first = await createApprovedContract(cast, partner, 'buy', 'Owen on the offer', agreement('2026-10-01', '2026-12-31', [offer]));
  });
  afterAll(async () => h?.close());

  it('refuses a second agreement of the partner that prices conversions of the offer on a common day, writing nothing', async () => {
    // From November, on every sell contract: the offer's November and December are in both.
    const second = await createDraftContract(cast, partner, 'buy', 'Owen on everything', agreement('2026-11-01', '2027-03-31', 'all'));
    await submit(second);
    const audit = await h.count('audit_entries');
    const approvals = await h.count('version_approvals');
    const refused = await approve(second);
    expect(refused.status, refused.text).toBe(409);
    expect(refused.body.code).toBe('partner_agreement_overlap');
    expect(refused.body.detail).toMatch(
      /^contract \S+ of this partner already pays its conversions of the same offers between 2026-10-01 and 2026-12-31/,
    );
    expect(await h.count('audit_entries')).toBe(audit);
    expect(await h.count('version_approvals')).toBe(approvals);
    expect((await h.call('GET', `/v1/contracts/${second}/versions/1`)).body.status).toBe('pending_approval');

    // The same on the offer alone.
    const third = await createDraftContract(cast, partner, 'buy', 'Owen again', agreement('2026-12-01', '2027-01-31', [display, offer]));
    await submit(third);
    const named = await approve(third);
    expect(named.status, named.text).toBe(409);
    expect(named.body.detail).toMatch(/of an offer they both name between 2026-10-01 and 2026-12-31/);
  });

  it('approves agreements on other days, on other contracts, paying impressions only, or of another partner', async () => {
    // The first quarter of 2027 on the offer: no day in common with the first agreement.
    const next = await createApprovedContract(cast, partner, 'buy', 'Owen in 2027', agreement('2027-01-01', '2027-03-31', [offer]));
    // Conversions of the display order only (an offer the first agreement does not name).
    await createApprovedContract(cast, partner, 'buy', 'Owen on display', agreement('2026-10-01', '2026-12-31', [display]));
    // Impressions of the offer: it pays no conversion, so it takes no offer's place.
    await createApprovedContract(
      cast,
      partner,
      'buy',
      'Owen supply',
      agreement('2026-10-01', '2026-12-31', [offer], { model: 'cpm', ratePerMille: '2.00' }),
    );
    const other = await createParty(cast, 'partner', 'Dash Coupons');
    await createApprovedContract(cast, other, 'buy', 'Dash on the offer', agreement('2026-10-01', '2026-12-31', [offer]));
    expect(next).toMatch(/^ctr_/);
  });

  it('refuses an amendment that stretches an agreement over another, and approves one that changes only its price', async () => {
    // The first agreement's new price from December: it still covers only 2026.
    const price = await h.call('POST', `/v1/contracts/${first}/amendments`, {
      token: cast.ops.token,
      body: { effectiveFrom: '2026-12-01', terms: agreement('2026-10-01', '2026-12-31', [offer], cpa('17.00')), reason: 'New price' },
    });
    expect(price.status, price.text).toBe(201);
    await submitAndApprove(cast, first, 2);

    // Running it to the end of March would overlap the 2027 agreement.
    const stretch = await h.call('POST', `/v1/contracts/${first}/amendments`, {
      token: cast.ops.token,
      body: { effectiveFrom: '2026-12-01', terms: agreement('2026-10-01', '2027-03-31', [offer], cpa('17.00')), reason: 'Longer' },
    });
    expect(stretch.status, stretch.text).toBe(201);
    await submit(first, 3);
    const refused = await approve(first, 3);
    expect(refused.status, refused.text).toBe(409);
    expect(refused.body.code).toBe('partner_agreement_overlap');
    expect(refused.body.detail).toMatch(/between 2027-01-01 and 2027-03-31/);
    expect((await h.call('GET', `/v1/contracts/${first}`)).body.currentVersion).toBe(2);
  });
});
