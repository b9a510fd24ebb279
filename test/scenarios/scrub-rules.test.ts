/**
 * Scrub rules through HTTP (SPEC §9): rules evaluated at intake in priority order reject or hold
 * conversions; what they reject is never billed, what they hold is billed only once released; the
 * status history names the rule and its reason; the scrub report counts per partner and day; and
 * the 30-day preview of a rule changes nothing.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeStore, type Harness, startHarness } from '../support/harness.ts';
import { countAllTables } from '../support/security-book.ts';
import {
  type Cast,
  type ConversionInput,
  castOf,
  createApprovedContract,
  createParty,
  purchaseOfferTerms,
  expectLines,
  postConversions,
  preview,
} from '../support/scenario-helpers.ts';

/** An instant `seconds` before 2026-10-10T12:00:00Z, the moment every conversion here occurs. */
function secondsBefore(seconds: number): string {
  return new Date(Date.parse('2026-10-10T12:00:00Z') - seconds * 1000).toISOString();
}

describeStore('scenario: scrub rules', () => {
  let h: Harness;
  let cast: Cast;
  let contractId: string;
  let partnerOne: string;
  let partnerTwo: string;
  let fastRule: string;
  let reviewRule: string;

  const conversion = (id: string, partnerId: string, touch: ConversionInput['touch'], value = '100.00'): ConversionInput => ({
    id,
    contractId,
    lineItem: 'sales',
    partnerId,
    eventType: 'purchase',
    occurredAt: '2026-10-10T12:00:00Z',
    touch,
    value,
    attributes: { country: 'US' },
    status: 'approved',
  });

  async function createRule(body: Record<string, unknown>): Promise<string> {
    const response = await h.call('POST', '/v1/scrub-rules', { token: cast.ops.token, body });
    expect(response.status, response.text).toBe(201);
    return response.body.id as string;
  }

  async function statusHistory(id: string) {
    const response = await h.call('GET', `/v1/conversions/${id}`, { token: cast.finance.token });
    expect(response.status, response.text).toBe(200);
    return { status: response.body.status as string, history: response.body.statusHistory as Record<string, unknown>[] };
  }

  beforeAll(async () => {
    h = await startHarness({ today: '2026-11-25' });
    cast = await castOf(h);
    const advertiserId = await createParty(cast, 'advertiser', 'Scrubbed Retail');
    partnerOne = await createParty(cast, 'partner', 'Partner One');
    partnerTwo = await createParty(cast, 'partner', 'Partner Two');
    contractId = await createApprovedContract(cast, advertiserId, 'sell', 'Scrubbed CPA', purchaseOfferTerms('30.00', 'approved'));
    // Priority 10 first: a click less than 20 s before the conversion is rejected.
    fastRule = await createRule({
      name: 'Click to conversion under 20 s',
      priority: 10,
      conditions: [{ field: 'clickToConversionSeconds', op: 'lt', value: 20 }],
      action: 'reject',
      reason: 'click_too_fast',
    });
    // Priority 20: Partner Two's orders of 500.00 or more wait for review.
    reviewRule = await createRule({
      name: 'Large orders of Partner Two',
      priority: 20,
      conditions: [
        { field: 'partnerId', op: 'eq', value: partnerTwo },
        { field: 'value', op: 'gte', value: '500' },
      ],
      action: 'hold',
      reason: 'large_order_review',
      contractId,
    });
    await postConversions(cast, [
      conversion('scrub-fast', partnerOne, { type: 'click', at: secondsBefore(10) }), // 10 s < 20: rejected by the fast rule
      conversion('scrub-slow', partnerOne, { type: 'click', at: secondsBefore(30) }), // 30 s: no rule; approved, billed
      conversion('scrub-view', partnerOne, { type: 'view', at: secondsBefore(5) }), // a view, no click: the seconds condition does not hold; billed
      conversion('scrub-large-1', partnerTwo, { type: 'click', at: secondsBefore(3600) }, '800.00'), // held for review
      conversion('scrub-large-2', partnerTwo, { type: 'click', at: secondsBefore(3600) }, '900'), // held for review
      conversion('scrub-small', partnerTwo, { type: 'click', at: secondsBefore(3600) }, '100.00'), // under 500: billed
      conversion('scrub-fast-large', partnerTwo, { type: 'click', at: secondsBefore(5) }, '1000.00'), // both rules match: priority 10 wins, rejected
    ]);
  });
  afterAll(async () => h?.close());

  it('rejects the conversion 10 s after its click and bills the one at 30 s', async () => {
    expect((await statusHistory('scrub-fast')).status).toBe('rejected');
    expect((await statusHistory('scrub-slow')).status).toBe('approved');
    expect((await statusHistory('scrub-view')).status).toBe('approved');
    expect((await statusHistory('scrub-fast-large')).status).toBe('rejected');
    // Billed: scrub-slow, scrub-view, scrub-small = 3 × 30.00 = 90.00. The two rejected and the two
    // held ones are not billed, though all seven were sent as approved.
    const october = await preview(cast, contractId, '2026-10-01', '2026-10-31');
    expectLines(october, [
      { period: '2026-10', lineItem: 'sales', kind: 'media', quantity: 3, unit: 'conversions', rate: '30.00', amount: '90.00' },
    ]);
    const billed = (october.lines[0]!.explain.inputs as { conversionsBilled: { id: string }[] }).conversionsBilled.map(
      (billedOne) => billedOne.id,
    );
    expect(billed).toEqual(['scrub-slow', 'scrub-small', 'scrub-view']);
  });

  it('measures from the click a conversion names (clickId): 10 s is rejected, 30 s is billed', async () => {
    const clicks = await h.call('POST', '/v1/clicks', {
      token: cast.ops.token,
      body: {
        records: [
          { id: 'scrub-click-10s', contractId, lineItem: 'sales', partnerId: partnerOne, at: '2026-11-10T11:59:50Z' },
          { id: 'scrub-click-30s', contractId, lineItem: 'sales', partnerId: partnerOne, at: '2026-11-10T11:59:30Z' },
        ],
      },
    });
    expect(clicks.status, clicks.text).toBe(200);
    const viaClick = (id: string, clickId: string) => ({
      id,
      contractId,
      lineItem: 'sales',
      eventType: 'purchase',
      occurredAt: '2026-11-10T12:00:00Z',
      clickId,
      status: 'approved',
    });
    const posted = await h.call('POST', '/v1/conversions', {
      token: cast.ops.token,
      body: { records: [viaClick('scrub-click-conv-10s', 'scrub-click-10s'), viaClick('scrub-click-conv-30s', 'scrub-click-30s')] },
    });
    expect(posted.status, posted.text).toBe(200);
    const fast = await statusHistory('scrub-click-conv-10s');
    expect(fast).toEqual({
      status: 'rejected',
      history: [{ status: 'rejected', at: expect.any(String), by: cast.ops.id, rule: fastRule, reason: 'click_too_fast' }],
    });
    expect((await statusHistory('scrub-click-conv-30s')).status).toBe('approved');
    // November bills the 30 s one alone: 1 × 30.00 = 30.00.
    const november = await preview(cast, contractId, '2026-11-01', '2026-11-30');
    expectLines(november, [
      { period: '2026-11', lineItem: 'sales', kind: 'media', quantity: 1, unit: 'conversions', rate: '30.00', amount: '30.00' },
    ]);
  });

  it('keeps the rule id and reason in the status history', async () => {
    const fast = await statusHistory('scrub-fast');
    expect(fast.history).toEqual([
      { status: 'rejected', at: expect.any(String), by: cast.ops.id, rule: fastRule, reason: 'click_too_fast' },
    ]);
    const both = await statusHistory('scrub-fast-large');
    expect(both.history).toEqual([
      { status: 'rejected', at: expect.any(String), by: cast.ops.id, rule: fastRule, reason: 'click_too_fast' },
    ]);
    const held = await statusHistory('scrub-large-1');
    expect(held).toEqual({
      status: 'held',
      history: [{ status: 'held', at: expect.any(String), by: cast.ops.id, rule: reviewRule, reason: 'large_order_review' }],
    });
    // A conversion no rule decided has its history as before: received, no rule.
    expect((await statusHistory('scrub-slow')).history).toEqual([
      { status: 'approved', at: expect.any(String), by: cast.ops.id, reason: 'received' },
    ]);
  });

  it("lists a contract's conversions by the rule that decided them and by the credited partner", async () => {
    const ids = async (query: string) => {
      const response = await h.call('GET', `/v1/conversions?contractId=${contractId}&${query}`, { token: cast.finance.token });
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      return response.body.data.map((row: { id: string }) => row.id);
    };
    // The fast rule rejected two JSON conversions and one that named its click (the test above).
    expect(await ids(`ruleId=${fastRule}`)).toEqual(['scrub-click-conv-10s', 'scrub-fast', 'scrub-fast-large']);
    expect(await ids(`ruleId=${reviewRule}`)).toEqual(['scrub-large-1', 'scrub-large-2']);
    expect(await ids(`partnerId=${partnerOne}`)).toEqual([
      'scrub-click-conv-10s',
      'scrub-click-conv-30s',
      'scrub-fast',
      'scrub-slow',
      'scrub-view',
    ]);
    expect(await ids(`partnerId=${partnerTwo}&status=rejected`)).toEqual(['scrub-fast-large']);
  });

  it('lists the held queue with the rule that holds each', async () => {
    const queue = await h.call('GET', `/v1/scrub/held?ruleId=${reviewRule}`, { token: cast.finance.token });
    expect(queue.status, queue.text).toBe(200);
    expect(
      queue.body.data.map((row: { id: string; ruleId: string; reason: string; partnerId: string }) => [
        row.id,
        row.ruleId,
        row.reason,
        row.partnerId,
      ]),
    ).toEqual([
      ['scrub-large-1', reviewRule, 'large_order_review', partnerTwo],
      ['scrub-large-2', reviewRule, 'large_order_review', partnerTwo],
    ]);
    const byFastRule = await h.call('GET', `/v1/scrub/held?ruleId=${fastRule}`, { token: cast.finance.token });
    expect(byFastRule.body.data).toEqual([]);
    // Paging: one per page, the cursor leads to the second.
    const first = await h.call('GET', '/v1/scrub/held?limit=1', { token: cast.ops.token });
    expect(first.body.data.map((row: { id: string }) => row.id)).toEqual(['scrub-large-1']);
    const second = await h.call('GET', `/v1/scrub/held?limit=1&cursor=${first.body.nextCursor}`, { token: cast.ops.token });
    expect(second.body.data.map((row: { id: string }) => row.id)).toEqual(['scrub-large-2']);
    expect(second.body.nextCursor).toBeNull();
  });

  it('bills a held conversion only after its release, and rejects the other by filter', async () => {
    // A held conversion cannot be held by hand, nor reversed before it is released.
    const reverse = await h.call('POST', '/v1/conversions/status', {
      token: cast.ops.token,
      body: { updates: [{ id: 'scrub-large-1', status: 'reversed' }] },
    });
    expect(reverse.status).toBe(409);
    expect(reverse.body.code).toBe('conversion_transition_invalid');

    const released = await h.call('POST', '/v1/scrub/held/release', {
      token: cast.ops.token,
      body: { ids: ['scrub-large-1', 'scrub-slow', 'no-such-conversion'], reason: 'checked with the advertiser' },
    });
    expect(released.status, released.text).toBe(200);
    expect(released.body).toEqual({ updated: 1, skipped: ['scrub-slow', 'no-such-conversion'], remaining: 0 });
    expect(await statusHistory('scrub-large-1')).toEqual({
      status: 'approved',
      history: [
        { status: 'held', at: expect.any(String), by: cast.ops.id, rule: reviewRule, reason: 'large_order_review' },
        { status: 'approved', at: expect.any(String), by: cast.ops.id, reason: 'checked with the advertiser' },
      ],
    });
    // Now billed: scrub-large-1 joins the three: 4 × 30.00 = 120.00.
    const october = await preview(cast, contractId, '2026-10-01', '2026-10-31');
    expectLines(october, [
      { period: '2026-10', lineItem: 'sales', kind: 'media', quantity: 4, unit: 'conversions', rate: '30.00', amount: '120.00' },
    ]);

    // Finance may read the queue but not empty it.
    const byFinance = await h.call('POST', '/v1/scrub/held/reject', { token: cast.finance.token, body: { ruleId: reviewRule } });
    expect(byFinance.status).toBe(403);
    const rejected = await h.call('POST', '/v1/scrub/held/reject', {
      token: cast.ops.token,
      body: { ruleId: reviewRule, partnerId: partnerTwo },
    });
    expect(rejected.body).toEqual({ updated: 1, skipped: [], remaining: 0 });
    expect((await statusHistory('scrub-large-2')).history.at(-1)).toMatchObject({ status: 'rejected', reason: 'rejected on review' });
    // Still 120.00: the rejected one is not billed.
    expect((await preview(cast, contractId, '2026-10-01', '2026-10-31')).subtotal).toBe('120.00');
    const empty = await h.call('GET', '/v1/scrub/held', { token: cast.ops.token });
    expect(empty.body.data).toEqual([]);
  });

  it('reports per partner and day: received, by status, and by scrub reason', async () => {
    const report = await h.call('GET', '/v1/reports/scrub?from=2026-10-01&to=2026-10-31', { token: cast.finance.token });
    expect(report.status, report.text).toBe(200);
    const [one, two] = [partnerOne, partnerTwo].sort();
    const rows: Record<string, unknown> = {
      [partnerOne]: {
        partnerId: partnerOne,
        date: '2026-10-10',
        // fast (rejected by rule), slow and view (approved).
        received: 3,
        approved: 2,
        pending: 0,
        held: 0,
        rejected: 1,
        reversed: 0,
        byReason: { click_too_fast: 1 },
      },
      [partnerTwo]: {
        partnerId: partnerTwo,
        date: '2026-10-10',
        // large-1 (held, released: approved), small (approved), large-2 (held, rejected on review), fast-large (rejected by rule).
        received: 4,
        approved: 2,
        pending: 0,
        held: 0,
        rejected: 2,
        reversed: 0,
        // What the rules decided at intake, whatever became of it since: two holds, one rejection.
        byReason: { large_order_review: 2, click_too_fast: 1 },
      },
    };
    expect(report.body.data).toEqual([rows[one!], rows[two!]]);
    const onlyTwo = await h.call('GET', `/v1/reports/scrub?from=2026-10-10&to=2026-10-10&partnerId=${partnerTwo}`, {
      token: cast.ops.token,
    });
    expect(onlyTwo.body.data).toEqual([rows[partnerTwo]]);
    // November: the two conversions that named their clicks, one rejected by the fast rule.
    const november = await h.call('GET', '/v1/reports/scrub?from=2026-11-01&to=2026-11-30', { token: cast.ops.token });
    expect(november.body.data).toEqual([
      {
        partnerId: partnerOne,
        date: '2026-11-10',
        received: 2,
        approved: 1,
        pending: 0,
        held: 0,
        rejected: 1,
        reversed: 0,
        byReason: { click_too_fast: 1 },
      },
    ]);
    const december = await h.call('GET', '/v1/reports/scrub?from=2026-12-01&to=2026-12-31', { token: cast.ops.token });
    expect(december.body.data).toEqual([]);
  });

  it('previews a rule against the last 30 days without changing anything', async () => {
    const before = await countAllTables(h);
    const statusesBefore = await Promise.all(['scrub-large-2', 'scrub-fast-large', 'scrub-small'].map(statusHistory));
    const tryRule = (priority: number) =>
      h.call('POST', '/v1/scrub-rules/preview', {
        token: cast.ops.token,
        body: {
          rule: {
            name: 'Orders of 850.00 or more',
            priority,
            conditions: [{ field: 'value', op: 'gte', value: '850' }],
            action: 'reject',
            reason: 'too_large',
          },
          asOf: '2026-10-31T00:00:00Z',
        },
      });
    // Priority 5, before every active rule: of the 7 conversions of 2026-10-01..30, large-2 (900) and
    // fast-large (1000.00) match, and it would decide both.
    const first = await tryRule(5);
    expect(first.status, first.text).toBe(200);
    const noneMatched = { pending: 0, approved: 0, held: 0, rejected: 0, reversed: 0 };
    expect(first.body).toMatchObject({
      from: '2026-10-01T00:00:00.000Z',
      to: '2026-10-31T00:00:00.000Z',
      action: 'reject',
      evaluated: 7,
      matched: 2,
      decided: 2,
      shadowed: 0,
      matchedByStatus: { ...noneMatched, rejected: 2 },
      truncated: false,
    });
    expect(first.body.byPartner).toEqual(
      [
        { partnerId: partnerOne, evaluated: 3, matched: 0, decided: 0, shadowed: 0, matchedByStatus: noneMatched },
        { partnerId: partnerTwo, evaluated: 4, matched: 2, decided: 2, shadowed: 0, matchedByStatus: { ...noneMatched, rejected: 2 } },
      ].sort((a, b) => (a.partnerId < b.partnerId ? -1 : 1)),
    );
    expect(first.body.samples.map((sample: { id: string }) => sample.id).sort()).toEqual(['scrub-fast-large', 'scrub-large-2']);
    // Priority 15, after the fast rule (10): fast-large is that rule's (shadowed); large-2 is still this one's.
    const second = await tryRule(15);
    expect(second.body).toMatchObject({ evaluated: 7, matched: 2, decided: 1, shadowed: 1 });
    // A window with nothing in it.
    const empty = await h.call('POST', '/v1/scrub-rules/preview', {
      token: cast.ops.token,
      body: {
        rule: { name: 'x', priority: 1, conditions: [{ field: 'country', op: 'in', value: ['US'] }], action: 'hold', reason: 'x' },
        asOf: '2026-10-01T00:00:00Z',
      },
    });
    expect(empty.body).toMatchObject({ evaluated: 0, matched: 0, byPartner: [], samples: [] });

    // Nothing was written: no table gained or lost a row (audit log and rules included), and no status changed.
    expect(await countAllTables(h)).toEqual(before);
    expect(await Promise.all(['scrub-large-2', 'scrub-fast-large', 'scrub-small'].map(statusHistory))).toEqual(statusesBefore);
  });

  it('a disabled rule decides nothing more, and stays readable with what it decided', async () => {
    const disabled = await h.call('PATCH', `/v1/scrub-rules/${fastRule}`, { token: cast.ops.token, body: { active: false } });
    expect(disabled.status, disabled.text).toBe(200);
    expect(disabled.body).toMatchObject({
      id: fastRule,
      active: false,
      reason: 'click_too_fast',
      conditions: [{ field: 'clickToConversionSeconds', op: 'lt', value: 20 }],
    });
    await postConversions(cast, [
      { ...conversion('scrub-fast-after', partnerOne, { type: 'click', at: secondsBefore(10) }), occurredAt: '2026-10-10T12:00:00Z' },
    ]);
    expect((await statusHistory('scrub-fast-after')).status).toBe('approved');
    // 4 before + scrub-fast-after = 5 × 30.00 = 150.00.
    expect((await preview(cast, contractId, '2026-10-01', '2026-10-31')).subtotal).toBe('150.00');
    expect((await statusHistory('scrub-fast')).history[0]).toMatchObject({ rule: fastRule });
    const read = await h.call('GET', `/v1/scrub-rules/${fastRule}`, { token: cast.finance.token });
    expect(read.body).toMatchObject({ id: fastRule, active: false });
    const active = await h.call('GET', '/v1/scrub-rules?active=true', { token: cast.finance.token });
    expect(active.body.data.map((rule: { id: string }) => rule.id)).toEqual([reviewRule]);
  });
});
