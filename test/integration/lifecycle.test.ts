/** The whole life of a contract over HTTP, every step audited, and the chain tamper-evident. */
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cpmTerms, advertiserBody } from '../support/fixtures.ts';
import { describeStore, type Harness, startHarness } from '../support/harness.ts';

describeStore('contract lifecycle', () => {
  let h: Harness;
  let ops: { id: string; token: string };
  let ops2: { id: string; token: string };
  let finance: { id: string; token: string };
  let finance2: { id: string; token: string };
  let partyId: string;

  beforeAll(async () => {
    h = await startHarness({ today: '2026-11-25' });
    ops = await h.user('ops');
    ops2 = await h.user('ops');
    finance = await h.user('finance');
    finance2 = await h.user('finance');
    const party = await h.call('POST', '/v1/parties', { token: ops.token, body: advertiserBody() });
    expect(party.status).toBe(201);
    partyId = party.body.id;
  });
  afterAll(async () => h?.close());

  it('goes create → edit → submit → reject → edit → resubmit → approve → amend → approve → renew → terminate', async () => {
    const auditBefore = await h.count('audit_entries');

    // Create: version 1 is a draft, the contract has no current version yet.
    const created = await h.call('POST', '/v1/contracts', {
      token: ops.token,
      body: { partyId, side: 'sell', name: 'Q4 CTV', terms: cpmTerms() },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(created.body.number).toMatch(/^IO-2026-\d{4}$/);
    expect(created.body).toMatchObject({
      status: 'draft',
      currentVersion: null,
      versions: [{ number: 1, kind: 'original', status: 'draft' }],
    });

    // Edit the draft with If-Match; a stale ETag afterwards is refused with 412.
    const v1 = await h.call('GET', `/v1/contracts/${id}/versions/1`, { token: ops.token });
    const etag = v1.headers.etag as string;
    expect(etag).toBeTruthy();
    const edited = await h.call('PATCH', `/v1/contracts/${id}/versions/1`, {
      token: ops.token,
      headers: { 'if-match': etag },
      body: { terms: cpmTerms({ budgetCap: '120000.00' }) },
    });
    expect(edited.status).toBe(200);
    expect(edited.body.terms.budgetCap).toBe('120000.00');
    expect(edited.headers.etag).not.toBe(etag);
    const stale = await h.call('PATCH', `/v1/contracts/${id}/versions/1`, {
      token: ops.token,
      headers: { 'if-match': etag },
      body: { terms: cpmTerms() },
    });
    expect(stale.status).toBe(412);
    expect(stale.body.code).toBe('precondition_failed');

    // Submit, then finance rejects with a reason.
    expect((await h.call('POST', `/v1/contracts/${id}/versions/1/submit`, { token: ops.token })).body.status).toBe('pending_approval');
    expect((await h.call('GET', `/v1/contracts/${id}`, { token: ops.token })).body.status).toBe('pending_approval');
    const rejected = await h.call('POST', `/v1/contracts/${id}/versions/1/reject`, {
      token: finance.token,
      body: { reason: 'Cap too high' },
    });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({ status: 'rejected', rejection: { by: finance.id, reason: 'Cap too high' } });

    // Edit the rejected version (back to draft) and resubmit.
    const fixed = await h.call('PATCH', `/v1/contracts/${id}/versions/1`, {
      token: ops.token,
      body: { terms: cpmTerms({ budgetCap: '90000.00' }) },
    });
    expect(fixed.body.status).toBe('draft');
    expect((await h.call('POST', `/v1/contracts/${id}/versions/1/submit`, { token: ops.token })).body.status).toBe('pending_approval');

    // The maker cannot approve: 403 maker_checker, even with an approver role.
    const adminMaker = await h.user('admin');
    const own = await h.call('POST', '/v1/contracts', {
      token: adminMaker.token,
      body: { partyId, side: 'sell', name: 'Own', terms: cpmTerms() },
    });
    await h.call('POST', `/v1/contracts/${own.body.id}/versions/1/submit`, { token: adminMaker.token });
    const selfApproval = await h.call('POST', `/v1/contracts/${own.body.id}/versions/1/approve`, { token: adminMaker.token, body: {} });
    expect(selfApproval.status).toBe(403);
    expect(selfApproval.body.code).toBe('maker_checker');
    // Ops may not approve at all.
    expect((await h.call('POST', `/v1/contracts/${id}/versions/1/approve`, { token: ops2.token })).status).toBe(403);

    // A second user approves: the contract is active (2026-11-25 is inside Oct–Dec).
    const approved = await h.call('POST', `/v1/contracts/${id}/versions/1/approve`, {
      token: finance.token,
      body: { comment: 'Matches the signed IO' },
    });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'approved', approvals: [{ by: finance.id, comment: 'Matches the signed IO' }] });
    const active = await h.call('GET', `/v1/contracts/${id}`, { token: ops.token });
    expect(active.body).toMatchObject({ status: 'active', currentVersion: 1, startDate: '2026-10-01', endDate: '2026-12-31' });

    // An approved version can no longer be edited.
    const late = await h.call('PATCH', `/v1/contracts/${id}/versions/1`, { token: ops.token, body: { terms: cpmTerms() } });
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('version_not_draft');

    // Amend mid-flight: a new rate from 2026-11-15, approved by the other finance user.
    const amendedTerms = cpmTerms({ budgetCap: '90000.00' });
    (amendedTerms.lineItems[0] as { pricing: { ratePerMille: string } }).pricing.ratePerMille = '27.50';
    const amendment = await h.call('POST', `/v1/contracts/${id}/amendments`, {
      token: ops2.token,
      body: { effectiveFrom: '2026-11-15', terms: amendedTerms, reason: 'Rate card change' },
    });
    expect(amendment.status).toBe(201);
    expect(amendment.body).toMatchObject({ number: 2, kind: 'amendment', status: 'draft', effectiveFrom: '2026-11-15' });
    // One change at a time: a second amendment while this one is open is refused.
    const second = await h.call('POST', `/v1/contracts/${id}/amendments`, {
      token: ops.token,
      body: { effectiveFrom: '2026-11-20', terms: amendedTerms, reason: 'x' },
    });
    expect(second.body.code).toBe('version_in_progress');
    await h.call('POST', `/v1/contracts/${id}/versions/2/submit`, { token: ops2.token });
    expect((await h.call('POST', `/v1/contracts/${id}/versions/2/approve`, { token: finance2.token })).body.status).toBe('approved');

    const diff = await h.call('GET', `/v1/contracts/${id}/diff?from=1&to=2`, { token: ops.token });
    expect(diff.body.changes).toEqual([{ path: 'lineItems[display].pricing.ratePerMille', from: '25.00', to: '27.50' }]);

    // Renew by the renewal clause's term (3 months): the end date moves to 2027-03-31.
    const renewal = await h.call('POST', `/v1/contracts/${id}/renew`, { token: ops.token, body: {} });
    expect(renewal.status).toBe(201);
    expect(renewal.body).toMatchObject({ number: 3, kind: 'renewal', effectiveFrom: '2027-01-01' });
    expect(renewal.body.terms.endDate).toBe('2027-03-31');
    await h.call('POST', `/v1/contracts/${id}/versions/3/submit`, { token: ops.token });
    await h.call('POST', `/v1/contracts/${id}/versions/3/approve`, { token: finance.token });
    expect((await h.call('GET', `/v1/contracts/${id}`, { token: ops.token })).body.endDate).toBe('2027-03-31');

    // Terminate at the end of January; once approved the end date is the termination date.
    const termination = await h.call('POST', `/v1/contracts/${id}/terminate`, {
      token: ops.token,
      body: { effectiveDate: '2027-01-31', reason: 'Advertiser paused CTV' },
    });
    expect(termination.status).toBe(201);
    expect(termination.body).toMatchObject({ number: 4, kind: 'termination' });
    expect(termination.body.terms).toMatchObject({ endDate: '2027-01-31', renewal: { mode: 'none' } });
    await h.call('POST', `/v1/contracts/${id}/versions/4/submit`, { token: ops.token });
    await h.call('POST', `/v1/contracts/${id}/versions/4/approve`, { token: finance.token });
    const ended = await h.call('GET', `/v1/contracts/${id}`, { token: ops.token });
    expect(ended.body).toMatchObject({ status: 'active', endDate: '2027-01-31', currentVersion: 4 });
    expect((await h.call('POST', `/v1/contracts/${id}/renew`, { token: ops.token })).body.code).toBe('contract_terminated');

    // Every step is in the audit log for the contract, and the chain verifies.
    const log = await h.call('GET', `/v1/audit?entityType=contract&entityId=${id}&limit=500`, { token: finance.token });
    const actions = (log.body.data as { action: string }[]).map((entry) => entry.action);
    expect(actions).toEqual([
      'contract.created',
      'contract_version.created',
      'contract_version.edited',
      'contract_version.submitted',
      'contract_version.rejected',
      'contract_version.edited',
      'contract_version.submitted',
      'contract_version.approved',
      'contract_version.created',
      'contract_version.submitted',
      'contract_version.approved',
      'contract_version.created',
      'contract_version.submitted',
      'contract_version.approved',
      'contract_version.created',
      'contract_version.submitted',
      'contract_version.approved',
    ]);
    expect(await h.count('audit_entries')).toBeGreaterThan(auditBefore + actions.length);
    const verify = await h.call('GET', '/v1/audit/verify', { token: finance.token });
    expect(verify.body).toMatchObject({ ok: true, firstBroken: null });
    expect(verify.body.checked).toBe(await h.count('audit_entries'));
  });

  it('names the first tampered audit entry', async () => {
    const party = await h.call('POST', '/v1/parties', { token: ops.token, body: advertiserBody({ name: 'Tamper target' }) });
    const entries = await h.call('GET', `/v1/audit?entityType=party&entityId=${party.body.id}`, { token: finance.token });
    const target = entries.body.data[0] as { seq: number; id: string };
    // Someone with database access edits history: the trigger must be disabled first to do so.
    await sql`alter table audit_entries disable trigger audit_entries_append_only`.execute(h.store.db);
    await sql`update audit_entries set after = jsonb_set(after, '{name}', '"Someone else"') where seq = ${target.seq}`.execute(h.store.db);
    await sql`alter table audit_entries enable trigger audit_entries_append_only`.execute(h.store.db);
    const verify = await h.call('GET', '/v1/audit/verify', { token: finance.token });
    expect(verify.body.ok).toBe(false);
    expect(verify.body.firstBroken).toMatchObject({ seq: target.seq, id: target.id });
    expect(verify.body.firstBroken.reason).toMatch(/hash/);
  });
});
