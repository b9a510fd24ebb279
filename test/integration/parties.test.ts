/** Parties: create with defaults, read, list with cursor pages, filters and search, audited edits, agencies, external references. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advertiserBody, partnerBody } from '../support/fixtures.ts';
import { type CallResult, describeStore, type Harness, startHarness } from '../support/harness.ts';

interface Party {
  id: string;
  kind: string;
  name: string;
  currency: string;
  paymentTermsDays: number;
  billingEmail: string | null;
  externalRef: string | null;
  agencyId: string | null;
  billingEntityId: string;
  createdAt: string;
  createdBy: string;
}

interface AuditEntry {
  action: string;
  actor: string;
  entityType: string;
  entityId: string;
  before: Party | null;
  after: Party | null;
}

function expectProblem(response: CallResult, status: number, code: string, path?: string): void {
  expect(response.status, response.text.slice(0, 400)).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response.body.code).toBe(code);
  if (path !== undefined) expect((response.body.errors as { path: string }[]).map((error) => error.path)).toContain(path);
}

describeStore('parties', () => {
  let h: Harness;
  let ops: { id: string; token: string };
  let auditor: { id: string; token: string };

  beforeAll(async () => {
    h = await startHarness({ today: '2026-11-25' });
    ops = await h.user('ops');
    auditor = await h.user('viewer');
  });
  afterAll(async () => h?.close());

  const create = async (body: Record<string, unknown>): Promise<Party> => {
    const response = await h.call('POST', '/v1/parties', { token: ops.token, body });
    expect(response.status, response.text.slice(0, 400)).toBe(201);
    return response.body as Party;
  };
  const list = async (query: string): Promise<{ data: Party[]; nextCursor: string | null }> => {
    const response = await h.call('GET', `/v1/parties?${query}`, { token: auditor.token });
    expect(response.status, response.text.slice(0, 400)).toBe(200);
    return response.body;
  };
  const names = (page: { data: Party[] }) => page.data.map((party) => party.name);
  const auditOf = async (partyId: string): Promise<AuditEntry[]> => {
    const response = await h.call('GET', `/v1/audit?entityType=party&entityId=${partyId}`, { token: auditor.token });
    expect(response.status).toBe(200);
    return response.body.data;
  };

  describe('create and read', () => {
    it('creates a party with defaults and reads it back', async () => {
      const before = await h.count('parties');
      const created = await h.call('POST', '/v1/parties', { token: ops.token, body: advertiserBody({ name: 'Defaults Media' }) });
      expect(created.status).toBe(201);
      expect(created.body).toEqual({
        id: expect.stringMatching(/^pty_[0-9a-z]{26}$/),
        kind: 'advertiser',
        name: 'Defaults Media',
        currency: 'USD',
        paymentTermsDays: 30,
        billingEmail: null,
        externalRef: null,
        agencyId: null,
        // The first billing entity: the store's default (SPEC §10).
        billingEntityId: 'ent_00000000000000000000000000',
        country: null,
        taxId: null,
        taxExempt: false,
        createdAt: expect.stringMatching(/^2026-11-25T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/),
        createdBy: ops.id,
      });
      expect(await h.count('parties')).toBe(before + 1);

      const read = await h.call('GET', `/v1/parties/${created.body.id}`, { token: auditor.token });
      expect(read.status).toBe(200);
      expect(read.body).toEqual(created.body);

      const [entry] = await auditOf(created.body.id);
      expect(entry).toMatchObject({ action: 'party.created', actor: ops.id, before: null, after: created.body });
    });

    it('keeps every field it is given, trimming the name', async () => {
      const party = await create(
        partnerBody({
          name: '  StreamCast EU  ',
          currency: 'EUR',
          paymentTermsDays: 45,
          billingEmail: 'ap@streamcast.example',
          externalRef: 'ERP-SC-EU',
        }),
      );
      expect(party).toMatchObject({
        kind: 'partner',
        name: 'StreamCast EU',
        currency: 'EUR',
        paymentTermsDays: 45,
        billingEmail: 'ap@streamcast.example',
        externalRef: 'ERP-SC-EU',
        agencyId: null,
      });
      expect((await h.call('GET', `/v1/parties/${party.id}`, { token: auditor.token })).body).toEqual(party);
    });

    it('answers 404 party_not_found for an unknown id', async () => {
      expectProblem(await h.call('GET', '/v1/parties/pty_01nosuchparty', { token: auditor.token }), 404, 'party_not_found');
    });
  });

  describe('list', () => {
    it('pages with a cursor: 7 parties at limit=3 come as 3 + 3 + 1, each once, then nextCursor null', async () => {
      const created: string[] = [];
      for (let index = 1; index <= 7; index += 1) created.push((await create(advertiserBody({ name: `Pager ${index}` }))).id);
      // Another party that the search leaves out, so that the pages come from the filter and not the table.
      await create(advertiserBody({ name: 'Not a pgr' }));

      const first = await list('q=pager&limit=3');
      const second = await list(`q=pager&limit=3&cursor=${first.nextCursor}`);
      const third = await list(`q=pager&limit=3&cursor=${second.nextCursor}`);
      expect([first.data.length, second.data.length, third.data.length]).toEqual([3, 3, 1]);
      expect(first.nextCursor).toEqual(expect.any(String));
      expect(second.nextCursor).toEqual(expect.any(String));
      expect(second.nextCursor).not.toBe(first.nextCursor);
      expect(third.nextCursor).toBeNull();
      const ids = [...first.data, ...second.data, ...third.data].map((party) => party.id);
      expect(new Set(ids).size).toBe(7);
      // Ids sort by creation time, so the pages follow creation order.
      expect(ids).toEqual(created);
      expect(names(first)).toEqual(['Pager 1', 'Pager 2', 'Pager 3']);

      // A page that ends exactly at the last row says there is no next page.
      const exact = await list('q=pager&limit=7');
      expect(exact.data).toHaveLength(7);
      expect(exact.nextCursor).toBeNull();
    });

    it('answers at most 50 by default', async () => {
      const existing = (await list('limit=500')).data.length;
      for (let index = existing; index < 51; index += 1) await create(advertiserBody({ name: `Filler ${index}` }));
      const page = await list('');
      expect(page.data).toHaveLength(50);
      expect(page.nextCursor).toEqual(expect.any(String));
    });

    it('filters by kind', async () => {
      const agency = await create({ kind: 'agency', name: 'Kindly Agency', currency: 'USD' });
      const partner = await create(partnerBody({ name: 'Kindly Partner' }));
      const advertiser = await create(advertiserBody({ name: 'Kindly Advertiser' }));
      const kinds = { agency: agency.id, partner: partner.id, advertiser: advertiser.id };
      for (const [kind, id] of Object.entries(kinds)) {
        const page = await list(`kind=${kind}&limit=500`);
        expect(page.data.length).toBeGreaterThan(0);
        expect(
          page.data.every((party) => party.kind === kind),
          kind,
        ).toBe(true);
        expect(page.data.map((party) => party.id)).toContain(id);
        expect(names(await list(`kind=${kind}&q=kindly`))).toEqual([`Kindly ${kind[0]?.toUpperCase()}${kind.slice(1)}`]);
      }
    });

    it('searches name and externalRef case-insensitively', async () => {
      const acme = await create(advertiserBody({ name: 'Acme Streaming Group' }));
      const byRef = await create(advertiserBody({ name: 'Plain Name', externalRef: 'SAP-ACMESTREAM-77' }));
      await create(advertiserBody({ name: 'Unrelated Brand' }));
      expect((await list('q=acme%20streaming')).data.map((party) => party.id)).toEqual([acme.id]);
      expect((await list('q=ACMESTREAM')).data.map((party) => party.id)).toEqual([byRef.id]);
      expect((await list('q=acmestream')).data.map((party) => party.id)).toEqual([byRef.id]);
      expect((await list('q=sap-acme')).data.map((party) => party.id)).toEqual([byRef.id]);
      expect((await list('q=ACME')).data.map((party) => party.id)).toEqual([acme.id, byRef.id]);
      expect((await list('q=no%20such%20party')).data).toEqual([]);
    });

    it('takes % and _ in a search literally', async () => {
      const percent = await create(advertiserBody({ name: 'Deals 100% Off' }));
      await create(advertiserBody({ name: 'Deals 1000 Off' }));
      const underscore = await create(advertiserBody({ name: 'Plain', externalRef: 'ref_under_score' }));
      await create(advertiserBody({ name: 'Plain', externalRef: 'ref-underXscore' }));
      await create(advertiserBody({ name: 'Back\\slash Media' }));
      expect((await list(`q=${encodeURIComponent('100%')}`)).data.map((party) => party.id)).toEqual([percent.id]);
      expect((await list(`q=${encodeURIComponent('0% O')}`)).data.map((party) => party.id)).toEqual([percent.id]);
      expect((await list(`q=${encodeURIComponent('under_score')}`)).data.map((party) => party.id)).toEqual([underscore.id]);
      expect((await list(`q=${encodeURIComponent('%')}`)).data.map((party) => party.id)).toEqual([percent.id]);
      expect((await list(`q=${encodeURIComponent('_')}`)).data.map((party) => party.id)).toEqual([underscore.id]);
      expect(names(await list(`q=${encodeURIComponent('k\\s')}`))).toEqual(['Back\\slash Media']);
    });
  });

  describe('edit', () => {
    it('changes only the named fields, and audits the change with before and after', async () => {
      const party = await create(
        advertiserBody({ name: 'Patchable', billingEmail: 'billing@patchable.example', externalRef: 'ERP-PATCH-1', paymentTermsDays: 15 }),
      );
      const patch = await h.call('PATCH', `/v1/parties/${party.id}`, { token: ops.token, body: { name: 'Patched', paymentTermsDays: 60 } });
      expect(patch.status).toBe(200);
      const expected = { ...party, name: 'Patched', paymentTermsDays: 60 };
      expect(patch.body).toEqual(expected);
      expect((await h.call('GET', `/v1/parties/${party.id}`, { token: auditor.token })).body).toEqual(expected);

      const entries = await auditOf(party.id);
      expect(entries.map((entry) => entry.action)).toEqual(['party.created', 'party.updated']);
      expect(entries[1]).toMatchObject({ actor: ops.id, entityType: 'party', entityId: party.id, before: party, after: expected });

      // A second edit of one field leaves the first edit's fields as they are.
      const email = await h.call('PATCH', `/v1/parties/${party.id}`, { token: ops.token, body: { billingEmail: 'ap@patchable.example' } });
      expect(email.body).toEqual({ ...expected, billingEmail: 'ap@patchable.example' });
      const [, , last] = await auditOf(party.id);
      expect(last).toMatchObject({
        action: 'party.updated',
        before: { billingEmail: 'billing@patchable.example', name: 'Patched' },
        after: { billingEmail: 'ap@patchable.example', name: 'Patched' },
      });
    });

    it('clears the optional details with null, and keeps what it does not name', async () => {
      const agency = await create({ kind: 'agency', name: 'Former Agency', currency: 'USD' });
      const party = await create(
        advertiserBody({ name: 'Clearable', billingEmail: 'old@clearable.example', externalRef: 'ERP-CLEAR-1', agencyId: agency.id }),
      );
      const cleared = await h.call('PATCH', `/v1/parties/${party.id}`, { token: ops.token, body: { agencyId: null, externalRef: null } });
      expect(cleared.status, cleared.text.slice(0, 400)).toBe(200);
      expect(cleared.body).toEqual({ ...party, agencyId: null, externalRef: null });
      const billing = await h.call('PATCH', `/v1/parties/${party.id}`, { token: ops.token, body: { billingEmail: null } });
      expect(billing.body).toEqual({ ...party, agencyId: null, externalRef: null, billingEmail: null });
      const [, first] = await auditOf(party.id);
      expect(first).toMatchObject({
        before: { agencyId: agency.id, externalRef: 'ERP-CLEAR-1' },
        after: { agencyId: null, externalRef: null, billingEmail: 'old@clearable.example' },
      });
      // The reference it gave up is free for another party.
      expect((await create(advertiserBody({ name: 'New Holder', externalRef: 'ERP-CLEAR-1' }))).externalRef).toBe('ERP-CLEAR-1');
      // The required fields cannot be cleared.
      for (const field of ['name', 'currency', 'paymentTermsDays']) {
        expectProblem(
          await h.call('PATCH', `/v1/parties/${party.id}`, { token: ops.token, body: { [field]: null } }),
          400,
          'validation_failed',
          field,
        );
      }
    });

    it('refuses a change of kind and unknown fields, writing nothing', async () => {
      const party = await create(advertiserBody({ name: 'Fixed Kind' }));
      const auditBefore = await h.count('audit_entries');
      expectProblem(
        await h.call('PATCH', `/v1/parties/${party.id}`, { token: ops.token, body: { kind: 'partner' } }),
        400,
        'unknown_field',
        'kind',
      );
      expectProblem(
        await h.call('PATCH', `/v1/parties/${party.id}`, { token: ops.token, body: { name: 'Ok', createdBy: 'me' } }),
        400,
        'unknown_field',
        'createdBy',
      );
      expect(await h.count('audit_entries')).toBe(auditBefore);
      expect((await h.call('GET', `/v1/parties/${party.id}`, { token: auditor.token })).body).toEqual(party);
    });

    it('answers 404 for a party that does not exist', async () => {
      expectProblem(
        await h.call('PATCH', '/v1/parties/pty_01nosuchparty', { token: ops.token, body: { name: 'Ghost' } }),
        404,
        'party_not_found',
      );
    });
  });

  describe('agencies', () => {
    let agency: Party;
    let otherAgency: Party;
    beforeAll(async () => {
      agency = await create({ kind: 'agency', name: 'Media Buyers Inc', currency: 'USD' });
      otherAgency = await create({ kind: 'agency', name: 'Other Buyers', currency: 'USD' });
    });

    it('lets an advertiser name an existing agency, on create and on edit', async () => {
      const advertiser = await create(advertiserBody({ name: 'Agency Client', agencyId: agency.id }));
      expect(advertiser.agencyId).toBe(agency.id);
      const moved = await h.call('PATCH', `/v1/parties/${advertiser.id}`, { token: ops.token, body: { agencyId: otherAgency.id } });
      expect(moved.status).toBe(200);
      expect(moved.body).toEqual({ ...advertiser, agencyId: otherAgency.id });
    });

    const refusals: [string, (ids: { agency: Party }) => Record<string, unknown>, number, string][] = [
      ['an agencyId that does not exist', () => advertiserBody({ agencyId: 'pty_01nosuchagency' }), 422, 'agency_not_found'],
      ['an agencyId naming a partner', () => advertiserBody({ agencyId: 'PARTNER' }), 422, 'agency_not_found'],
      ['an agencyId on a partner', ({ agency: named }) => partnerBody({ agencyId: named.id }), 400, 'validation_failed'],
      [
        'an agencyId on an agency',
        ({ agency: named }) => ({ kind: 'agency', name: 'Sub Agency', currency: 'USD', agencyId: named.id }),
        400,
        'validation_failed',
      ],
    ];

    it.each(refusals)('refuses %s on create, writing nothing', async (_label, body, status, code) => {
      const partner = await create(partnerBody({ name: `Partner for ${_label}` }));
      const payload = body({ agency });
      if (payload.agencyId === 'PARTNER') payload.agencyId = partner.id;
      const counts = [await h.count('parties'), await h.count('audit_entries')];
      expectProblem(await h.call('POST', '/v1/parties', { token: ops.token, body: payload }), status, code, 'agencyId');
      expect([await h.count('parties'), await h.count('audit_entries')]).toEqual(counts);
    });

    it('refuses an edit that names a non-agency, the party itself, or an agency for a partner', async () => {
      const advertiser = await create(advertiserBody({ name: 'Stays Put', agencyId: agency.id }));
      const partner = await create(partnerBody({ name: 'No Agencies Here' }));
      const auditBefore = await h.count('audit_entries');
      expectProblem(
        await h.call('PATCH', `/v1/parties/${advertiser.id}`, { token: ops.token, body: { agencyId: partner.id } }),
        422,
        'agency_not_found',
        'agencyId',
      );
      expectProblem(
        await h.call('PATCH', `/v1/parties/${advertiser.id}`, { token: ops.token, body: { agencyId: advertiser.id } }),
        400,
        'validation_failed',
        'agencyId',
      );
      expectProblem(
        await h.call('PATCH', `/v1/parties/${partner.id}`, { token: ops.token, body: { agencyId: agency.id } }),
        400,
        'validation_failed',
        'agencyId',
      );
      expectProblem(
        await h.call('PATCH', `/v1/parties/${agency.id}`, { token: ops.token, body: { agencyId: otherAgency.id } }),
        400,
        'validation_failed',
        'agencyId',
      );
      expect(await h.count('audit_entries')).toBe(auditBefore);
      expect((await h.call('GET', `/v1/parties/${advertiser.id}`, { token: auditor.token })).body.agencyId).toBe(agency.id);
    });
  });

  describe('externalRef', () => {
    it('is unique across parties, on create and on edit', async () => {
      const first = await create(advertiserBody({ name: 'First Holder', externalRef: 'ERP-UNIQUE-1' }));
      const second = await create(advertiserBody({ name: 'Second Holder', externalRef: 'ERP-UNIQUE-2' }));
      const counts = [await h.count('parties'), await h.count('audit_entries')];

      const duplicate = await h.call('POST', '/v1/parties', {
        token: ops.token,
        body: partnerBody({ name: 'Copycat', externalRef: 'ERP-UNIQUE-1' }),
      });
      expect(duplicate.status).toBe(409);
      expect(duplicate.body.code).toBe('external_ref_taken');
      expect(duplicate.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect((duplicate.body.errors as { path: string }[]).map((error) => error.path)).toEqual(['externalRef']);

      const stolen = await h.call('PATCH', `/v1/parties/${second.id}`, { token: ops.token, body: { externalRef: 'ERP-UNIQUE-1' } });
      expect(stolen.status).toBe(409);
      expect(stolen.body.code).toBe('external_ref_taken');
      expect(stolen.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect((stolen.body.errors as { path: string }[]).map((error) => error.path)).toEqual(['externalRef']);

      expect([await h.count('parties'), await h.count('audit_entries')]).toEqual(counts);
      expect((await h.call('GET', `/v1/parties/${second.id}`, { token: auditor.token })).body.externalRef).toBe('ERP-UNIQUE-2');
      expect((await list('q=ERP-UNIQUE-1')).data.map((party) => party.id)).toEqual([first.id]);

      // A party may keep (re-send) its own reference.
      const same = await h.call('PATCH', `/v1/parties/${first.id}`, {
        token: ops.token,
        body: { externalRef: 'ERP-UNIQUE-1', name: 'First Holder Ltd' },
      });
      expect(same.status).toBe(200);
      expect(same.body).toMatchObject({ externalRef: 'ERP-UNIQUE-1', name: 'First Holder Ltd' });
    });

    it('refuses concurrent duplicates with the same answer as sequential ones, never a 500', async () => {
      const before = await h.count('parties');
      const attempts = await Promise.all(
        [1, 2, 3, 4].map((index) =>
          h.call('POST', '/v1/parties', { token: ops.token, body: advertiserBody({ name: `Racer ${index}`, externalRef: 'ERP-RACE-1' }) }),
        ),
      );
      const statuses = attempts.map((attempt) => attempt.status).sort();
      expect(statuses.filter((status) => status === 201)).toHaveLength(1);
      for (const refused of attempts.filter((attempt) => attempt.status !== 201)) {
        expect(refused.status, refused.text.slice(0, 400)).toBeLessThan(500);
        expect((refused.body.errors as { path: string }[]).map((error) => error.path)).toEqual(['externalRef']);
      }
      expect(await h.count('parties')).toBe(before + 1);

      // The same race through PATCH: several parties claim one free reference at once.
      const claimants = await Promise.all([1, 2, 3].map((index) => create(advertiserBody({ name: `Claimant ${index}` }))));
      const claims = await Promise.all(
        claimants.map((party) => h.call('PATCH', `/v1/parties/${party.id}`, { token: ops.token, body: { externalRef: 'ERP-RACE-2' } })),
      );
      expect(claims.filter((claim) => claim.status === 200)).toHaveLength(1);
      for (const refused of claims.filter((claim) => claim.status !== 200)) {
        expect(refused.status, refused.text.slice(0, 400)).toBeLessThan(500);
        expect(refused.body.errors[0].path).toBe('externalRef');
      }
      expect((await list('q=ERP-RACE-2')).data).toHaveLength(1);
    });

    it('two parties without an externalRef do not collide', async () => {
      const a = await create(advertiserBody({ name: 'No Ref A' }));
      const b = await create(advertiserBody({ name: 'No Ref B' }));
      expect([a.externalRef, b.externalRef]).toEqual([null, null]);
    });
  });
});
