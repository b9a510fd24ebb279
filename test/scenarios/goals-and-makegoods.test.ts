/**
 * Goals, the delivery-shortfall report and makegoods (SPEC §8), through the HTTP API: a line half
 * way through its flight is short of its straight-line goal; a makegood is requested (the refusals
 * first, each writing nothing), approved, delivers at 0.00 on the invoice naming the line it makes
 * good, and its delivery shrinks the original line's shortfall.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeStore, type Harness, startHarness } from '../support/harness.ts';
import { documentOf, runBilling } from '../support/billing-helpers.ts';
import { type Cast, castOf, createApprovedContract, createParty, postImpressions, submitAndApprove } from '../support/scenario-helpers.ts';

interface ShortfallRow {
  contractId: string;
  lineItem: string;
  goal: { metric: string; quantity: number };
  delivered: number;
  expectedToDate: number;
  shortfallPercent: string;
}

describeStore('scenario: goals, shortfall and makegoods', () => {
  let h: Harness;
  let cast: Cast;
  let partyId: string;
  let contractId: string;

  const shortfall = async (asOf: string, token = cast.ops.token): Promise<ShortfallRow[]> => {
    const response = await h.call('GET', `/v1/reports/delivery-shortfall?asOf=${asOf}`, { token });
    expect(response.status, response.text).toBe(200);
    expect(response.body.asOf).toBe(asOf);
    return (response.body.data as ShortfallRow[]).filter((row) => row.contractId === contractId);
  };
  const requestMakegood = (body: Record<string, unknown>) =>
    h.call('POST', `/v1/contracts/${contractId}/makegoods`, { token: cast.ops.token, body });

  beforeAll(async () => {
    h = await startHarness({ today: '2026-10-30' });
    cast = await castOf(h);
    partyId = await createParty(cast, 'advertiser', 'Goal Streaming Co');
    contractId = await createApprovedContract(cast, partyId, 'sell', 'Goals IO', {
      startDate: '2026-10-01',
      endDate: '2026-12-31',
      currency: 'USD',
      billingPeriod: 'calendar_month',
      lineItems: [
        {
          key: 'ctv',
          name: 'CTV prime',
          startDate: '2026-10-01',
          endDate: '2026-11-29',
          pricing: { model: 'cpm', ratePerMille: '20.00' },
          goal: { metric: 'impressions', quantity: 610_000 },
        },
        {
          key: 'ontrack',
          name: 'On track',
          endDate: '2026-10-31',
          pricing: { model: 'cpm', ratePerMille: '10.00' },
          goal: { metric: 'impressions', quantity: 31_000 },
        },
        { key: 'display', name: 'Display', pricing: { model: 'cpm', ratePerMille: '5.00' } },
      ],
    });
    // October 1..30: ctv 5,000 a day (150,000); ontrack 1,000 a day (30,000, and 1,000 more on the 31st); display some.
    const days = Array.from({ length: 30 }, (_, index) => `2026-10-${String(index + 1).padStart(2, '0')}`);
    await postImpressions(cast, [
      ...days.map((date) => ({ contractId, lineItem: 'ctv', date, source: 'first_party' as const, impressions: 5_000 })),
      ...days.map((date) => ({ contractId, lineItem: 'ontrack', date, source: 'first_party' as const, impressions: 1_000 })),
      // ontrack's last day, after the report's first date: a count dated after asOf is not counted by then.
      { contractId, lineItem: 'ontrack', date: '2026-10-31', source: 'first_party' as const, impressions: 1_000 },
      // Third-party counts do not count toward a goal: the platform's own count does.
      { contractId, lineItem: 'ctv', date: '2026-10-02', source: 'third_party' as const, impressions: 999_999 },
      { contractId, lineItem: 'display', date: '2026-10-05', source: 'first_party' as const, impressions: 40_000 },
    ]);
  });
  afterAll(async () => h?.close());

  it('half way through its flight, a line delivering under its straight-line goal is listed with its shortfall', async () => {
    // ctv's flight is 2026-10-01..2026-11-29, 60 days; by 2026-10-30, 30 of them: 610,000 × 30 / 60 = 305,000 expected;
    // delivered 150,000 (first party): (305,000 − 150,000) / 305,000 = 50.8196…% → "50.82".
    // ontrack: 31 days, 30 elapsed: 31,000 × 30 / 31 = 30,000 expected, 30,000 delivered: not short, not listed.
    // display has no goal.
    expect(await shortfall('2026-10-30')).toEqual([
      {
        contractId,
        lineItem: 'ctv',
        goal: { metric: 'impressions', quantity: 610_000 },
        delivered: 150_000,
        expectedToDate: 305_000,
        shortfallPercent: '50.82',
      },
    ]);
    // Before the flight nothing is expected; asOf defaults to today.
    expect(await shortfall('2026-09-30')).toEqual([]);
    const today = await h.call('GET', '/v1/reports/delivery-shortfall', { token: cast.ops.token });
    expect(today.body.asOf).toBe('2026-10-30');
    // A party user sees its own contracts' lines, another party's user none of them.
    const own = await h.user('party', { partyId });
    expect((await shortfall('2026-10-30', own.token)).map((row) => row.lineItem)).toEqual(['ctv']);
    const stranger = await h.user('party', { partyId: await createParty(cast, 'advertiser', 'Someone Else') });
    expect(await shortfall('2026-10-30', stranger.token)).toEqual([]);
  });

  it('refuses a makegood that cannot be one, writing nothing', async () => {
    const valid = { lineItem: 'ctv', quantity: 155_000, startDate: '2026-11-01', endDate: '2026-11-29', reason: 'underdelivery' };
    const versionsBefore = await h.count('contract_versions');
    const auditBefore = await h.count('audit_entries');
    const cases: [Record<string, unknown>, number, string, string][] = [
      [{ ...valid, lineItem: 'nope' }, 422, 'unknown_line_item', 'lineItem'],
      [{ ...valid, lineItem: 'display' }, 422, 'no_goal', 'lineItem'],
      [{ ...valid, lineItem: 'ontrack' }, 422, 'no_shortfall', 'lineItem'],
      [{ ...valid, endDate: '2027-01-15' }, 422, 'date_outside_contract', 'endDate'],
      [{ ...valid, startDate: '2026-09-15' }, 422, 'date_outside_contract', 'startDate'],
      [{ ...valid, startDate: '2026-11-20', endDate: '2026-11-10' }, 400, 'validation_failed', 'endDate'],
      [{ ...valid, quantity: 0 }, 400, 'validation_failed', 'quantity'],
      [{ ...valid, quantity: -5 }, 400, 'validation_failed', 'quantity'],
      [{ ...valid, reason: 'because' }, 400, 'validation_failed', 'reason'],
    ];
    for (const [body, status, code, path] of cases) {
      const response = await requestMakegood(body);
      expect(response.status, `${JSON.stringify(body)}: ${response.text}`).toBe(status);
      expect(response.body.code, response.text).toBe(code);
      expect(response.body.errors.map((error: { path: string }) => error.path)).toContain(path);
    }
    expect(await h.count('contract_versions')).toBe(versionsBefore);
    expect(await h.count('audit_entries')).toBe(auditBefore);
    // finance may not write contracts.
    expect((await h.call('POST', `/v1/contracts/${contractId}/makegoods`, { token: cast.finance.token, body: valid })).status).toBe(403);
  });

  it('an approved makegood delivers at 0.00 on the invoice, naming the line it makes good, and shrinks the shortfall', async () => {
    const created = await requestMakegood({
      lineItem: 'ctv',
      quantity: 155_000,
      startDate: '2026-11-01',
      endDate: '2026-11-29',
      reason: 'underdelivery',
      note: 'Prime inventory was short in October',
    });
    expect(created.status, created.text).toBe(201);
    expect(created.headers.etag).toBe(`"${contractId}.2.${created.body.revision}"`);
    expect(created.body).toMatchObject({ number: 2, kind: 'makegood', status: 'draft', effectiveFrom: '2026-11-01' });
    expect(created.body.reason).toBe('Makegood ctv-mg1 for ctv (underdelivery): Prime inventory was short in October');
    const makegoodLine = (created.body.terms.lineItems as Record<string, unknown>[]).at(-1);
    expect(makegoodLine).toEqual({
      key: 'ctv-mg1',
      name: 'CTV prime (makegood 1)',
      startDate: '2026-11-01',
      endDate: '2026-11-29',
      pricing: { model: 'cpm', ratePerMille: '0' },
      goal: { metric: 'impressions', quantity: 155_000 },
      makegoodFor: 'ctv',
    });
    // The other lines are the approved terms, unchanged.
    expect((created.body.terms.lineItems as { key: string }[]).map((line) => line.key)).toEqual(['ctv', 'ontrack', 'display', 'ctv-mg1']);

    // Delivery for the makegood line waits for approval; the impact of approving it is nothing.
    const early = await h.call('POST', '/v1/impressions', {
      token: cast.ops.token,
      body: { records: [{ contractId, lineItem: 'ctv-mg1', date: '2026-11-05', source: 'first_party', impressions: 100_000 }] },
    });
    expect(early.status).toBe(422);
    expect(early.body.code).toBe('unknown_line_item');
    const impact = await h.call('GET', `/v1/contracts/${contractId}/versions/2/impact`, { token: cast.finance.token });
    expect(impact.status, impact.text).toBe(200);
    expect(impact.body.total.difference).toBe('0.00');

    // A makegood that is not a makegood: the terms refuse a priced makegood line on edit.
    const priced = await h.call('PATCH', `/v1/contracts/${contractId}/versions/2`, {
      token: cast.ops.token,
      body: {
        terms: {
          ...created.body.terms,
          lineItems: [
            ...(created.body.terms.lineItems as Record<string, unknown>[]).slice(0, -1),
            { ...makegoodLine, pricing: { model: 'cpm', ratePerMille: '20.00' } },
          ],
        },
      },
    });
    expect(priced.status).toBe(400);
    expect(priced.body.errors).toContainEqual({
      path: 'terms.lineItems[3].pricing',
      message: 'a makegood line is billed at zero: its pricing must be {"model":"cpm","ratePerMille":"0"}',
    });

    await submitAndApprove(cast, contractId, 2);
    // A second makegood of the same line would be ctv-mg2; one version at a time, so not now.
    h.setToday('2026-11-25');
    await postImpressions(cast, [
      { contractId, lineItem: 'ctv', date: '2026-11-03', source: 'first_party', impressions: 60_000 },
      { contractId, lineItem: 'ctv', date: '2026-11-10', source: 'first_party', impressions: 90_000 },
    ]);
    // By 2026-11-15, 46 of ctv's 60 days: 610,000 × 46 / 60 = 467,666.67, rounded down to 467,666 expected.
    // Delivered without the makegood: 150,000 + 60,000 + 90,000 = 300,000: (467,666 − 300,000) / 467,666 = 35.8516…% → "35.85".
    expect(await shortfall('2026-11-15')).toMatchObject([
      { lineItem: 'ctv', delivered: 300_000, expectedToDate: 467_666, shortfallPercent: '35.85' },
    ]);

    await postImpressions(cast, [{ contractId, lineItem: 'ctv-mg1', date: '2026-11-05', source: 'first_party', impressions: 100_000 }]);
    // With the makegood's 100,000: 400,000 delivered, (467,666 − 400,000) / 467,666 = 14.4688…% → "14.47".
    const shrunk = await shortfall('2026-11-15');
    expect(shrunk).toEqual([
      {
        contractId,
        lineItem: 'ctv',
        goal: { metric: 'impressions', quantity: 610_000 },
        delivered: 400_000,
        expectedToDate: 467_666,
        shortfallPercent: '14.47',
      },
    ]);
    // The makegood line is not listed on its own: its delivery is the original's.
    expect(shrunk.map((row) => row.lineItem)).not.toContain('ctv-mg1');

    // November's invoice: ctv 150,000 × 20.00 / 1000 = 3,000.00 under version 2 (in force from 2026-11-01);
    // ctv-mg1 100,000 impressions at 0.00, naming the line it makes good.
    await runBilling(h, cast.finance.token, '2026-11');
    const invoice = await documentOf(h, cast.finance.token, 'invoice', '2026-11', partyId);
    const byLine = new Map(invoice.lines.map((line) => [line.lineItem, line]));
    expect(byLine.get('ctv')).toMatchObject({ quantity: 150_000, amount: '3000.00', rate: '20.00' });
    const makegood = byLine.get('ctv-mg1');
    expect(makegood).toMatchObject({ kind: 'media', quantity: 100_000, unit: 'impressions', amount: '0.00' });
    expect(makegood?.description).toContain('makegood ctv-mg1 for ctv, at no charge');
    expect(makegood?.explain).toMatchObject({
      version: { number: 2, effectiveFrom: '2026-11-01' },
      makegood: { lineItem: 'ctv-mg1', makegoodFor: 'ctv', goal: { metric: 'impressions', quantity: 155_000 } },
      exactAmount: '0.00',
    });
    expect(invoice.subtotal).toBe('3000.00');
  });

  it('a completed-views goal: a cpcv line short of its views, made good by a cpcv line at ratePerView "0"', async () => {
    h.setToday('2026-10-10');
    const viewsContract = await createApprovedContract(cast, partyId, 'sell', 'Views IO', {
      startDate: '2026-10-01',
      endDate: '2026-10-31',
      currency: 'USD',
      billingPeriod: 'calendar_month',
      lineItems: [
        {
          key: 'views',
          name: 'Completed views',
          pricing: { model: 'cpcv', ratePerView: '0.05' },
          goal: { metric: 'completedViews', quantity: 31_000 },
        },
      ],
    });
    const days = Array.from({ length: 10 }, (_, index) => `2026-10-${String(index + 1).padStart(2, '0')}`);
    await postImpressions(
      cast,
      days.map((date) => ({
        contractId: viewsContract,
        lineItem: 'views',
        date,
        source: 'first_party' as const,
        impressions: 10_000,
        completedViews: 800,
      })),
    );
    const rowsOf = async (asOf: string) =>
      (await h.call('GET', `/v1/reports/delivery-shortfall?asOf=${asOf}`, { token: cast.ops.token })).body.data.filter(
        (row: ShortfallRow) => row.contractId === viewsContract,
      );
    // 31 days, 10 elapsed: 31,000 × 10 / 31 = 10,000 views expected; 10 × 800 = 8,000 delivered (the impressions do not count): 20.00 %.
    expect(await rowsOf('2026-10-10')).toEqual([
      {
        contractId: viewsContract,
        lineItem: 'views',
        goal: { metric: 'completedViews', quantity: 31_000 },
        delivered: 8_000,
        expectedToDate: 10_000,
        shortfallPercent: '20.00',
      },
    ]);
    const created = await h.call('POST', `/v1/contracts/${viewsContract}/makegoods`, {
      token: cast.ops.token,
      body: { lineItem: 'views', quantity: 2_000, startDate: '2026-10-12', endDate: '2026-10-31', reason: 'technical' },
    });
    expect(created.status, created.text).toBe(201);
    expect((created.body.terms.lineItems as Record<string, unknown>[]).at(-1)).toMatchObject({
      key: 'views-mg1',
      pricing: { model: 'cpcv', ratePerView: '0' },
      goal: { metric: 'completedViews', quantity: 2_000 },
      makegoodFor: 'views',
    });
    await submitAndApprove(cast, viewsContract, 2);
    await postImpressions(cast, [
      {
        contractId: viewsContract,
        lineItem: 'views-mg1',
        date: '2026-10-12',
        source: 'first_party',
        impressions: 3_000,
        completedViews: 1_500,
      },
    ]);
    // By 2026-10-15: 31,000 × 15 / 31 = 15,000 expected; 8,000 + the makegood's 1,500 = 9,500 delivered:
    // (15,000 − 9,500) / 15,000 = 36.666…% → "36.67" (without the makegood it would be 46.67).
    expect(await rowsOf('2026-10-15')).toMatchObject([
      { lineItem: 'views', delivered: 9_500, expectedToDate: 15_000, shortfallPercent: '36.67' },
    ]);
    // October previewed: views 8,000 × 0.05 = 400.00; the makegood's 1,500 completed views at 0.00.
    const october = await h.call('GET', `/v1/contracts/${viewsContract}/charges?from=2026-10-01&to=2026-10-31`, { token: cast.ops.token });
    expect(october.status, october.text).toBe(200);
    const lines = october.body.lines as { lineItem: string; quantity: number; amount: string; description: string }[];
    expect(lines.map((line) => [line.lineItem, line.quantity, line.amount])).toEqual([
      ['views', 8_000, '400.00'],
      ['views-mg1', 1_500, '0.00'],
    ]);
    expect(lines[1]?.description).toContain('makegood views-mg1 for views, at no charge');
    expect(october.body.subtotal).toBe('400.00');
  });
});
