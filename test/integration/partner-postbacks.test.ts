/**
 * Partner postbacks (SPEC §9) end to end, on a real HTTP receiver: registration (admin only, strict
 * template rules, audited), one GET per conversion and event through the webhook outbox with the
 * macros filled in and URL-encoded, nothing more for a repeat, a reversal, retries and the delivery
 * log; and the outbound-target rule, at registration and at send time.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueuePartnerPostbacks } from '../../src/modules/webhooks/index.ts';
import { startWebhookDispatcher, type WebhookDispatcher } from '../../src/modules/webhooks/webhook-dispatcher.ts';
import { type CallResult, describeStore, type Harness, startHarness } from '../support/harness.ts';
import {
  castOf,
  type ConversionInput,
  createApprovedContract,
  createParty,
  purchaseOfferTerms,
  postConversions,
  type Cast,
  wideAttribution,
} from '../support/scenario-helpers.ts';
import { payoutLevelsByKind } from '../support/payout-levels.ts';

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A real HTTP receiver on 127.0.0.1 that records every request and answers from a per-path script (200 once it runs out). */
async function startReceiver(): Promise<{
  baseUrl: string;
  port: number;
  received: Received[];
  script: Map<string, number[]>;
  on(path: string): Received[];
  close(): Promise<void>;
}> {
  const received: Received[] = [];
  const script = new Map<string, number[]>();
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const url = request.url ?? '/';
      received.push({ method: request.method ?? '', url, headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      const status = script.get(url.split('?')[0] as string)?.shift() ?? 200;
      response.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'nope');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    port,
    received,
    script,
    on: (path) => received.filter((request) => request.url.split('?')[0] === path),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function expectProblem(response: CallResult, status: number, code: string, path?: string): void {
  expect(response.status, response.text.slice(0, 400)).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response.body.code).toBe(code);
  if (path !== undefined) expect((response.body.errors as { path: string }[]).map((error) => error.path)).toContain(path);
}

const secondsLater = (date: Date, seconds: number) => new Date(date.getTime() + seconds * 1000);
const allMacros = 'click={click_id}&tx={txid}&ev={event}&pay={payout}&st={status}';

describeStore('partner postbacks', () => {
  let h: Harness;
  let cast: Cast;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let dispatcher: WebhookDispatcher;
  let advertiser: string;
  let partner: string;
  let otherPartner: string;
  let contractId: string;

  beforeAll(async () => {
    h = await startHarness({ today: '2026-11-25' });
    cast = await castOf(h);
    receiver = await startReceiver();
    // The timer never fires within a test: every pass is a drain() the test asks for; no jitter.
    dispatcher = startWebhookDispatcher({
      db: h.store.db,
      clock: h.app.clock,
      intervalMs: 3_600_000,
      allowPrivateTargets: true,
      random: () => 0,
    });
    advertiser = await createParty(cast, 'advertiser', 'Postback Advertiser');
    partner = await createParty(cast, 'partner', 'Postback Partner');
    otherPartner = await createParty(cast, 'partner', 'Quiet Partner');
    contractId = await createApprovedContract(cast, advertiser, 'sell', 'Postback offer', purchaseOfferTerms('40.00', 'approved'));
  });
  afterAll(async () => {
    await dispatcher?.stop();
    await receiver?.close();
    await h?.close();
  });

  const register = async (path: string, events: string[] = ['conversion.credited', 'conversion.reversed'], partyId = partner) => {
    const response = await h.call('POST', '/v1/partner-postbacks', {
      body: { partyId, urlTemplate: `${receiver.baseUrl}${path}?${allMacros}`, events },
    });
    expect(response.status, response.text.slice(0, 400)).toBe(201);
    return response.body as { id: string; partyId: string; urlTemplate: string; events: string[]; active: boolean; createdAt: string };
  };
  const conversion = (id: string, extra: Partial<ConversionInput>): ConversionInput => ({
    id,
    contractId,
    lineItem: 'sales',
    eventType: 'purchase',
    occurredAt: '2026-11-20T12:00:00Z',
    ...extra,
  });
  const deliveriesOf = async (postbackId: string) => {
    const response = await h.call('GET', `/v1/partner-postbacks/${postbackId}/deliveries`);
    expect(response.status, response.text.slice(0, 400)).toBe(200);
    return response.body.data as {
      id: string;
      partnerPostbackId: string;
      eventType: string;
      conversionId: string;
      url: string;
      status: string;
      attemptCount: number;
      nextAttemptAt: string | null;
      attempts: { number: number; statusCode: number | null; error: string | null; succeeded: boolean }[];
    }[];
  };

  describe('registration', () => {
    it('creates a postback for a partner, answers it, lists it and audits it', async () => {
      const created = await register('/registered');
      expect(created).toEqual({
        id: expect.stringMatching(/^ppb_[0-9a-z]{26}$/),
        partyId: partner,
        urlTemplate: `${receiver.baseUrl}/registered?${allMacros}`,
        events: ['conversion.credited', 'conversion.reversed'],
        createdAt: expect.stringMatching(/^2026-11-25T/),
        active: true,
      });
      const read = await h.call('GET', `/v1/partner-postbacks/${created.id}`);
      expect(read.status).toBe(200);
      expect(read.body).toEqual(created);
      const listed = await h.call('GET', `/v1/partner-postbacks?partyId=${partner}&limit=500`);
      expect(listed.body.data.map((postback: { id: string }) => postback.id)).toContain(created.id);
      const others = await h.call('GET', `/v1/partner-postbacks?partyId=${otherPartner}`);
      expect(others.body.data).toEqual([]);
      const audit = await h.call('GET', `/v1/audit?entityType=partner_postback&entityId=${created.id}`);
      expect(audit.body.data.map((entry: { action: string }) => entry.action)).toEqual(['partner_postback.created']);
      // Disabled from here on, so that it takes no part in the sends below.
      const disabled = await h.call('POST', `/v1/partner-postbacks/${created.id}/disable`, { body: {} });
      expect(disabled.status).toBe(200);
      expect(disabled.body.active).toBe(false);
    });

    it.each([
      [`{host}/pb`, 'urlTemplate'],
      ['https://{click_id}.example.com/pb', 'urlTemplate'],
      ['http{status}://example.com/pb', 'urlTemplate'],
      ['https://example.com/pb?x={tx_id}&y={foo}', 'urlTemplate'],
      ['https://example.com/pb?x={txid', 'urlTemplate'],
      ['ftp://example.com/{txid}', 'urlTemplate'],
      ['https://user:pass@example.com/{txid}', 'urlTemplate'],
    ])('refuses the template %s: 400 naming %s, nothing written', async (urlTemplate, path) => {
      const before = [await h.count('partner_postbacks'), await h.count('audit_entries')];
      const response = await h.call('POST', '/v1/partner-postbacks', {
        body: { partyId: partner, urlTemplate, events: ['conversion.credited'] },
      });
      expectProblem(response, 400, 'validation_failed', path);
      expect([await h.count('partner_postbacks'), await h.count('audit_entries')]).toEqual(before);
    });

    it('names the unknown macros', async () => {
      const response = await h.call('POST', '/v1/partner-postbacks', {
        body: { partyId: partner, urlTemplate: 'https://example.com/pb?x={tx_id}&y={foo}&z={txid}', events: ['conversion.credited'] },
      });
      expectProblem(response, 400, 'validation_failed', 'urlTemplate');
      expect(response.body.errors[0].message).toMatch(/^unknown macros \{tx_id\}, \{foo\};/);
    });

    it('refuses a party that is not a partner (422 unknown_partner), an unknown event, and unknown fields', async () => {
      for (const partyId of [advertiser, 'pty_nobody']) {
        expectProblem(
          await h.call('POST', '/v1/partner-postbacks', {
            body: { partyId, urlTemplate: 'https://example.com/{txid}', events: ['conversion.credited'] },
          }),
          422,
          'unknown_partner',
          'partyId',
        );
      }
      expectProblem(
        await h.call('POST', '/v1/partner-postbacks', {
          body: { partyId: partner, urlTemplate: 'https://example.com/{txid}', events: ['conversion.approved'] },
        }),
        400,
        'validation_failed',
        'events[0]',
      );
      expectProblem(
        await h.call('POST', '/v1/partner-postbacks', {
          body: { partyId: partner, urlTemplate: 'https://example.com/{txid}', events: ['conversion.credited'], secret: 'x' },
        }),
        400,
        'unknown_field',
      );
      expectProblem(await h.call('GET', '/v1/partner-postbacks/ppb_nothing'), 404, 'partner_postback_not_found');
    });

    it('lets only admins manage postbacks: 403 for ops and a partner user, nothing written', async () => {
      const partnerUser = await h.user('party', { partyId: partner });
      const before = await h.count('partner_postbacks');
      for (const token of [cast.ops.token, cast.finance.token, partnerUser.token]) {
        expectProblem(
          await h.call('POST', '/v1/partner-postbacks', {
            token,
            body: { partyId: partner, urlTemplate: 'https://example.com/{txid}', events: ['conversion.credited'] },
          }),
          403,
          'forbidden',
        );
        expectProblem(await h.call('GET', '/v1/partner-postbacks', { token }), 403, 'forbidden');
      }
      expect(await h.count('partner_postbacks')).toBe(before);
    });
  });

  describe('sending', () => {
    let both: { id: string };
    let reversalsOnly: { id: string };

    beforeAll(async () => {
      both = await register('/both');
      reversalsOnly = await register('/reversals', ['conversion.reversed']);
      const clicks = await h.call('POST', '/v1/clicks', {
        token: cast.ops.token,
        body: { records: [{ id: 'clk 7/ä&x=1', contractId, lineItem: 'sales', partnerId: partner, at: '2026-11-20T11:59:30Z' }] },
      });
      expect(clicks.status, clicks.text.slice(0, 400)).toBe(200);
    });

    it('calls the partner once per credited conversion with a GET, the macros filled in and URL-encoded', async () => {
      const before = receiver.received.length;
      const queuedBefore = await h.count('webhook_deliveries');
      const ingested = await postConversions(cast, [
        conversion('ord 1/ä&y=2', { clickId: 'clk 7/ä&x=1', status: 'approved' }),
        // Credited to a partner with no postback: nobody is called.
        conversion('ord-quiet', { partnerId: otherPartner, touch: { type: 'view', at: '2026-11-20T11:00:00Z' } }),
        // Credited without a click: {click_id} is empty.
        conversion('ord-view', { partnerId: partner, touch: { type: 'view', at: '2026-11-20T11:00:00Z' } }),
      ]);
      expect(ingested.created).toBe(3);
      // Nothing leaves inside the intake's transaction: the two calls are queued in it, and the dispatcher sends after the commit.
      expect(receiver.received.length).toBe(before);
      expect(await h.count('webhook_deliveries')).toBe(queuedBefore + 2);

      const result = await dispatcher.drain();
      expect(result).toEqual({ attempts: 2, delivered: 2 });
      const calls = receiver.on('/both');
      expect(calls.map((call) => call.method)).toEqual(['GET', 'GET']);
      expect(calls.map((call) => call.url).sort()).toEqual([
        '/both?click=&tx=ord-view&ev=purchase&pay=&st=pending',
        '/both?click=clk%207%2F%C3%A4%26x%3D1&tx=ord%201%2F%C3%A4%26y%3D2&ev=purchase&pay=&st=approved',
      ]);
      expect(calls[0]?.headers['user-agent']).toBe('Tally-Postbacks/1');
      expect(calls[0]?.body).toBe('');
      expect(receiver.on('/reversals')).toEqual([]);

      const deliveries = await deliveriesOf(both.id);
      expect(deliveries).toHaveLength(2);
      const first = deliveries.find((delivery) => delivery.conversionId === 'ord 1/ä&y=2');
      expect(first).toMatchObject({
        partnerPostbackId: both.id,
        eventType: 'conversion.credited',
        url: `${receiver.baseUrl}/both?click=clk%207%2F%C3%A4%26x%3D1&tx=ord%201%2F%C3%A4%26y%3D2&ev=purchase&pay=&st=approved`,
        status: 'delivered',
        attemptCount: 1,
        attempts: [{ number: 1, statusCode: 200, error: null, succeeded: true }],
      });
    });

    it('calls nothing more for a repeat of the same conversion', async () => {
      const before = receiver.received.length;
      const deliveriesBefore = await h.count('webhook_deliveries');
      const ingested = await postConversions(cast, [conversion('ord 1/ä&y=2', { clickId: 'clk 7/ä&x=1', status: 'approved' })]);
      expect(ingested).toMatchObject({ created: 0, duplicates: 1 });
      expect(await dispatcher.drain()).toEqual({ attempts: 0, delivered: 0 });
      expect(receiver.received.length).toBe(before);
      expect(await h.count('webhook_deliveries')).toBe(deliveriesBefore);
    });

    it('calls conversion.reversed when the status becomes reversed, once', async () => {
      const reverse = await h.call('POST', '/v1/conversions/status', {
        token: cast.ops.token,
        body: { updates: [{ id: 'ord 1/ä&y=2', status: 'reversed', reason: 'refund' }] },
      });
      expect(reverse.status, reverse.text.slice(0, 400)).toBe(200);
      expect(await dispatcher.drain()).toEqual({ attempts: 2, delivered: 2 });
      const reversedUrl = 'click=clk%207%2F%C3%A4%26x%3D1&tx=ord%201%2F%C3%A4%26y%3D2&ev=purchase&pay=&st=reversed';
      expect(receiver.on('/reversals').map((call) => call.url)).toEqual([`/reversals?${reversedUrl}`]);
      expect((await deliveriesOf(reversalsOnly.id)).map((delivery) => delivery.eventType)).toEqual(['conversion.reversed']);
      expect(receiver.on('/both').map((call) => call.url)).toContain(`/both?${reversedUrl}`);
      const [latest] = await deliveriesOf(both.id);
      expect(latest).toMatchObject({ eventType: 'conversion.reversed', conversionId: 'ord 1/ä&y=2', status: 'delivered' });

      // Sending the same status again changes nothing and calls nobody.
      const again = await h.call('POST', '/v1/conversions/status', {
        token: cast.ops.token,
        body: { updates: [{ id: 'ord 1/ä&y=2', status: 'reversed' }] },
      });
      expect(again.body).toMatchObject({ updated: 0, unchanged: 1 });
      expect(await dispatcher.drain()).toEqual({ attempts: 0, delivered: 0 });
    });

    it('never queues the same conversion and event twice, even when asked again', async () => {
      const call = () =>
        h.store.db
          .transaction()
          .execute((trx) =>
            enqueuePartnerPostbacks(
              trx,
              h.app.clock.now(),
              [{ id: 'ord-view', partnerId: partner, eventType: 'purchase', status: 'pending' }],
              'conversion.credited',
            ),
          );
      expect(await call()).toEqual({ events: 0, deliveries: 0 });
      expect(await dispatcher.drain()).toEqual({ attempts: 0, delivered: 0 });
    });

    it('retries a failed call with the webhook schedule, and logs each attempt', async () => {
      const flaky = await register('/flaky', ['conversion.credited'], otherPartner);
      receiver.script.set('/flaky', [503]);
      await postConversions(cast, [
        conversion('ord-flaky', { partnerId: otherPartner, touch: { type: 'click', at: '2026-11-20T11:00:00Z' } }),
      ]);
      // The clock runs on from the pinned day: the call is due from the intake's instant, before this one.
      const start = h.app.clock.now();
      expect(await dispatcher.drain({ now: start })).toEqual({ attempts: 1, delivered: 0 });
      let [delivery] = await deliveriesOf(flaky.id);
      expect(delivery).toMatchObject({ status: 'pending', attemptCount: 1, nextAttemptAt: secondsLater(start, 30).toISOString() });
      expect(delivery?.attempts).toEqual([expect.objectContaining({ number: 1, statusCode: 503, succeeded: false })]);
      // Not due yet 29 seconds later; due at 30 (the first wait of the webhook schedule).
      expect(await dispatcher.drain({ now: secondsLater(start, 29) })).toEqual({ attempts: 0, delivered: 0 });
      expect(await dispatcher.drain({ now: secondsLater(start, 30) })).toEqual({ attempts: 1, delivered: 1 });
      [delivery] = await deliveriesOf(flaky.id);
      expect(delivery).toMatchObject({ status: 'delivered', attemptCount: 2 });
      expect(receiver.on('/flaky')).toHaveLength(2);
      // Only a failed call can be re-queued, through its own route.
      expectProblem(
        await h.call('POST', `/v1/partner-postback-deliveries/${delivery?.id}/retry`, { body: {} }),
        409,
        'webhook_delivery_not_failed',
      );
      expectProblem(await h.call('POST', `/v1/webhook-deliveries/${delivery?.id}/retry`, { body: {} }), 404, 'webhook_delivery_not_found');
    });

    it('queues nothing for a disabled postback; its pending calls wait until it is enabled', async () => {
      const paused = await register('/paused', ['conversion.credited'], otherPartner);
      await postConversions(cast, [
        conversion('ord-paused-1', { partnerId: otherPartner, touch: { type: 'click', at: '2026-11-20T11:00:00Z' } }),
      ]);
      expect((await h.call('POST', `/v1/partner-postbacks/${paused.id}/disable`)).status).toBe(200);
      await postConversions(cast, [
        conversion('ord-paused-2', { partnerId: otherPartner, touch: { type: 'click', at: '2026-11-20T11:00:00Z' } }),
      ]);
      await dispatcher.drain();
      expect(receiver.on('/paused')).toEqual([]);
      expect((await deliveriesOf(paused.id)).map((delivery) => delivery.conversionId)).toEqual(['ord-paused-1']);
      const enabled = await h.call('POST', `/v1/partner-postbacks/${paused.id}/enable`, { body: {} });
      expect(enabled.body.active).toBe(true);
      await dispatcher.drain();
      expect(receiver.on('/paused').map((call) => new URL(call.url, receiver.baseUrl).searchParams.get('tx'))).toEqual(['ord-paused-1']);
      const audit = await h.call('GET', `/v1/audit?entityType=partner_postback&entityId=${paused.id}`);
      expect(audit.body.data.map((entry: { action: string }) => entry.action)).toEqual([
        'partner_postback.created',
        'partner_postback.disabled',
        'partner_postback.enabled',
      ]);
    });
  });

  describe('the {payout} macro', () => {
    /**
     * An offer of its own: 40.00 per purchase to the advertiser, and partner payouts (SPEC §9): default
     * 10.00; gold 14.00; silver 12.50 for a purchase from DE, else 11.00; graduated (10.00 each for the
     * first 100 purchases of the month, 12.00 after); share (20 % of what the advertiser is billed).
     * Owen is gold but has its own agreement, PA: 16.00 per purchase on this offer, which wins.
     */
    let offer: string;
    const partners: Record<string, string> = {};
    const payoutTemplate = (path: string) => `${receiver.baseUrl}${path}?tx={txid}&po={payout}&st={status}`;
    const purchase = (id: string, partyId: string, extra: Partial<ConversionInput> = {}): ConversionInput => ({
      id,
      contractId: offer,
      lineItem: 'sales',
      eventType: 'purchase',
      occurredAt: '2026-11-20T12:00:00Z',
      partnerId: partyId,
      touch: { type: 'click', at: '2026-11-20T10:00:00Z' },
      ...extra,
    });
    /** What each call to a path said: `[txid, payout, status]`, in txid order. */
    const heard = (path: string) =>
      receiver
        .on(path)
        .map((call) => new URL(call.url, receiver.baseUrl).searchParams)
        .map((query) => [query.get('tx'), query.get('po'), query.get('st')])
        .sort(([a], [b]) => String(a).localeCompare(String(b)));

    beforeAll(async () => {
      const terms = purchaseOfferTerms('40.00', 'approved');
      offer = await createApprovedContract(cast, advertiser, 'sell', 'Payout offer', {
        ...terms,
        partnerPayouts: {
          ...payoutLevelsByKind,
          holdDays: 0,
          minimumPayout: '0',
        },
      });
      for (const [name, tier] of [
        ['owen', 'gold'],
        ['goldie', 'gold'],
        ['dash', null],
        ['silvie', 'silver'],
        ['gradie', 'graduated'],
        ['sharon', 'share'],
      ] as const) {
        partners[name] = await createParty(cast, 'partner', `Payout ${name}`);
        if (tier !== null) {
          const patched = await h.call('PATCH', `/v1/parties/${partners[name]}`, { token: cast.ops.token, body: { tier } });
          expect(patched.status, patched.text.slice(0, 400)).toBe(200);
        }
        const created = await h.call('POST', '/v1/partner-postbacks', {
          body: {
            partyId: partners[name],
            urlTemplate: payoutTemplate(`/po-${name}`),
            events: ['conversion.credited', 'conversion.reversed'],
          },
        });
        expect(created.status, created.text.slice(0, 400)).toBe(201);
      }
      await createApprovedContract(cast, partners.owen!, 'buy', 'Owen payout', {
        startDate: '2026-10-01',
        endDate: '2026-12-31',
        currency: 'USD',
        billingPeriod: 'calendar_month',
        appliesTo: [offer],
        lineItems: [
          {
            key: 'payout-purchases',
            name: 'Purchase payout',
            pricing: {
              model: 'cpa',
              events: [{ eventType: 'purchase', amount: '16.00' }],
              attribution: wideAttribution,
              billOn: 'approved',
            },
          },
        ],
      });
    });

    it('carries the flat amount of the level that pays the partner: its own agreement, its tier, the default', async () => {
      await postConversions(cast, [
        purchase('po-owen-1', partners.owen!),
        purchase('po-goldie-1', partners.goldie!, { status: 'approved' }),
        purchase('po-dash-1', partners.dash!),
      ]);
      await dispatcher.drain();
      // Owen: its own agreement's 16.00, not its gold tier's 14.00. Goldie: gold, 14.00. Dash: no tier, the default 10.00.
      expect(heard('/po-owen')).toEqual([['po-owen-1', '16.00', 'pending']]);
      expect(heard('/po-goldie')).toEqual([['po-goldie-1', '14.00', 'approved']]);
      expect(heard('/po-dash')).toEqual([['po-dash-1', '10.00', 'pending']]);
      // The outbox keeps what the macro was filled with, and the delivery the URL as sent.
      const postback = (await h.call('GET', `/v1/partner-postbacks?partyId=${partners.dash}`)).body.data.find(
        (candidate: { active: boolean }) => candidate.active,
      ) as { id: string };
      expect((await deliveriesOf(postback.id)).map((delivery) => delivery.url)).toEqual([
        `${receiver.baseUrl}/po-dash?tx=po-dash-1&po=10.00&st=pending`,
      ]);
    });

    it('takes the first entry whose when holds: silver pays 12.50 for a purchase from DE, 11.00 for one from FR', async () => {
      await postConversions(cast, [
        purchase('po-silvie-de', partners.silvie!, { attributes: { country: 'DE' } }),
        purchase('po-silvie-fr', partners.silvie!, { attributes: { country: 'FR' } }),
      ]);
      await dispatcher.drain();
      expect(heard('/po-silvie')).toEqual([
        ['po-silvie-de', '12.50', 'pending'],
        ['po-silvie-fr', '11.00', 'pending'],
      ]);
    });

    it('is empty when the period decides the amount: a graduated payout, a revenue share', async () => {
      await postConversions(cast, [
        purchase('po-gradie-1', partners.gradie!),
        purchase('po-sharon-1', partners.sharon!, { value: '80.00', status: 'approved' }),
      ]);
      await dispatcher.drain();
      expect(heard('/po-gradie')).toEqual([['po-gradie-1', '', 'pending']]);
      expect(heard('/po-sharon')).toEqual([['po-sharon-1', '', 'approved']]);
    });

    it('is empty when the level pays no entry for the event', async () => {
      await postConversions(cast, [purchase('po-dash-lead', partners.dash!, { eventType: 'lead' })]);
      await dispatcher.drain();
      expect(heard('/po-dash')).toContainEqual(['po-dash-lead', '', 'pending']);
    });

    it('works out {payout} only for conversions whose partner has a postback that shows it, and only when not given', async () => {
      const plain = await createParty(cast, 'partner', 'Payout plain');
      const created = await h.call('POST', '/v1/partner-postbacks', {
        body: { partyId: plain, urlTemplate: `${receiver.baseUrl}/po-plain?tx={txid}&st={status}`, events: ['conversion.credited'] },
      });
      expect(created.status, created.text.slice(0, 400)).toBe(201);
      const asked: string[][] = [];
      const queued = await h.store.db.transaction().execute((trx) =>
        enqueuePartnerPostbacks(
          trx,
          h.app.clock.now(),
          [
            { id: 'po-ask-dash', partnerId: partners.dash!, eventType: 'purchase', status: 'pending' },
            { id: 'po-ask-given', partnerId: partners.dash!, eventType: 'purchase', status: 'pending', payout: '9.99' },
            { id: 'po-ask-plain', partnerId: plain, eventType: 'purchase', status: 'pending' },
          ],
          'conversion.credited',
          {
            payoutsOf: async (conversions) => {
              asked.push(conversions.map((conversion) => conversion.id));
              return new Map([['po-ask-dash', '1.23']]);
            },
          },
        ),
      );
      expect(queued).toEqual({ events: 3, deliveries: 3 });
      expect(asked).toEqual([['po-ask-dash']]);
      await dispatcher.drain();
      expect(heard('/po-dash')).toEqual(
        expect.arrayContaining([
          ['po-ask-dash', '1.23', 'pending'],
          ['po-ask-given', '9.99', 'pending'],
        ]),
      );
      expect(receiver.on('/po-plain').map((call) => call.url)).toEqual(['/po-plain?tx=po-ask-plain&st=pending']);
    });

    it('carries on a reversal the amount taken back, by the same rule on the conversion as stored', async () => {
      const reversed = await h.call('POST', '/v1/conversions/status', {
        token: cast.ops.token,
        body: {
          updates: [
            { id: 'po-goldie-1', status: 'reversed', reason: 'refund' },
            { id: 'po-silvie-de', status: 'reversed', reason: 'refund' },
            { id: 'po-sharon-1', status: 'reversed', reason: 'refund' },
          ],
        },
      });
      expect(reversed.status, reversed.text.slice(0, 400)).toBe(200);
      await dispatcher.drain();
      expect(heard('/po-goldie')).toEqual([
        ['po-goldie-1', '14.00', 'approved'],
        ['po-goldie-1', '14.00', 'reversed'],
      ]);
      expect(heard('/po-silvie')).toContainEqual(['po-silvie-de', '12.50', 'reversed']);
      expect(heard('/po-sharon')).toContainEqual(['po-sharon-1', '', 'reversed']);
    });
  });
});

describeStore('partner postbacks: outbound targets', () => {
  let h: Harness;
  let allowing: Harness['call'];
  let dispatcher: WebhookDispatcher;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let partner: string;

  beforeAll(async () => {
    h = await startHarness({ allowPrivateTargets: false });
    // The same store served by an app that allows private targets: how a loopback template gets in.
    allowing = await h.sibling({ allowPrivateTargets: true });
    dispatcher = startWebhookDispatcher({ db: h.store.db, clock: h.app.clock, intervalMs: 3_600_000, random: () => 0 });
    receiver = await startReceiver();
    partner = await createParty(await castOf(h), 'partner', 'Target Partner');
  });
  afterAll(async () => {
    await dispatcher?.stop();
    await receiver?.close();
    await h?.close();
  });

  it.each([
    'http://127.0.0.1/pb?tx={txid}',
    'http://169.254.169.254/latest/meta-data?tx={txid}',
    'http://10.1.2.3/pb?tx={txid}',
    'http://[::1]/pb/{txid}',
    'http://localhost/pb?tx={txid}',
  ])('refuses to register %s: 422 private_target on urlTemplate, nothing written', async (urlTemplate) => {
    const before = [await h.count('partner_postbacks'), await h.count('audit_entries')];
    const response = await h.call('POST', '/v1/partner-postbacks', {
      body: { partyId: partner, urlTemplate, events: ['conversion.credited'] },
    });
    expectProblem(response, 422, 'private_target');
    expect(response.body.errors).toEqual([{ path: 'urlTemplate', message: expect.stringMatching(/TALLY_ALLOW_PRIVATE_TARGETS=1/) }]);
    expect([await h.count('partner_postbacks'), await h.count('audit_entries')]).toEqual(before);
  });

  it('refuses at send time a template whose host resolves to loopback: no request leaves, the attempt says why', async () => {
    const created = await allowing('POST', '/v1/partner-postbacks', {
      body: { partyId: partner, urlTemplate: `http://localhost:${receiver.port}/pb?tx={txid}`, events: ['conversion.credited'] },
    });
    expect(created.status, created.text).toBe(201);
    const postbackId = created.body.id as string;
    const queued = await h.store.db
      .transaction()
      .execute((trx) =>
        enqueuePartnerPostbacks(
          trx,
          h.app.clock.now(),
          [{ id: 'ord-rebound', partnerId: partner, eventType: 'purchase', status: 'pending' }],
          'conversion.credited',
        ),
      );
    expect(queued).toEqual({ events: 1, deliveries: 1 });
    expect(await dispatcher.drain()).toEqual({ attempts: 1, delivered: 0 });
    expect(receiver.received).toEqual([]);
    const deliveries = await h.call('GET', `/v1/partner-postbacks/${postbackId}/deliveries`);
    expect(deliveries.body.data[0]).toMatchObject({
      url: `http://localhost:${receiver.port}/pb?tx=ord-rebound`,
      status: 'pending',
      attempts: [
        {
          number: 1,
          succeeded: false,
          statusCode: null,
          error: expect.stringMatching(/^refused target: localhost \((127\.0\.0\.1|::1)\) is a loopback/),
        },
      ],
    });
  });
});
