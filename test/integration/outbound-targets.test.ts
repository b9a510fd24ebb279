/**
 * SPEC §9: with TALLY_ALLOW_PRIVATE_TARGETS off, a webhook endpoint on a loopback, private or
 * metadata address is refused when registered (422 private_target, nothing written), and an
 * endpoint whose name resolves to loopback is refused again at send time: no request leaves and
 * the attempt says why.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { enqueueWebhookEvent } from '../../src/modules/webhooks/enqueue-webhook-event.ts';
import { startWebhookDispatcher, type WebhookDispatcher } from '../../src/modules/webhooks/webhook-dispatcher.ts';
import { describeStore, type Harness, startHarness } from '../support/harness.ts';

describeStore('outbound targets', () => {
  let h: Harness;
  let allowing: Harness['call'];
  let dispatcher: WebhookDispatcher;
  let receiver: Server;
  let received = 0;
  let port = 0;

  beforeAll(async () => {
    h = await startHarness({ allowPrivateTargets: false });
    // The same store served by an app that allows private targets: how a loopback endpoint gets in.
    allowing = await h.sibling({ allowPrivateTargets: true });
    dispatcher = startWebhookDispatcher({ db: h.store.db, clock: h.app.clock, intervalMs: 3_600_000, random: () => 0 });
    receiver = createServer((_request, response) => {
      received += 1;
      response.end('ok');
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    port = (receiver.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await dispatcher?.stop();
    await new Promise((resolve) => receiver?.close(resolve));
    await h?.close();
  });

  it.each([
    'http://127.0.0.1/',
    'http://10.0.0.1/',
    'http://[::1]/',
    'http://169.254.169.254/latest/meta-data',
    'http://[::ffff:127.0.0.1]/',
    'http://localhost/hook',
  ])('refuses to register %s: 422 private_target on url, nothing written', async (url) => {
    const before = [await h.count('webhook_endpoints'), await h.count('audit_entries')];
    const response = await h.call('POST', '/v1/webhook-endpoints', { body: { url, events: ['contract.approved'] } });
    expect(response.status, response.text).toBe(422);
    expect(response.body.code).toBe('private_target');
    expect(response.body.errors).toEqual([{ path: 'url', message: expect.stringMatching(/TALLY_ALLOW_PRIVATE_TARGETS=1/) }]);
    expect([await h.count('webhook_endpoints'), await h.count('audit_entries')]).toEqual(before);
  });

  it('refuses at send time an endpoint whose name resolves to loopback: no request leaves, the attempt says why', async () => {
    const created = await allowing('POST', '/v1/webhook-endpoints', {
      body: { url: `http://localhost:${port}/hook`, events: ['billing_run.completed'] },
    });
    expect(created.status, created.text).toBe(201);
    const endpointId = created.body.id as string;
    await h.store.db
      .transaction()
      .execute((trx) =>
        enqueueWebhookEvent(trx, { type: 'billing_run.completed', occurredAt: h.app.clock.now(), data: { billingRunId: 'run_01private' } }),
      );
    const result = await dispatcher.drain();
    expect(result.attempts).toBeGreaterThanOrEqual(1);
    expect(received).toBe(0);
    const deliveries = await h.call('GET', `/v1/webhook-endpoints/${endpointId}/deliveries`);
    expect(deliveries.status).toBe(200);
    expect(deliveries.body.data[0].attempts[0]).toMatchObject({
      succeeded: false,
      statusCode: null,
      error: expect.stringMatching(/^refused target: localhost \((127\.0\.0\.1|::1)\) is a loopback/),
    });
  });
});
