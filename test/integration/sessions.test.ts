/** Web sessions: sign-in sets an HttpOnly cookie, the cookie authenticates, CSRF header on writes, sign-out, rate limit. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createClock } from '../../src/platform/clock.ts';
import { inTransaction } from '../../src/platform/context.ts';
import { createUser } from '../../src/modules/auth/create-user.ts';
import { describeStore, type Harness, startHarness } from '../support/harness.ts';
import { advertiserBody } from '../support/fixtures.ts';
import { systemActor } from '../../src/platform/actor.ts';

const password = 'correct horse battery staple';
const csrf = { 'x-tally-csrf': '1' };

describeStore('web sessions', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
    await inTransaction(h.store.db, createClock('2026-11-25'), systemActor, async (context) => {
      await createUser(context, { email: 'Olivia@Example.com', name: 'Olivia', role: 'ops', password });
      await createUser(context, { email: 'locked@example.com', name: 'Locked', role: 'viewer', password });
      await createUser(context, { email: 'nopassword@example.com', name: 'API only', role: 'viewer' });
    });
  });
  afterAll(async () => h?.close());

  const signIn = (email: string, secret: string, headers: Record<string, string> = csrf) =>
    h.call('POST', '/v1/sessions', { token: null, headers, body: { email, password: secret } });
  const cookieOf = (response: { headers: Record<string, unknown> }) => String(response.headers['set-cookie']).split(';')[0] ?? '';

  it('signs in with email (any case) and password into an HttpOnly, SameSite=Strict cookie', async () => {
    const response = await signIn('olivia@example.com', password);
    expect(response.status).toBe(201);
    expect(response.body.user).toMatchObject({ email: 'Olivia@Example.com', role: 'ops', partyId: null });
    const setCookie = String(response.headers['set-cookie']);
    expect(setCookie).toMatch(/^tally_session=tss_[A-Za-z0-9_-]{43};/);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    expect(response.text).not.toContain(cookieOf(response).split('=')[1]);
    const me = await h.call('GET', '/v1/me', { token: null, headers: { cookie: cookieOf(response) } });
    expect(me.status).toBe(200);
    expect(me.body.email).toBe('Olivia@Example.com');
  });

  it('answers a wrong password, an unknown email and a user without password alike', async () => {
    const answers = await Promise.all([
      signIn('olivia@example.com', 'wrong password!'),
      signIn('nobody@example.com', password),
      signIn('nopassword@example.com', password),
    ]);
    for (const answer of answers) {
      expect(answer.status).toBe(401);
      expect(answer.body.code).toBe('unauthenticated');
      expect(answer.body.detail).toBe('The email or password is not correct');
      expect(answer.headers['set-cookie']).toBeUndefined();
    }
  });

  it('refuses sign-in and cookie-authenticated changes without the CSRF header, but not reads', async () => {
    expect((await signIn('olivia@example.com', password, {})).body.code).toBe('csrf_header_missing');
    const cookie = cookieOf(await signIn('olivia@example.com', password));
    const withoutHeader = await h.call('POST', '/v1/parties', { token: null, headers: { cookie }, body: advertiserBody() });
    expect(withoutHeader.status).toBe(403);
    expect(withoutHeader.body.code).toBe('csrf_header_missing');
    const withHeader = await h.call('POST', '/v1/parties', {
      token: null,
      headers: { cookie, ...csrf },
      body: advertiserBody({ name: 'Cookie Corp' }),
    });
    expect(withHeader.status).toBe(201);
    expect((await h.call('GET', '/v1/parties', { token: null, headers: { cookie } })).status).toBe(200);
  });

  it('signs out: the cookie stops working at once, and both events are audited', async () => {
    const signedIn = await signIn('olivia@example.com', password);
    const cookie = cookieOf(signedIn);
    expect((await h.call('GET', '/v1/me', { token: null, headers: { cookie } })).status).toBe(200);
    const out = await h.call('DELETE', '/v1/sessions/current', { token: null, headers: { cookie, ...csrf } });
    expect(out.status).toBe(204);
    expect(String(out.headers['set-cookie'])).toMatch(/tally_session=;.*Max-Age=0/);
    const after = await h.call('GET', '/v1/me', { token: null, headers: { cookie } });
    expect(after.status).toBe(401);
    const audit = await h.call('GET', `/v1/audit?entityType=user&entityId=${signedIn.body.user.id}&limit=500`);
    const actions = (audit.body.data as { action: string }[]).map((entry) => entry.action);
    expect(actions).toContain('session.created');
    expect(actions).toContain('session.ended');
    expect(JSON.stringify(audit.body)).not.toContain(cookie.split('=')[1]);
  });

  it('sets a readable signed-in hint beside the session cookie, holding no secret, and clears both together', async () => {
    const cookies = (response: { headers: Record<string, unknown> }) => {
      const header = response.headers['set-cookie'];
      return (Array.isArray(header) ? header : [header]).map(String);
    };
    const signedIn = await signIn('olivia@example.com', password);
    const [session, hint] = cookies(signedIn);
    expect(session).toMatch(/^tally_session=tss_/);
    expect(hint).toMatch(/^tally_signed_in=1;/);
    expect(hint).not.toContain('HttpOnly');
    expect(hint).toContain('SameSite=Strict');
    expect(/Max-Age=(\d+)/.exec(hint ?? '')?.[1]).toBe(/Max-Age=(\d+)/.exec(session ?? '')?.[1]);
    // The hint alone authenticates nothing.
    expect((await h.call('GET', '/v1/me', { token: null, headers: { cookie: 'tally_signed_in=1' } })).status).toBe(401);

    const out = await h.call('DELETE', '/v1/sessions/current', { token: null, headers: { cookie: cookieOf(signedIn), ...csrf } });
    expect(out.status).toBe(204);
    expect(cookies(out).some((cookie) => /^tally_signed_in=;.*Max-Age=0/.test(cookie))).toBe(true);
    // A session that has ended clears the hint too, so the app stops asking.
    const ended = await h.call('GET', '/v1/me', { token: null, headers: { cookie: `${cookieOf(signedIn)}; tally_signed_in=1` } });
    expect(ended.status).toBe(401);
    expect(cookies(ended).some((cookie) => /^tally_signed_in=;.*Max-Age=0/.test(cookie))).toBe(true);
  });

  it('answers sign-out with an API key as not found: keys are revoked, not signed out', async () => {
    const response = await h.call('DELETE', '/v1/sessions/current');
    expect(response.status).toBe(404);
  });

  it('refuses a forged or unknown cookie', async () => {
    for (const cookie of ['tally_session=nonsense', `tally_session=tss_${'A'.repeat(43)}`]) {
      const response = await h.call('GET', '/v1/me', { token: null, headers: { cookie } });
      expect(response.status).toBe(401);
    }
  });

  it('answers 429 after 10 failed sign-ins for an email within 15 minutes, even with the right password', async () => {
    for (let attempt = 0; attempt < 10; attempt++) expect((await signIn('locked@example.com', 'not the password')).status).toBe(401);
    const refused = await signIn('locked@example.com', password);
    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe('rate_limited');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // Another email is not affected.
    expect((await signIn('olivia@example.com', password)).status).toBe(201);
  });
});
