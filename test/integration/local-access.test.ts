/**
 * The local token of `tally serve` (src/http/local-access.ts): the tally command's way into a
 * server that owns an embedded data folder. It works from this machine only, on the command's
 * routes only, and acts as the system, like the command on a folder it opens itself.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.ts';
import { localCommandRoutes } from '../../src/http/local-access.ts';
import { createClock } from '../../src/platform/clock.ts';
import { inTransaction } from '../../src/platform/context.ts';
import { newLocalToken } from '../../src/platform/local-server.ts';
import type { Store } from '../../src/platform/store.ts';
import { ensureAdminToken } from '../../src/modules/auth/ensure-admin-token.ts';
import { adminToken, describeStore, openFreshStore, testAppOptions } from '../support/harness.ts';
import { systemActor } from '../../src/platform/actor.ts';

describeStore('the local token of tally serve', () => {
  const localToken = newLocalToken();
  let app: FastifyInstance;
  let store: Store;
  let drop: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    ({ store, drop } = await openFreshStore());
    const clock = createClock('2026-11-25');
    await inTransaction(store.db, clock, systemActor, (context) => ensureAdminToken(context, adminToken));
    app = await buildApp({ store, clock, ...testAppOptions, localToken });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await store?.close();
    await drop?.();
  });

  const call = (method: 'GET' | 'POST', url: string, remoteAddress: string, token = localToken, body?: unknown) =>
    app.inject({
      method,
      url,
      remoteAddress,
      headers: { authorization: `Bearer ${token}` },
      ...(body === undefined ? {} : { payload: body as object }),
    });

  it('works from loopback, in either address family, as the system', async () => {
    for (const address of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) {
      const verified = await call('GET', '/v1/audit/verify', address);
      expect(verified.statusCode, address).toBe(200);
      expect(verified.json()).toMatchObject({ ok: true });
    }
    const key = await call('POST', '/v1/users/admin/api-keys', '127.0.0.1', localToken, { name: 'from the cli' });
    expect(key.statusCode).toBe(201);
    const audit = await app.inject({
      method: 'GET',
      url: '/v1/audit?entityType=user&entityId=admin&limit=500',
      headers: { authorization: `Bearer ${adminToken}` },
    });
    const created = (audit.json() as { data: { action: string; actor: string }[] }).data.filter(
      (entry) => entry.action === 'api_key.created',
    );
    expect(created.at(-1)?.actor).toBe('system');
  });

  it('is an unknown token from another machine, whatever X-Forwarded-For says', async () => {
    const remote = await app.inject({
      method: 'GET',
      url: '/v1/audit/verify',
      remoteAddress: '10.0.0.7',
      headers: { authorization: `Bearer ${localToken}`, 'x-forwarded-for': '127.0.0.1' },
    });
    expect(remote.statusCode).toBe(401);
    expect(remote.json()).toMatchObject({ code: 'unauthenticated', detail: 'The token is unknown or revoked' });
  });

  it("opens only the tally command's routes", async () => {
    const parties = await call('GET', '/v1/parties', '127.0.0.1');
    expect(parties.statusCode).toBe(403);
    expect(parties.json()).toMatchObject({ code: 'forbidden' });
    const revoke = await call('POST', '/v1/api-keys/key_x/revoke', '127.0.0.1');
    expect(revoke.statusCode).toBe(403);
  });

  it('lists only routes that the server has', () => {
    for (const route of localCommandRoutes) {
      const [method, url] = route.split(' ') as ['GET' | 'POST', string];
      expect(app.hasRoute({ method, url }), route).toBe(true);
    }
  });

  it('is refused by a server that was started without it (every other server)', async () => {
    const other = await buildApp({ store, clock: createClock('2026-11-25'), ...testAppOptions });
    try {
      const answer = await other.inject({ method: 'GET', url: '/v1/audit/verify', headers: { authorization: `Bearer ${localToken}` } });
      expect(answer.statusCode).toBe(401);
    } finally {
      await other.close();
    }
  });
});
