/**
 * Signed postbacks through HTTP (SPEC §9, docs/affiliate/postbacks.md): postback sources with a
 * secret shown once and rotated with a 24-hour grace period, and the unauthenticated
 * `GET /v1/postbacks/:key` that stores a conversion of the click it names. Every refusal (a wrong
 * secret, a changed value, an unknown key, malformed values, a conflicting resend, a disabled
 * source, an expired secret) writes nothing: every table's row count is compared before and after.
 * The signatures here are computed with node:crypto directly, as an advertiser would, not with
 * Tally's own signing code.
 */
import { readChangeEpoch } from '../../src/platform/change-epoch.ts';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/http/app.ts';
import { createClock } from '../../src/platform/clock.ts';
import { describeStore, type Harness, startHarness, storeKind } from '../support/harness.ts';
import { countAllTables } from '../support/security-book.ts';
import {
  type Cast,
  castOf,
  createApprovedContract,
  createDraftContract,
  createParty,
  wideAttribution,
} from '../support/scenario-helpers.ts';
import { type PostbackParameters, postbackUrl, sign, signedUrl } from '../support/postback-signing.ts';

type Parameters = PostbackParameters;

/** 2026-11-25T11:00:00Z in Unix seconds: an hour before the pinned clock's noon. */
const elevenOClock = String(Date.parse('2026-11-25T11:00:00Z') / 1000);

describeStore('postbacks', () => {
  let h: Harness;
  let cast: Cast;
  let contractId: string;
  let partners: { first: string; second: string };
  let source: { id: string; key: string; secret: string };
  let otherSource: { id: string; key: string; secret: string };

  /** A postback with no bearer token, as an advertiser's server sends it. */
  const get = (url: string) => h.call('GET', url, { token: null });

  const conversion = (txid: string, overrides: Record<string, string> = {}): Parameters => {
    const values = { txid, click_id: 'pb-click-1', event: 'purchase', amount: '49.90', ts: elevenOClock, ...overrides };
    return Object.entries(values).filter(([, value]) => value !== '') as Parameters;
  };

  async function failureCounts(): Promise<Record<string, number>> {
    const metrics = await h.call('GET', '/metrics', { token: null });
    const counts: Record<string, number> = {};
    for (const match of metrics.text.matchAll(/^tally_postback_failures_total\{reason="([a-z_]+)"\} (\d+)$/gm))
      counts[match[1] as string] = Number(match[2]);
    return counts;
  }

  /** Calls, expects a refusal, and checks that no table changed. */
  async function expectRefused(url: string, status: number, code: string): Promise<{ errors?: { path: string }[] }> {
    const before = await countAllTables(h);
    const response = await get(url);
    expect(response.status, response.text.slice(0, 400)).toBe(status);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body.code).toBe(code);
    expect(await countAllTables(h)).toEqual(before);
    return response.body;
  }

  beforeAll(async () => {
    h = await startHarness({ today: '2026-11-25' });
    cast = await castOf(h);
    const advertiser = await createParty(cast, 'advertiser', 'Postback Shop');
    partners = { first: await createParty(cast, 'partner', 'Coupon Site'), second: await createParty(cast, 'partner', 'Review Blog') };
    contractId = await createApprovedContract(cast, advertiser, 'sell', 'Postback offer', {
      startDate: '2026-10-01',
      endDate: '2026-12-31',
      currency: 'USD',
      billingPeriod: 'calendar_month',
      lineItems: [
        { key: 'video', name: 'Video', pricing: { model: 'cpm', ratePerMille: '20.00' } },
        {
          key: 'sales',
          name: 'Sales',
          pricing: { model: 'cpa', events: [{ eventType: 'purchase', amount: '40.00' }], attribution: wideAttribution, billOn: 'approved' },
        },
      ],
    });
    const clicks = await h.call('POST', '/v1/clicks', {
      token: cast.ops.token,
      body: {
        records: [
          { id: 'pb-click-1', contractId, lineItem: 'sales', partnerId: partners.first, at: '2026-11-25T10:00:00Z' },
          { id: 'pb-click-2', contractId, lineItem: 'sales', partnerId: partners.second, at: '2026-11-25T10:30:00Z' },
        ],
      },
    });
    expect(clicks.status, clicks.text).toBe(200);
    const created = await h.call('POST', '/v1/postback-sources', {
      token: cast.ops.token,
      body: { name: 'Shop checkout', contractId, lineItem: 'sales' },
    });
    expect(created.status, created.text).toBe(201);
    source = created.body;
    const other = await h.call('POST', '/v1/postback-sources', {
      token: cast.ops.token,
      body: { name: 'Shop app', contractId, lineItem: 'sales' },
    });
    otherSource = other.body;
  });
  afterAll(async () => h?.close());

  describe('sources', () => {
    it('shows the secret once, on create; reads and the audit log never show it', async () => {
      expect(source).toMatchObject({
        name: 'Shop checkout',
        contractId,
        lineItem: 'sales',
        active: true,
        previousSecretExpiresAt: null,
        createdBy: cast.ops.id,
        path: `/v1/postbacks/${source.key}`,
      });
      expect(source.id).toMatch(/^pbs_/);
      expect(source.key).toMatch(/^pbk_[A-Za-z0-9_-]{32}$/);
      expect(source.secret).toMatch(/^pbsec_[A-Za-z0-9_-]{43}$/);
      const read = await h.call('GET', `/v1/postback-sources/${source.id}`, { token: cast.ops.token });
      expect(read.status).toBe(200);
      expect(read.body).not.toHaveProperty('secret');
      expect(read.text).not.toContain(source.secret);
      const list = await h.call('GET', `/v1/postback-sources?contractId=${contractId}`, { token: cast.finance.token });
      expect(list.body.data.map((item: { id: string }) => item.id)).toEqual([source.id, otherSource.id]);
      expect(list.text).not.toContain(source.secret);
      const audit = await h.call('GET', `/v1/audit?entityType=postback_source&entityId=${source.id}`);
      expect(audit.body.data.map((entry: { action: string }) => entry.action)).toEqual(['postback_source.created']);
      expect(audit.text).not.toContain(source.secret);
      expect((await h.call('GET', '/v1/postback-sources/pbs_missing', { token: cast.ops.token })).body.code).toBe(
        'postback_source_not_found',
      );
    });

    it('takes only a CPA or hybrid line item of an approved sell contract (422, nothing written)', async () => {
      const draft = await createDraftContract(cast, await createParty(cast, 'advertiser', 'Draft Shop'), 'sell', 'Draft offer', {
        startDate: '2026-10-01',
        endDate: '2026-12-31',
        currency: 'USD',
        billingPeriod: 'calendar_month',
        lineItems: [
          {
            key: 'sales',
            name: 'Sales',
            pricing: {
              model: 'cpa',
              events: [{ eventType: 'purchase', amount: '1.00' }],
              attribution: wideAttribution,
              billOn: 'approved',
            },
          },
        ],
      });
      const cases: [Record<string, string>, string, string][] = [
        [{ contractId, lineItem: 'video' }, 'not_a_cpa_line_item', 'lineItem'],
        [{ contractId, lineItem: 'nothing' }, 'unknown_line_item', 'lineItem'],
        [{ contractId: 'ctr_missing', lineItem: 'sales' }, 'unknown_contract', 'contractId'],
        [{ contractId: draft, lineItem: 'sales' }, 'unknown_contract', 'contractId'],
      ];
      const before = await countAllTables(h);
      for (const [body, code, path] of cases) {
        const response = await h.call('POST', '/v1/postback-sources', { token: cast.ops.token, body: { name: 'Refused', ...body } });
        expect(response.status, JSON.stringify(body)).toBe(422);
        expect(response.body.code).toBe(code);
        expect(response.body.errors.map((error: { path: string }) => error.path)).toEqual([path]);
      }
      expect(await countAllTables(h)).toEqual(before);
    });
  });

  describe('GET /v1/postbacks/:key', () => {
    it('stores the conversion, credited to the partner of its click, and answers accepted; the same again is a duplicate', async () => {
      const parameters = conversion('pb-order-1');
      const auditBefore = await h.count('audit_entries');
      const epoch = await readChangeEpoch(h.store.db);
      const accepted = await get(signedUrl(source.key, source.secret, parameters));
      expect(accepted.status, accepted.text).toBe(200);
      expect(accepted.body).toEqual({ status: 'accepted' });
      // A postback changes nothing a cached read answers: the read caches' counter stays (src/http/read-cache.ts).
      expect(await readChangeEpoch(h.store.db)).toBe(epoch);
      // Answered after the commit: another connection reads the conversion at once.
      const detail = await h.call('GET', '/v1/conversions/pb-order-1');
      expect(detail.status, detail.text).toBe(200);
      expect(detail.body).toMatchObject({
        id: 'pb-order-1',
        contractId,
        lineItem: 'sales',
        eventType: 'purchase',
        occurredAt: '2026-11-25T11:00:00.000Z',
        value: '49.90',
        clickId: 'pb-click-1',
        credited: { partnerId: partners.first },
      });
      // One audit entry, by the source.
      expect(await h.count('audit_entries')).toBe(auditBefore + 1);
      const audit = await h.call('GET', '/v1/audit?entityType=delivery_batch&limit=500');
      expect(audit.body.data.at(-1)).toMatchObject({ actor: `postback:${source.id}`, action: 'delivery.conversions_ingested' });

      const before = await countAllTables(h);
      const again = await get(signedUrl(source.key, source.secret, parameters));
      expect(again.status).toBe(200);
      expect(again.body).toEqual({ status: 'duplicate' });
      expect(await countAllTables(h)).toEqual(before);
    });

    it('verifies a re-ordered query: the signature covers the parameters sorted by name', async () => {
      const parameters = conversion('pb-order-2', { click_id: 'pb-click-2' });
      const sig = sign(source.secret, parameters);
      const reordered = postbackUrl(source.key, [...parameters].reverse(), sig);
      expect(reordered.indexOf('ts=')).toBeLessThan(reordered.indexOf('txid='));
      // sig first, too.
      const sigFirst = `/v1/postbacks/${source.key}?sig=${sig}&${reordered.split('?')[1]?.replace(/&sig=.*$/, '')}`;
      expect((await get(reordered)).body).toEqual({ status: 'accepted' });
      expect((await get(sigFirst)).body).toEqual({ status: 'duplicate' });
      expect((await h.call('GET', '/v1/conversions/pb-order-2')).body.credited.partnerId).toBe(partners.second);
    });

    it('signs the values as received: an encoded txid is signed encoded, and stored decoded', async () => {
      const parameters = conversion('pb order/3 + ü');
      const url = signedUrl(source.key, source.secret, parameters);
      expect(url).toContain('txid=pb%20order%2F3%20%2B%20%C3%BC');
      expect((await get(url)).body).toEqual({ status: 'accepted' });
      expect((await h.call('GET', `/v1/conversions/${encodeURIComponent('pb order/3 + ü')}`)).status).toBe(200);
      // The same value encoded otherwise ("+" for the spaces) is other text than what was signed.
      const respelled = url.replace('pb%20order%2F3%20%2B%20%C3%BC', 'pb+order%2F3+%2B+%C3%BC');
      await expectRefused(respelled, 401, 'bad_signature');
    });

    it('takes ts as optional (the time of receipt) and amount as optional; a retry without ts is still a duplicate', async () => {
      const parameters = conversion('pb-order-4', { ts: '', amount: '' });
      expect(parameters.map(([name]) => name)).toEqual(['txid', 'click_id', 'event']);
      const url = signedUrl(source.key, source.secret, parameters);
      expect((await get(url)).body).toEqual({ status: 'accepted' });
      const detail = await h.call('GET', '/v1/conversions/pb-order-4');
      expect(detail.body.value).toBeNull();
      // Received at the pinned clock's 2026-11-25 noon, give or take the seconds the suite has run.
      expect(Math.abs(Date.parse(detail.body.occurredAt) - Date.parse('2026-11-25T12:00:00Z'))).toBeLessThan(10 * 60_000);
      const before = await countAllTables(h);
      expect((await get(url)).body).toEqual({ status: 'duplicate' });
      expect(await countAllTables(h)).toEqual(before);
    });

    it('stores one conversion when copies of a postback arrive at once: one accepted, the others duplicates', async () => {
      for (const ts of [elevenOClock, '']) {
        const url = signedUrl(source.key, source.secret, conversion(`pb-order-race${ts === '' ? '-now' : ''}`, { ts }));
        const conversions = await h.count('conversions');
        const answers = await Promise.all(Array.from({ length: 6 }, () => get(url)));
        expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200, 200]);
        expect(answers.map((answer) => answer.body.status as string).sort()).toEqual([
          'accepted',
          'duplicate',
          'duplicate',
          'duplicate',
          'duplicate',
          'duplicate',
        ]);
        expect(await h.count('conversions')).toBe(conversions + 1);
      }
    });

    it('refuses a wrong secret, a value changed after signing, and a replay to another source with 401, writing nothing', async () => {
      const parameters = conversion('pb-order-5');
      await expectRefused(signedUrl(source.key, otherSource.secret, parameters), 401, 'bad_signature');
      const signed = signedUrl(source.key, source.secret, parameters);
      await expectRefused(signed.replace('amount=49.90', 'amount=4990.00'), 401, 'bad_signature');
      await expectRefused(signed.replace('click_id=pb-click-1', 'click_id=pb-click-2'), 401, 'bad_signature');
      // A parameter added after signing is signed-over text that was not signed.
      await expectRefused(`${signed}&amount=1.00`, 401, 'bad_signature');
      await expectRefused(signed.replace(source.key, otherSource.key), 401, 'bad_signature');
      await expectRefused(postbackUrl(source.key, parameters, '0'.repeat(64)), 401, 'bad_signature');
      expect((await h.call('GET', '/v1/conversions/pb-order-5')).status).toBe(404);
      // The credential is the query's signature: no Bearer challenge, which the API's own 401s carry,
      // here or in the route's OpenAPI description.
      const refused = await get(signedUrl(source.key, otherSource.secret, parameters));
      expect(refused.status).toBe(401);
      expect(refused.headers['www-authenticate']).toBeUndefined();
      expect((await get(`/v1/postback-sources/${source.id}`)).headers['www-authenticate']).toBe('Bearer realm="tally"');
    });

    it('declares its refusals in the OpenAPI document: 401 without a challenge, 409 for a conflicting txid or transaction', async () => {
      const document = await h.call('GET', '/openapi.json', { token: null });
      const operation = document.body.paths['/v1/postbacks/{key}'].get;
      expect(operation.responses['401'].description).toMatch(/bad_signature/);
      expect(operation.responses['401'].headers).toBeUndefined();
      // A GET that writes: its batch's transaction may meet others' (src/http/declared-problems.ts).
      expect(operation.responses['409'].description).toMatch(/Codes: `conversion_conflict`, `transaction_conflict`\.$/);
    });

    it('answers a replay of an accepted postback as a duplicate, and the same txid with other content 409, writing nothing', async () => {
      const first = conversion('pb-order-1');
      expect((await get(signedUrl(source.key, source.secret, first))).body).toEqual({ status: 'duplicate' });
      const body = await expectRefused(
        signedUrl(source.key, source.secret, conversion('pb-order-1', { amount: '99.00' })),
        409,
        'conversion_conflict',
      );
      expect(body.errors?.map((error) => error.path)).toEqual(['txid']);
      // From another source, the same txid with other content conflicts with the stored conversion.
      await expectRefused(
        signedUrl(otherSource.key, otherSource.secret, conversion('pb-order-1', { event: 'lead' })),
        409,
        'conversion_conflict',
      );
    });

    it('answers an unknown key 404, writing nothing', async () => {
      const parameters = conversion('pb-order-6');
      await expectRefused(signedUrl('pbk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', source.secret, parameters), 404, 'unknown_postback_key');
      await expectRefused(signedUrl('not-a-key', source.secret, parameters), 404, 'unknown_postback_key');
      // HEAD (a link checker) is not a postback.
      const head = await h.app.inject({ method: 'HEAD', url: signedUrl(source.key, source.secret, parameters) });
      expect(head.statusCode).toBe(404);
      expect((await h.call('GET', '/v1/conversions/pb-order-6')).status).toBe(404);
    });

    it('answers malformed values 422 naming the parameter, writing nothing', async () => {
      const signed = (parameters: Parameters) => signedUrl(source.key, source.secret, parameters);
      const cases: [string, string, string[]][] = [
        ['a missing txid', signed(conversion('pb-order-7').filter(([name]) => name !== 'txid')), ['txid']],
        ['a missing click_id', signed(conversion('pb-order-7').filter(([name]) => name !== 'click_id')), ['click_id']],
        ['a missing event', signed(conversion('pb-order-7', { event: '' })), ['event']],
        ['a missing sig', `/v1/postbacks/${source.key}?txid=pb-order-7&click_id=pb-click-1&event=purchase`, ['sig']],
        ['a sig that is not hex', postbackUrl(source.key, conversion('pb-order-7'), 'not-a-signature'), ['sig']],
        ['an amount with a comma', signed(conversion('pb-order-7', { amount: '49,90' })), ['amount']],
        ['a negative amount', signed(conversion('pb-order-7', { amount: '-5' })), ['amount']],
        ['a ts that is not Unix seconds', signed(conversion('pb-order-7', { ts: '2026-11-25T11:00:00Z' })), ['ts']],
        ['a ts a day ahead', signed(conversion('pb-order-7', { ts: String(Number(elevenOClock) + 86_400) })), ['ts']],
        ['a txid twice', signed([...conversion('pb-order-7'), ['txid', 'pb-order-8']]), ['txid']],
        ['an unknown parameter', signed([...conversion('pb-order-7'), ['clickid', 'x']]), ['clickid']],
        ['a click nobody sent', signed(conversion('pb-order-7', { click_id: 'pb-click-unknown' })), ['click_id']],
        [
          'a ts before its click',
          signed(conversion('pb-order-7', { ts: String(Date.parse('2026-11-25T09:00:00Z') / 1000) })),
          ['click_id'],
        ],
        ['a ts outside the contract', signed(conversion('pb-order-7', { ts: String(Date.parse('2026-09-01T00:00:00Z') / 1000) })), ['ts']],
      ];
      for (const [label, url, paths] of cases) {
        const before = await countAllTables(h);
        const response = await get(url);
        expect(response.status, `${label}: ${response.text.slice(0, 400)}`).toBe(422);
        expect(response.body.errors.map((error: { path: string }) => error.path)[0], label).toBe(paths[0]);
        expect(await countAllTables(h), label).toEqual(before);
      }
      expect((await h.call('GET', '/v1/conversions/pb-order-7')).status).toBe(404);
    });

    it('refuses a disabled source with 403 once the signature verifies, and takes postbacks again once enabled', async () => {
      const disabled = await h.call('POST', `/v1/postback-sources/${otherSource.id}/disable`, { token: cast.ops.token, body: {} });
      expect(disabled.status).toBe(200);
      expect(disabled.body.active).toBe(false);
      const parameters = conversion('pb-order-9');
      await expectRefused(signedUrl(otherSource.key, otherSource.secret, parameters), 403, 'postback_source_disabled');
      // Without the secret, nothing tells that the source exists but is disabled.
      await expectRefused(signedUrl(otherSource.key, source.secret, parameters), 401, 'bad_signature');
      expect((await h.call('POST', `/v1/postback-sources/${otherSource.id}/enable`, { token: cast.ops.token })).body.active).toBe(true);
      expect((await get(signedUrl(otherSource.key, otherSource.secret, parameters))).body).toEqual({ status: 'accepted' });
      const audit = await h.call('GET', `/v1/audit?entityType=postback_source&entityId=${otherSource.id}`);
      expect(audit.body.data.map((entry: { action: string }) => entry.action).sort()).toEqual([
        'postback_source.created',
        'postback_source.disabled',
        'postback_source.enabled',
      ]);
    });

    it('counts refusals in /metrics by reason', async () => {
      const before = await failureCounts();
      const parameters = conversion('pb-order-10');
      await get(signedUrl(source.key, otherSource.secret, parameters));
      await get(signedUrl(source.key, otherSource.secret, parameters));
      await get(signedUrl('pbk_BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB', source.secret, parameters));
      await get(signedUrl(source.key, source.secret, conversion('pb-order-10', { amount: 'lots' })));
      await get(signedUrl(source.key, source.secret, conversion('pb-order-1', { amount: '1.00' })));
      const after = await failureCounts();
      const delta = (reason: string) => (after[reason] ?? 0) - (before[reason] ?? 0);
      expect({
        bad_signature: delta('bad_signature'),
        unknown_key: delta('unknown_key'),
        malformed: delta('malformed'),
        conflict: delta('conflict'),
      }).toEqual({ bad_signature: 2, unknown_key: 1, malformed: 1, conflict: 1 });
      // An accepted postback is no failure.
      expect((await get(signedUrl(source.key, source.secret, parameters))).body).toEqual({ status: 'accepted' });
      expect(await failureCounts()).toEqual(after);
    });

    it('keeps receipts append-only: the database refuses to change one', async () => {
      const refusal = (query: Promise<unknown>) =>
        query.then(
          () => 'changed',
          (error: Error) => error.message,
        );
      expect(await refusal(sql`update postback_receipts set content_hash = 'x'`.execute(h.store.db))).toMatch(/^append_only/);
      expect(await refusal(sql`delete from postback_receipts`.execute(h.store.db))).toMatch(/^append_only/);
      expect(await refusal(sql`truncate postback_receipts`.execute(h.store.db))).toMatch(/^append_only/);
    });

    // Last: it moves the pinned clock two days on.
    it('accepts the previous secret during the 24-hour grace period after a rotation, and refuses it after', async () => {
      const oldSecret = source.secret;
      const rotated = await h.call('POST', `/v1/postback-sources/${source.id}/rotate-secret`, { token: cast.ops.token, body: {} });
      expect(rotated.status, rotated.text).toBe(200);
      const newSecret = rotated.body.secret as string;
      expect(newSecret).toMatch(/^pbsec_/);
      expect(newSecret).not.toBe(oldSecret);
      // Rotated at the pinned clock's 2026-11-25 noon (and the seconds the suite has run): valid until the 26th's.
      expect(rotated.body.previousSecretExpiresAt).toMatch(/^2026-11-26T12:0/);
      const read = await h.call('GET', `/v1/postback-sources/${source.id}`, { token: cast.ops.token });
      expect(read.body.previousSecretExpiresAt).toBe(rotated.body.previousSecretExpiresAt);
      expect(read.text).not.toContain(newSecret);
      const audit = await h.call('GET', `/v1/audit?entityType=postback_source&entityId=${source.id}`);
      expect(audit.body.data.map((entry: { action: string }) => entry.action).sort()).toEqual([
        'postback_source.created',
        'postback_source.secret_rotated',
      ]);
      expect(audit.text).not.toContain(newSecret);
      expect(audit.text).not.toContain(oldSecret);

      expect((await get(signedUrl(source.key, oldSecret, conversion('pb-order-11')))).body).toEqual({ status: 'accepted' });
      expect((await get(signedUrl(source.key, newSecret, conversion('pb-order-12')))).body).toEqual({ status: 'accepted' });

      h.setToday('2026-11-27');
      await expectRefused(signedUrl(source.key, oldSecret, conversion('pb-order-13')), 401, 'bad_signature');
      // Even the replay of a postback it once accepted: the old secret signs nothing any more.
      await expectRefused(signedUrl(source.key, oldSecret, conversion('pb-order-11')), 401, 'bad_signature');
      expect((await get(signedUrl(source.key, newSecret, conversion('pb-order-13')))).body).toEqual({ status: 'accepted' });
      expect((await h.call('GET', `/v1/postback-sources/${source.id}`, { token: cast.ops.token })).body.previousSecretExpiresAt).toBeNull();
    });
  });

  describe('rate limit', () => {
    const perMinute = 3;
    let limited: FastifyInstance;
    const call = async (url: string, address = '192.0.2.10') => {
      const response = await limited.inject({ method: 'GET', url, remoteAddress: address });
      return { status: response.statusCode, body: JSON.parse(response.body) as { code?: string; status?: string } };
    };

    beforeAll(async () => {
      limited = await buildApp({ store: h.store, clock: createClock('2026-11-27'), rateLimit: { perMinute, batchPerMinute: 1 } });
      await limited.ready();
      // On PostgreSQL the windows are shared by every app on the database (SPEC §11): the requests
      // the suite's first app made this minute would count here too. This app starts them afresh.
      if (storeKind === 'postgres') await sql`delete from rate_limit_windows`.execute(h.store.db);
    });
    afterAll(async () => limited?.close());

    it('counts each source key in a window of its own, and unknown keys against the address', async () => {
      const fresh = await h.call('POST', '/v1/postback-sources', {
        token: cast.ops.token,
        body: { name: 'Limited', contractId, lineItem: 'sales' },
      });
      for (let index = 0; index < perMinute; index += 1) {
        const url = signedUrl(fresh.body.key, fresh.body.secret, conversion(`pb-limited-${index}`, { ts: '' }));
        expect((await call(url)).body.status).toBe('accepted');
      }
      const before = await countAllTables(h);
      const refused = await call(signedUrl(fresh.body.key, fresh.body.secret, conversion('pb-limited-9', { ts: '' })));
      expect(refused).toMatchObject({ status: 429, body: { code: 'rate_limited' } });
      expect(await countAllTables(h)).toEqual(before);
      // Another source's key still passes from the same address.
      const other = await call(signedUrl(otherSource.key, otherSource.secret, conversion('pb-limited-other', { ts: '' })));
      expect(other.status).toBe(200);

      // Guessing keys: each guess is a new key, but all of them count against the guesser's address.
      const guess = (index: number) => call(signedUrl(`pbk_${String(index).padStart(32, 'G')}`, 'guess', conversion('x')), '198.51.100.20');
      for (let index = 0; index < perMinute; index += 1) expect((await guess(index)).status).toBe(404);
      expect((await guess(99)).status).toBe(429);
    });
  });
});
