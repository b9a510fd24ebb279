/**
 * The demo book's affiliate offer (issue 15 item 8, SPEC §9), seeded and billed exactly as
 * `./bin/tally demo` and `npm start` do, read back through the HTTP API: three partners paid by the
 * three levels of the payout hierarchy, clicks and credited conversions, several partners' touches
 * with reasons, a postback source and its conversions, and the scrub rules' rejections and holds.
 * The clock is pinned to 2026-11-25 (as the e2e journeys pin it), so October 2026 is billed.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { systemActor } from '../../src/platform/actor.ts';
import { createClock } from '../../src/platform/clock.ts';
import { inTransaction } from '../../src/platform/context.ts';
import { billDemo, seedDemo } from '../../src/modules/demo/index.ts';
import { adminToken, describeStore, type Harness, startHarness } from '../support/harness.ts';
import { Decimal } from '../../src/wire/money.ts';
import { cents, documentOf, type DocumentView } from '../support/billing-helpers.ts';

interface ConversionRow {
  id: string;
  partnerId: string | null;
  occurredAt: string;
  status: string;
  value: string;
  touch: { type: string; at: string };
}
interface ConversionDetail extends ConversionRow {
  clickId: string | null;
  credited: { partnerId: string } | null;
  touches: { partnerId: string; type: string; credited: boolean; reason: string }[];
  statusHistory: { status: string; by: string; rule?: string; reason?: string }[];
}

describeStore('the demo book: the affiliate offer', () => {
  const today = '2026-11-25';
  let h: Harness;
  let offer: { id: string; number: string };
  let partners: Record<'saverSpot' | 'cashbackKingdom' | 'gearhead', string>;
  let conversions: ConversionRow[];

  const get = async (url: string) => {
    const response = await h.call('GET', url);
    expect(response.status, `${url}: ${response.text}`).toBe(200);
    return response.body;
  };
  const detail = (id: string): Promise<ConversionDetail> => get(`/v1/conversions/${id}`);
  const statementOf = (partyId: string): Promise<DocumentView> => documentOf(h, adminToken, 'payout_statement', '2026-10', partyId);
  /** A partner's October conversions that billing pays: credited to it, neither rejected nor held (billOn pending). */
  const payableInOctober = (partyId: string) =>
    conversions.filter(
      (conversion) =>
        conversion.partnerId === partyId &&
        conversion.occurredAt.startsWith('2026-10') &&
        ['approved', 'pending'].includes(conversion.status),
    ).length;

  beforeAll(async () => {
    h = await startHarness({ today });
    const clock = createClock(today);
    const seeded = await inTransaction(h.store.db, clock, systemActor, seedDemo);
    await billDemo(h.store.db, clock, seeded);
    expect([seeded.parties, seeded.contracts]).toEqual([11, 12]);

    const parties = (await get('/v1/parties?limit=100')).data as { id: string; name: string; tier?: string }[];
    const named = (name: string) => parties.find((party) => party.name === name)?.id as string;
    partners = { saverSpot: named('SaverSpot Coupons'), cashbackKingdom: named('Cashback Kingdom'), gearhead: named('Gearhead Reviews') };
    expect(parties.filter((party) => party.tier !== undefined).map((party) => [party.name, party.tier])).toEqual([
      ['Cashback Kingdom', 'gold'],
    ]);
    const contracts = (await get('/v1/contracts?q=Vireo&limit=10')).data as { id: string; number: string; side: string; status: string }[];
    const sell = contracts.find((contract) => contract.side === 'sell');
    expect(sell?.status).toBe('active');
    offer = { id: sell?.id as string, number: sell?.number as string };
    const listed = await get(`/v1/conversions?contractId=${offer.id}&limit=500`);
    // Every conversion of the offer on one page: the counts below are worked from the whole list.
    expect(listed.nextCursor).toBeNull();
    conversions = listed.data;
  });
  afterAll(async () => h?.close());

  it('bills Lumen from the European entity: its own series, 19 % German VAT on the net, and its 500.00 prepayment applied', async () => {
    const parties = (await get('/v1/parties?limit=100')).data as { id: string; name: string }[];
    const lumen = parties.find((party) => party.name === 'Lumen Fitness GmbH')!.id;
    const invoice = (await documentOf(h, adminToken, 'invoice', '2026-10', lumen)) as DocumentView & {
      subtotal: string;
      taxes: { code: string; base: string; amount: string }[];
      taxTotal: string;
      creditsApplied: string;
    };
    expect(invoice.number).toMatch(/^INV-EU-2026-\d{6}$/);
    // The tax is 19 % of the net, rounded half-even to the cent; the total is the net plus it.
    const net = new Decimal(invoice.subtotal);
    const tax = net.times('0.19').toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN);
    expect(invoice.taxes.map((line) => [line.code, cents(line.base), cents(line.amount)])).toEqual([['DE-VAT-19', cents(net), cents(tax)]]);
    expect(cents(invoice.total)).toBe(cents(net.plus(tax)));
    expect(cents(invoice.creditsApplied)).toBe('500.00');
    expect(cents(invoice.amountDue)).toBe(cents(net.plus(tax).minus(500)));
  });

  it('pays the three partners by the three levels of the hierarchy on their October statements', async () => {
    const agreement = ((await get('/v1/contracts?q=Gearhead&limit=10')).data as { id: string; number: string; side: string }[]).find(
      (contract) => contract.side === 'buy',
    );
    const agreementTerms = (await get(`/v1/contracts/${agreement?.id}/versions/1`)).terms;
    expect(agreementTerms.appliesTo).toEqual([offer.id]);

    // SaverSpot (no tier, no agreement): the offer's default, 52 × 10.00 = 520.00.
    const saverSpot = await statementOf(partners.saverSpot);
    expect(saverSpot.lines.map((line) => [line.contractNumber, line.quantity, line.rate, line.amount, line.explain.payoutLevel])).toEqual([
      [offer.number, 52, '10.00', '520.00', 'default'],
    ]);
    // Cashback Kingdom (gold): graduated, 40 × 14.00 + 43 × 15.00 = 560.00 + 645.00 = 1,205.00.
    const cashback = await statementOf(partners.cashbackKingdom);
    expect(cashback.lines.map((line) => [line.contractNumber, line.quantity, line.amount, line.explain.payoutLevel])).toEqual([
      [offer.number, 83, '1205.00', 'tier:gold'],
    ]);
    const breakdown = cashback.lines[0]?.explain.tierBreakdown as { levels: { rate: string; conversions: number; amount: string }[] };
    expect(breakdown.levels.map((level) => [level.rate, level.conversions, level.amount])).toEqual([
      ['14.00', 40, '560'],
      ['15.00', 43, '645'],
    ]);
    // Gearhead (its own agreement on the offer): 53 × 16.00 = 848.00, and nothing from the offer's payouts.
    const gearhead = await statementOf(partners.gearhead);
    expect(gearhead.lines.map((line) => [line.contractNumber, line.quantity, line.rate, line.amount, line.explain.payoutLevel])).toEqual([
      [agreement?.number, 53, '16.00', '848.00', 'partner_contract'],
    ]);
    // Each statement counts exactly the partner's credited October purchases that were neither rejected nor held.
    expect([saverSpot, cashback, gearhead].map((statement) => statement.lines[0]?.quantity)).toEqual([
      payableInOctober(partners.saverSpot),
      payableInOctober(partners.cashbackKingdom),
      payableInOctober(partners.gearhead),
    ]);
    expect([saverSpot, cashback, gearhead].map((statement) => statement.status)).toEqual(['finalized', 'finalized', 'finalized']);

    // The margin report counts the three against the offer: 520.00 + 1,205.00 + 848.00 = 2,573.00 of 7,500.00 billed.
    const margin = await get('/v1/reports/margin?from=2026-10&to=2026-10');
    const row = margin.rows.find((candidate: { contractNumber: string }) => candidate.contractNumber === offer.number);
    expect([row.revenue, row.payouts, row.margin]).toEqual(['7500.00', '2573.00', '4927.00']);
  });

  it('credits one partner per conversion: clicks named by id, and several partners’ touches with the reasons of the others', async () => {
    const clicks = await get(`/v1/clicks?contractId=${offer.id}&limit=10`);
    expect(clicks.data.length).toBe(10);
    const touched = await Promise.all(
      conversions.filter((conversion) => conversion.occurredAt.startsWith('2026-10-02')).map((conversion) => detail(conversion.id)),
    );
    // Most purchases name their click, which credits its partner.
    const single = touched.find((conversion) => conversion.touches.length === 1);
    expect(single?.clickId).toMatch(/^vh-clk-/);
    expect(single?.touches).toEqual([expect.objectContaining({ partnerId: single?.partnerId, credited: true, reason: 'last_click' })]);

    // The first purchase three partners touched (2 October): an old click, a view, an earlier click, the last click.
    const several = touched.filter((conversion) => conversion.touches.length > 1);
    expect(several).toHaveLength(1);
    expect(several[0]?.touches.map((touch) => [touch.type, touch.credited, touch.reason])).toEqual([
      ['click', false, 'outside_window'],
      ['view', false, 'click_won'],
      ['click', false, 'later_click_won'],
      ['click', true, 'last_click'],
    ]);
    expect(new Set(several[0]?.touches.slice(1).map((touch) => touch.partnerId))).toEqual(new Set(Object.values(partners)));
    expect(several[0]?.credited?.partnerId).toBe(several[0]?.touches[3]?.partnerId);
  });

  it('took the last days’ purchases through the offer’s postback source', async () => {
    const sources = (await get('/v1/postback-sources')).data as { id: string; contractId: string; lineItem: string; active: boolean }[];
    expect(sources.map((source) => [source.contractId, source.lineItem, source.active])).toEqual([[offer.id, 'online-sales', true]]);
    // From 21 November (four days before today) every purchase that names its click arrived by postback; a
    // postback carries one click, so those that several partners touched still came through the JSON API.
    const lastDays = await Promise.all(conversions.filter((row) => row.occurredAt >= '2026-11-21').map((row) => detail(row.id)));
    const byClick = lastDays.filter((conversion) => conversion.clickId !== null);
    expect(byClick.length).toBeGreaterThan(10);
    expect(byClick.every((conversion) => conversion.statusHistory[0]?.by === `postback:${sources[0]?.id}`)).toBe(true);
    const byTouches = lastDays.filter((conversion) => conversion.clickId === null);
    expect(byTouches.map((conversion) => [conversion.touches.length, conversion.statusHistory[0]?.by.startsWith('usr_')])).toEqual([
      [3, true],
    ]);
  });

  it('rejected the purchases seconds after their click and held the large orders, by the offer’s scrub rules', async () => {
    const rules = (await get(`/v1/scrub-rules?contractId=${offer.id}`)).data as { id: string; action: string; reason: string }[];
    expect(rules.map((rule) => [rule.action, rule.reason])).toEqual([
      ['reject', 'click_too_fast'],
      ['hold', 'large_order_review'],
    ]);
    const rejected = conversions.filter((conversion) => conversion.status === 'rejected');
    expect(rejected.length).toBeGreaterThan(5);
    for (const conversion of await Promise.all(rejected.map((row) => detail(row.id)))) {
      const seconds = (Date.parse(conversion.occurredAt) - Date.parse(conversion.touch.at)) / 1000;
      expect(seconds).toBeLessThan(20);
      expect(conversion.statusHistory).toEqual([
        expect.objectContaining({ status: 'rejected', rule: rules[0]?.id, reason: 'click_too_fast' }),
      ]);
    }
    // Nothing else came that fast: every other purchase is at least ten minutes after its click (the list has the touch).
    const others = conversions.filter((row) => row.status !== 'rejected');
    expect(others.length).toBeGreaterThan(300);
    expect(others.every((conversion) => Date.parse(conversion.occurredAt) - Date.parse(conversion.touch.at) >= 600_000)).toBe(true);

    const held = (await get(`/v1/scrub/held?contractId=${offer.id}`)).data as { id: string; ruleId: string; reason: string }[];
    expect(held.map((conversion) => [conversion.ruleId, conversion.reason])).toEqual([
      [rules[1]?.id, 'large_order_review'],
      [rules[1]?.id, 'large_order_review'],
    ]);
    expect(conversions.filter((conversion) => conversion.status === 'held').map((conversion) => conversion.value)).toEqual([
      '780.00',
      '780.00',
    ]);
  });
});
