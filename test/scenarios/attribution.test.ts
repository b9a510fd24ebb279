/**
 * Attribution through HTTP (SPEC §9): clicks, conversions that carry a clickId or several partners'
 * touches, one partner credited per conversion by the line item's model (last_click, first_click,
 * last_touch), the others kept with the reason; the conversion's detail; and what the credit means
 * for money: the advertiser is billed once per conversion and only the credited partner is paid.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeStore, type Harness, startHarness } from '../support/harness.ts';
import {
  addDaysUtc,
  amendAndApprove,
  type Cast,
  castOf,
  createApprovedContract,
  createParty,
  expectLines,
  preview,
} from '../support/scenario-helpers.ts';

const quarter = { startDate: '2026-10-01', endDate: '2026-12-31', currency: 'USD', billingPeriod: 'calendar_month' };

/** A cpa line item paying 30.00 per purchase, with a 1-day view window and a 7-day click window, under `model`. */
function cpaLine(key: string, model?: 'last_click' | 'first_click' | 'last_touch') {
  return {
    key,
    name: key,
    pricing: {
      model: 'cpa',
      events: [{ eventType: 'purchase', amount: '30.00' }],
      attribution: { viewWindowDays: 1, clickWindowDays: 7, ...(model && { model }) },
      billOn: 'approved',
    },
  };
}

describeStore('scenario: attribution of clicks and touches', () => {
  let h: Harness;
  let cast: Cast;
  let advertiserId: string;
  let sellId: string;
  const partners: Record<'p1' | 'p2' | 'p3', string> = { p1: '', p2: '', p3: '' };
  const buyIds: Record<'p1' | 'p2' | 'p3', string> = { p1: '', p2: '', p3: '' };

  const post = (url: string, body: unknown, token = cast.ops.token) => h.call('POST', url, { token, body });
  const detail = (id: string, token = cast.ops.token) => h.call('GET', `/v1/conversions/${id}`, { token });

  beforeAll(async () => {
    h = await startHarness({ today: '2026-11-25' });
    cast = await castOf(h);
    advertiserId = await createParty(cast, 'advertiser', 'Northwind Shop');
    partners.p1 = await createParty(cast, 'partner', 'Coupon Site');
    partners.p2 = await createParty(cast, 'partner', 'Review Blog');
    partners.p3 = await createParty(cast, 'partner', 'Cashback App');
    // One offer, three line items that differ only in the model (lc has none: last_click by default).
    sellId = await createApprovedContract(cast, advertiserId, 'sell', 'Northwind offer', {
      ...quarter,
      lineItems: [cpaLine('lc'), cpaLine('fc', 'first_click'), cpaLine('lt', 'last_touch')],
    });
    // Each partner's own payout contract on the offer: 10.00 per purchase, whatever line.
    for (const key of ['p1', 'p2', 'p3'] as const) {
      buyIds[key] = await createApprovedContract(cast, partners[key], 'buy', `Payout ${key}`, {
        ...quarter,
        appliesTo: [sellId],
        lineItems: [
          {
            key: 'payout',
            name: 'Payout',
            pricing: {
              model: 'cpa',
              events: [{ eventType: 'purchase', amount: '10.00' }],
              attribution: { viewWindowDays: 30, clickWindowDays: 30 },
              billOn: 'approved',
            },
          },
        ],
      });
    }
  });
  afterAll(async () => h?.close());

  describe('the same five touches of three partners under each model', () => {
    // The conversion occurs at 2026-10-10T12:00Z; the windows are 1 day for views and 7 for clicks.
    const occurredAt = '2026-10-10T12:00:00Z';
    const touches = () => [
      { partnerId: partners.p1, type: 'click', at: '2026-10-02T12:00:00Z' }, // 0: 8 days before: outside the click window
      { partnerId: partners.p2, type: 'click', at: '2026-10-04T12:00:00Z' }, // 1: 6 days before: the earliest click in window
      { partnerId: partners.p1, type: 'view', at: '2026-10-10T06:00:00Z' }, //  2: 6 hours before: the latest touch in window
      { partnerId: partners.p3, type: 'click', at: '2026-10-09T12:00:00Z' }, // 3: 1 day before: the latest click in window
      { partnerId: partners.p2, type: 'view', at: '2026-10-08T00:00:00Z' }, //  4: 2.5 days before: outside the view window
    ];
    const conversion = (id: string, lineItem: string) => ({
      id,
      contractId: sellId,
      lineItem,
      eventType: 'purchase',
      occurredAt,
      touches: touches(),
      status: 'approved',
    });

    beforeAll(async () => {
      const response = await post('/v1/conversions', {
        records: [conversion('attr-lc', 'lc'), conversion('attr-fc', 'fc'), conversion('attr-lt', 'lt')],
      });
      expect(response.status, response.text).toBe(200);
      expect(response.body).toEqual({ accepted: 3, created: 3, duplicates: 0 });
    });

    it('last_click credits the latest click in its window (P3), and says why each other touch lost', async () => {
      const response = await detail('attr-lc');
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        id: 'attr-lc',
        status: 'approved',
        partnerId: partners.p3,
        touch: { type: 'click', at: '2026-10-09T12:00:00.000Z' },
        attribution: { model: 'last_click', version: 1 },
        credited: { partnerId: partners.p3, touch: { type: 'click', at: '2026-10-09T12:00:00.000Z', clickId: null } },
      });
      expect(response.body.touches.map((touch: { credited: boolean; reason: string }) => [touch.credited, touch.reason])).toEqual([
        [false, 'outside_window'],
        [false, 'later_click_won'],
        [false, 'click_won'],
        [true, 'last_click'],
        [false, 'outside_window'],
      ]);
      expect(response.body.touches[2]).toEqual({
        partnerId: partners.p1,
        type: 'view',
        at: '2026-10-10T06:00:00.000Z',
        clickId: null,
        credited: false,
        reason: 'click_won',
      });
      expect(response.body.statusHistory).toEqual([{ status: 'approved', at: expect.any(String), by: cast.ops.id, reason: 'received' }]);
    });

    it('first_click credits the earliest click in its window (P2)', async () => {
      const response = await detail('attr-fc');
      expect(response.body).toMatchObject({
        partnerId: partners.p2,
        attribution: { model: 'first_click' },
        credited: { partnerId: partners.p2 },
      });
      expect(response.body.touches.map((touch: { reason: string }) => touch.reason)).toEqual([
        'outside_window',
        'first_click',
        'click_won',
        'earlier_click_won',
        'outside_window',
      ]);
    });

    it('last_touch credits the latest touch of either type in its window (P1’s view)', async () => {
      const response = await detail('attr-lt');
      expect(response.body).toMatchObject({
        partnerId: partners.p1,
        touch: { type: 'view', at: '2026-10-10T06:00:00.000Z' },
        attribution: { model: 'last_touch' },
        credited: { partnerId: partners.p1, touch: { type: 'view' } },
      });
      expect(response.body.touches.map((touch: { reason: string }) => touch.reason)).toEqual([
        'outside_window',
        'later_touch_won',
        'last_touch',
        'later_touch_won',
        'outside_window',
      ]);
    });

    it('bills the advertiser once per conversion and pays only the credited partner', async () => {
      const sell = await preview(cast, sellId, '2026-10-01', '2026-10-31');
      // One approved purchase on each line item, each attributed to a touch in its window: 3 × 30.00 = 90.00.
      expectLines(sell, [
        { period: '2026-10', lineItem: 'lc', kind: 'media', quantity: 1, unit: 'conversions', rate: '30.00', amount: '30.00' },
        { period: '2026-10', lineItem: 'fc', kind: 'media', quantity: 1, unit: 'conversions', rate: '30.00', amount: '30.00' },
        { period: '2026-10', lineItem: 'lt', kind: 'media', quantity: 1, unit: 'conversions', rate: '30.00', amount: '30.00' },
      ]);
      expect(sell.subtotal).toBe('90.00');
      // Each partner is credited exactly one of the three: P3 (last_click), P2 (first_click), P1 (last_touch):
      // 1 × 10.00 each, 30.00 in all: never more than one payout per conversion.
      for (const key of ['p1', 'p2', 'p3'] as const) {
        const buy = await preview(cast, buyIds[key], '2026-10-01', '2026-10-31');
        expectLines(buy, [
          { period: '2026-10', lineItem: 'payout', kind: 'media', quantity: 1, unit: 'conversions', rate: '10.00', amount: '10.00' },
        ]);
      }
    });

    it('takes the same touches again as a duplicate, and other touches under the same id as a conflict', async () => {
      const again = await post('/v1/conversions', { records: [conversion('attr-lc', 'lc')] });
      expect(again.body).toEqual({ accepted: 1, created: 0, duplicates: 1 });
      const other = conversion('attr-lc', 'lc');
      other.touches = other.touches.slice(1);
      const conflict = await post('/v1/conversions', { records: [other] });
      expect(conflict.status).toBe(409);
      expect(conflict.body).toMatchObject({ code: 'conversion_conflict', errors: [{ path: 'records[0].id' }] });
    });
  });

  describe('clicks and conversions that name their click', () => {
    const click = (id: string, partner: 'p1' | 'p2' | 'p3', at: string, extra: Record<string, unknown> = {}) => ({
      id,
      contractId: sellId,
      lineItem: 'lc',
      partnerId: partners[partner],
      at,
      ...extra,
    });

    beforeAll(async () => {
      const response = await post('/v1/clicks', {
        records: [
          click('clk-1', 'p1', '2026-11-02T08:00:00Z', { attributes: { country: 'US' } }),
          click('clk-2', 'p2', '2026-11-03T09:30:00+02:00'),
          click('clk-3', 'p2', '2026-11-04T10:00:00Z'),
        ],
      });
      expect(response.status, response.text).toBe(200);
      expect(response.body).toEqual({ accepted: 3, created: 3, duplicates: 0 });
    });

    it('takes clicks idempotently by their id', async () => {
      const again = await post('/v1/clicks', {
        records: [click('clk-2', 'p2', '2026-11-03T07:30:00Z'), click('clk-4', 'p3', '2026-11-05T10:00:00Z')],
      });
      // The same instant written in UTC is the same click.
      expect(again.body).toEqual({ accepted: 2, created: 1, duplicates: 1 });
      const before = await h.count('clicks');
      const conflict = await post('/v1/clicks', {
        records: [click('clk-5', 'p3', '2026-11-05T10:00:00Z'), click('clk-1', 'p3', '2026-11-02T08:00:00Z')],
      });
      expect(conflict.status).toBe(409);
      expect(conflict.body).toMatchObject({ code: 'click_conflict', errors: [{ path: 'records[1].id' }] });
      expect(await h.count('clicks')).toBe(before);
    });

    it('credits the click’s partner for a conversion that names it, with the click as its touch', async () => {
      const response = await post('/v1/conversions', {
        records: [
          {
            id: 'attr-click-1',
            contractId: sellId,
            lineItem: 'lc',
            eventType: 'purchase',
            occurredAt: '2026-11-03T12:00:00Z',
            clickId: 'clk-2',
            status: 'approved',
          },
        ],
      });
      expect(response.status, response.text).toBe(200);
      const read = await detail('attr-click-1');
      expect(read.body).toMatchObject({
        partnerId: partners.p2,
        clickId: 'clk-2',
        // 09:30 at +02:00 is 07:30 UTC.
        touch: { type: 'click', at: '2026-11-03T07:30:00.000Z' },
        credited: { partnerId: partners.p2, touch: { type: 'click', at: '2026-11-03T07:30:00.000Z', clickId: 'clk-2' } },
        touches: [{ partnerId: partners.p2, type: 'click', clickId: 'clk-2', credited: true, reason: 'last_click' }],
      });
      // The partner's payout for November: this one purchase, 10.00.
      const buy = await preview(cast, buyIds.p2, '2026-11-01', '2026-11-30');
      expect(buy.subtotal).toBe('10.00');
    });

    it('lets touches name their clicks, and credits the latest click among them', async () => {
      const response = await post('/v1/conversions', {
        records: [
          {
            id: 'attr-click-2',
            contractId: sellId,
            lineItem: 'lc',
            eventType: 'purchase',
            occurredAt: '2026-11-04T12:00:00Z',
            touches: [
              { partnerId: partners.p1, type: 'click', at: '2026-11-02T08:00:00Z', clickId: 'clk-1' },
              { partnerId: partners.p2, type: 'click', at: '2026-11-04T10:00:00Z', clickId: 'clk-3' },
              { partnerId: partners.p3, type: 'view', at: '2026-11-04T11:00:00Z' },
            ],
          },
        ],
      });
      expect(response.status, response.text).toBe(200);
      const read = await detail('attr-click-2');
      expect(read.body.credited).toEqual({
        partnerId: partners.p2,
        touch: { type: 'click', at: '2026-11-04T10:00:00.000Z', clickId: 'clk-3' },
      });
      expect(read.body.touches.map((touch: { clickId: string | null; reason: string }) => [touch.clickId, touch.reason])).toEqual([
        ['clk-1', 'later_click_won'],
        ['clk-3', 'last_click'],
        [null, 'click_won'],
      ]);
    });

    it('lists a contract’s clicks in time order, by partner and dates, page by page', async () => {
      const all = await h.call('GET', `/v1/clicks?contractId=${sellId}&limit=2`, { token: cast.ops.token });
      expect(all.status, all.text).toBe(200);
      expect(all.body.data.map((row: { id: string }) => row.id)).toEqual(['clk-1', 'clk-2']);
      expect(all.body.data[0]).toMatchObject({
        partnerId: partners.p1,
        lineItem: 'lc',
        at: '2026-11-02T08:00:00.000Z',
        attributes: { country: 'US' },
      });
      const next = await h.call('GET', `/v1/clicks?contractId=${sellId}&limit=2&cursor=${all.body.nextCursor}`, { token: cast.ops.token });
      expect(next.body.data.map((row: { id: string }) => row.id)).toEqual(['clk-3', 'clk-4']);
      expect(next.body.nextCursor).toBeNull();
      const ofP2 = await h.call('GET', `/v1/clicks?contractId=${sellId}&partnerId=${partners.p2}`, { token: cast.ops.token });
      expect(ofP2.body.data.map((row: { id: string }) => row.id)).toEqual(['clk-2', 'clk-3']);
      const onDays = await h.call('GET', `/v1/clicks?contractId=${sellId}&from=2026-11-03&to=2026-11-04`, { token: cast.ops.token });
      expect(onDays.body.data.map((row: { id: string }) => row.id)).toEqual(['clk-2', 'clk-3']);
    });

    it('imports clicks from CSV, and conversions that name them', async () => {
      const clicksCsv = [
        'id,contractId,lineItem,partnerId,at,attributes.country',
        `clk-csv-1,${sellId},lc,${partners.p3},2026-11-06T10:00:00Z,DE`,
      ].join('\n');
      const imported = await h.call('POST', '/v1/clicks/import', {
        token: cast.ops.token,
        body: clicksCsv,
        headers: { 'content-type': 'text/csv' },
      });
      expect(imported.status, imported.text).toBe(200);
      expect(imported.body).toMatchObject({ kind: 'clicks', rows: 1, created: 1, duplicates: 0 });
      const conversionsCsv = [
        'id,contractId,lineItem,eventType,occurredAt,clickId,status',
        `attr-csv-1,${sellId},lc,purchase,2026-11-06T11:00:00Z,clk-csv-1,approved`,
      ].join('\n');
      const conversions = await h.call('POST', '/v1/conversions/import', {
        token: cast.ops.token,
        body: conversionsCsv,
        headers: { 'content-type': 'text/csv' },
      });
      expect(conversions.status, conversions.text).toBe(200);
      expect((await detail('attr-csv-1')).body.credited).toMatchObject({ partnerId: partners.p3, touch: { clickId: 'clk-csv-1' } });
    });
  });

  describe('an amendment that changes the model', () => {
    it('attributes each conversion of one batch by the version in force on its date', async () => {
      // Version 1 (from 2026-10-01) credits the last click; version 2, from 2026-11-01, the first.
      const amendedId = await createApprovedContract(cast, advertiserId, 'sell', 'Amended offer', {
        ...quarter,
        lineItems: [cpaLine('sales')],
      });
      const version = await amendAndApprove(
        cast,
        amendedId,
        '2026-11-01',
        { ...quarter, lineItems: [cpaLine('sales', 'first_click')] },
        'First click from November',
      );
      expect(version).toBe(2);
      // Each conversion: P1's click 3 days before it, P2's 1 day before, both inside the 7-day click window.
      const conversion = (id: string, occurredAt: string) => ({
        id,
        contractId: amendedId,
        lineItem: 'sales',
        eventType: 'purchase',
        occurredAt: `${occurredAt}T12:00:00Z`,
        touches: [
          { partnerId: partners.p1, type: 'click', at: `${addDaysUtc(occurredAt, -3)}T12:00:00Z` },
          { partnerId: partners.p2, type: 'click', at: `${addDaysUtc(occurredAt, -1)}T12:00:00Z` },
        ],
      });
      const response = await post('/v1/conversions', {
        records: [conversion('amended-oct', '2026-10-31'), conversion('amended-nov', '2026-11-01')],
      });
      expect(response.status, response.text).toBe(200);
      // 2026-10-31 is under version 1: the last click (P2); 2026-11-01 under version 2: the first click (P1).
      expect((await detail('amended-oct')).body).toMatchObject({
        partnerId: partners.p2,
        attribution: { model: 'last_click', version: 1 },
      });
      expect((await detail('amended-nov')).body).toMatchObject({
        partnerId: partners.p1,
        attribution: { model: 'first_click', version: 2 },
      });
    });
  });

  describe('no touch in its window, the single-touch form, and who may read the detail', () => {
    it('credits nobody when no touch is in its window, and the advertiser is not billed for it', async () => {
      const response = await post('/v1/conversions', {
        records: [
          {
            id: 'attr-none',
            contractId: sellId,
            lineItem: 'lc',
            eventType: 'purchase',
            occurredAt: '2026-12-20T12:00:00Z',
            touches: [
              { partnerId: partners.p1, type: 'view', at: '2026-12-18T12:00:00Z' }, // 2 days: outside the 1-day view window
              { partnerId: partners.p2, type: 'click', at: '2026-12-01T12:00:00Z' }, // 19 days: outside the 7-day click window
            ],
            status: 'approved',
          },
        ],
      });
      expect(response.status, response.text).toBe(200);
      const read = await detail('attr-none');
      // Nobody is credited; the conversion keeps the touch last_click would pick without windows: the click.
      expect(read.body).toMatchObject({ partnerId: null, credited: null, touch: { type: 'click', at: '2026-12-01T12:00:00.000Z' } });
      expect(read.body.touches.map((touch: { credited: boolean; reason: string }) => [touch.credited, touch.reason])).toEqual([
        [false, 'outside_window'],
        [false, 'outside_window'],
      ]);
      const sell = await preview(cast, sellId, '2026-12-01', '2026-12-31');
      expect(sell.subtotal).toBe('0.00');
    });

    it('keeps the single touch with partnerId as it was: one touch, credited when in its window', async () => {
      const response = await post('/v1/conversions', {
        records: [
          {
            id: 'attr-single',
            contractId: sellId,
            lineItem: 'lc',
            partnerId: partners.p3,
            eventType: 'purchase',
            occurredAt: '2026-12-02T12:00:00Z',
            touch: { type: 'view', at: '2026-12-02T02:00:00Z' },
          },
        ],
      });
      expect(response.status, response.text).toBe(200);
      const read = await detail('attr-single');
      expect(read.body).toMatchObject({
        partnerId: partners.p3,
        status: 'pending',
        clickId: null,
        credited: { partnerId: partners.p3, touch: { type: 'view', at: '2026-12-02T02:00:00.000Z', clickId: null } },
        touches: [{ partnerId: partners.p3, type: 'view', credited: true, reason: 'last_view' }],
        history: [{ seq: 1, status: 'pending', reason: 'received', by: cast.ops.id }],
      });
      const approved = await post('/v1/conversions/status', { updates: [{ id: 'attr-single', status: 'approved', reason: 'checked' }] });
      expect(approved.status).toBe(200);
      expect((await detail('attr-single')).body.statusHistory).toEqual([
        { status: 'pending', at: expect.any(String), by: cast.ops.id, reason: 'received' },
        { status: 'approved', at: expect.any(String), by: cast.ops.id, reason: 'checked' },
      ]);
    });

    it('shows the detail to the advertiser’s own users, and to no other party (not even a credited partner)', async () => {
      const own = await h.user('party', { partyId: advertiserId });
      expect((await detail('attr-lc', own.token)).status).toBe(200);
      const partner = await h.user('party', { partyId: partners.p3 });
      const hidden = await detail('attr-lc', partner.token);
      expect(hidden.status).toBe(404);
      expect(hidden.body.code).toBe('not_found');
      const clicks = await h.call('GET', `/v1/clicks?contractId=${sellId}`, { token: partner.token });
      expect(clicks.status).toBe(404);
      expect((await h.call('GET', `/v1/clicks?contractId=${sellId}`, { token: own.token })).status).toBe(200);
    });
  });
});
