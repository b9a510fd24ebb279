/** Partner tiers (SPEC §9, payout hierarchy): `PATCH /v1/parties/:id {tier}`, read back, audited, partners only. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { advertiserBody, partnerBody } from '../support/fixtures.ts';
import { describeStore, type Harness, startHarness } from '../support/harness.ts';

describeStore('partner tiers', () => {
  let h: Harness;
  let ops: { id: string; token: string };
  let viewer: { id: string; token: string };

  beforeAll(async () => {
    h = await startHarness({ today: '2026-11-25' });
    ops = await h.user('ops');
    viewer = await h.user('viewer');
  });
  afterAll(async () => h?.close());

  const create = async (body: Record<string, unknown>) => {
    const response = await h.call('POST', '/v1/parties', { token: ops.token, body });
    expect(response.status, response.text).toBe(201);
    return response.body as Record<string, unknown> & { id: string };
  };
  const patch = (id: string, body: unknown) => h.call('PATCH', `/v1/parties/${id}`, { token: ops.token, body });
  const read = async (id: string) => (await h.call('GET', `/v1/parties/${id}`, { token: viewer.token })).body;
  const auditOf = async (id: string) =>
    (await h.call('GET', `/v1/audit?entityType=party&entityId=${id}`, { token: viewer.token })).body.data as {
      action: string;
      before: Record<string, unknown> | null;
      after: Record<string, unknown> | null;
    }[];

  it('sets a partner’s tier, shows it, audits the change, and clears it with null', async () => {
    const partner = await create(partnerBody({ name: 'Goldie Rewards' }));
    expect(partner).not.toHaveProperty('tier');

    const gold = await patch(partner.id, { tier: 'gold' });
    expect(gold.status, gold.text).toBe(200);
    expect(gold.body).toEqual({ ...partner, tier: 'gold' });
    expect(await read(partner.id)).toEqual({ ...partner, tier: 'gold' });
    const listed = await h.call('GET', '/v1/parties?kind=partner&search=Goldie', { token: viewer.token });
    expect(listed.body.data).toEqual([{ ...partner, tier: 'gold' }]);

    // The same tier again changes nothing and writes no audit entry; another field keeps the tier.
    expect((await patch(partner.id, { tier: 'gold' })).body).toEqual({ ...partner, tier: 'gold' });
    expect((await patch(partner.id, { paymentTermsDays: 45 })).body).toEqual({ ...partner, tier: 'gold', paymentTermsDays: 45 });

    const cleared = await patch(partner.id, { tier: null });
    expect(cleared.status).toBe(200);
    expect(cleared.body).toEqual({ ...partner, paymentTermsDays: 45 });
    expect(await read(partner.id)).not.toHaveProperty('tier');

    const entries = await auditOf(partner.id);
    expect(entries.map((entry) => [entry.action, entry.before?.tier, entry.after?.tier])).toEqual([
      ['party.created', undefined, undefined],
      ['party.updated', undefined, 'gold'],
      ['party.updated', 'gold', 'gold'],
      ['party.updated', 'gold', undefined],
    ]);
  });

  it('refuses a tier on an advertiser, and a tier that is not a slug, writing nothing', async () => {
    const advertiser = await create(advertiserBody({ name: 'Tierless Advertiser' }));
    const partner = await create(partnerBody({ name: 'Slug Partner' }));
    const before = await h.count('audit_entries');
    const onAdvertiser = await patch(advertiser.id, { tier: 'gold' });
    expect(onAdvertiser.status).toBe(400);
    expect(onAdvertiser.body).toMatchObject({ code: 'validation_failed', errors: [{ path: 'tier' }] });
    for (const tier of ['Gold', '', 'gold tier', 'g'.repeat(65), 7]) {
      const refused = await patch(partner.id, { tier });
      expect(refused.status, JSON.stringify(tier)).toBe(400);
      expect(new Set(refused.body.errors.map((error: { path: string }) => error.path))).toEqual(new Set(['tier']));
    }
    expect(await h.count('audit_entries')).toBe(before);
    expect(await read(partner.id)).not.toHaveProperty('tier');
    // Clearing an advertiser's (absent) tier is no change at all: the party as it was, and no audit entry.
    const cleared = await patch(advertiser.id, { tier: null });
    expect(cleared.status).toBe(200);
    expect(cleared.body).toEqual(advertiser);
    expect(await h.count('audit_entries')).toBe(before);
  });
});
