/** Who may call what: authentication, each role's rights, user and key management, and party scoping. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advertiserBody, cpmTerms } from '../support/fixtures.ts';
import { adminToken, type CallResult, describeStore, type Harness, startHarness } from '../support/harness.ts';

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT';

interface Seed {
  ownPartyId: string;
  otherPartyId: string;
  /** Own party's contract: version 1 approved, version 2 a draft amendment. */
  ownApprovedId: string;
  /** Own party's contract whose only version is a draft. */
  ownDraftId: string;
  /** Own party's contract whose version 1 waits for approval. */
  ownPendingId: string;
  /** The other party's approved contract. */
  otherApprovedId: string;
}

/** An action on the API: a request that some roles may make and the others may not. */
interface Action {
  name: string;
  method: Method;
  url: (seed: Seed) => string;
  body?: (seed: Seed) => unknown;
}

const amendmentBody = { effectiveFrom: '2026-12-01', terms: cpmTerms({ budgetCap: '80000.00' }), reason: 'Lower cap' };
const policyBody = {
  approverRoles: ['finance', 'admin'],
  requiredApprovals: 1,
  largeContractThreshold: '500000.00',
  largeContractApprovals: 2,
  maxDiscountPercent: '20',
};

const actions = {
  createParty: { name: 'create a party', method: 'POST', url: () => '/v1/parties', body: () => advertiserBody({ name: 'Forbidden Co' }) },
  editParty: { name: 'edit a party', method: 'PATCH', url: (seed) => `/v1/parties/${seed.ownPartyId}`, body: () => ({ name: 'Renamed' }) },
  createContract: {
    name: 'create a contract',
    method: 'POST',
    url: () => '/v1/contracts',
    body: (seed) => ({ partyId: seed.ownPartyId, side: 'sell', name: 'Forbidden IO', terms: cpmTerms() }),
  },
  editVersion: {
    name: 'edit a draft version',
    method: 'PATCH',
    url: (seed) => `/v1/contracts/${seed.ownDraftId}/versions/1`,
    body: () => ({ terms: cpmTerms({ budgetCap: '1.00' }) }),
  },
  submitVersion: { name: 'submit a version', method: 'POST', url: (seed) => `/v1/contracts/${seed.ownDraftId}/versions/1/submit` },
  approveVersion: {
    name: 'approve a version',
    method: 'POST',
    url: (seed) => `/v1/contracts/${seed.ownPendingId}/versions/1/approve`,
    body: () => ({}),
  },
  rejectVersion: {
    name: 'reject a version',
    method: 'POST',
    url: (seed) => `/v1/contracts/${seed.ownPendingId}/versions/1/reject`,
    body: () => ({ reason: 'No' }),
  },
  amendContract: {
    name: 'amend a contract',
    method: 'POST',
    url: (seed) => `/v1/contracts/${seed.otherApprovedId}/amendments`,
    body: () => amendmentBody,
  },
  renewContract: {
    name: 'renew a contract',
    method: 'POST',
    url: (seed) => `/v1/contracts/${seed.otherApprovedId}/renew`,
    body: () => ({}),
  },
  terminateContract: {
    name: 'terminate a contract',
    method: 'POST',
    url: (seed) => `/v1/contracts/${seed.otherApprovedId}/terminate`,
    body: () => ({ effectiveDate: '2026-12-15', reason: 'Stop' }),
  },
  runRenewals: { name: 'run renewals', method: 'POST', url: () => '/v1/renewals/run', body: () => ({}) },
  createUser: {
    name: 'create a user',
    method: 'POST',
    url: () => '/v1/users',
    body: () => ({ email: 'intruder@test.tally.dev', name: 'Intruder', role: 'admin' }),
  },
  listUsers: { name: 'list users', method: 'GET', url: () => '/v1/users' },
  createKey: { name: 'issue an API key', method: 'POST', url: () => '/v1/users/admin/api-keys', body: () => ({ name: 'stolen' }) },
  revokeKey: { name: 'revoke an API key', method: 'POST', url: () => '/v1/api-keys/key_01anykey/revoke' },
  putPolicy: { name: 'replace the approval policy', method: 'PUT', url: () => '/v1/settings/approval-policy', body: () => policyBody },
  readAudit: { name: 'read the audit log', method: 'GET', url: () => '/v1/audit' },
  verifyAudit: { name: 'verify the audit chain', method: 'GET', url: () => '/v1/audit/verify' },
} satisfies Record<string, Action>;

const forbidden: Record<'viewer' | 'ops' | 'finance' | 'party', Action[]> = {
  viewer: [
    actions.createParty,
    actions.editParty,
    actions.createContract,
    actions.editVersion,
    actions.submitVersion,
    actions.approveVersion,
    actions.rejectVersion,
    actions.amendContract,
    actions.renewContract,
    actions.terminateContract,
    actions.runRenewals,
    actions.createUser,
    actions.listUsers,
    actions.createKey,
    actions.revokeKey,
    actions.putPolicy,
  ],
  ops: [
    actions.approveVersion,
    actions.rejectVersion,
    actions.runRenewals,
    actions.createUser,
    actions.listUsers,
    actions.createKey,
    actions.revokeKey,
    actions.putPolicy,
  ],
  finance: [
    actions.createContract,
    actions.editVersion,
    actions.submitVersion,
    actions.amendContract,
    actions.renewContract,
    actions.terminateContract,
    actions.createUser,
    actions.listUsers,
    actions.createKey,
    actions.revokeKey,
    actions.putPolicy,
  ],
  party: Object.values(actions),
};

function expectProblem(response: CallResult, status: number, code: string): void {
  expect(response.status, response.text.slice(0, 400)).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response.body.code).toBe(code);
}

describeStore('access', () => {
  let h: Harness;
  let seed: Seed;
  const tokens = {} as Record<'viewer' | 'ops' | 'finance' | 'party', string>;
  const userIds = {} as Record<'viewer' | 'ops' | 'finance' | 'party', string>;
  let ops2Token: string;
  let finance2Token: string;
  const tables = ['audit_entries', 'contracts', 'contract_versions', 'parties', 'users', 'api_keys', 'settings'];

  /** Row counts plus the objects that edits would change: a refused request must leave all of them alone. */
  async function snapshot() {
    const counts = await Promise.all(tables.map(async (table) => [table, await h.count(table)] as const));
    const reads = await Promise.all([
      h.call('GET', `/v1/parties/${seed.ownPartyId}`),
      h.call('GET', `/v1/contracts/${seed.ownDraftId}/versions/1`),
      h.call('GET', `/v1/contracts/${seed.ownPendingId}/versions/1`),
      h.call('GET', `/v1/contracts/${seed.otherApprovedId}`),
      h.call('GET', '/v1/settings/approval-policy'),
    ]);
    return { counts: Object.fromEntries(counts), reads: reads.map((read) => read.body) };
  }

  async function createContract(partyId: string, name: string): Promise<string> {
    const created = await h.call('POST', '/v1/contracts', { token: tokens.ops, body: { partyId, side: 'sell', name, terms: cpmTerms() } });
    expect(created.status).toBe(201);
    return created.body.id as string;
  }

  async function submit(contractId: string, version = 1): Promise<void> {
    expect((await h.call('POST', `/v1/contracts/${contractId}/versions/${version}/submit`, { token: tokens.ops })).body.status).toBe(
      'pending_approval',
    );
  }

  async function approve(contractId: string, version = 1): Promise<void> {
    await submit(contractId, version);
    expect(
      (await h.call('POST', `/v1/contracts/${contractId}/versions/${version}/approve`, { token: finance2Token, body: {} })).body.status,
    ).toBe('approved');
  }

  beforeAll(async () => {
    h = await startHarness({ today: '2026-11-25' });
    for (const role of ['viewer', 'ops', 'finance'] as const) {
      const user = await h.user(role);
      tokens[role] = user.token;
      userIds[role] = user.id;
    }
    ops2Token = (await h.user('ops')).token;
    finance2Token = (await h.user('finance')).token;
    const own = await h.call('POST', '/v1/parties', { token: tokens.ops, body: advertiserBody({ name: 'Own Advertiser' }) });
    const other = await h.call('POST', '/v1/parties', { token: tokens.ops, body: advertiserBody({ name: 'Other Advertiser' }) });
    const partyUser = await h.user('party', { partyId: own.body.id });
    tokens.party = partyUser.token;
    userIds.party = partyUser.id;

    const ownApprovedId = await createContract(own.body.id, 'Own approved');
    await approve(ownApprovedId);
    const amendment = await h.call('POST', `/v1/contracts/${ownApprovedId}/amendments`, { token: tokens.ops, body: amendmentBody });
    expect(amendment.body).toMatchObject({ number: 2, status: 'draft' });
    const ownPendingId = await createContract(own.body.id, 'Own pending');
    await submit(ownPendingId);
    const otherApprovedId = await createContract(other.body.id, 'Other approved');
    await approve(otherApprovedId);
    seed = {
      ownPartyId: own.body.id,
      otherPartyId: other.body.id,
      ownApprovedId,
      ownDraftId: await createContract(own.body.id, 'Own draft'),
      ownPendingId,
      otherApprovedId,
    };
  });
  afterAll(async () => h?.close());

  describe('authentication', () => {
    const headers: [string, Record<string, string>][] = [
      ['no Authorization header', {}],
      ['Basic credentials', { authorization: 'Basic YWRtaW46YWRtaW4=' }],
      ['Bearer without a token', { authorization: 'Bearer' }],
      ['a token too short to be one', { authorization: 'Bearer abc' }],
      ['a token too long to be one', { authorization: `Bearer tly_${'x'.repeat(300)}` }],
      ['the token without the Bearer scheme', { authorization: adminToken }],
      ['an unknown token', { authorization: 'Bearer tly_this_token_was_never_issued_000' }],
      ['the admin token with one character changed', { authorization: `Bearer ${adminToken.slice(0, -1)}X` }],
    ];

    it.each(headers)('%s → 401 on reads and writes, and nothing is written', async (_label, header) => {
      const before = await snapshot();
      for (const [method, url, body] of [
        ['GET', '/v1/me', undefined],
        ['GET', '/v1/parties', undefined],
        ['POST', '/v1/parties', advertiserBody({ name: 'Anonymous' })],
      ] as const) {
        const response = await h.call(method, url, { token: null, headers: header, body });
        expectProblem(response, 401, 'unauthenticated');
        expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
        expect(response.body.detail).toEqual(expect.any(String));
      }
      expect(await snapshot()).toEqual(before);
    });

    it('answers the health check without a token, and only /v1 asks for one', async () => {
      const health = await h.call('GET', '/healthz', { token: null });
      expect(health.status).toBe(200);
      expect(health.body).toEqual({ status: 'ok' });
    });

    it('refuses a key once it is revoked, at once, while the user’s other keys keep working', async () => {
      const user = await h.call('POST', '/v1/users', { body: { email: 'revoke-me@test.tally.dev', name: 'Revoke Me', role: 'viewer' } });
      expect(user.status).toBe(201);
      const first = await h.call('POST', `/v1/users/${user.body.id}/api-keys`, { body: { name: 'laptop' } });
      const second = await h.call('POST', `/v1/users/${user.body.id}/api-keys`, { body: { name: 'ci' } });
      expect((await h.call('GET', '/v1/me', { token: first.body.token })).body.id).toBe(user.body.id);

      const revoked = await h.call('POST', `/v1/api-keys/${first.body.id}/revoke`);
      expect(revoked.status).toBe(200);
      expect(revoked.body).toEqual({ id: first.body.id, revokedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/) });
      expectProblem(await h.call('GET', '/v1/me', { token: first.body.token }), 401, 'unauthenticated');
      expectProblem(await h.call('GET', '/v1/parties', { token: first.body.token }), 401, 'unauthenticated');
      expect((await h.call('GET', '/v1/me', { token: second.body.token })).body.id).toBe(user.body.id);

      // Revoking again answers the first revocation and writes nothing more.
      const auditBefore = await h.count('audit_entries');
      expect((await h.call('POST', `/v1/api-keys/${first.body.id}/revoke`)).body).toEqual(revoked.body);
      expect(await h.count('audit_entries')).toBe(auditBefore);
      const log = await h.call('GET', `/v1/audit?entityType=user&entityId=${user.body.id}`);
      expect((log.body.data as { action: string }[]).map((entry) => entry.action)).toEqual([
        'user.created',
        'api_key.created',
        'api_key.created',
        'api_key.revoked',
      ]);

      expectProblem(await h.call('POST', '/v1/api-keys/key_01nosuchkey/revoke'), 404, 'not_found');
    });
  });

  describe('GET /v1/me', () => {
    it.each(['viewer', 'ops', 'finance', 'party'] as const)('answers the calling %s user', async (role) => {
      const me = await h.call('GET', '/v1/me', { token: tokens[role] });
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ id: userIds[role], role, partyId: role === 'party' ? seed.ownPartyId : null });
      expect(me.body.email).toMatch(new RegExp(`^${role}-`));
    });

    it('answers the bootstrap admin', async () => {
      expect((await h.call('GET', '/v1/me')).body).toMatchObject({ id: 'admin', role: 'admin', partyId: null });
    });
  });

  describe('forbidden actions answer 403 forbidden and change nothing', () => {
    const rows = Object.entries(forbidden).flatMap(([role, list]) =>
      list.map((action) => ({ role: role as keyof typeof forbidden, action, label: `${role} may not ${action.name}` })),
    );

    it.each(rows)('$label', async ({ role, action }) => {
      const before = await snapshot();
      const response = await h.call(action.method, action.url(seed), { token: tokens[role], body: action.body?.(seed) });
      expectProblem(response, 403, 'forbidden');
      expect(await snapshot()).toEqual(before);
    });

    it('checks the role before the body, so a caller without the right learns nothing about the schema', async () => {
      const response = await h.call('POST', '/v1/parties', { token: tokens.viewer, body: { nonsense: true } });
      expectProblem(response, 403, 'forbidden');
    });
  });

  describe('allowed actions', () => {
    it('viewer reads parties, contracts, versions, the audit log and the approval policy', async () => {
      for (const url of [
        '/v1/parties',
        `/v1/parties/${seed.otherPartyId}`,
        '/v1/contracts',
        `/v1/contracts/${seed.ownDraftId}`,
        `/v1/contracts/${seed.ownDraftId}/versions/1`,
        '/v1/audit',
        '/v1/settings/approval-policy',
      ]) {
        const response = await h.call('GET', url, { token: tokens.viewer });
        expect(response.status, url).toBe(200);
      }
      const contracts = await h.call('GET', '/v1/contracts?limit=500', { token: tokens.viewer });
      expect((contracts.body.data as { id: string }[]).map((contract) => contract.id)).toEqual(
        expect.arrayContaining([seed.ownDraftId, seed.ownPendingId, seed.otherApprovedId]),
      );
    });

    it('ops creates parties and contracts and submits them; finance approves and rejects; admin does all of it', async () => {
      const party = await h.call('POST', '/v1/parties', { token: ops2Token, body: advertiserBody({ name: 'Ops made this' }) });
      expect(party.status).toBe(201);
      const contract = await h.call('POST', '/v1/contracts', {
        token: ops2Token,
        body: { partyId: party.body.id, side: 'sell', name: 'Ops IO', terms: cpmTerms() },
      });
      expect(contract.status).toBe(201);
      expect((await h.call('POST', `/v1/contracts/${contract.body.id}/versions/1/submit`, { token: ops2Token })).body.status).toBe(
        'pending_approval',
      );
      const rejected = await h.call('POST', `/v1/contracts/${contract.body.id}/versions/1/reject`, {
        token: tokens.finance,
        body: { reason: 'Wrong cap' },
      });
      expect(rejected.body.status).toBe('rejected');
      await h.call('POST', `/v1/contracts/${contract.body.id}/versions/1/submit`, { token: ops2Token });
      const approved = await h.call('POST', `/v1/contracts/${contract.body.id}/versions/1/approve`, { token: tokens.finance, body: {} });
      expect(approved.body).toMatchObject({ status: 'approved', approvals: [{ by: userIds.finance }] });

      const adminParty = await h.call('POST', '/v1/parties', { body: advertiserBody({ name: 'Admin made this' }) });
      expect(adminParty.status).toBe(201);
    });

    it('only admin replaces the approval policy, and the new policy is what GET answers', async () => {
      const put = await h.call('PUT', '/v1/settings/approval-policy', { body: policyBody });
      expect(put.status).toBe(200);
      expect(put.body).toEqual(policyBody);
      expect((await h.call('GET', '/v1/settings/approval-policy', { token: tokens.viewer })).body).toEqual(policyBody);
    });
  });

  describe('users and keys', () => {
    const validUser = (overrides: Record<string, unknown> = {}) => ({
      email: `new-${Math.random().toString(36).slice(2)}@test.tally.dev`,
      name: 'New User',
      role: 'viewer',
      ...overrides,
    });

    it('admin creates a user: 201 with its id, email, name, role and partyId', async () => {
      const body = validUser({ role: 'ops' });
      const created = await h.call('POST', '/v1/users', { body });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ email: body.email, name: 'New User', role: 'ops', partyId: null });
      expect(created.body.id).toMatch(/^usr_/);
      const party = await h.call('POST', '/v1/users', { body: validUser({ role: 'party', partyId: seed.otherPartyId }) });
      expect(party.status).toBe(201);
      expect(party.body).toMatchObject({ role: 'party', partyId: seed.otherPartyId });
      const listed = await h.call('GET', '/v1/users?limit=500');
      expect((listed.body.data as { id: string }[]).map((user) => user.id)).toEqual(
        expect.arrayContaining([created.body.id, party.body.id]),
      );
    });

    const refusals: [string, () => Record<string, unknown>, number, string, string][] = [
      ['a party user without a partyId', () => validUser({ role: 'party' }), 422, 'party_role_invalid', 'partyId'],
      [
        'a non-party user with a partyId',
        () => validUser({ role: 'finance', partyId: seed.ownPartyId }),
        422,
        'party_role_invalid',
        'partyId',
      ],
      [
        'a party user of an unknown party',
        () => validUser({ role: 'party', partyId: 'pty_01nosuchparty' }),
        404,
        'party_not_found',
        'partyId',
      ],
      ['an email already taken', () => validUser({ email: 'taken@test.tally.dev' }), 409, 'email_taken', 'email'],
      ['an email already taken, in other case', () => validUser({ email: 'TAKEN@Test.Tally.Dev' }), 409, 'email_taken', 'email'],
      ['a role that does not exist', () => validUser({ role: 'superuser' }), 400, 'validation_failed', 'role'],
      ['an email that is not one', () => validUser({ email: 'taken' }), 400, 'validation_failed', 'email'],
      ['a password shorter than 12 characters', () => validUser({ password: 'short' }), 400, 'validation_failed', 'password'],
    ];

    beforeAll(async () => {
      expect((await h.call('POST', '/v1/users', { body: validUser({ email: 'taken@test.tally.dev' }) })).status).toBe(201);
    });

    it.each(refusals)('refuses %s', async (_label, body, status, code, path) => {
      const before = await snapshot();
      const response = await h.call('POST', '/v1/users', { body: body() });
      expectProblem(response, status, code);
      expect((response.body.errors as { path: string }[]).map((error) => error.path)).toContain(path);
      expect(await snapshot()).toEqual(before);
    });

    it('shows an issued token once, stores only its hash, and the token works', async () => {
      const user = await h.call('POST', '/v1/users', { body: validUser({ role: 'finance', name: 'Key Holder' }) });
      const key = await h.call('POST', `/v1/users/${user.body.id}/api-keys`, { body: { name: 'reporting' } });
      expect(key.status).toBe(201);
      expect(key.body).toMatchObject({ userId: user.body.id, name: 'reporting' });
      expect(key.body.id).toMatch(/^key_/);
      const token = key.body.token as string;
      expect(token).toMatch(/^tly_[A-Za-z0-9_-]{40,}$/);

      const me = await h.call('GET', '/v1/me', { token });
      expect(me.body).toMatchObject({ id: user.body.id, role: 'finance', name: 'Key Holder' });

      // Nothing answers the token again: not the user list, not the audit log, not the database.
      expect((await h.call('GET', '/v1/users?limit=500')).text).not.toContain(token);
      expect((await h.call('GET', `/v1/audit?entityType=user&entityId=${user.body.id}`)).text).not.toContain(token);
      const stored = await h.store.db.selectFrom('api_keys').selectAll().where('id', '=', key.body.id).executeTakeFirstOrThrow();
      expect(JSON.stringify(stored)).not.toContain(token);
      expect(stored.token_hash).toMatch(/^[0-9a-f]{64}$/);

      // A second key is another token; without a body the key gets a default name.
      const another = await h.call('POST', `/v1/users/${user.body.id}/api-keys`);
      expect(another.status).toBe(201);
      expect(another.body.token).not.toBe(token);
      expect(another.body.name).toBe('default');
      expect((await h.call('GET', '/v1/me', { token: another.body.token })).body.id).toBe(user.body.id);
    });

    it('refuses concurrent users with one email as email_taken, never a 500', async () => {
      const before = await h.count('users');
      const attempts = await Promise.all(
        ['Race@test.tally.dev', 'race@test.tally.dev', 'RACE@test.tally.dev'].map((email) =>
          h.call('POST', '/v1/users', { body: validUser({ email }) }),
        ),
      );
      expect(attempts.filter((attempt) => attempt.status === 201)).toHaveLength(1);
      for (const refused of attempts.filter((attempt) => attempt.status !== 201)) expectProblem(refused, 409, 'email_taken');
      expect(await h.count('users')).toBe(before + 1);
    });

    it('refuses a key for a user that does not exist', async () => {
      const before = await snapshot();
      expectProblem(await h.call('POST', '/v1/users/usr_01nosuchuser/api-keys', { body: {} }), 404, 'user_not_found');
      expect(await snapshot()).toEqual(before);
    });
  });

  describe('party scoping', () => {
    const asParty = (method: Method, url: string, body?: unknown) => h.call(method, url, { token: tokens.party, body });

    it('sees its own party and nothing else', async () => {
      const list = await asParty('GET', '/v1/parties');
      expect(list.status).toBe(200);
      expect(list.body).toEqual({ data: [expect.objectContaining({ id: seed.ownPartyId })], nextCursor: null });
      const filtered = await asParty('GET', '/v1/parties?kind=advertiser&q=Advertiser');
      expect((filtered.body.data as { id: string }[]).map((party) => party.id)).toEqual([seed.ownPartyId]);
      expect((await asParty('GET', `/v1/parties/${seed.ownPartyId}`)).body.name).toBe('Own Advertiser');

      // Another party answers exactly as one that does not exist.
      const other = await asParty('GET', `/v1/parties/${seed.otherPartyId}`);
      const missing = await asParty('GET', '/v1/parties/pty_01nosuchparty');
      expectProblem(other, 404, 'party_not_found');
      expectProblem(missing, 404, 'party_not_found');
      expect(other.text).not.toContain('Other Advertiser');
    });

    it('lists only its own contracts that have an approved version, showing only approved versions', async () => {
      const list = await asParty('GET', '/v1/contracts?limit=500');
      expect(list.status).toBe(200);
      const data = list.body.data as { id: string; partyId: string; versions: { number: number; status: string }[] }[];
      expect(data.map((contract) => contract.id)).toEqual([seed.ownApprovedId]);
      expect(data[0]?.versions).toEqual([expect.objectContaining({ number: 1, status: 'approved' })]);
      expect((await asParty('GET', `/v1/contracts?partyId=${seed.otherPartyId}`)).body).toEqual({ data: [], nextCursor: null });
    });

    it('reads its approved contract and approved versions only; drafts and other parties answer 404', async () => {
      const own = await asParty('GET', `/v1/contracts/${seed.ownApprovedId}`);
      expect(own.status).toBe(200);
      expect(own.body).toMatchObject({ id: seed.ownApprovedId, currentVersion: 1 });
      expect((own.body.versions as { number: number }[]).map((version) => version.number)).toEqual([1]);
      const approved = await asParty('GET', `/v1/contracts/${seed.ownApprovedId}/versions/1`);
      expect(approved.status).toBe(200);
      expect(approved.body.terms.currency).toBe('USD');

      expectProblem(await asParty('GET', `/v1/contracts/${seed.ownApprovedId}/versions/2`), 404, 'version_not_found');
      expectProblem(await asParty('GET', `/v1/contracts/${seed.ownApprovedId}/diff?from=1&to=2`), 404, 'version_not_found');
      expectProblem(await asParty('GET', `/v1/contracts/${seed.ownDraftId}`), 404, 'contract_not_found');
      expectProblem(await asParty('GET', `/v1/contracts/${seed.ownPendingId}/versions/1`), 404, 'contract_not_found');
      expectProblem(await asParty('GET', `/v1/contracts/${seed.otherApprovedId}`), 404, 'contract_not_found');
      expectProblem(await asParty('GET', `/v1/contracts/${seed.otherApprovedId}/versions/1`), 404, 'contract_not_found');
      expectProblem(await asParty('GET', `/v1/contracts/${seed.otherApprovedId}/diff?from=1&to=1`), 404, 'contract_not_found');
      // The same contract is visible to staff: the 404s above are scoping, not missing data.
      expect((await h.call('GET', `/v1/contracts/${seed.otherApprovedId}/diff?from=1&to=1`, { token: tokens.viewer })).status).toBe(200);
      expect((await h.call('GET', `/v1/contracts/${seed.ownApprovedId}/versions/2`, { token: tokens.viewer })).status).toBe(200);
    });

    it('sees its contract once a version of it is approved', async () => {
      const contractId = await createContract(seed.ownPartyId, 'Becomes visible');
      expectProblem(await asParty('GET', `/v1/contracts/${contractId}`), 404, 'contract_not_found');
      await submit(contractId);
      expectProblem(await asParty('GET', `/v1/contracts/${contractId}`), 404, 'contract_not_found');
      expect((await asParty('GET', '/v1/contracts?limit=500')).text).not.toContain(contractId);
      await h.call('POST', `/v1/contracts/${contractId}/versions/1/approve`, { token: tokens.finance, body: {} });
      const visible = await asParty('GET', `/v1/contracts/${contractId}`);
      expect(visible.status).toBe(200);
      expect(visible.body.currentVersion).toBe(1);
      expect((await asParty('GET', '/v1/contracts?limit=500')).body.data.map((contract: { id: string }) => contract.id)).toContain(
        contractId,
      );
    });

    it('cannot read the audit log', async () => {
      expectProblem(await asParty('GET', '/v1/audit'), 403, 'forbidden');
      expectProblem(await asParty('GET', `/v1/audit?entityType=party&entityId=${seed.ownPartyId}`), 403, 'forbidden');
    });

    it('cannot read internal settings such as the approval policy', async () => {
      expectProblem(await asParty('GET', '/v1/settings/approval-policy'), 403, 'forbidden');
    });
  });

  it('the roles above are what the key says: the same request succeeds for a role that holds the right', async () => {
    // A control for the 403 table: the approve that ops and the party user were refused works for finance.
    const approved = await h.call('POST', `/v1/contracts/${seed.ownPendingId}/versions/1/approve`, { token: tokens.finance, body: {} });
    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe('approved');
  });
});
