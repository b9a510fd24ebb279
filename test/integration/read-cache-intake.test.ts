/**
 * Delivery intake leaves the read cache as it is: impressions (JSON and CSV), clicks, conversions
 * and their statuses change nothing a cacheable route answers, so the lists and documents read
 * before them are served from the cache after them, and equal what an app with no cache reads
 * from the store. Any other write still empties it. On both stores (the embedded store's cache is
 * emptied by the process's own writes, PostgreSQL's by the change counter).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readChangeEpoch } from '../../src/platform/change-epoch.ts';
import { cpmTerms } from '../support/fixtures.ts';
import { describeStore, type Harness, startHarness } from '../support/harness.ts';
import { type Cast, castOf, createApprovedContract, createParty, purchaseOfferTerms } from '../support/scenario-helpers.ts';

describeStore('read cache and delivery intake', () => {
  let h: Harness;
  let uncached: Harness['call'];
  let cast: Cast;
  let cpmId: string;
  let cpaId: string;
  let partnerId: string;
  let cachedUrls: string[];

  beforeAll(async () => {
    h = await startHarness({ today: '2026-11-25' });
    uncached = await h.sibling({ readCache: false });
    cast = await castOf(h);
    const advertiser = await createParty(cast, 'advertiser', 'Cached Media');
    partnerId = await createParty(cast, 'partner', 'Cached Partner');
    cpmId = await createApprovedContract(cast, advertiser, 'sell', 'Cached CPM', cpmTerms());
    cpaId = await createApprovedContract(cast, advertiser, 'sell', 'Cached CPA', purchaseOfferTerms('10.00', 'pending'));
    const delivered = await h.call('POST', '/v1/impressions', {
      token: cast.ops.token,
      body: { records: [{ contractId: cpmId, lineItem: 'display', date: '2026-10-03', source: 'first_party', impressions: 40_000 }] },
    });
    expect(delivered.status, delivered.text).toBe(200);
    const run = await h.call('POST', '/v1/billing-runs', { token: cast.finance.token, body: { period: '2026-10' } });
    expect(run.status, run.text).toBe(201);
    const invoices = await h.call('GET', '/v1/invoices?limit=50', { token: cast.finance.token });
    expect(invoices.body.data.length).toBeGreaterThan(0);
    cachedUrls = [
      '/v1/contracts?limit=50',
      `/v1/contracts/${cpmId}`,
      `/v1/contracts/${cpaId}/versions/1`,
      '/v1/invoices?limit=50&lines=false',
      '/v1/invoices?limit=50',
      `/v1/invoices/${invoices.body.data[0].id}`,
      '/v1/rate-cards',
      '/v1/products',
    ];
  });
  afterAll(async () => h?.close());

  const read = (url: string) => h.call('GET', url, { token: cast.finance.token });
  /** Reads each cacheable URL twice, so that the second is served from the cache. */
  const warm = async () => {
    for (const url of cachedUrls) {
      expect((await read(url)).status, url).toBe(200);
      expect((await read(url)).headers['x-cache'], url).toBe('hit');
    }
  };
  /** Each cacheable URL: served from the cache (or not), and equal to what an app with no cache reads. */
  const expectCached = async (hit: boolean) => {
    for (const url of cachedUrls) {
      const answer = await read(url);
      expect(answer.headers['x-cache'], url).toBe(hit ? 'hit' : undefined);
      expect(answer.text, url).toBe((await uncached('GET', url, { token: cast.finance.token })).text);
    }
  };

  it('keeps every cached answer through each kind of intake, and the change counter where it was', async () => {
    await warm();
    const epoch = await readChangeEpoch(h.store.db);
    const intake: [string, Parameters<Harness['call']>[2]][] = [
      [
        '/v1/impressions',
        { body: { records: [{ contractId: cpmId, lineItem: 'display', date: '2026-11-03', source: 'first_party', impressions: 7_000 }] } },
      ],
      [
        '/v1/impressions/import',
        {
          body: `contractId,lineItem,date,source,impressions,partnerId\n${cpmId},display,2026-11-04,third_party,6500,${partnerId}\n`,
          headers: { 'content-type': 'text/csv' },
        },
      ],
      [
        '/v1/clicks',
        { body: { records: [{ id: 'clk-cached-1', contractId: cpaId, lineItem: 'sales', partnerId, at: '2026-11-05T10:00:00Z' }] } },
      ],
      [
        '/v1/conversions',
        {
          body: {
            records: [
              {
                id: 'cv-cached-1',
                contractId: cpaId,
                lineItem: 'sales',
                eventType: 'purchase',
                occurredAt: '2026-11-05T11:00:00Z',
                clickId: 'clk-cached-1',
              },
            ],
          },
        },
      ],
      ['/v1/conversions/status', { body: { updates: [{ id: 'cv-cached-1', status: 'approved' }] } }],
    ];
    for (const [url, options] of intake) {
      const answer = await h.call('POST', url, { token: cast.ops.token, ...options });
      expect(answer.status, `${url}: ${answer.text}`).toBe(200);
      await expectCached(true);
    }
    // A refused batch writes nothing, and leaves the cache too.
    const refused = await h.call('POST', '/v1/impressions', {
      token: cast.ops.token,
      body: { records: [{ contractId: cpmId, lineItem: 'no-such-line', date: '2026-11-03', source: 'first_party', impressions: 1 }] },
    });
    expect(refused.status).toBe(422);
    await expectCached(true);
    expect(await readChangeEpoch(h.store.db)).toBe(epoch);
  });

  it('still empties it for any other write, and the next reads are fresh', async () => {
    await warm();
    const epoch = await readChangeEpoch(h.store.db);
    const renamed = await h.call('PATCH', `/v1/parties/${partnerId}`, { token: cast.ops.token, body: { name: 'Cached Partner, renamed' } });
    expect(renamed.status, renamed.text).toBe(200);
    expect(BigInt(await readChangeEpoch(h.store.db))).toBeGreaterThan(BigInt(epoch));
    await expectCached(false);
    await expectCached(true);
  });
});
