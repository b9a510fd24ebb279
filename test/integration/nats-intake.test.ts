/**
 * Delivery intake through NATS JetStream (SPEC §11), on both stores, against a private nats-server
 * (test/support/nats.ts). The app answers `202 queued` once the stream has a batch; a consumer in
 * this process (what `tally serve` and `tally worker` run) stores it by the same use case as the
 * direct path. Checked: what the stream acknowledges ends in the books; a batch delivered twice is
 * stored once; a batch the checks refuse is recorded with its problem and writes nothing; a batch
 * of the wrong shape never reaches the stream; the stream's lag is in /metrics.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readChangeEpoch } from '../../src/platform/change-epoch.ts';
import { createClock } from '../../src/platform/clock.ts';
import { type IntakeStream, openIntakeStream } from '../../src/platform/intake-stream.ts';
import { type IntakeConsumer, startIntakeConsumer, storeIntakeBatch } from '../../src/modules/delivery/intake-queue.ts';
import { storeQueuedPostback } from '../../src/modules/postbacks/index.ts';
import { cpmTerms } from '../support/fixtures.ts';
import { describeStore, type Harness, startHarness } from '../support/harness.ts';
import { type NatsServer, startNatsServer } from '../support/nats.ts';
import { type PostbackParameters, signedUrl } from '../support/postback-signing.ts';
import { type Cast, castOf, createApprovedContract, createParty, purchaseOfferTerms } from '../support/scenario-helpers.ts';

describeStore('intake on NATS JetStream', () => {
  let nats: NatsServer;
  let stream: IntakeStream;
  let h: Harness;
  let cast: Cast;
  let consumer: IntakeConsumer | undefined;
  let contractId: string;

  const impressions = (count: number, date = '2026-10-10') => ({
    records: [{ contractId, lineItem: 'display', date, source: 'first_party', impressions: count }],
  });
  /** Waits (bounded) until the batch is no longer queued; answers what became of it. */
  const outcome = async (batchId: string) => {
    for (let attempt = 0; attempt < 200; attempt += 1) {
      const read = await h.call('GET', `/v1/intake/batches/${batchId}`, { token: cast.ops.token });
      expect(read.status, read.text).toBe(200);
      if (read.body.status !== 'queued') return read.body;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`batch ${batchId} is still queued`);
  };
  const countOf = async (table: string, where = sql`true`) =>
    (await sql<{ count: number }>`select count(*)::int as count from ${sql.table(table)} where ${where}`.execute(h.store.db)).rows[0]
      ?.count ?? 0;

  beforeAll(async () => {
    nats = await startNatsServer();
    stream = await openIntakeStream(nats.url);
    h = await startHarness({ today: '2026-11-25', intake: stream });
    cast = await castOf(h);
    const partyId = await createParty(cast, 'advertiser', 'Streamed Inc');
    contractId = await createApprovedContract(
      cast,
      partyId,
      'sell',
      'Streamed IO',
      cpmTerms({ startDate: '2026-10-01', endDate: '2026-12-31' }),
    );
  });
  afterAll(async () => {
    await consumer?.stop();
    await h?.close();
    await stream?.close();
    await nats?.remove();
  });

  it('answers 202 once the stream has the batch; nothing is in the books until a consumer stores it', async () => {
    const before = await countOf('impression_counts');
    const queued = await h.call('POST', '/v1/impressions', { token: cast.ops.token, body: impressions(120_000) });
    expect(queued.status, queued.text).toBe(202);
    expect(queued.body).toMatchObject({ status: 'queued', records: 1, stream: 'TALLY_INTAKE' });
    expect(queued.body.sequence).toBeGreaterThan(0);
    expect(await countOf('impression_counts')).toBe(before);
    expect((await stream.lag()).pending).toBe(1);
    expect((await h.call('GET', `/v1/intake/batches/${queued.body.batchId}`, { token: cast.ops.token })).body.status).toBe('queued');

    // As `tally serve` and `tally worker` start it (src/cli/background.ts): postbacks stored by their module.
    consumer = startIntakeConsumer({
      stream,
      db: h.store.db,
      clock: h.app.clock,
      logger: { warn: () => undefined },
      ingestors: { postbacks: storeQueuedPostback },
    });
    const stored = await outcome(queued.body.batchId);
    expect(stored).toMatchObject({ status: 'stored', kind: 'impressions', problem: null });
    const counts = await h.call('GET', `/v1/impressions?contractId=${contractId}&from=2026-10-10&to=2026-10-10`, { token: cast.ops.token });
    expect(counts.body.data.map((row: { impressions: number }) => row.impressions)).toEqual([120_000]);
    // Acknowledged: the work queue holds nothing any more.
    for (let attempt = 0; attempt < 50 && (await stream.lag()).unacknowledged > 0; attempt += 1)
      await new Promise((r) => setTimeout(r, 20));
    expect(await stream.lag()).toMatchObject({ pending: 0, unacknowledged: 0 });
  });

  it('a batch delivered twice is stored once: one set of counts, one audit entry', async () => {
    const message = {
      kind: 'impressions',
      batchId: 'bat_twice_0000000000000000000',
      actor: { userId: cast.ops.id, role: 'ops', partyId: null },
      body: impressions(5_000, '2026-10-11'),
    };
    const clock = createClock('2026-11-25');
    const epoch = await readChangeEpoch(h.store.db);
    expect(await storeIntakeBatch(h.store.db, clock, message)).toBe('stored');
    expect(await storeIntakeBatch(h.store.db, clock, message)).toBe('already stored');
    // Stored intake changes nothing a cached read answers: the read caches' counter stays (src/http/read-cache.ts).
    expect(await readChangeEpoch(h.store.db)).toBe(epoch);
    // Two deliveries at once (a consumer whose acknowledgement was late, and the next one): once too.
    const other = { ...message, batchId: 'bat_twice_0000000000000000001', body: impressions(6_000, '2026-10-12') };
    expect((await Promise.all([storeIntakeBatch(h.store.db, clock, other), storeIntakeBatch(h.store.db, clock, other)])).sort()).toEqual([
      'already stored',
      'stored',
    ]);
    expect(await countOf('audit_entries', sql`entity_id in ('bat_twice_0000000000000000000', 'bat_twice_0000000000000000001')`)).toBe(2);
    expect(await countOf('intake_batches', sql`id like 'bat_twice_%'`)).toBe(2);
  });

  it('a batch the checks refuse is recorded with its problem, and writes nothing else', async () => {
    const before = { counts: await countOf('impression_counts'), audit: await countOf('audit_entries') };
    const queued = await h.call('POST', '/v1/impressions', {
      token: cast.ops.token,
      body: {
        records: [
          { contractId: 'ctr_01nonexistent0000000000000', lineItem: 'display', date: '2026-10-10', source: 'first_party', impressions: 1 },
        ],
      },
    });
    expect(queued.status).toBe(202);
    const refused = await outcome(queued.body.batchId);
    expect(refused).toMatchObject({ status: 'rejected', result: null, problem: { code: 'unknown_contract', status: 422 } });
    expect(await countOf('impression_counts')).toBe(before.counts);
    expect(await countOf('audit_entries')).toBe(before.audit);
  });

  it('conversions and clicks go through the stream too', async () => {
    const cpaParty = await createParty(cast, 'advertiser', 'Streamed Shop');
    const partner = await createParty(cast, 'partner', 'Streamed Partner');
    const cpaId = await createApprovedContract(cast, cpaParty, 'sell', 'Streamed CPA', purchaseOfferTerms('10.00', 'approved'));
    const clicks = await h.call('POST', '/v1/clicks', {
      token: cast.ops.token,
      body: { records: [{ id: 'clk-streamed-1', contractId: cpaId, lineItem: 'sales', partnerId: partner, at: '2026-10-05T10:00:00Z' }] },
    });
    expect(clicks.status, clicks.text).toBe(202);
    expect(await outcome(clicks.body.batchId)).toMatchObject({ status: 'stored', kind: 'clicks' });
    const conversions = await h.call('POST', '/v1/conversions', {
      token: cast.ops.token,
      body: {
        records: [
          {
            id: 'cv-streamed-1',
            contractId: cpaId,
            lineItem: 'sales',
            eventType: 'purchase',
            occurredAt: '2026-10-05T11:00:00Z',
            status: 'approved',
            clickId: 'clk-streamed-1',
          },
        ],
      },
    });
    expect(conversions.status, conversions.text).toBe(202);
    expect(await outcome(conversions.body.batchId)).toMatchObject({ status: 'stored', kind: 'conversions' });
    expect(await countOf('conversions', sql`id = 'cv-streamed-1'`)).toBe(1);
  });

  it('a signed postback is verified at once, answered `queued`, and stored once by a consumer; sent again, a duplicate', async () => {
    const shop = await createParty(cast, 'advertiser', 'Streamed Postbacks');
    const partner = await createParty(cast, 'partner', 'Streamed Publisher');
    const cpaId = await createApprovedContract(cast, shop, 'sell', 'Streamed postbacks', purchaseOfferTerms('10.00', 'pending'));
    const clicked = await h.call('POST', '/v1/clicks', {
      token: cast.ops.token,
      body: { records: [{ id: 'clk-pb-1', contractId: cpaId, lineItem: 'sales', partnerId: partner, at: '2026-11-25T09:00:00Z' }] },
    });
    expect(await outcome(clicked.body.batchId)).toMatchObject({ status: 'stored' });
    const created = await h.call('POST', '/v1/postback-sources', {
      token: cast.ops.token,
      body: { name: 'Streamed checkout', contractId: cpaId, lineItem: 'sales' },
    });
    expect(created.status, created.text).toBe(201);
    const parameters: PostbackParameters = [
      ['txid', 'pb-streamed-1'],
      ['click_id', 'clk-pb-1'],
      ['event', 'purchase'],
      ['amount', '49.90'],
      ['ts', String(Date.parse('2026-11-25T10:00:00Z') / 1000)],
    ];
    const url = signedUrl(created.body.key, created.body.secret, parameters);
    // Refusals the endpoint decides by itself stay immediate: a bad signature never reaches the stream.
    const before = await stream.lag();
    const forged = await h.call('GET', signedUrl(created.body.key, 'not-the-secret', parameters), { token: null });
    expect([forged.status, forged.body.code]).toEqual([401, 'bad_signature']);
    expect(await stream.lag()).toEqual(before);

    const queued = await h.call('GET', url, { token: null });
    expect([queued.status, queued.body]).toEqual([200, { status: 'queued' }]);
    const again = await h.call('GET', url, { token: null });
    expect([again.status, again.body]).toEqual([200, { status: 'queued' }]);
    // Both reach the books through the consumer: one conversion, the second a duplicate.
    for (let attempt = 0; attempt < 200 && (await countOf('intake_batches', sql`kind = 'postbacks'`)) < 2; attempt += 1)
      await new Promise((resolve) => setTimeout(resolve, 50));
    const outcomes = await sql<{ status: string; result: { status: string } }>`
      select status, result from intake_batches where kind = 'postbacks'`.execute(h.store.db);
    expect(outcomes.rows.map((row) => `${row.status}:${row.result.status}`).sort()).toEqual(['stored:accepted', 'stored:duplicate']);
    expect(await countOf('conversions', sql`id = 'pb-streamed-1'`)).toBe(1);
  });

  it("/metrics shows the stream's lag", async () => {
    const metrics = await h.call('GET', '/metrics', { token: null });
    expect(metrics.text).toMatch(/^tally_intake_messages\{state="pending"\} 0$/m);
    expect(metrics.text).toMatch(/^tally_intake_messages\{state="unacknowledged"\} \d+$/m);
    expect(metrics.text).toMatch(/^tally_intake_redelivered \d+$/m);
  });

  it('a batch of the wrong shape is refused at once and never reaches the stream', async () => {
    const before = await stream.lag();
    const refused = await h.call('POST', '/v1/impressions', { token: cast.ops.token, body: { records: [{ impressions: 'many' }] } });
    expect([refused.status, refused.body.code]).toEqual([400, 'validation_failed']);
    expect(await stream.lag()).toEqual(before);
  });
});
