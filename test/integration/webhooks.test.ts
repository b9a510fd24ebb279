/**
 * Webhooks end to end: endpoints (admin only, strict input, audited without secrets), the outbox
 * written in the producer's transaction, signed deliveries to a real HTTP receiver, retries with
 * backoff driven by the clock, giving up and re-queueing, and the signature check receivers use.
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueWebhookEvent } from '../../src/modules/webhooks/enqueue-webhook-event.ts';
import { retryDelaysMs, retryDelayMs } from '../../src/modules/webhooks/retry-schedule.ts';
import { computeWebhookSignature, verifyWebhookSignature } from '../../src/modules/webhooks/verify-signature.ts';
import { startWebhookDispatcher, type WebhookDispatcher } from '../../src/modules/webhooks/webhook-dispatcher.ts';
import { advertiserBody, cpmTerms } from '../support/fixtures.ts';
import { type CallResult, describeStore, type Harness, startHarness } from '../support/harness.ts';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A real HTTP receiver on 127.0.0.1: answers each path from its script (200 once the script runs out), or never ('hang'). */
interface Receiver {
  baseUrl: string;
  received: Received[];
  script: Map<string, (number | 'hang')[]>;
  /** Milliseconds to wait before answering on a path, to keep requests in flight. */
  delays: Map<string, number>;
  on(path: string): Received[];
  close(): Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
  const received: Received[] = [];
  const script = new Map<string, (number | 'hang')[]>();
  const delays = new Map<string, number>();
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = request.url ?? '/';
      received.push({ path, headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      const next = script.get(path)?.shift() ?? 200;
      if (next === 'hang') return;
      setTimeout(() => response.writeHead(next, { 'content-type': 'text/plain' }).end(next < 300 ? 'ok' : 'nope'), delays.get(path) ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    received,
    script,
    delays,
    on: (path) => received.filter((request) => request.path === path),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A URL on which nothing listens: a server is started to get a free port, then closed. */
async function refusingUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/gone`;
}

function expectProblem(response: CallResult, status: number, code: string, path?: string): void {
  expect(response.status, response.text.slice(0, 400)).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response.body.code).toBe(code);
  if (path !== undefined) expect((response.body.errors as { path: string }[]).map((error) => error.path)).toContain(path);
}

const secondsLater = (date: Date, seconds: number) => new Date(date.getTime() + seconds * 1000);
const secretPattern = /^whsec_[A-Za-z0-9_-]{43}$/;

describeStore('webhooks', () => {
  let h: Harness;
  let receiver: Receiver;
  let dispatcher: WebhookDispatcher;
  let ops: { id: string; token: string };
  let finance: { id: string; token: string };
  let finance2: { id: string; token: string };
  let partyId: string;

  beforeAll(async () => {
    h = await startHarness({ today: '2026-11-25' });
    receiver = await startReceiver();
    // The timer never fires within a test: every pass is a drain() the test asks for. The jitter is
    // fixed at zero so that retry times are exact.
    dispatcher = startWebhookDispatcher({
      db: h.store.db,
      clock: h.app.clock,
      intervalMs: 3_600_000,
      allowPrivateTargets: true,
      random: () => 0,
    });
    ops = await h.user('ops');
    finance = await h.user('finance');
    finance2 = await h.user('finance');
    const party = await h.call('POST', '/v1/parties', { token: ops.token, body: advertiserBody() });
    expect(party.status).toBe(201);
    partyId = party.body.id;
  });
  afterAll(async () => {
    await dispatcher?.stop();
    await receiver?.close();
    await h?.close();
  });

  const createEndpoint = async (body: Record<string, unknown>) => {
    const response = await h.call('POST', '/v1/webhook-endpoints', { body });
    expect(response.status, response.text.slice(0, 400)).toBe(201);
    return response.body as {
      id: string;
      url: string;
      events: string[];
      description: string | null;
      secret: string;
      createdAt: string;
      active: boolean;
    };
  };
  /** Creates, submits and approves a sell contract; returns its id. */
  const approvedContract = async (terms: Record<string, unknown> = cpmTerms()): Promise<string> => {
    const created = await h.call('POST', '/v1/contracts', { token: ops.token, body: { partyId, side: 'sell', name: 'Webhook IO', terms } });
    expect(created.status, created.text.slice(0, 400)).toBe(201);
    const id = created.body.id as string;
    expect((await h.call('POST', `/v1/contracts/${id}/versions/1/submit`, { token: ops.token })).status).toBe(200);
    const approved = await h.call('POST', `/v1/contracts/${id}/versions/1/approve`, { token: finance.token, body: {} });
    expect(approved.status, approved.text.slice(0, 400)).toBe(200);
    return id;
  };
  const deliveriesOf = async (endpointId: string) => {
    const response = await h.call('GET', `/v1/webhook-endpoints/${endpointId}/deliveries`);
    expect(response.status, response.text.slice(0, 400)).toBe(200);
    return response.body.data as {
      id: string;
      eventId: string;
      eventType: string;
      status: string;
      attemptCount: number;
      nextAttemptAt: string | null;
      deliveredAt: string | null;
      attempts: {
        number: number;
        statusCode: number | null;
        error: string | null;
        succeeded: boolean;
        durationMs: number;
        attemptedAt: string;
      }[];
    }[];
  };
  const auditOf = async (entityType: string, entityId: string) => {
    const response = await h.call('GET', `/v1/audit?entityType=${entityType}&entityId=${entityId}`);
    expect(response.status).toBe(200);
    return response.body.data as { action: string; actor: string; before: unknown; after: unknown }[];
  };

  describe('endpoints', () => {
    it('lets only admins manage endpoints: 403 for ops, finance, viewer and party users, before the body is read', async () => {
      const partyUser = await h.user('party', { partyId });
      const viewer = await h.user('viewer');
      const before = await h.count('webhook_endpoints');
      for (const user of [ops, finance, viewer, partyUser]) {
        expectProblem(
          await h.call('POST', '/v1/webhook-endpoints', {
            token: user.token,
            body: { url: `${receiver.baseUrl}/x`, events: ['contract.approved'] },
          }),
          403,
          'forbidden',
        );
        expectProblem(await h.call('GET', '/v1/webhook-endpoints', { token: user.token }), 403, 'forbidden');
        expectProblem(await h.call('POST', '/v1/webhook-deliveries/whd_01x/retry', { token: user.token }), 403, 'forbidden');
      }
      expect(await h.count('webhook_endpoints')).toBe(before);
    });

    it('creates an endpoint, shows the secret once, and audits it without the secret', async () => {
      const created = await h.call('POST', '/v1/webhook-endpoints', {
        body: { url: `${receiver.baseUrl}/created`, events: ['invoice.finalized', 'contract.approved'], description: '  ERP bridge  ' },
      });
      expect(created.status, created.text.slice(0, 400)).toBe(201);
      expect(created.body).toEqual({
        id: expect.stringMatching(/^whk_[0-9a-z]{26}$/),
        url: `${receiver.baseUrl}/created`,
        events: ['invoice.finalized', 'contract.approved'],
        description: 'ERP bridge',
        secret: expect.stringMatching(secretPattern),
        createdAt: expect.stringMatching(/^2026-11-25T/),
        active: true,
      });
      const { secret, ...shown } = created.body;

      const read = await h.call('GET', `/v1/webhook-endpoints/${created.body.id}`);
      expect(read.status).toBe(200);
      expect(read.body).toEqual(shown);
      expect(read.text).not.toContain(secret);
      const listed = await h.call('GET', '/v1/webhook-endpoints?limit=500');
      expect(listed.body.data).toContainEqual(shown);
      expect(listed.text).not.toContain(secret);

      const entries = await auditOf('webhook_endpoint', created.body.id);
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({ action: 'webhook_endpoint.created', after: shown });
      expect(JSON.stringify(entries)).not.toContain(secret);

      // Two endpoints never share a secret.
      const other = await createEndpoint({ url: `${receiver.baseUrl}/created-2`, events: ['invoice.voided'] });
      expect(other.secret).not.toBe(secret);
      expect(other.description).toBeNull();
      expectProblem(await h.call('GET', '/v1/webhook-endpoints/whk_01nosuchendpoint'), 404, 'webhook_endpoint_not_found');
    });

    it('publishes every webhook route in the OpenAPI document', async () => {
      const document = await h.call('GET', '/openapi.json', { token: null });
      expect(document.status).toBe(200);
      const paths = Object.keys(document.body.paths as Record<string, unknown>).filter((path) => path.includes('webhook'));
      expect(paths.sort()).toEqual([
        '/v1/webhook-deliveries/{id}/retry',
        '/v1/webhook-endpoints',
        '/v1/webhook-endpoints/{id}',
        '/v1/webhook-endpoints/{id}/deliveries',
        '/v1/webhook-endpoints/{id}/disable',
        '/v1/webhook-endpoints/{id}/enable',
        '/v1/webhook-endpoints/{id}/rotate-secret',
      ]);
    });

    it('pages the list with a cursor', async () => {
      await createEndpoint({ url: `${receiver.baseUrl}/page-1`, events: ['invoice.voided'] });
      await createEndpoint({ url: `${receiver.baseUrl}/page-2`, events: ['invoice.voided'] });
      const all = (await h.call('GET', '/v1/webhook-endpoints?limit=500')).body.data as { id: string }[];
      expect(all.length).toBeGreaterThanOrEqual(3);
      const first = await h.call('GET', '/v1/webhook-endpoints?limit=2');
      expect(first.body.data).toHaveLength(2);
      expect(first.body.nextCursor).toEqual(expect.any(String));
      const second = await h.call('GET', `/v1/webhook-endpoints?limit=500&cursor=${first.body.nextCursor}`);
      expect([...first.body.data, ...second.body.data].map((endpoint: { id: string }) => endpoint.id)).toEqual(
        all.map((endpoint) => endpoint.id),
      );
      expect(second.body.nextCursor).toBeNull();
    });

    const badBodies: [string, () => Record<string, unknown>, string, string][] = [
      ['an ftp:// URL', () => ({ url: 'ftp://files.example/hook', events: ['contract.approved'] }), 'validation_failed', 'url'],
      ['a relative URL', () => ({ url: '/hooks/tally', events: ['contract.approved'] }), 'validation_failed', 'url'],
      [
        'a URL with credentials',
        () => ({ url: 'https://user:pw@hooks.example/tally', events: ['contract.approved'] }),
        'validation_failed',
        'url',
      ],
      [
        'a URL over 2,000 characters',
        () => ({ url: `https://hooks.example/${'a'.repeat(1980)}`, events: ['contract.approved'] }),
        'validation_failed',
        'url',
      ],
      ['an unknown event', () => ({ url: 'https://hooks.example/tally', events: ['contract.deleted'] }), 'validation_failed', 'events[0]'],
      ['no events', () => ({ url: 'https://hooks.example/tally', events: [] }), 'validation_failed', 'events'],
      [
        'an event named twice',
        () => ({ url: 'https://hooks.example/tally', events: ['invoice.voided', 'invoice.voided'] }),
        'validation_failed',
        'events',
      ],
      ['a missing url', () => ({ events: ['contract.approved'] }), 'validation_failed', 'url'],
      [
        'a description over 500 characters',
        () => ({ url: 'https://hooks.example/tally', events: ['contract.approved'], description: 'd'.repeat(501) }),
        'validation_failed',
        'description',
      ],
      [
        'an unknown field',
        () => ({ url: 'https://hooks.example/tally', events: ['contract.approved'], secret: 'whsec_mine' }),
        'unknown_field',
        'secret',
      ],
    ];

    it.each(badBodies)('refuses %s with a 400 that writes nothing', async (_label, body, code, path) => {
      const counts = [await h.count('webhook_endpoints'), await h.count('audit_entries')];
      expectProblem(await h.call('POST', '/v1/webhook-endpoints', { body: body() }), 400, code, path);
      expect([await h.count('webhook_endpoints'), await h.count('audit_entries')]).toEqual(counts);
    });

    it('accepts a URL of exactly 2,000 characters', async () => {
      const url = `https://hooks.example/${'a'.repeat(2000 - 'https://hooks.example/'.length)}`;
      expect(url).toHaveLength(2000);
      const endpoint = await createEndpoint({ url, events: ['billing_run.completed'] });
      expect(endpoint.url).toBe(url);
      // Out of the way of the delivery tests.
      expect((await h.call('POST', `/v1/webhook-endpoints/${endpoint.id}/disable`)).status).toBe(200);
    });

    it('disables and enables, auditing each real change and nothing for a repeat', async () => {
      const endpoint = await createEndpoint({ url: `${receiver.baseUrl}/toggle`, events: ['invoice.voided'] });
      const disabled = await h.call('POST', `/v1/webhook-endpoints/${endpoint.id}/disable`);
      expect(disabled.status).toBe(200);
      expect(disabled.body).toMatchObject({ id: endpoint.id, active: false });
      expect(disabled.body.secret).toBeUndefined();
      const auditBefore = await h.count('audit_entries');
      expect((await h.call('POST', `/v1/webhook-endpoints/${endpoint.id}/disable`)).body.active).toBe(false);
      expect(await h.count('audit_entries')).toBe(auditBefore);
      expect((await h.call('POST', `/v1/webhook-endpoints/${endpoint.id}/enable`, { body: {} })).body.active).toBe(true);
      expect((await h.call('GET', `/v1/webhook-endpoints/${endpoint.id}`)).body.active).toBe(true);
      expect((await auditOf('webhook_endpoint', endpoint.id)).map((entry) => entry.action)).toEqual([
        'webhook_endpoint.created',
        'webhook_endpoint.disabled',
        'webhook_endpoint.enabled',
      ]);
      expectProblem(
        await h.call('POST', `/v1/webhook-endpoints/${endpoint.id}/enable`, { body: { force: true } }),
        400,
        'unknown_field',
        'force',
      );
      expectProblem(await h.call('POST', '/v1/webhook-endpoints/whk_01nosuchendpoint/disable'), 404, 'webhook_endpoint_not_found');
      expect((await h.call('POST', `/v1/webhook-endpoints/${endpoint.id}/disable`)).status).toBe(200);
    });
  });

  describe('deliveries', () => {
    it('signs and delivers contract.approved to subscribed active endpoints only, once', async () => {
      const subscribed = await createEndpoint({ url: `${receiver.baseUrl}/approved`, events: ['contract.approved'] });
      const otherType = await createEndpoint({ url: `${receiver.baseUrl}/invoices-only`, events: ['invoice.finalized'] });
      const disabled = await createEndpoint({ url: `${receiver.baseUrl}/disabled`, events: ['contract.approved'] });
      expect((await h.call('POST', `/v1/webhook-endpoints/${disabled.id}/disable`)).body.active).toBe(false);

      const eventsBefore = await h.count('webhook_events');
      const contractId = await approvedContract();
      expect(await h.count('webhook_events')).toBe(eventsBefore + 1);
      // Nothing is sent inside the request: the dispatcher sends after the commit.
      expect(receiver.on('/approved')).toHaveLength(0);

      const result = await dispatcher.drain();
      expect(result.delivered).toBeGreaterThanOrEqual(1);
      const [request, ...more] = receiver.on('/approved');
      expect(more).toHaveLength(0);
      expect(receiver.on('/invoices-only')).toHaveLength(0);
      expect(receiver.on('/disabled')).toHaveLength(0);
      if (!request) throw new Error('no delivery arrived');

      expect(request.headers['content-type']).toBe('application/json');
      expect(request.headers['tally-event']).toBe('contract.approved');
      expect(request.headers['tally-delivery']).toMatch(/^whd_[0-9a-z]{26}$/);
      const header = request.headers['tally-signature'] as string;
      expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
      // The signed time is the real time (not the test's pinned clock): receivers compare it with theirs.
      const now = new Date();
      // The signed string is "<t>.<body>", keyed by the whole secret; computed here without Tally's code.
      const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header) ?? [];
      expect(Math.abs(Number(t) - now.getTime() / 1000)).toBeLessThan(60);
      expect(v1).toBe(createHmac('sha256', subscribed.secret).update(`${t}.${request.body}`).digest('hex'));
      expect(verifyWebhookSignature({ header, body: request.body, secret: subscribed.secret, now })).toBe(true);
      expect(verifyWebhookSignature({ header, body: request.body, secret: otherType.secret, now })).toBe(false);
      expect(
        verifyWebhookSignature({ header, body: request.body.replace(contractId, 'ctr_01forged'), secret: subscribed.secret, now }),
      ).toBe(false);
      // Ten minutes later the same request is refused as stale (a replay).
      expect(verifyWebhookSignature({ header, body: request.body, secret: subscribed.secret, now: secondsLater(now, 600) })).toBe(false);

      const payload = JSON.parse(request.body);
      expect(payload).toEqual({
        id: expect.stringMatching(/^evt_[0-9a-z]{26}$/),
        type: 'contract.approved',
        createdAt: expect.stringMatching(/^2026-11-25T/),
        data: { contractId, versionNumber: 1, kind: 'original', effectiveFrom: '2026-10-01', approvedBy: finance.id },
      });
      // The body is the stored payload byte for byte (the signature covers exactly these bytes).
      expect(Object.keys(payload)).toEqual(['id', 'type', 'createdAt', 'data']);

      const [delivery, ...otherDeliveries] = await deliveriesOf(subscribed.id);
      expect(otherDeliveries).toHaveLength(0);
      expect(delivery).toMatchObject({
        id: request.headers['tally-delivery'],
        eventId: payload.id,
        eventType: 'contract.approved',
        status: 'delivered',
        attemptCount: 1,
        nextAttemptAt: null,
      });
      expect(delivery?.attempts).toEqual([
        { number: 1, attemptedAt: expect.any(String), durationMs: expect.any(Number), statusCode: 200, error: null, succeeded: true },
      ]);
      expect(await deliveriesOf(otherType.id)).toEqual([]);
      expect(await deliveriesOf(disabled.id)).toEqual([]);

      // A second pass sends nothing again.
      await dispatcher.drain({ now: secondsLater(h.app.clock.now(), 86_400) });
      expect(receiver.on('/approved')).toHaveLength(1);
    });

    it('writes an event only when the approval commits, and only when the version becomes approved', async () => {
      await createEndpoint({ url: `${receiver.baseUrl}/commit-only`, events: ['contract.approved'] });
      // A large contract needs two approvers: the first approval is not the approval.
      const created = await h.call('POST', '/v1/contracts', {
        token: ops.token,
        body: { partyId, side: 'sell', name: 'Large IO', terms: cpmTerms({ budgetCap: '300000.00' }) },
      });
      const id = created.body.id as string;
      await h.call('POST', `/v1/contracts/${id}/versions/1/submit`, { token: ops.token });
      const before = await h.count('webhook_events');
      expect(await h.call('POST', `/v1/contracts/${id}/versions/1/approve`, { token: finance.token, body: {} })).toMatchObject({
        status: 200,
        body: { status: 'pending_approval' },
      });
      // Refused inside the use case (the same approver twice): nothing committed, so no event.
      expectProblem(
        await h.call('POST', `/v1/contracts/${id}/versions/1/approve`, { token: finance.token, body: {} }),
        409,
        'already_approved_by_you',
      );
      expect(await h.count('webhook_events')).toBe(before);
      expect(await h.call('POST', `/v1/contracts/${id}/versions/1/approve`, { token: finance2.token, body: {} })).toMatchObject({
        status: 200,
        body: { status: 'approved' },
      });
      expect(await h.count('webhook_events')).toBe(before + 1);
      await dispatcher.drain();
      const bodies = receiver
        .on('/commit-only')
        .map((request) => JSON.parse(request.body) as { data: { contractId: string; approvedBy: string } });
      expect(bodies.map((body) => body.data)).toContainEqual(expect.objectContaining({ contractId: id, approvedBy: finance2.id }));
      expect(bodies.filter((body) => body.data.contractId === id)).toHaveLength(1);
    });

    it('retries a receiver answering 500 twice with backoff, then records it delivered after three attempts', async () => {
      const endpoint = await createEndpoint({ url: `${receiver.baseUrl}/flaky`, events: ['contract.approved'] });
      receiver.script.set('/flaky', [500, 500, 200]);
      await approvedContract();
      const start = h.app.clock.now();

      await dispatcher.drain({ now: start });
      let [delivery] = await deliveriesOf(endpoint.id);
      expect(delivery).toMatchObject({ status: 'pending', attemptCount: 1, nextAttemptAt: secondsLater(start, 30).toISOString() });
      expect(delivery?.attempts.map((attempt) => [attempt.statusCode, attempt.succeeded])).toEqual([[500, false]]);

      // Not due yet one second before the retry time.
      await dispatcher.drain({ now: secondsLater(start, 29) });
      expect(receiver.on('/flaky')).toHaveLength(1);

      const second = secondsLater(start, 30);
      await dispatcher.drain({ now: second });
      [delivery] = await deliveriesOf(endpoint.id);
      expect(delivery).toMatchObject({ status: 'pending', attemptCount: 2, nextAttemptAt: secondsLater(second, 120).toISOString() });

      await dispatcher.drain({ now: secondsLater(second, 120) });
      [delivery] = await deliveriesOf(endpoint.id);
      expect(delivery).toMatchObject({
        status: 'delivered',
        attemptCount: 3,
        nextAttemptAt: null,
        deliveredAt: secondsLater(second, 120).toISOString(),
      });
      expect(delivery?.attempts.map((attempt) => [attempt.number, attempt.statusCode, attempt.succeeded])).toEqual([
        [1, 500, false],
        [2, 500, false],
        [3, 200, true],
      ]);
      // Every attempt sent the same bytes for the same delivery, signed anew at the attempt's time.
      const requests = receiver.on('/flaky');
      expect(requests).toHaveLength(3);
      expect(new Set(requests.map((request) => request.body)).size).toBe(1);
      expect(new Set(requests.map((request) => request.headers['tally-delivery'])).size).toBe(1);
      for (const request of requests) {
        expect(
          verifyWebhookSignature({ header: request.headers['tally-signature'] as string, body: request.body, secret: endpoint.secret }),
        ).toBe(true);
      }
      expect(await h.count('webhook_delivery_attempts')).toBeGreaterThanOrEqual(3);
      await expect(
        h.store.db
          .deleteFrom('webhook_delivery_attempts')
          .where('delivery_id', '=', delivery?.id ?? '')
          .execute(),
      ).rejects.toThrow(/append_only/);
    });

    it('gives up after 8 attempts with the connection refused, and a manual retry starts a fresh round', async () => {
      const endpoint = await createEndpoint({ url: await refusingUrl(), events: ['contract.approved'] });
      await approvedContract();
      let now = h.app.clock.now();
      for (let attempt = 1; attempt <= 8; attempt += 1) {
        await dispatcher.drain({ now });
        const [delivery] = await deliveriesOf(endpoint.id);
        expect(delivery?.attemptCount).toBe(attempt);
        const waitMs = retryDelaysMs[attempt - 1] ?? 0;
        if (attempt < 8)
          expect(delivery).toMatchObject({ status: 'pending', nextAttemptAt: secondsLater(now, waitMs / 1000).toISOString() });
        // Two days later is past any retry time.
        now = secondsLater(now, 2 * 86_400);
      }
      let [delivery] = await deliveriesOf(endpoint.id);
      expect(delivery).toMatchObject({ status: 'failed', attemptCount: 8, nextAttemptAt: null, deliveredAt: null });
      expect(delivery?.attempts).toHaveLength(8);
      for (const attempt of delivery?.attempts ?? [])
        expect(attempt).toMatchObject({ statusCode: null, succeeded: false, error: expect.stringMatching(/ECONNREFUSED/) });
      await dispatcher.drain({ now: secondsLater(now, 30 * 86_400) });
      expect((await deliveriesOf(endpoint.id))[0]?.attemptCount).toBe(8);

      const deliveryId = delivery?.id ?? '';
      const retried = await h.call('POST', `/v1/webhook-deliveries/${deliveryId}/retry`);
      expect(retried.status, retried.text.slice(0, 400)).toBe(200);
      expect(retried.body).toMatchObject({ id: deliveryId, status: 'pending', attemptCount: 8 });
      expectProblem(await h.call('POST', `/v1/webhook-deliveries/${deliveryId}/retry`), 409, 'webhook_delivery_not_failed');
      expectProblem(await h.call('POST', '/v1/webhook-deliveries/whd_01nosuchdelivery/retry'), 404, 'webhook_delivery_not_found');
      expect((await auditOf('webhook_delivery', deliveryId)).map((entry) => entry.action)).toEqual(['webhook_delivery.requeued']);

      // The new round fails again, but starts the backoff from 30 s instead of giving up at once.
      const retryAt = h.app.clock.now();
      await dispatcher.drain({ now: retryAt });
      [delivery] = await deliveriesOf(endpoint.id);
      expect(delivery).toMatchObject({ status: 'pending', attemptCount: 9, nextAttemptAt: secondsLater(retryAt, 30).toISOString() });
      expect(delivery?.attempts.at(-1)?.number).toBe(9);
      expect((await h.call('GET', `/v1/webhook-endpoints/${endpoint.id}/deliveries?status=failed`)).body.data).toEqual([]);
      expect((await h.call('POST', `/v1/webhook-endpoints/${endpoint.id}/disable`)).status).toBe(200);
    });

    it('records a receiver that does not answer in time as a timeout', async () => {
      const impatient = startWebhookDispatcher({
        db: h.store.db,
        clock: h.app.clock,
        intervalMs: 3_600_000,
        // Long enough for the request to reach the receiver on a busy machine, short enough to wait for.
        timeoutMs: 1_000,
        allowPrivateTargets: true,
        random: () => 0,
      });
      try {
        const endpoint = await createEndpoint({ url: `${receiver.baseUrl}/slow`, events: ['contract.approved'] });
        receiver.script.set('/slow', ['hang']);
        await approvedContract();
        await impatient.drain();
        expect(receiver.on('/slow')).toHaveLength(1);
        const [delivery] = await deliveriesOf(endpoint.id);
        expect(delivery).toMatchObject({ status: 'pending', attemptCount: 1 });
        expect(delivery?.attempts[0]).toMatchObject({ statusCode: null, succeeded: false, error: 'timeout: no answer within 1000 ms' });
        expect(delivery?.attempts[0]?.durationMs).toBeGreaterThanOrEqual(950);
        expect(delivery?.attempts[0]?.durationMs).toBeLessThan(5_000);
        // Out of the way of later tests, whose dispatcher waits 10 s for an answer.
        expect((await h.call('POST', `/v1/webhook-endpoints/${endpoint.id}/disable`)).status).toBe(200);
      } finally {
        await impatient.stop();
      }
    });

    it('keeps pending deliveries of a disabled endpoint waiting, and sends them once it is enabled', async () => {
      const endpoint = await createEndpoint({ url: `${receiver.baseUrl}/paused`, events: ['contract.approved'] });
      receiver.script.set('/paused', [503]);
      await approvedContract();
      const start = h.app.clock.now();
      await dispatcher.drain({ now: start });
      expect(receiver.on('/paused')).toHaveLength(1);
      await h.call('POST', `/v1/webhook-endpoints/${endpoint.id}/disable`);
      // A pending delivery of a disabled endpoint is not sent, however late it is.
      await dispatcher.drain({ now: secondsLater(start, 3600) });
      expect(receiver.on('/paused')).toHaveLength(1);
      expect((await deliveriesOf(endpoint.id))[0]).toMatchObject({ status: 'pending', attemptCount: 1 });
      await h.call('POST', `/v1/webhook-endpoints/${endpoint.id}/enable`);
      await dispatcher.drain({ now: secondsLater(start, 3600) });
      expect(receiver.on('/paused')).toHaveLength(2);
      expect((await deliveriesOf(endpoint.id))[0]).toMatchObject({ status: 'delivered', attemptCount: 2 });
    });

    it('rotates the secret: the new one is shown once, and both sign deliveries for 24 hours', async () => {
      const endpoint = await createEndpoint({ url: `${receiver.baseUrl}/rotated`, events: ['contract.approved'] });
      const rotated = await h.call('POST', `/v1/webhook-endpoints/${endpoint.id}/rotate-secret`);
      expect(rotated.status, rotated.text.slice(0, 400)).toBe(200);
      expect(rotated.body.secret).toMatch(secretPattern);
      expect(rotated.body.secret).not.toBe(endpoint.secret);
      const rotatedAt = Date.parse(rotated.body.previousSecretExpiresAt) - 86_400_000;
      expect(Math.abs(rotatedAt - h.app.clock.now().getTime())).toBeLessThan(60_000);
      expect((await h.call('GET', `/v1/webhook-endpoints/${endpoint.id}`)).text).not.toContain(rotated.body.secret);
      const entries = await auditOf('webhook_endpoint', endpoint.id);
      expect(entries.map((entry) => entry.action)).toEqual(['webhook_endpoint.created', 'webhook_endpoint.secret_rotated']);
      expect(JSON.stringify(entries)).not.toContain(rotated.body.secret);
      expect(JSON.stringify(entries)).not.toContain(endpoint.secret);

      await approvedContract();
      const now = h.app.clock.now();
      await dispatcher.drain({ now });
      const [request] = receiver.on('/rotated');
      const header = request?.headers['tally-signature'] as string;
      expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64},v1=[0-9a-f]{64}$/);
      expect(verifyWebhookSignature({ header, body: request?.body ?? '', secret: rotated.body.secret })).toBe(true);
      expect(verifyWebhookSignature({ header, body: request?.body ?? '', secret: endpoint.secret })).toBe(true);
      expect(verifyWebhookSignature({ header, body: request?.body ?? '', secret: 'whsec_someone_else' })).toBe(false);

      // After the grace period only the new secret signs.
      await approvedContract();
      const later = secondsLater(now, 86_400 + 60);
      await dispatcher.drain({ now: later });
      const last = receiver.on('/rotated').at(-1);
      expect(last?.headers['tally-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
      expect(
        verifyWebhookSignature({ header: last?.headers['tally-signature'] as string, body: last?.body ?? '', secret: rotated.body.secret }),
      ).toBe(true);
      expect(
        verifyWebhookSignature({ header: last?.headers['tally-signature'] as string, body: last?.body ?? '', secret: endpoint.secret }),
      ).toBe(false);
      expect((await h.call('POST', `/v1/webhook-endpoints/${endpoint.id}/disable`)).status).toBe(200);
    });
  });

  describe('outbox', () => {
    it('writes nothing when the producer transaction rolls back, and is idempotent by event id', async () => {
      const endpoint = await createEndpoint({ url: `${receiver.baseUrl}/outbox`, events: ['billing_run.completed'] });
      const before = [await h.count('webhook_events'), await h.count('webhook_deliveries')];
      const occurredAt = h.app.clock.now();
      await expect(
        h.store.db.transaction().execute(async (trx) => {
          await enqueueWebhookEvent(trx, { type: 'billing_run.completed', occurredAt, data: { billingRunId: 'run_01rolledback' } });
          throw new Error('the billing run failed');
        }),
      ).rejects.toThrow('the billing run failed');
      expect([await h.count('webhook_events'), await h.count('webhook_deliveries')]).toEqual(before);

      const event = {
        type: 'billing_run.completed' as const,
        occurredAt,
        id: 'evt_billing_run_completed_run_01once',
        data: { billingRunId: 'run_01once' },
      };
      const first = await h.store.db.transaction().execute((trx) => enqueueWebhookEvent(trx, event));
      const again = await h.store.db.transaction().execute((trx) => enqueueWebhookEvent(trx, event));
      expect(first).toMatchObject({ eventId: event.id, created: true });
      expect(first.deliveries).toBeGreaterThanOrEqual(1);
      expect(again).toEqual({ eventId: event.id, created: false, deliveries: 0 });
      await dispatcher.drain();
      const received = receiver.on('/outbox');
      expect(received).toHaveLength(1);
      expect(JSON.parse(received[0]?.body ?? '{}')).toMatchObject({
        id: event.id,
        type: 'billing_run.completed',
        data: { billingRunId: 'run_01once' },
      });
      expect((await deliveriesOf(endpoint.id)).map((delivery) => delivery.status)).toEqual(['delivered']);

      await expect(h.store.db.transaction().execute((trx) => enqueueWebhookEvent(trx, { ...event, id: 'EVT-bad id' }))).rejects.toThrow(
        /must match/,
      );
      await expect(
        h.store.db
          .transaction()
          .execute((trx) => enqueueWebhookEvent(trx, { ...event, id: undefined, data: { blob: 'x'.repeat(300_000) } })),
      ).rejects.toThrow(/larger than/);
    });
  });

  describe('sharing the work', () => {
    it('two dispatchers draining at once send each delivery exactly once, in several batches', async () => {
      await createEndpoint({ url: `${receiver.baseUrl}/shared`, events: ['invoice.voided'] });
      // Slow answers keep one dispatcher's batch in flight while the other claims its next batch.
      receiver.delays.set('/shared', 150);
      const occurredAt = h.app.clock.now();
      const eventIds: string[] = [];
      for (let index = 0; index < 7; index += 1) {
        const enqueued = await h.store.db
          .transaction()
          .execute((trx) => enqueueWebhookEvent(trx, { type: 'invoice.voided', occurredAt, data: { invoiceId: `inv_01shared${index}` } }));
        eventIds.push(enqueued.eventId);
      }
      const first = startWebhookDispatcher({
        db: h.store.db,
        clock: h.app.clock,
        intervalMs: 3_600_000,
        allowPrivateTargets: true,
        batchSize: 2,
      });
      const second = startWebhookDispatcher({
        db: h.store.db,
        clock: h.app.clock,
        intervalMs: 3_600_000,
        allowPrivateTargets: true,
        batchSize: 2,
      });
      try {
        const results = await Promise.all([first.drain(), second.drain()]);
        expect(results.reduce((sum, result) => sum + result.attempts, 0)).toBeGreaterThanOrEqual(7);
      } finally {
        await Promise.all([first.stop(), second.stop()]);
      }
      const received = receiver.on('/shared').map((request) => (JSON.parse(request.body) as { id: string }).id);
      expect(received.sort()).toEqual([...eventIds].sort());
    });
  });

  describe('signatures and schedule', () => {
    const secret = 'whsec_test_secret';
    const body = '{"id":"evt_1","type":"invoice.finalized","createdAt":"2026-11-25T12:00:00.000Z","data":{}}';
    const now = new Date('2026-11-25T12:00:00.000Z');
    const t = Math.floor(now.getTime() / 1000);

    it('verifies "<t>.<body>" signed with the secret, within the tolerance, and nothing else', () => {
      const signature = computeWebhookSignature(secret, t, body);
      expect(verifyWebhookSignature({ header: `t=${t},v1=${signature}`, body, secret, now })).toBe(true);
      expect(verifyWebhookSignature({ header: `t=${t},v1=${signature}`, body: Buffer.from(body), secret, now })).toBe(true);
      expect(verifyWebhookSignature({ header: `t=${t},v1=${'0'.repeat(64)},v1=${signature}`, body, secret, now })).toBe(true);
      expect(verifyWebhookSignature({ header: `t=${t},v1=${signature}`, body, secret: 'whsec_other', now })).toBe(false);
      expect(verifyWebhookSignature({ header: `t=${t},v1=${signature}`, body: `${body} `, secret, now })).toBe(false);
      expect(
        verifyWebhookSignature({ header: `t=${t - 301},v1=${computeWebhookSignature(secret, t - 301, body)}`, body, secret, now }),
      ).toBe(false);
      expect(
        verifyWebhookSignature({ header: `t=${t - 300},v1=${computeWebhookSignature(secret, t - 300, body)}`, body, secret, now }),
      ).toBe(true);
      expect(
        verifyWebhookSignature({
          header: `t=${t - 3600},v1=${computeWebhookSignature(secret, t - 3600, body)}`,
          body,
          secret,
          now,
          toleranceSeconds: 7200,
        }),
      ).toBe(true);
      expect(verifyWebhookSignature({ header: `t=${t + 1},v1=${signature}`, body, secret, now })).toBe(false);
      for (const header of [
        undefined,
        '',
        `v1=${signature}`,
        `t=${t}`,
        `t=${t},v1=${signature.toUpperCase()}`,
        `t=abc,v1=${signature}`,
        `t=${t},v1=${signature}${'x'.repeat(1000)}`,
      ]) {
        expect(verifyWebhookSignature({ header, body, secret, now }), String(header).slice(0, 40)).toBe(false);
      }
    });

    it('backs off 30 s, 2 min, 10 min, 1 h, 6 h, 12 h, 24 h with up to 20% jitter, and stops after 8 attempts', () => {
      expect([1, 2, 3, 4, 5, 6, 7].map((failed) => retryDelayMs(failed, () => 0))).toEqual([
        30_000, 120_000, 600_000, 3_600_000, 21_600_000, 43_200_000, 86_400_000,
      ]);
      expect(retryDelayMs(1, () => 0.999)).toBe(Math.round(30_000 * (1 + 0.2 * 0.999)));
      expect(retryDelayMs(8, () => 0)).toBeNull();
      expect(retryDelayMs(9, () => 0)).toBeNull();
    });
  });
});
