/** Renewals (manual and automatic), notice of non-renewal, termination, derived statuses and withdrawal. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { advertiserBody, cpmTerms } from '../support/fixtures.ts';
import { describeStore, type Harness, startHarness } from '../support/harness.ts';

type User = { id: string; token: string };

interface Actors {
  ops: User;
  finance: User;
  partyId: string;
}

async function setUp(h: Harness): Promise<Actors> {
  const ops = await h.user('ops');
  const finance = await h.user('finance');
  const party = await h.call('POST', '/v1/parties', { token: ops.token, body: advertiserBody() });
  expect(party.status).toBe(201);
  return { ops, finance, partyId: party.body.id as string };
}

/** Creates a contract as ops; `approve` submits it and has finance approve it. Returns its id. */
async function contract(
  h: Harness,
  actors: Actors,
  terms: Record<string, unknown>,
  options: { submit?: boolean; approve?: boolean } = {},
): Promise<string> {
  const created = await h.call('POST', '/v1/contracts', {
    token: actors.ops.token,
    body: { partyId: actors.partyId, side: 'sell', name: 'Renewal test', terms },
  });
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  if (options.submit || options.approve) {
    expect((await h.call('POST', `/v1/contracts/${id}/versions/1/submit`, { token: actors.ops.token })).status).toBe(200);
  }
  if (options.approve) {
    const approved = await h.call('POST', `/v1/contracts/${id}/versions/1/approve`, { token: actors.finance.token, body: {} });
    expect(approved.body.status).toBe('approved');
  }
  return id;
}

/** Submits and approves a later version. */
async function approveVersion(h: Harness, actors: Actors, id: string, number: number): Promise<void> {
  expect((await h.call('POST', `/v1/contracts/${id}/versions/${number}/submit`, { token: actors.ops.token })).status).toBe(200);
  const approved = await h.call('POST', `/v1/contracts/${id}/versions/${number}/approve`, { token: actors.finance.token, body: {} });
  expect(approved.body.status).toBe('approved');
}

const autoRenewal = { mode: 'auto', termMonths: 3, noticeDays: 30 };

describeStore('manual renewal', () => {
  let h: Harness;
  let actors: Actors;

  beforeAll(async () => {
    h = await startHarness({ today: '2026-11-25' });
    actors = await setUp(h);
  });
  afterAll(async () => h?.close());

  it('takes the term from the renewal clause and keeps a month-end a month-end', async () => {
    const id = await contract(h, actors, cpmTerms(), { approve: true });
    const renewal = await h.call('POST', `/v1/contracts/${id}/renew`, { token: actors.ops.token });
    expect(renewal.status).toBe(201);
    expect(renewal.body).toMatchObject({
      number: 2,
      kind: 'renewal',
      status: 'draft',
      effectiveFrom: '2027-01-01',
      createdBy: actors.ops.id,
    });
    expect(renewal.body.terms).toMatchObject({ startDate: '2026-10-01', endDate: '2027-03-31' });
    // Until the renewal is approved, the contract keeps its old end date.
    expect((await h.call('GET', `/v1/contracts/${id}`, { token: actors.ops.token })).body.endDate).toBe('2026-12-31');
    await approveVersion(h, actors, id, 2);
    expect((await h.call('GET', `/v1/contracts/${id}`, { token: actors.ops.token })).body).toMatchObject({
      currentVersion: 2,
      endDate: '2027-03-31',
    });
  });

  it('takes termMonths from the request over the clause', async () => {
    const id = await contract(h, actors, cpmTerms(), { approve: true });
    const renewal = await h.call('POST', `/v1/contracts/${id}/renew`, { token: actors.ops.token, body: { termMonths: 6 } });
    expect(renewal.status).toBe(201);
    expect(renewal.body.terms.endDate).toBe('2027-06-30');
    expect(renewal.body.reason).toMatch(/6 months/);
  });

  it('clamps a mid-month end date to a shorter month', async () => {
    const id = await contract(
      h,
      actors,
      cpmTerms({ startDate: '2026-08-01', endDate: '2026-11-30', renewal: { mode: 'manual', termMonths: 3, noticeDays: 10 } }),
      { approve: true },
    );
    const renewal = await h.call('POST', `/v1/contracts/${id}/renew`, { token: actors.ops.token });
    expect(renewal.body.terms.endDate).toBe('2027-02-28');
    const midMonth = await contract(h, actors, cpmTerms({ endDate: '2026-12-15' }), { approve: true });
    const midRenewal = await h.call('POST', `/v1/contracts/${midMonth}/renew`, { token: actors.ops.token, body: { termMonths: 2 } });
    expect(midRenewal.body).toMatchObject({ effectiveFrom: '2026-12-16', terms: { endDate: '2027-02-15' } });
  });

  it('extends the line items that ran to the old end date and leaves the others', async () => {
    const terms = cpmTerms({
      lineItems: [
        { key: 'display', name: 'CTV display', endDate: '2026-12-31', pricing: { model: 'cpm', ratePerMille: '25.00' } },
        {
          key: 'holiday',
          name: 'Holiday burst',
          startDate: '2026-11-15',
          endDate: '2026-12-24',
          pricing: { model: 'cpm', ratePerMille: '30.00' },
        },
        { key: 'open', name: 'Open-ended', pricing: { model: 'cpm', ratePerMille: '20.00' } },
      ],
    });
    const id = await contract(h, actors, terms, { approve: true });
    const renewal = await h.call('POST', `/v1/contracts/${id}/renew`, { token: actors.ops.token });
    expect(renewal.status).toBe(201);
    const items = renewal.body.terms.lineItems as { key: string; startDate?: string; endDate?: string }[];
    expect(items.find((item) => item.key === 'display')?.endDate).toBe('2027-03-31');
    expect(items.find((item) => item.key === 'holiday')).toMatchObject({ startDate: '2026-11-15', endDate: '2026-12-24' });
    expect(items.find((item) => item.key === 'open')?.endDate).toBeUndefined();
  });

  it('refuses a renewal past 9999-12-31 with a 400, not a crash', async () => {
    const evergreen = await contract(h, actors, cpmTerms({ endDate: '9999-12-31' }), { approve: true });
    const refused = await h.call('POST', `/v1/contracts/${evergreen}/renew`, { token: actors.ops.token, body: { termMonths: 1 } });
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe('validation_failed');
    expect(refused.body.errors).toContainEqual(expect.objectContaining({ path: 'termMonths' }));
    expect((await h.call('GET', `/v1/contracts/${evergreen}`)).body.versions).toHaveLength(1);
    // Up to the last month is fine.
    const late = await contract(h, actors, cpmTerms({ endDate: '9999-09-30' }), { approve: true });
    const renewal = await h.call('POST', `/v1/contracts/${late}/renew`, { token: actors.ops.token, body: { termMonths: 3 } });
    expect(renewal.status).toBe(201);
    expect(renewal.body.terms.endDate).toBe('9999-12-31');
  });

  it('refuses a renewal before approval and while another version is open', async () => {
    const draft = await contract(h, actors, cpmTerms());
    const early = await h.call('POST', `/v1/contracts/${draft}/renew`, { token: actors.ops.token });
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('contract_not_approved');
    const id = await contract(h, actors, cpmTerms(), { approve: true });
    expect((await h.call('POST', `/v1/contracts/${id}/renew`, { token: actors.ops.token })).status).toBe(201);
    const twice = await h.call('POST', `/v1/contracts/${id}/renew`, { token: actors.ops.token });
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('version_in_progress');
  });
});

describeStore('automatic renewal', () => {
  let h: Harness;
  let actors: Actors;

  beforeAll(async () => {
    h = await startHarness({ today: '2026-11-25' });
    actors = await setUp(h);
  });
  afterAll(async () => h?.close());

  const run = async (asOf: string) => {
    const result = await h.call('POST', '/v1/renewals/run', { token: actors.finance.token, body: { asOf } });
    expect(result.status).toBe(200);
    expect(result.body.asOf).toBe(asOf);
    return result.body as {
      renewed: { contractId: string; version: number; endDate: string }[];
      skipped: { contractId: string; reason: string }[];
    };
  };
  const renewedIds = (result: { renewed: { contractId: string }[] }) => result.renewed.map((entry) => entry.contractId);

  it('renews a contract once when runs of the same day overlap (on PostgreSQL they really run side by side)', async () => {
    // Ends 2040-06-30, 30 days' notice: three runs as of 2040-06-15 at once renew it once, to
    // 2040-09-30 (version 2). A run that waited for the contract's lock sees the first run's renewal.
    const id = await contract(h, actors, cpmTerms({ startDate: '2040-01-01', endDate: '2040-06-30', renewal: autoRenewal }), {
      approve: true,
    });
    const results = await Promise.all([run('2040-06-15'), run('2040-06-15'), run('2040-06-15')]);
    expect(results.flatMap((result) => result.renewed).filter((entry) => entry.contractId === id)).toEqual([
      { contractId: id, version: 2, endDate: '2040-09-30' },
    ]);
    expect((await h.call('GET', `/v1/contracts/${id}`)).body).toMatchObject({ currentVersion: 2, endDate: '2040-09-30' });
  });

  it('renews inside the notice window only, approved by system and audited', async () => {
    // Ends 2030-06-30 with 30 days' notice: the window opens on 2030-05-31. Far-off dates keep the
    // other tests' contracts out of this one's runs.
    const id = await contract(h, actors, cpmTerms({ startDate: '2030-01-01', endDate: '2030-06-30', renewal: autoRenewal }), {
      approve: true,
    });

    expect(renewedIds(await run('2030-05-30'))).not.toContain(id);
    expect((await h.call('GET', `/v1/contracts/${id}`)).body.versions).toHaveLength(1);

    const result = await run('2030-05-31');
    expect(result.renewed).toContainEqual({ contractId: id, version: 2, endDate: '2030-09-30' });

    const version = await h.call('GET', `/v1/contracts/${id}/versions/2`);
    expect(version.body).toMatchObject({
      kind: 'renewal',
      status: 'approved',
      effectiveFrom: '2030-07-01',
      createdBy: 'system',
      submittedBy: 'system',
    });
    expect(version.body.terms).toMatchObject({ endDate: '2030-09-30', renewal: autoRenewal });
    expect((await h.call('GET', `/v1/contracts/${id}`)).body).toMatchObject({ currentVersion: 2, endDate: '2030-09-30' });

    const log = await h.call('GET', `/v1/audit?entityType=contract&entityId=${id}`, { token: actors.finance.token });
    const entries = log.body.data as { action: string; actor: string; after: { version: number; status: string } }[];
    const autoRenewed = entries.filter((entry) => entry.action === 'contract_version.auto_renewed');
    expect(autoRenewed).toHaveLength(1);
    expect(autoRenewed[0]).toMatchObject({ actor: 'system', after: { version: 2, status: 'approved' } });
  });

  it('renews on the end date itself, not after it', async () => {
    const onEnd = await contract(h, actors, cpmTerms({ startDate: '2031-01-01', endDate: '2031-03-31', renewal: autoRenewal }), {
      approve: true,
    });
    const afterEnd = await contract(h, actors, cpmTerms({ startDate: '2031-01-01', endDate: '2031-03-30', renewal: autoRenewal }), {
      approve: true,
    });
    const result = await run('2031-03-31');
    expect(renewedIds(result)).toContain(onEnd);
    expect(renewedIds(result)).not.toContain(afterEnd);
    expect((await h.call('GET', `/v1/contracts/${afterEnd}`)).body.currentVersion).toBe(1);
  });

  it('is idempotent: the same asOf twice renews once', async () => {
    // A one-month term with 60 days' notice: after renewing, the new end is still inside the window.
    const id = await contract(
      h,
      actors,
      cpmTerms({ startDate: '2032-01-01', endDate: '2032-03-31', renewal: { mode: 'auto', termMonths: 1, noticeDays: 60 } }),
      { approve: true },
    );
    expect(renewedIds(await run('2032-03-15'))).toContain(id);
    const second = await run('2032-03-15');
    expect(renewedIds(second)).not.toContain(id);
    expect(second.skipped.map((entry) => entry.contractId)).not.toContain(id);
    const read = await h.call('GET', `/v1/contracts/${id}`);
    expect(read.body.versions).toHaveLength(2);
    expect(read.body.endDate).toBe('2032-04-30');
  });

  it('leaves manual and non-renewing contracts alone', async () => {
    const manual = await contract(
      h,
      actors,
      cpmTerms({ startDate: '2033-01-01', endDate: '2033-03-31', renewal: { mode: 'manual', termMonths: 3, noticeDays: 30 } }),
      { approve: true },
    );
    const none = await contract(h, actors, cpmTerms({ startDate: '2033-01-01', endDate: '2033-03-31', renewal: { mode: 'none' } }), {
      approve: true,
    });
    const unset = await contract(h, actors, cpmTerms({ startDate: '2033-01-01', endDate: '2033-03-31', renewal: undefined }), {
      approve: true,
    });
    const auto = await contract(h, actors, cpmTerms({ startDate: '2033-01-01', endDate: '2033-03-31', renewal: autoRenewal }), {
      approve: true,
    });
    const result = await run('2033-03-20');
    expect(renewedIds(result)).toEqual([auto]);
    for (const id of [manual, none, unset]) expect((await h.call('GET', `/v1/contracts/${id}`)).body.versions).toHaveLength(1);
  });

  it('does not renew a contract that is not approved yet', async () => {
    const pending = await contract(h, actors, cpmTerms({ startDate: '2034-01-01', endDate: '2034-03-31', renewal: autoRenewal }), {
      submit: true,
    });
    const result = await run('2034-03-20');
    expect(renewedIds(result)).not.toContain(pending);
    expect((await h.call('GET', `/v1/contracts/${pending}`)).body.versions).toHaveLength(1);
  });

  it('skips and reports a contract with a version in progress', async () => {
    const id = await contract(h, actors, cpmTerms({ startDate: '2035-01-01', endDate: '2035-03-31', renewal: autoRenewal }), {
      approve: true,
    });
    const amendment = await h.call('POST', `/v1/contracts/${id}/amendments`, {
      token: actors.ops.token,
      body: {
        effectiveFrom: '2035-02-01',
        terms: cpmTerms({ startDate: '2035-01-01', endDate: '2035-03-31', renewal: autoRenewal, budgetCap: '90000.00' }),
        reason: 'Lower cap',
      },
    });
    expect(amendment.status).toBe(201);
    const result = await run('2035-03-20');
    expect(renewedIds(result)).not.toContain(id);
    const skipped = result.skipped.find((entry) => entry.contractId === id);
    expect(skipped?.reason).toMatch(/version 2/);
    expect((await h.call('GET', `/v1/contracts/${id}`)).body).toMatchObject({ currentVersion: 1, endDate: '2035-03-31' });
  });

  it('reports a contract that cannot renew and still renews the others', async () => {
    const evergreen = await contract(
      h,
      actors,
      cpmTerms({ startDate: '9999-01-01', endDate: '9999-12-31', renewal: { mode: 'auto', termMonths: 12, noticeDays: 365 } }),
      { approve: true },
    );
    const renewable = await contract(
      h,
      actors,
      cpmTerms({ startDate: '9999-01-01', endDate: '9999-09-30', renewal: { mode: 'auto', termMonths: 3, noticeDays: 90 } }),
      { approve: true },
    );
    const result = await run('9999-09-15');
    expect(result.renewed).toContainEqual({ contractId: renewable, version: 2, endDate: '9999-12-31' });
    expect(result.skipped.find((entry) => entry.contractId === evergreen)?.reason).toMatch(/9999-12-31/);
    expect((await h.call('GET', `/v1/contracts/${evergreen}`)).body.versions).toHaveLength(1);
  });

  it('needs the renewals permission', async () => {
    const refused = await h.call('POST', '/v1/renewals/run', { token: actors.ops.token, body: { asOf: '2030-05-31' } });
    expect(refused.status).toBe(403);
  });
});

describeStore('notice of non-renewal', () => {
  let h: Harness;
  let actors: Actors;

  beforeAll(async () => {
    h = await startHarness({ today: '2026-11-25' });
    actors = await setUp(h);
  });
  afterAll(async () => h?.close());

  it('stops the automatic renewal, and can be given only once', async () => {
    // Ends 2026-12-31 with 30 days' notice: the deadline is 2026-12-01, after today (2026-11-25).
    const id = await contract(h, actors, cpmTerms({ renewal: autoRenewal }), { approve: true });
    const notice = await h.call('POST', `/v1/contracts/${id}/non-renewal-notice`, {
      token: actors.ops.token,
      body: { reason: 'Budget moves to retail media' },
    });
    expect(notice.status).toBe(200);
    expect(notice.body.nonRenewalNotice).toMatchObject({ by: actors.ops.id, reason: 'Budget moves to retail media' });

    const again = await h.call('POST', `/v1/contracts/${id}/non-renewal-notice`, { token: actors.ops.token, body: {} });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('notice_already_given');

    const result = await h.call('POST', '/v1/renewals/run', { token: actors.finance.token, body: { asOf: '2026-12-20' } });
    expect(result.status).toBe(200);
    expect(result.body.renewed.map((entry: { contractId: string }) => entry.contractId)).not.toContain(id);
    expect((await h.call('GET', `/v1/contracts/${id}`)).body).toMatchObject({ currentVersion: 1, endDate: '2026-12-31' });

    const log = await h.call('GET', `/v1/audit?entityType=contract&entityId=${id}`, { token: actors.finance.token });
    expect((log.body.data as { action: string }[]).map((entry) => entry.action)).toContain('contract.non_renewal_notice_given');
  });

  it('is cleared by an agreed renewal, so the next term auto-renews again', async () => {
    const id = await contract(h, actors, cpmTerms({ renewal: autoRenewal }), { approve: true });
    await h.call('POST', `/v1/contracts/${id}/non-renewal-notice`, { token: actors.ops.token, body: { reason: 'Reviewing' } });
    expect((await h.call('GET', `/v1/contracts/${id}`)).body.nonRenewalNotice).not.toBeNull();
    expect((await h.call('POST', `/v1/contracts/${id}/renew`, { token: actors.ops.token })).status).toBe(201);
    await approveVersion(h, actors, id, 2);
    const renewed = await h.call('GET', `/v1/contracts/${id}`);
    expect(renewed.body).toMatchObject({ endDate: '2027-03-31', nonRenewalNotice: null });
    // The new term ends 2027-03-31 with 30 days' notice: the run renews it inside its window.
    const run = await h.call('POST', '/v1/renewals/run', { token: actors.finance.token, body: { asOf: '2027-03-15' } });
    expect(run.body.renewed.map((entry: { contractId: string }) => entry.contractId)).toContain(id);
  });

  it('is accepted on the deadline day itself', async () => {
    // Ends 2026-12-25 with 30 days' notice: the deadline is today.
    const id = await contract(h, actors, cpmTerms({ endDate: '2026-12-25', renewal: autoRenewal }), { approve: true });
    expect((await h.call('POST', `/v1/contracts/${id}/non-renewal-notice`, { token: actors.ops.token })).status).toBe(200);
  });

  it('is refused after the deadline', async () => {
    // Ends 2026-12-24 with 30 days' notice: the deadline was yesterday.
    const id = await contract(h, actors, cpmTerms({ endDate: '2026-12-24', renewal: autoRenewal }), { approve: true });
    const late = await h.call('POST', `/v1/contracts/${id}/non-renewal-notice`, { token: actors.ops.token });
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('notice_period_passed');
    expect((await h.call('GET', `/v1/contracts/${id}`)).body.nonRenewalNotice).toBeNull();
  });

  it('is refused on a contract that does not renew automatically', async () => {
    for (const renewal of [{ mode: 'manual', termMonths: 3, noticeDays: 30 }, { mode: 'none' }]) {
      const id = await contract(h, actors, cpmTerms({ renewal }), { approve: true });
      const refused = await h.call('POST', `/v1/contracts/${id}/non-renewal-notice`, { token: actors.ops.token });
      expect(refused.status).toBe(409);
      expect(refused.body.code).toBe('renewal_not_configured');
    }
  });
});

describeStore('termination, derived status and withdrawal', () => {
  let h: Harness;
  let actors: Actors;

  beforeAll(async () => {
    h = await startHarness({ today: '2026-11-25' });
    actors = await setUp(h);
  });
  afterAll(async () => h?.close());

  it('refuses a termination date outside the contract', async () => {
    const id = await contract(h, actors, cpmTerms(), { approve: true });
    for (const effectiveDate of ['2026-09-30', '2027-01-01']) {
      const refused = await h.call('POST', `/v1/contracts/${id}/terminate`, {
        token: actors.ops.token,
        body: { effectiveDate, reason: 'Out of range' },
      });
      expect(refused.status).toBe(422);
      expect(refused.body.code).toBe('effective_date_out_of_range');
      expect(refused.body.errors).toContainEqual(expect.objectContaining({ path: 'effectiveDate' }));
    }
    expect((await h.call('GET', `/v1/contracts/${id}`)).body.versions).toHaveLength(1);
    // Both ends of the range are allowed.
    const onLastDay = await h.call('POST', `/v1/contracts/${id}/terminate`, {
      token: actors.ops.token,
      body: { effectiveDate: '2026-12-31', reason: 'Last day' },
    });
    expect(onLastDay.status).toBe(201);
  });

  it('refuses a termination before any line item starts with a clear reason', async () => {
    const terms = cpmTerms({
      lineItems: [{ key: 'holiday', name: 'Holiday burst', startDate: '2026-12-01', pricing: { model: 'cpm', ratePerMille: '30.00' } }],
    });
    const id = await contract(h, actors, terms, { approve: true });
    const early = await h.call('POST', `/v1/contracts/${id}/terminate`, {
      token: actors.ops.token,
      body: { effectiveDate: '2026-11-15', reason: 'Cancelled before launch' },
    });
    expect(early.status).toBe(422);
    expect(early.body.code).toBe('effective_date_out_of_range');
    expect(early.body.detail).toMatch(/2026-12-01/);
    expect(early.body.errors).toEqual([{ path: 'effectiveDate', message: expect.stringMatching(/2026-12-01/) }]);
    const onStart = await h.call('POST', `/v1/contracts/${id}/terminate`, {
      token: actors.ops.token,
      body: { effectiveDate: '2026-12-01', reason: 'One day only' },
    });
    expect(onStart.status).toBe(201);
    expect(onStart.body.terms.lineItems).toEqual([expect.objectContaining({ key: 'holiday', startDate: '2026-12-01' })]);
  });

  it('derives draft, pending_approval, scheduled, active, expired and terminated, and lists by status', async () => {
    const draft = await contract(h, actors, cpmTerms());
    const pending = await contract(h, actors, cpmTerms(), { submit: true });
    const scheduled = await contract(h, actors, cpmTerms({ startDate: '2027-01-01', endDate: '2027-03-31' }), { approve: true });
    const active = await contract(h, actors, cpmTerms(), { approve: true });
    const expired = await contract(h, actors, cpmTerms({ startDate: '2026-01-01', endDate: '2026-06-30' }), { approve: true });
    const terminated = await contract(h, actors, cpmTerms({ startDate: '2026-01-01', endDate: '2026-12-31' }), { approve: true });
    const termination = await h.call('POST', `/v1/contracts/${terminated}/terminate`, {
      token: actors.ops.token,
      body: { effectiveDate: '2026-06-30', reason: 'Ended early' },
    });
    expect(termination.status).toBe(201);
    // Pending termination: still active until it is approved.
    expect((await h.call('GET', `/v1/contracts/${terminated}`)).body.status).toBe('active');
    await approveVersion(h, actors, terminated, 2);
    // A termination that ends the contract later leaves it active until then.
    const terminatedLater = await contract(h, actors, cpmTerms(), { approve: true });
    await h.call('POST', `/v1/contracts/${terminatedLater}/terminate`, {
      token: actors.ops.token,
      body: { effectiveDate: '2026-12-15', reason: 'Ends mid-December' },
    });
    await approveVersion(h, actors, terminatedLater, 2);

    const expected: Record<string, string> = {
      [draft]: 'draft',
      [pending]: 'pending_approval',
      [scheduled]: 'scheduled',
      [active]: 'active',
      [expired]: 'expired',
      [terminated]: 'terminated',
      [terminatedLater]: 'active',
    };
    for (const [id, status] of Object.entries(expected)) {
      expect((await h.call('GET', `/v1/contracts/${id}`)).body.status, id).toBe(status);
    }
    expect((await h.call('GET', `/v1/contracts/${terminated}`)).body).toMatchObject({ endDate: '2026-06-30', currentVersion: 2 });

    for (const status of ['draft', 'pending_approval', 'scheduled', 'active', 'expired', 'terminated']) {
      const list = await h.call('GET', `/v1/contracts?status=${status}&limit=500`);
      expect(list.status).toBe(200);
      const ids = (list.body.data as { id: string; status: string }[]).filter((row) => row.id in expected);
      expect(
        ids.every((row) => row.status === status),
        status,
      ).toBe(true);
      expect(ids.map((row) => row.id).sort(), status).toEqual(
        Object.entries(expected)
          .filter(([, value]) => value === status)
          .map(([id]) => id)
          .sort(),
      );
    }
    expect((await h.call('GET', '/v1/contracts?status=finished')).status).toBe(400);
  });

  it('shows the same contract as scheduled, active or expired depending on today', async () => {
    const id = await contract(h, actors, cpmTerms({ startDate: '2026-10-01', endDate: '2026-12-31' }), { approve: true });
    const seen: string[] = [];
    try {
      for (const today of ['2026-09-30', '2026-10-01', '2026-12-31', '2027-01-01']) {
        h.setToday(today);
        seen.push((await h.call('GET', `/v1/contracts/${id}`)).body.status as string);
      }
    } finally {
      h.setToday('2026-11-25');
    }
    expect(seen).toEqual(['scheduled', 'active', 'active', 'expired']);
  });

  it('withdraws an open amendment so that a new one can start; the original cannot be withdrawn', async () => {
    const id = await contract(h, actors, cpmTerms(), { approve: true });
    const amend = (budgetCap: string) =>
      h.call('POST', `/v1/contracts/${id}/amendments`, {
        token: actors.ops.token,
        body: { effectiveFrom: '2026-12-01', terms: cpmTerms({ budgetCap }), reason: 'Cap change' },
      });
    expect((await amend('90000.00')).status).toBe(201);
    expect((await amend('80000.00')).body.code).toBe('version_in_progress');

    const withdrawn = await h.call('POST', `/v1/contracts/${id}/versions/2/withdraw`, {
      token: actors.ops.token,
      body: { reason: 'Advertiser changed their mind' },
    });
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body.status).toBe('withdrawn');
    // A withdrawn version cannot be submitted or withdrawn again.
    expect((await h.call('POST', `/v1/contracts/${id}/versions/2/submit`, { token: actors.ops.token })).status).toBe(409);
    expect((await h.call('POST', `/v1/contracts/${id}/versions/2/withdraw`, { token: actors.ops.token })).body.code).toBe(
      'version_not_editable',
    );

    const next = await amend('80000.00');
    expect(next.status).toBe(201);
    expect(next.body.number).toBe(3);
    const read = await h.call('GET', `/v1/contracts/${id}`);
    expect(read.body.versions.map((version: { number: number; status: string }) => [version.number, version.status])).toEqual([
      [1, 'approved'],
      [2, 'withdrawn'],
      [3, 'draft'],
    ]);
    expect(read.body.currentVersion).toBe(1);

    // A pending version can be withdrawn too; an approved one cannot.
    await h.call('POST', `/v1/contracts/${id}/versions/3/submit`, { token: actors.ops.token });
    expect((await h.call('POST', `/v1/contracts/${id}/versions/3/withdraw`, { token: actors.ops.token })).body.status).toBe('withdrawn');
    const approvedWithdraw = await h.call('POST', `/v1/contracts/${id}/versions/1/withdraw`, { token: actors.ops.token });
    expect(approvedWithdraw.status).toBe(409);
    expect(approvedWithdraw.body.code).toBe('version_not_editable');

    // Even a draft original is not withdrawn: it is edited instead.
    const fresh = await contract(h, actors, cpmTerms());
    const original = await h.call('POST', `/v1/contracts/${fresh}/versions/1/withdraw`, { token: actors.ops.token });
    expect(original.status).toBe(409);
    expect(original.body.code).toBe('version_not_editable');
    expect((await h.call('GET', `/v1/contracts/${fresh}/versions/1`)).body.status).toBe('draft');
  });
});
