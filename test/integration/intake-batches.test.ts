/**
 * Clicks and conversions in batches larger than one look-up statement: intake reads the ids it was
 * sent (resends, the clicks conversions name) 1,000 at a time, so that PostgreSQL probes the primary
 * key rather than scanning the table (docs/benchmarks.md §9). 2,500 records span three statements:
 * duplicates, conflicts and unknown clicks must be found in every one of them, and named by their
 * place in the batch.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeStore, type Harness, startHarness } from '../support/harness.ts';
import { castOf, createApprovedContract, createParty, type Cast } from '../support/scenario-helpers.ts';

const records = 2_500;
const quarter = { startDate: '2026-10-01', endDate: '2026-12-31', currency: 'USD', billingPeriod: 'calendar_month' };
const cpaLine = {
  key: 'sales',
  name: 'Sales',
  pricing: { model: 'cpa', events: [{ eventType: 'purchase', amount: '30.00' }], attribution: { viewWindowDays: 1, clickWindowDays: 7 } },
};

describeStore('intake of batches spanning several look-up statements', () => {
  let h: Harness;
  let cast: Cast;
  let contractId: string;
  let partners: [string, string];

  /** Click i: partner 1 or 2 by parity, at 2026-10-05 plus i seconds. */
  const click = (index: number) => ({
    id: `big-click-${index}`,
    contractId,
    lineItem: 'sales',
    partnerId: partners[index % 2],
    at: new Date(Date.parse('2026-10-05T00:00:00Z') + index * 1_000).toISOString(),
  });
  /** Conversion i names click i, an hour after it. */
  const conversion = (index: number) => ({
    id: `big-conversion-${index}`,
    contractId,
    lineItem: 'sales',
    eventType: 'purchase',
    occurredAt: new Date(Date.parse('2026-10-05T01:00:00Z') + index * 1_000).toISOString(),
    clickId: `big-click-${index}`,
  });
  const all = <T>(make: (index: number) => T) => Array.from({ length: records }, (_, index) => make(index));
  const post = (url: string, body: unknown) => h.call('POST', url, { token: cast.ops.token, body });

  beforeAll(async () => {
    h = await startHarness({ today: '2026-11-25' });
    cast = await castOf(h);
    const advertiser = await createParty(cast, 'advertiser', 'Batch Advertiser');
    partners = [await createParty(cast, 'partner', 'Batch Partner 1'), await createParty(cast, 'partner', 'Batch Partner 2')];
    contractId = await createApprovedContract(cast, advertiser, 'sell', 'Batch offer', { ...quarter, lineItems: [cpaLine] });
  });
  afterAll(async () => h?.close());

  it('stores 2,500 clicks, takes them again as duplicates, and names a conflict in the third look-up', async () => {
    const first = await post('/v1/clicks', { records: all(click) });
    expect(first.status, first.text).toBe(200);
    expect(first.body).toEqual({ accepted: records, created: records, duplicates: 0 });
    const again = await post('/v1/clicks', { records: all(click) });
    expect(again.body).toEqual({ accepted: records, created: 0, duplicates: records });
    const changed = all(click);
    changed[2_400] = { ...changed[2_400]!, at: '2026-10-06T00:00:00Z' };
    const conflict = await post('/v1/clicks', { records: changed });
    expect(conflict.status).toBe(409);
    expect(conflict.body.code).toBe('click_conflict');
    expect(conflict.body.errors).toEqual([expect.objectContaining({ path: 'records[2400].id' })]);
  });

  it('refuses 2,500 clicks on a contract that does not exist, naming the first 100 and counting them all', async () => {
    const ghost = all((index) => ({ ...click(index), id: `ghost-click-${index}`, contractId: 'ctr_01ghostghostghostghostghost' }));
    const refused = await post('/v1/clicks', { records: ghost });
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('unknown_contract');
    expect(refused.body.detail).toMatch(/^2500 clicks were rejected; the first: records\[0\]\.contractId: no such contract\./);
    expect(refused.body.errors).toEqual(
      Array.from({ length: 100 }, (_, index) =>
        expect.objectContaining({ path: `records[${index}].contractId`, message: 'no such contract' }),
      ),
    );
  });

  it('attributes 2,500 conversions to the clicks they name, and finds resends and unknown clicks past the first 1,000', async () => {
    const unknown = all(conversion);
    unknown[2_200] = { ...unknown[2_200]!, clickId: 'no-such-click' };
    const refused = await post('/v1/conversions', { records: unknown });
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('unknown_click');
    expect(refused.body.errors).toEqual([expect.objectContaining({ path: 'records[2200].clickId' })]);

    const first = await post('/v1/conversions', { records: all(conversion) });
    expect(first.status, first.text).toBe(200);
    expect(first.body).toEqual({ accepted: records, created: records, duplicates: 0 });
    // The last conversion names click 2,499 (odd: partner 2), an hour before it: inside the 7-day window.
    const last = await h.call('GET', `/v1/conversions/big-conversion-${records - 1}`, { token: cast.ops.token });
    expect(last.body.credited).toEqual({
      partnerId: partners[1],
      touch: { type: 'click', at: click(records - 1).at, clickId: `big-click-${records - 1}` },
    });

    const again = await post('/v1/conversions', { records: all(conversion) });
    expect(again.body).toEqual({ accepted: records, created: 0, duplicates: records });
    const changed = all(conversion);
    changed[2_300] = { ...changed[2_300]!, eventType: 'lead' };
    const conflict = await post('/v1/conversions', { records: changed });
    expect(conflict.status).toBe(409);
    expect(conflict.body.code).toBe('conversion_conflict');
    expect(conflict.body.errors).toEqual([expect.objectContaining({ path: 'records[2300].id' })]);
  });
});
