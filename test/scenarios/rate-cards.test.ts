/**
 * Rate management (SPEC §8) through the HTTP API: products, a rate card approved with maker-checker,
 * line items priced from it (the SPEC's 48.60), prices frozen after the card changes, the
 * below-card report, and every refusal writing nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeStore, type Harness, startHarness } from '../support/harness.ts';
import {
  type Cast,
  castOf,
  createDraftContract,
  createParty,
  lineOf,
  postImpressions,
  preview,
  submitAndApprove,
} from '../support/scenario-helpers.ts';

describeStore('scenario: rate cards', () => {
  let h: Harness;
  let cast: Cast;
  let admin: { id: string; token: string };
  let advertiserId: string;
  let cardId: string;

  const entries = [
    { product: 'ctv-prime-30', model: 'cpm', listRate: '40.00', floorRate: '30.00' },
    { product: 'ctv-prime-30', model: 'cpcv', listRate: '0.05' },
    { product: 'display-standard', model: 'cpc', listRate: '1.50', floorRate: '1.00' },
  ];
  const premiums = [
    { dimension: 'geo', value: 'dma', percent: '20' },
    { dimension: 'audience', value: 'first_party', percent: '15' },
    { dimension: 'daypart', value: 'prime', amount: '2.00' },
  ];

  const terms = (pricing: Record<string, unknown>, overrides: Record<string, unknown> = {}) => ({
    startDate: '2026-10-01',
    endDate: '2026-12-31',
    currency: 'USD',
    billingPeriod: 'calendar_month',
    lineItems: [{ key: 'ctv', name: 'CTV prime', pricing }],
    ...overrides,
  });
  const fromCard = (extra: Record<string, unknown> = {}) => ({
    model: 'cpm',
    rateCard: { id: cardId, product: 'ctv-prime-30', premiums: ['geo:dma', 'audience:first_party'], discountPercent: '10', ...extra },
  });

  async function versionTerms(contractId: string, number: number) {
    const version = await h.call('GET', `/v1/contracts/${contractId}/versions/${number}`, { token: cast.ops.token });
    expect(version.status).toBe(200);
    return version.body.terms as { lineItems: { pricing: Record<string, any> }[] }; // eslint-disable-line @typescript-eslint/no-explicit-any
  }

  beforeAll(async () => {
    h = await startHarness({ today: '2026-10-20' });
    cast = await castOf(h);
    admin = await h.user('admin');
    advertiserId = await createParty(cast, 'advertiser', 'Northwind Streaming');
    for (const [key, name] of [
      ['ctv-prime-30', 'CTV prime time, 30 s'],
      ['display-standard', 'Standard display'],
    ]) {
      const product = await h.call('POST', '/v1/products', { token: cast.ops.token, body: { key, name } });
      expect(product.status, product.text).toBe(201);
      expect(product.body).toMatchObject({ key, name });
    }
    const card = await h.call('POST', '/v1/rate-cards', {
      token: cast.ops.token,
      body: { name: 'CTV 2026', currency: 'USD', effectiveFrom: '2026-09-01', entries, premiums },
    });
    expect(card.status, card.text).toBe(201);
    expect(card.body).toMatchObject({
      name: 'CTV 2026',
      currency: 'USD',
      currentVersion: null,
      versions: [{ number: 1, status: 'draft' }],
    });
    cardId = card.body.id;
  });
  afterAll(async () => h?.close());

  it('a card is approved like a contract: maker-checker, If-Match, audit, and it prices nothing until approved', async () => {
    // Not approved yet: nothing is in force, so pricing from it is refused and writes nothing.
    const contractsBefore = await h.count('contracts');
    const early = await h.call('POST', '/v1/contracts', {
      token: cast.ops.token,
      body: { partyId: advertiserId, side: 'sell', name: 'Too early', terms: terms(fromCard()) },
    });
    expect(early.status).toBe(422);
    expect(early.body).toMatchObject({ code: 'rate_card_not_in_force', errors: [{ path: 'terms.lineItems[0].pricing.rateCard.id' }] });
    expect(await h.count('contracts')).toBe(contractsBefore);

    const read = await h.call('GET', `/v1/rate-cards/${cardId}/versions/1`, { token: cast.ops.token });
    expect(read.status).toBe(200);
    expect(read.body.entries).toEqual(entries);
    const stale = await h.call('PATCH', `/v1/rate-cards/${cardId}/versions/1`, {
      token: cast.ops.token,
      headers: { 'if-match': '"stale"' },
      body: { effectiveFrom: '2026-09-01', entries, premiums },
    });
    expect(stale.status).toBe(412);
    const edited = await h.call('PATCH', `/v1/rate-cards/${cardId}/versions/1`, {
      token: cast.ops.token,
      headers: { 'if-match': String(read.headers.etag) },
      body: { effectiveFrom: '2026-09-01', entries, premiums },
    });
    expect(edited.status, edited.text).toBe(200);
    expect(edited.body.revision).toBe(read.body.revision + 1);

    expect((await h.call('POST', `/v1/rate-cards/${cardId}/versions/1/submit`, { token: cast.ops.token })).status).toBe(200);
    // Ops may not approve at all; finance may, but not a version it made (admin made none here).
    const byOps = await h.call('POST', `/v1/rate-cards/${cardId}/versions/1/approve`, { token: cast.ops.token });
    expect(byOps.status).toBe(403);
    const approved = await h.call('POST', `/v1/rate-cards/${cardId}/versions/1/approve`, {
      token: cast.finance.token,
      body: { comment: 'ok' },
    });
    expect(approved.status, approved.text).toBe(200);
    expect(approved.body).toMatchObject({ status: 'approved', approvals: [{ by: cast.finance.id, comment: 'ok' }] });
    const card = await h.call('GET', `/v1/rate-cards/${cardId}`, { token: cast.ops.token });
    expect(card.body.currentVersion).toBe(1);
    const audit = await h.call('GET', `/v1/audit?entityType=rate_card&entityId=${cardId}`, { token: admin.token });
    expect(audit.body.data.map((entry: { action: string }) => entry.action)).toEqual(
      expect.arrayContaining([
        'rate_card.created',
        'rate_card_version.created',
        'rate_card_version.edited',
        'rate_card_version.submitted',
        'rate_card_version.approved',
      ]),
    );
    // A party user sees no list prices.
    const partyUser = await h.user('party', { partyId: advertiserId });
    expect((await h.call('GET', '/v1/rate-cards', { token: partyUser.token })).status).toBe(403);
  });

  it('prices a line from the card: 40.00 × (1 + 20 % + 15 %) × (1 − 10 %) = 48.60, billed and explained', async () => {
    const contractId = await createDraftContract(cast, advertiserId, 'sell', 'Priced from the card', terms(fromCard()));
    const pricing = (await versionTerms(contractId, 1)).lineItems[0]!.pricing;
    expect(pricing.ratePerMille).toBe('48.60');
    expect(pricing.rateCard).toMatchObject({
      id: cardId,
      product: 'ctv-prime-30',
      premiums: ['geo:dma', 'audience:first_party'],
      discountPercent: '10',
      version: 1,
      listRate: '40.00',
      floorRate: '30.00',
      appliedPremiums: [
        { premium: 'geo:dma', percent: '20' },
        { premium: 'audience:first_party', percent: '15' },
      ],
    });
    await submitAndApprove(cast, contractId, 1);
    await postImpressions(cast, [{ contractId, lineItem: 'ctv', date: '2026-10-05', source: 'first_party', impressions: 100_000 }]);
    // 100,000 impressions × 48.60 / 1,000 = 4,860.00.
    const october = await preview(cast, contractId, '2026-10-01', '2026-10-31');
    const line = lineOf(october, '2026-10', 'ctv');
    expect(line.amount).toBe('4860.00');
    expect(JSON.stringify(line.explain)).toContain(cardId);
    expect(line.explain).toMatchObject({ pricing: { rateCard: { version: 1, listRate: '40.00', discountPercent: '10' } } });
  });

  it('an amount premium is added after the percents, and other models resolve their own rate field', async () => {
    const contractId = await createDraftContract(
      cast,
      advertiserId,
      'sell',
      'Prime daypart',
      terms(fromCard({ premiums: ['geo:dma', 'daypart:prime'], discountPercent: '5' }), {
        lineItems: [
          { key: 'ctv', name: 'CTV prime', pricing: fromCard({ premiums: ['geo:dma', 'daypart:prime'], discountPercent: '5' }) },
          {
            key: 'views',
            name: 'CTV views',
            pricing: { model: 'cpcv', rateCard: { id: cardId, product: 'ctv-prime-30', premiums: ['audience:first_party'] } },
          },
          { key: 'clicks', name: 'Display clicks', pricing: { model: 'cpc', rateCard: { id: cardId, product: 'display-standard' } } },
        ],
      }),
    );
    const lines = (await versionTerms(contractId, 1)).lineItems.map((lineItem) => lineItem.pricing);
    // (40.00 × 1.20 + 2.00) × 0.95 = 50.00 × 0.95 = 47.50 per 1,000.
    expect(lines[0]!.ratePerMille).toBe('47.50');
    // 0.05 × 1.15 = 0.0575 per completed view, exact (not rounded to cents).
    expect(lines[1]!.ratePerView).toBe('0.0575');
    // 1.50 per click, no premium, no discount.
    expect(lines[2]!.ratePerClick).toBe('1.50');
  });

  it('refuses bad references with a 422 naming the field, writing nothing', async () => {
    const eurCard = await h.call('POST', '/v1/rate-cards', {
      token: cast.ops.token,
      body: {
        name: 'Euro card',
        currency: 'EUR',
        effectiveFrom: '2026-01-01',
        entries: [{ product: 'ctv-prime-30', model: 'cpm', listRate: '35.00' }],
      },
    });
    expect(eurCard.status).toBe(201);
    await h.call('POST', `/v1/rate-cards/${eurCard.body.id}/versions/1/submit`, { token: cast.ops.token });
    expect((await h.call('POST', `/v1/rate-cards/${eurCard.body.id}/versions/1/approve`, { token: cast.finance.token })).status).toBe(200);

    const at = 'terms.lineItems[0].pricing';
    const cases: [string, Record<string, unknown>, number, string, string][] = [
      // 40.00 × 0.70 = 28.00, below the floor of 30.00.
      ['below the floor', fromCard({ premiums: [], discountPercent: '30' }), 422, 'below_floor_rate', `${at}.rateCard.discountPercent`],
      ['unknown card', fromCard({ id: 'rcd_nope' }), 422, 'unknown_rate_card', `${at}.rateCard.id`],
      ['unknown product', fromCard({ product: 'radio' }), 422, 'unknown_product', `${at}.rateCard.product`],
      ['unknown premium', fromCard({ premiums: ['geo:mars'] }), 422, 'unknown_premium', `${at}.rateCard.premiums[0]`],
      ['card in another currency', fromCard({ id: eurCard.body.id }), 422, 'rate_card_currency_mismatch', `${at}.rateCard.id`],
      [
        'model not on the card',
        { model: 'cpc', rateCard: { id: cardId, product: 'ctv-prime-30' } },
        422,
        'rate_card_entry_missing',
        `${at}.model`,
      ],
      ['discount out of range', fromCard({ discountPercent: '101' }), 400, 'validation_failed', `${at}.rateCard.discountPercent`],
      [
        'a tiered line from a card',
        {
          model: 'cpm',
          tierMode: 'volume',
          tierBasis: 'period',
          tiers: [{ upTo: null, ratePerMille: '1' }],
          rateCard: { id: cardId, product: 'ctv-prime-30' },
        },
        400,
        'validation_failed',
        `${at}.rateCard`,
      ],
    ];
    const before = {
      contracts: await h.count('contracts'),
      versions: await h.count('contract_versions'),
      audit: await h.count('audit_entries'),
    };
    for (const [what, pricing, status, code, path] of cases) {
      const response = await h.call('POST', '/v1/contracts', {
        token: cast.ops.token,
        body: { partyId: advertiserId, side: 'sell', name: what, terms: terms(pricing) },
      });
      expect(response.status, `${what}: ${response.text}`).toBe(status);
      expect(response.body.code, what).toBe(code);
      expect(response.body.errors?.[0]?.path, what).toBe(path);
    }
    // A card entry for a product that is not in the catalog.
    const badCard = await h.call('POST', '/v1/rate-cards', {
      token: cast.ops.token,
      body: {
        name: 'Bad',
        currency: 'USD',
        effectiveFrom: '2026-01-01',
        entries: [{ product: 'no-such-product', model: 'cpm', listRate: '1.00' }],
      },
    });
    expect(badCard.status).toBe(422);
    expect(badCard.body).toMatchObject({ code: 'unknown_product', errors: [{ path: 'entries[0].product' }] });
    expect({
      contracts: await h.count('contracts'),
      versions: await h.count('contract_versions'),
      audit: await h.count('audit_entries'),
    }).toEqual(before);
  });

  it('a discount beyond the policy’s maxDiscountPercent (20) needs two distinct approvers', async () => {
    // 40.00 × 1.35 × 0.75 = 40.50, above the floor of 30.00, but 25 % off the card.
    const contractId = await createDraftContract(cast, advertiserId, 'sell', 'Deep discount', terms(fromCard({ discountPercent: '25' })));
    expect((await versionTerms(contractId, 1)).lineItems[0]!.pricing.ratePerMille).toBe('40.50');
    await h.call('POST', `/v1/contracts/${contractId}/versions/1/submit`, { token: cast.ops.token });
    const first = await h.call('POST', `/v1/contracts/${contractId}/versions/1/approve`, { token: cast.finance.token });
    expect(first.body.status).toBe('pending_approval');
    const second = await h.call('POST', `/v1/contracts/${contractId}/versions/1/approve`, { token: admin.token });
    expect(second.body.status).toBe('approved');
  });

  describe('after the card changes', () => {
    let frozenId: string;

    beforeAll(async () => {
      frozenId = await createDraftContract(cast, advertiserId, 'sell', 'Frozen price', terms(fromCard()));
      await submitAndApprove(cast, frozenId, 1);
      // Version 2 of the card from November: list 50.00.
      const version = await h.call('POST', `/v1/rate-cards/${cardId}/versions`, {
        token: cast.ops.token,
        body: { effectiveFrom: '2026-11-01', entries: [{ ...entries[0], listRate: '50.00' }, ...entries.slice(1)], premiums },
      });
      expect(version.status, version.text).toBe(201);
      expect(version.body).toMatchObject({ number: 2, status: 'draft' });
      await h.call('POST', `/v1/rate-cards/${cardId}/versions/2/submit`, { token: cast.ops.token });
      expect((await h.call('POST', `/v1/rate-cards/${cardId}/versions/2/approve`, { token: cast.finance.token })).body.status).toBe(
        'approved',
      );
    });

    it('an approved contract keeps its price; an amendment from November is priced by version 2', async () => {
      await postImpressions(cast, [
        { contractId: frozenId, lineItem: 'ctv', date: '2026-11-10', source: 'first_party', impressions: 10_000 },
      ]);
      // Still 48.60: 10,000 × 48.60 / 1,000 = 486.00.
      expect(lineOf(await preview(cast, frozenId, '2026-11-01', '2026-11-30'), '2026-11', 'ctv').amount).toBe('486.00');
      expect((await versionTerms(frozenId, 1)).lineItems[0]!.pricing).toMatchObject({ ratePerMille: '48.60', rateCard: { version: 1 } });

      const amendment = await h.call('POST', `/v1/contracts/${frozenId}/amendments`, {
        token: cast.ops.token,
        body: { effectiveFrom: '2026-11-15', terms: terms(fromCard()), reason: 'Reprice from the new card' },
      });
      expect(amendment.status, amendment.text).toBe(201);
      // 50.00 × 1.35 × 0.9 = 60.75.
      expect((await versionTerms(frozenId, 2)).lineItems[0]!.pricing).toMatchObject({
        ratePerMille: '60.75',
        rateCard: { version: 2, listRate: '50.00' },
      });
    });

    it('the below-card report lists active lines sold under today’s card', async () => {
      h.setToday('2026-11-05');
      try {
        const report = await h.call('GET', '/v1/reports/below-card', { token: cast.ops.token });
        expect(report.status).toBe(200);
        const frozen = report.body.data.find((line: { contractId: string }) => line.contractId === frozenId);
        // Sold at 48.60 on card version 1; today's version 2 prices it 60.75: 12.15 below.
        expect(frozen).toMatchObject({
          lineItem: 'ctv',
          soldRate: '48.60',
          soldCardVersion: 1,
          cardVersion: 2,
          cardRate: '60.75',
          difference: '12.15',
        });
      } finally {
        h.setToday('2026-10-20');
      }
    });
  });
});
