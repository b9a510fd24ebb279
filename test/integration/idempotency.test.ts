/** Idempotency-Key: a retried POST gets the first answer and runs once; another body with the key is refused. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { advertiserBody, cpmTerms } from '../support/fixtures.ts';
import { describeStore, type Harness, startHarness } from '../support/harness.ts';

describeStore('idempotency keys', () => {
  let h: Harness;
  let ops: { id: string; token: string };

  beforeAll(async () => {
    h = await startHarness();
    ops = await h.user('ops');
  });
  afterAll(async () => h?.close());

  it('answers a retry with the first answer and creates nothing twice', async () => {
    const body = advertiserBody({ name: 'Idempotent Ltd' });
    const headers = { 'idempotency-key': 'create-idempotent-ltd' };
    const first = await h.call('POST', '/v1/parties', { token: ops.token, body, headers });
    expect(first.status).toBe(201);
    const before = { parties: await h.count('parties'), audit: await h.count('audit_entries') };
    const retry = await h.call('POST', '/v1/parties', { token: ops.token, body, headers });
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect({ parties: await h.count('parties'), audit: await h.count('audit_entries') }).toEqual(before);
  });

  it('refuses the same key with another body, and lets another user use the same key', async () => {
    const headers = { 'idempotency-key': 'shared-key' };
    expect((await h.call('POST', '/v1/parties', { token: ops.token, body: advertiserBody({ name: 'One' }), headers })).status).toBe(201);
    const reused = await h.call('POST', '/v1/parties', { token: ops.token, body: advertiserBody({ name: 'Two' }), headers });
    expect(reused.status).toBe(422);
    expect(reused.body.code).toBe('idempotency_key_reused');
    const other = await h.user('ops');
    expect((await h.call('POST', '/v1/parties', { token: other.token, body: advertiserBody({ name: 'Two' }), headers })).status).toBe(201);
  });

  it('replays a refusal too, and covers contract actions', async () => {
    const party = await h.call('POST', '/v1/parties', { token: ops.token, body: advertiserBody({ name: 'Contracted' }) });
    const created = await h.call('POST', '/v1/contracts', { token: ops.token, body: { partyId: party.body.id, side: 'sell', name: 'Keyed', terms: cpmTerms() }, headers: { 'idempotency-key': 'contract-1' } });
    const again = await h.call('POST', '/v1/contracts', { token: ops.token, body: { partyId: party.body.id, side: 'sell', name: 'Keyed', terms: cpmTerms() }, headers: { 'idempotency-key': 'contract-1' } });
    expect(again.body.id).toBe(created.body.id);
    const missing = await h.call('POST', '/v1/contracts', { token: ops.token, body: { partyId: 'pty_missing', side: 'sell', name: 'x', terms: cpmTerms() }, headers: { 'idempotency-key': 'bad-1' } });
    expect(missing.status).toBe(422);
    const replayed = await h.call('POST', '/v1/contracts', { token: ops.token, body: { partyId: 'pty_missing', side: 'sell', name: 'x', terms: cpmTerms() }, headers: { 'idempotency-key': 'bad-1' } });
    expect(replayed.status).toBe(422);
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    expect(replayed.headers['content-type']).toMatch(/problem\+json/);
    const badKey = await h.call('POST', '/v1/parties', { token: ops.token, body: advertiserBody(), headers: { 'idempotency-key': 'has space' } });
    expect(badKey.status).toBe(400);
  });
});
