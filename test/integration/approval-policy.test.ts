/** The approval policy as data: its default, two approvers for large contracts, validation and audit of changes. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { advertiserBody, cpmTerms } from '../support/fixtures.ts';
import { describeStore, type Harness, startHarness } from '../support/harness.ts';

type User = { id: string; token: string };

const defaultPolicy = {
  approverRoles: ['finance', 'admin'],
  requiredApprovals: 1,
  largeContractThreshold: '250000.00',
  largeContractApprovals: 2,
  maxDiscountPercent: '20',
};

describeStore('approval policy', () => {
  let h: Harness;
  let ops: User;
  let finance: User;
  let finance2: User;
  let admin: User;
  let partyId: string;

  beforeAll(async () => {
    h = await startHarness({ today: '2026-11-25' });
    ops = await h.user('ops');
    finance = await h.user('finance');
    finance2 = await h.user('finance');
    admin = await h.user('admin');
    const party = await h.call('POST', '/v1/parties', { token: ops.token, body: advertiserBody() });
    expect(party.status).toBe(201);
    partyId = party.body.id as string;
  });
  afterAll(async () => h?.close());

  /** Creates and submits a contract as ops; returns its id. */
  async function submitted(terms: Record<string, unknown>): Promise<string> {
    const created = await h.call('POST', '/v1/contracts', {
      token: ops.token,
      body: { partyId, side: 'sell', name: 'Policy test', terms },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const submit = await h.call('POST', `/v1/contracts/${id}/versions/1/submit`, { token: ops.token });
    expect(submit.body.status).toBe('pending_approval');
    return id;
  }

  const approve = (id: string, user: User, comment?: string) =>
    h.call('POST', `/v1/contracts/${id}/versions/1/approve`, { token: user.token, body: comment === undefined ? {} : { comment } });

  it('starts with the default policy, readable by any role', async () => {
    const read = await h.call('GET', '/v1/settings/approval-policy', { token: ops.token });
    expect(read.status).toBe(200);
    expect(read.body).toEqual(defaultPolicy);
  });

  it('needs two distinct approvers at the threshold', async () => {
    const id = await submitted(cpmTerms({ budgetCap: '250000.00' }));
    expect((await h.call('GET', `/v1/contracts/${id}/versions/1`)).body.committedValue).toBe('250000');

    const first = await approve(id, finance, 'First look');
    expect(first.status).toBe(200);
    expect(first.body.status).toBe('pending_approval');
    expect(first.body.approvals).toEqual([{ by: finance.id, at: expect.any(String), comment: 'First look' }]);
    expect((await h.call('GET', `/v1/contracts/${id}`)).body).toMatchObject({ status: 'pending_approval', currentVersion: null });

    const again = await approve(id, finance);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('already_approved_by_you');
    expect((await h.call('GET', `/v1/contracts/${id}/versions/1`)).body.approvals).toHaveLength(1);

    const second = await approve(id, finance2, 'Second look');
    expect(second.status).toBe(200);
    expect(second.body.status).toBe('approved');
    expect(second.body.approvals.map((approval: { by: string }) => approval.by)).toEqual([finance.id, finance2.id]);
    expect((await h.call('GET', `/v1/contracts/${id}`)).body).toMatchObject({ status: 'active', currentVersion: 1 });

    const log = await h.call('GET', `/v1/audit?entityType=contract&entityId=${id}`, { token: finance.token });
    const actions = (log.body.data as { action: string; actor: string }[]).map((entry) => [entry.action, entry.actor]);
    expect(actions.slice(-2)).toEqual([
      ['contract_version.approval_recorded', finance.id],
      ['contract_version.approved', finance2.id],
    ]);
  });

  it('restarts the round after a rejection: earlier approvals do not count for the resubmitted terms', async () => {
    const id = await submitted(cpmTerms({ budgetCap: '300000.00' }));
    expect((await approve(id, finance)).body.status).toBe('pending_approval');
    const rejected = await h.call('POST', `/v1/contracts/${id}/versions/1/reject`, {
      token: finance2.token,
      body: { reason: 'Cap must be higher' },
    });
    expect(rejected.body.status).toBe('rejected');
    const edited = await h.call('PATCH', `/v1/contracts/${id}/versions/1`, {
      token: ops.token,
      body: { terms: cpmTerms({ budgetCap: '900000.00' }) },
    });
    expect(edited.body.status).toBe('draft');
    expect((await h.call('POST', `/v1/contracts/${id}/versions/1/submit`, { token: ops.token })).body.status).toBe('pending_approval');

    // One approver has seen the new terms: not enough for a large contract.
    const first = await approve(id, admin);
    expect(first.status).toBe(200);
    expect(first.body.status).toBe('pending_approval');
    // Whoever approved the old terms approves the new ones afresh: a new round, a new approval.
    const second = await approve(id, finance);
    expect(second.status).toBe(200);
    expect(second.body.status).toBe('approved');
    // Every approval stays in the history, the stale one included.
    expect(second.body.approvals.map((approval: { by: string }) => approval.by)).toEqual([finance.id, admin.id, finance.id]);
    const log = await h.call('GET', `/v1/audit?entityType=contract&entityId=${id}`, { token: finance.token });
    const approvals = (log.body.data as { action: string; after: { approvals: number } }[]).filter((entry) =>
      entry.action.startsWith('contract_version.approv'),
    );
    expect(approvals.map((entry) => entry.after.approvals)).toEqual([1, 1, 2]);
    // Within a round, the same approver still counts once.
    const again = await submitted(cpmTerms({ budgetCap: '300000.00' }));
    await approve(again, finance);
    expect((await approve(again, finance)).body.code).toBe('already_approved_by_you');
  });

  it('counts budget caps and minimums in the committed value', async () => {
    // 200,000 of caps plus a 20,000 monthly minimum over three months: 260,000.
    const terms = cpmTerms({ budgetCap: '150000.00', minimumSpend: { amount: '20000.00', per: 'period' } });
    (terms.lineItems[0] as Record<string, unknown>).budgetCap = '50000.00';
    const id = await submitted(terms);
    expect((await h.call('GET', `/v1/contracts/${id}/versions/1`)).body.committedValue).toBe('260000');
    expect((await approve(id, finance)).body.status).toBe('pending_approval');
    expect((await approve(id, admin)).body.status).toBe('approved');
  });

  it('needs one approval below the threshold', async () => {
    const id = await submitted(cpmTerms({ budgetCap: '249999.99' }));
    const approved = await approve(id, finance);
    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe('approved');
    expect(approved.body.approvals).toHaveLength(1);
  });

  it('refuses invalid policies with the field named, and changes nothing', async () => {
    const tooFew = await h.call('PUT', '/v1/settings/approval-policy', {
      token: admin.token,
      body: { ...defaultPolicy, requiredApprovals: 3, largeContractApprovals: 2 },
    });
    expect(tooFew.status).toBe(400);
    expect(tooFew.body.errors).toContainEqual({ path: 'largeContractApprovals', message: expect.stringMatching(/requiredApprovals/) });

    const unknown = await h.call('PUT', '/v1/settings/approval-policy', { token: admin.token, body: { ...defaultPolicy, quorum: 3 } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.code).toBe('unknown_field');
    expect(unknown.body.errors).toContainEqual({ path: 'quorum', message: 'unknown field' });

    const badRole = await h.call('PUT', '/v1/settings/approval-policy', {
      token: admin.token,
      body: { ...defaultPolicy, approverRoles: ['ops'] },
    });
    expect(badRole.status).toBe(400);
    const numberThreshold = await h.call('PUT', '/v1/settings/approval-policy', {
      token: admin.token,
      body: { ...defaultPolicy, largeContractThreshold: 250000 },
    });
    expect(numberThreshold.status).toBe(400);
    expect(numberThreshold.body.errors[0].path).toBe('largeContractThreshold');

    // Only admins hold settings.write.
    expect((await h.call('PUT', '/v1/settings/approval-policy', { token: finance.token, body: defaultPolicy })).status).toBe(403);

    expect((await h.call('GET', '/v1/settings/approval-policy')).body).toEqual(defaultPolicy);
    const log = await h.call('GET', '/v1/audit?entityType=settings', { token: finance.token });
    expect(log.body.data).toEqual([]);
  });

  it('audits a change and applies it to versions already pending', async () => {
    const pending = await submitted(cpmTerms({ budgetCap: '1000.00' }));
    const policy = { ...defaultPolicy, requiredApprovals: 2 };
    const put = await h.call('PUT', '/v1/settings/approval-policy', { token: admin.token, body: policy });
    expect(put.status).toBe(200);
    expect(put.body).toEqual(policy);
    expect((await h.call('GET', '/v1/settings/approval-policy', { token: ops.token })).body).toEqual(policy);

    const log = await h.call('GET', '/v1/audit?entityType=settings&entityId=approval_policy', { token: finance.token });
    expect(log.body.data).toHaveLength(1);
    expect(log.body.data[0]).toMatchObject({
      actor: admin.id,
      action: 'settings.approval_policy_updated',
      before: defaultPolicy,
      after: policy,
    });

    const first = await approve(pending, finance);
    expect(first.body.status).toBe('pending_approval');
    expect((await approve(pending, finance2)).body.status).toBe('approved');

    // Back to one approval, and the audit chain still verifies.
    expect((await h.call('PUT', '/v1/settings/approval-policy', { token: admin.token, body: defaultPolicy })).status).toBe(200);
    const small = await submitted(cpmTerms({ budgetCap: '1000.00' }));
    expect((await approve(small, finance)).body.status).toBe('approved');
    expect((await h.call('GET', '/v1/audit/verify', { token: finance.token })).body.ok).toBe(true);
  });

  it('lets only the policy roles approve', async () => {
    const policy = { ...defaultPolicy, approverRoles: ['admin'] };
    expect((await h.call('PUT', '/v1/settings/approval-policy', { token: admin.token, body: policy })).status).toBe(200);
    try {
      const id = await submitted(cpmTerms({ budgetCap: '1000.00' }));
      const refused = await approve(id, finance);
      expect(refused.status).toBe(403);
      expect(refused.body.code).toBe('forbidden');
      expect((await approve(id, admin)).body.status).toBe('approved');
    } finally {
      await h.call('PUT', '/v1/settings/approval-policy', { token: admin.token, body: defaultPolicy });
    }
  });
});
