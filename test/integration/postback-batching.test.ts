/**
 * Group commit of postbacks (src/modules/postbacks/postback-committer.ts; docs/affiliate/postbacks.md,
 * "Batches"): postbacks that arrive together are stored in one transaction with one audit entry,
 * and each gets the answer it would get alone — a conflict, an unknown click, a duplicate of one
 * already stored or of one in the same batch, a source disabled or a secret retired since the
 * signature was checked — without failing the others. Driven through the committer directly, where
 * what goes into one batch is certain (everything submitted in one turn of the event loop), and
 * through HTTP with concurrent requests.
 */
import { createHmac } from 'node:crypto';
import Fastify from 'fastify';
import { sql } from 'kysely';
import { serializerCompiler } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { handleError } from '../../src/http/problem.ts';
import { createClock } from '../../src/platform/clock.ts';
import { AppError } from '../../src/platform/errors.ts';
import { createPostbackCommitter, type PostbackCommitter } from '../../src/modules/postbacks/postback-committer.ts';
import type { PostbackContent } from '../../src/modules/postbacks/postback-query.ts';
import { findPostbackSourceByKey } from '../../src/modules/postbacks/postback-source.repository.ts';
import type { PostbackSourcesTable } from '../../src/modules/postbacks/postback.table.ts';
import { postbackRoutes } from '../../src/modules/postbacks/postbacks.routes.ts';
import { describeStore, type Harness, startHarness } from '../support/harness.ts';
import { type Cast, castOf, createApprovedContract, createParty, purchaseOfferTerms } from '../support/scenario-helpers.ts';

/** 2026-11-25T11:00:00Z in Unix seconds: an hour before the pinned clock's noon, after every click. */
const elevenOClock = Date.parse('2026-11-25T11:00:00Z') / 1000;
const clicks = 80;
const clickId = (index: number) => `pbb-click-${index}`;
/** The committers' clock, and the instant a submission was received by. */
const clock = createClock('2026-11-25');

describeStore('postback batches', () => {
  let h: Harness;
  let cast: Cast;
  let contractId: string;
  let source: { id: string; key: string; secret: string };
  let row: PostbackSourcesTable;
  let committer: PostbackCommitter;

  const content = (txid: string, click: number, overrides: Partial<PostbackContent> = {}): PostbackContent => ({
    txid,
    clickId: clickId(click),
    event: 'purchase',
    amount: '10.00',
    timestampSeconds: elevenOClock,
    ...overrides,
  });
  const submit = (postback: PostbackContent, sourceRow = row) =>
    committer.submit({ source: sourceRow, content: postback, receivedAt: clock.now(), signingText: 'unused', signature: 'unused' });
  /** Settles every submission: the outcome, or the refusal's status and code and the paths it names. */
  const settle = (pending: Promise<string>[]) =>
    Promise.all(
      pending.map((promise) =>
        promise.then(
          (outcome) => outcome,
          (error: unknown) =>
            error instanceof AppError
              ? `${error.status} ${error.code} ${(error.errors ?? []).map((e) => e.path).join(',')}`
              : String(error),
        ),
      ),
    );
  const auditEntries = () => h.count('audit_entries');

  /** The signed URL of a postback, as an advertiser builds it. */
  const signedUrl = (secret: string, parameters: [string, string][]) => {
    const pairs = parameters.map(([name, value]) => `${name}=${encodeURIComponent(value)}`);
    const signed = [...pairs].sort((a, b) => (a.split('=')[0]! < b.split('=')[0]! ? -1 : 1)).join('&');
    return `/v1/postbacks/${source.key}?${pairs.join('&')}&sig=${createHmac('sha256', secret).update(signed).digest('hex')}`;
  };

  beforeAll(async () => {
    h = await startHarness({ today: '2026-11-25' });
    cast = await castOf(h);
    const advertiser = await createParty(cast, 'advertiser', 'Batch Shop');
    const partner = await createParty(cast, 'partner', 'Batch Coupons');
    contractId = await createApprovedContract(cast, advertiser, 'sell', 'Batch offer', purchaseOfferTerms('40.00', 'approved'));
    const records = Array.from({ length: clicks }, (_value, index) => ({
      id: clickId(index),
      contractId,
      lineItem: 'sales',
      partnerId: partner,
      at: '2026-11-25T10:00:00Z',
    }));
    expect((await h.call('POST', '/v1/clicks', { token: cast.ops.token, body: { records } })).status).toBe(200);
    const created = await h.call('POST', '/v1/postback-sources', {
      token: cast.ops.token,
      body: { name: 'Batch checkout', contractId, lineItem: 'sales' },
    });
    expect(created.status, created.text).toBe(201);
    source = created.body;
    row = (await findPostbackSourceByKey(h.store.db, source.key)) as PostbackSourcesTable;
    committer = createPostbackCommitter({ db: h.store.db, clock, concurrency: 2 });
  });
  afterAll(async () => {
    await committer?.drain();
    await h?.close();
  });

  it('stores postbacks that arrive together in one transaction; a conflict, an unknown click and a duplicate are answered alone', async () => {
    expect(await settle([submit(content('pbb-known', 0))])).toEqual(['accepted']);
    const conversions = await h.count('conversions');
    const receipts = await h.count('postback_receipts');
    const audit = await auditEntries();
    const answers = await settle([
      ...Array.from({ length: 4 }, (_value, index) => submit(content(`pbb-a${index}`, 1 + index))),
      submit(content('pbb-known', 0, { amount: '99.00' })),
      submit(content('pbb-unknown-click', 0, { clickId: 'pbb-no-such-click' })),
      submit(content('pbb-known', 0)),
      ...Array.from({ length: 5 }, (_value, index) => submit(content(`pbb-b${index}`, 5 + index))),
    ]);
    expect(answers).toEqual([
      'accepted',
      'accepted',
      'accepted',
      'accepted',
      '409 conversion_conflict txid',
      '422 unknown_click click_id',
      'duplicate',
      'accepted',
      'accepted',
      'accepted',
      'accepted',
      'accepted',
    ]);
    // The nine, and nothing of the three others: one intake call, so one audit entry for the batch.
    expect(await h.count('conversions')).toBe(conversions + 9);
    expect(await h.count('postback_receipts')).toBe(receipts + 9);
    expect(await auditEntries()).toBe(audit + 1);
    const entry = await h.call('GET', '/v1/audit?entityType=delivery_batch&limit=500');
    expect(entry.body.data.at(-1)).toMatchObject({ actor: `postback:${source.id}`, after: { created: 9, duplicates: 0 } });
    expect((await h.call('GET', '/v1/conversions/pbb-b4')).body).toMatchObject({ value: '10.00', clickId: clickId(9) });
    expect((await h.call('GET', '/v1/conversions/pbb-known')).body.value).toBe('10.00');
  });

  it('answers repeats inside a batch as if they came one after another: one stored, the copies duplicates, other content 409', async () => {
    const conversions = await h.count('conversions');
    const audit = await auditEntries();
    const answers = await settle([
      submit(content('pbb-repeat', 20)),
      submit(content('pbb-repeat', 20)),
      submit(content('pbb-repeat', 20, { amount: '11.00' })),
      submit(content('pbb-other', 21)),
      submit(content('pbb-repeat', 20, { timestampSeconds: null })),
      submit(content('pbb-repeat', 20)),
    ]);
    expect(answers).toEqual([
      'accepted',
      'duplicate',
      '409 conversion_conflict txid',
      'accepted',
      '409 conversion_conflict txid',
      'duplicate',
    ]);
    expect(await h.count('conversions')).toBe(conversions + 2);
    // The first batch took the first of each txid; the repeats waited for the batch after it, which wrote nothing.
    expect(await auditEntries()).toBe(audit + 1);
  });

  it('answers a conversion already received another way as a duplicate, the new ones of the same batch accepted', async () => {
    const record = {
      id: 'pbb-json',
      contractId,
      lineItem: 'sales',
      eventType: 'purchase',
      occurredAt: new Date(elevenOClock * 1000).toISOString(),
      clickId: clickId(30),
      value: '10.00',
    };
    const sent = await h.call('POST', '/v1/conversions', { token: cast.ops.token, body: { records: [record] } });
    expect(sent.status, sent.text).toBe(200);
    const conversions = await h.count('conversions');
    const answers = await settle([
      submit(content('pbb-c0', 31)),
      submit(content('pbb-json', 30)),
      submit(content('pbb-c1', 32)),
      submit(content('pbb-c2', 33)),
    ]);
    expect(answers).toEqual(['accepted', 'duplicate', 'accepted', 'accepted']);
    expect(await h.count('conversions')).toBe(conversions + 3);
  });

  it('checks the source again when storing: disabled since the signature verified is 403, a secret retired since is 401', async () => {
    const parameters = (txid: string): [string, string][] => [
      ['txid', txid],
      ['click_id', clickId(40)],
      ['event', 'purchase'],
      ['ts', String(elevenOClock)],
    ];
    // As verified a moment ago, against the row as it was then.
    const verifiedOn = { ...row };
    expect((await h.call('POST', `/v1/postback-sources/${source.id}/disable`, { token: cast.ops.token, body: {} })).status).toBe(200);
    const url = signedUrl(source.secret, parameters('pbb-late'));
    const submission = (txid: string) =>
      committer.submit({
        source: verifiedOn,
        content: content(txid, 40, { amount: null }),
        receivedAt: clock.now(),
        signingText: url
          .split('?')[1]!
          .replace(/&sig=.*$/, '')
          .split('&')
          .sort()
          .join('&'),
        signature: url.replace(/^.*sig=/, ''),
      });
    expect(await settle([submission('pbb-late')])).toEqual(['403 postback_source_disabled ']);
    expect((await h.call('POST', `/v1/postback-sources/${source.id}/enable`, { token: cast.ops.token, body: {} })).status).toBe(200);
    // Two rotations: the secret the postback was signed with is neither the current nor the previous one.
    for (let rotation = 0; rotation < 2; rotation += 1) {
      const rotated = await h.call('POST', `/v1/postback-sources/${source.id}/rotate-secret`, { token: cast.ops.token, body: {} });
      expect(rotated.status).toBe(200);
      source = { ...source, secret: rotated.body.secret };
    }
    expect(await settle([submission('pbb-late')])).toEqual(['401 bad_signature ']);
    expect((await h.call('GET', '/v1/conversions/pbb-late')).status).toBe(404);
    row = (await findPostbackSourceByKey(h.store.db, source.key)) as PostbackSourcesTable;
  });

  it('refuses past the queue bound with 503 postback_queue_full, and after drain; drain answers what was queued first', async () => {
    const small = createPostbackCommitter({ db: h.store.db, clock, queueMax: 2 });
    const conversions = await h.count('conversions');
    const submitSmall = (txid: string, click: number) =>
      small.submit({ source: row, content: content(txid, click), receivedAt: clock.now(), signingText: '', signature: '' });
    // Settled as they are made: a refusal is an answer here, not an unhandled rejection.
    const pending = settle([submitSmall('pbb-q0', 50), submitSmall('pbb-q1', 51), submitSmall('pbb-q2', 52)]);
    expect(small.pending()).toBe(2);
    const drained = small.drain();
    const late = settle([submitSmall('pbb-q3', 53)]);
    await drained;
    expect(small.pending()).toBe(0);
    expect([...(await pending), ...(await late)]).toEqual(['accepted', 'accepted', '503 postback_queue_full ', '503 postback_queue_full ']);
    expect(await h.count('conversions')).toBe(conversions + 2);
  });

  it('through HTTP: concurrent postbacks of which one conflicts are all stored but that one, each answered after the commit', async () => {
    const parameters = (txid: string, click: number, amount = '10.00'): [string, string][] => [
      ['txid', txid],
      ['click_id', clickId(click)],
      ['event', 'purchase'],
      ['amount', amount],
      ['ts', String(elevenOClock)],
    ];
    const conversions = await h.count('conversions');
    const urls = Array.from({ length: 20 }, (_value, index) =>
      index === 7
        ? signedUrl(source.secret, parameters('pbb-known', 0, '55.00'))
        : signedUrl(source.secret, parameters(`pbb-h${index}`, 60 + index)),
    );
    const answers = await Promise.all(urls.map((url) => h.call('GET', url, { token: null })));
    expect(answers.map((answer) => answer.status)).toEqual(urls.map((_url, index) => (index === 7 ? 409 : 200)));
    expect(answers.filter((answer) => answer.status === 200).map((answer) => answer.body.status)).toEqual(Array(19).fill('accepted'));
    expect(answers[7]?.body).toMatchObject({ code: 'conversion_conflict', errors: [{ path: 'txid' }] });
    expect(await h.count('conversions')).toBe(conversions + 19);
    const stored = await sql<{ count: number }>`select count(*)::int as count from conversions where id like 'pbb-h%'`.execute(h.store.db);
    expect(stored.rows[0]?.count).toBe(19);
  });

  it('answers 503 with Retry-After when the queue is full, writing nothing', async () => {
    const app = Fastify({ logger: false });
    app.decorate('store', h.store);
    app.decorate('clock', clock);
    app.setSerializerCompiler(serializerCompiler);
    app.setErrorHandler(handleError);
    await app.register(postbackRoutes, { prefix: '/v1', limit: async () => undefined, committer: { queueMax: 0 } });
    await app.ready();
    try {
      const conversions = await h.count('conversions');
      const response = await app.inject({
        method: 'GET',
        url: signedUrl(source.secret, [
          ['txid', 'pbb-full'],
          ['click_id', clickId(79)],
          ['event', 'purchase'],
        ]),
      });
      expect(response.statusCode, response.body).toBe(503);
      expect(response.headers['retry-after']).toBe('1');
      expect(JSON.parse(response.body)).toMatchObject({ code: 'postback_queue_full' });
      expect(await h.count('conversions')).toBe(conversions);
    } finally {
      await app.close();
    }
  });
});
