/** The database itself refuses to rewrite history: each append-only trigger, proved with plain SQL. */
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { advertiserBody, cpmTerms, partnerBody } from '../support/fixtures.ts';
import { describeStore, type Harness, startHarness } from '../support/harness.ts';

/** Runs a statement that must fail; returns the error's message. */
async function refusal(statement: Promise<unknown>): Promise<string> {
  try {
    await statement;
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('the statement was not refused');
}

describeStore('append-only history', () => {
  let h: Harness;
  let contractId: string;
  let draftContractId: string;

  beforeAll(async () => {
    h = await startHarness({ today: '2026-11-25' });
    const ops = await h.user('ops');
    const finance = await h.user('finance');
    const party = await h.call('POST', '/v1/parties', { token: ops.token, body: advertiserBody() });
    const create = (name: string) =>
      h.call('POST', '/v1/contracts', { token: ops.token, body: { partyId: party.body.id, side: 'sell', name, terms: cpmTerms() } });
    const approved = await create('Approved');
    contractId = approved.body.id as string;
    await h.call('POST', `/v1/contracts/${contractId}/versions/1/submit`, { token: ops.token });
    const approval = await h.call('POST', `/v1/contracts/${contractId}/versions/1/approve`, {
      token: finance.token,
      body: { comment: 'ok' },
    });
    expect(approval.body.status).toBe('approved');
    draftContractId = (await create('Draft')).body.id as string;
  });
  afterAll(async () => h?.close());

  const auditRow = (seq: number) =>
    sql<Record<string, unknown>>`select * from audit_entries where seq = ${seq}`.execute(h.store.db).then((result) => result.rows[0]);
  const approvalRows = () =>
    sql<Record<string, unknown>>`select * from version_approvals where contract_id = ${contractId} order by approved_by`
      .execute(h.store.db)
      .then((result) => result.rows);
  const versionRow = (id: string) =>
    sql<Record<string, unknown>>`select * from contract_versions where contract_id = ${id} and number = 1`
      .execute(h.store.db)
      .then((result) => result.rows[0]);

  it('refuses UPDATE of an audit entry and leaves it unchanged', async () => {
    const before = await auditRow(1);
    expect(before).toBeDefined();
    const message = await refusal(
      sql`update audit_entries set actor = 'intruder', action = 'nothing.happened' where seq = 1`.execute(h.store.db),
    );
    expect(message).toMatch(/^append_only/);
    expect(await auditRow(1)).toEqual(before);
  });

  it('refuses DELETE of audit entries and leaves them in place', async () => {
    const count = await h.count('audit_entries');
    const last = await sql<{ seq: number }>`select max(seq)::int as seq from audit_entries`.execute(h.store.db);
    const seq = last.rows[0]?.seq ?? 0;
    const before = await auditRow(seq);
    expect(await refusal(sql`delete from audit_entries where seq = ${seq}`.execute(h.store.db))).toMatch(/^append_only/);
    expect(await refusal(sql`delete from audit_entries`.execute(h.store.db))).toMatch(/^append_only/);
    expect(await h.count('audit_entries')).toBe(count);
    expect(await auditRow(seq)).toEqual(before);
  });

  it('refuses TRUNCATE of the audit log', async () => {
    const count = await h.count('audit_entries');
    expect(count).toBeGreaterThan(0);
    expect(await refusal(sql`truncate audit_entries`.execute(h.store.db))).toMatch(/^append_only/);
    expect(await h.count('audit_entries')).toBe(count);
    expect((await h.call('GET', '/v1/audit/verify')).body).toMatchObject({ ok: true, checked: count });
  });

  it('refuses TRUNCATE of approvals, versions and delivery history', async () => {
    const approvals = await h.count('version_approvals');
    const versions = await h.count('contract_versions');
    expect(approvals).toBeGreaterThan(0);
    expect(await refusal(sql`truncate version_approvals`.execute(h.store.db))).toMatch(/^append_only/);
    expect(await refusal(sql`truncate contract_versions cascade`.execute(h.store.db))).toMatch(/^append_only/);
    expect(await refusal(sql`truncate impression_history`.execute(h.store.db))).toMatch(/^append_only/);
    expect(await refusal(sql`truncate conversion_status_events cascade`.execute(h.store.db))).toMatch(/^append_only/);
    expect(await h.count('version_approvals')).toBe(approvals);
    expect(await h.count('contract_versions')).toBe(versions);
  });

  it('refuses UPDATE and DELETE of approvals', async () => {
    const before = await approvalRows();
    expect(before).toHaveLength(1);
    expect(
      await refusal(sql`update version_approvals set comment = 'rewritten' where contract_id = ${contractId}`.execute(h.store.db)),
    ).toMatch(/^append_only/);
    expect(await refusal(sql`delete from version_approvals where contract_id = ${contractId}`.execute(h.store.db))).toMatch(/^append_only/);
    expect(await approvalRows()).toEqual(before);
  });

  it('refuses UPDATE and DELETE of an approved version, while a draft can still change', async () => {
    const before = await versionRow(contractId);
    expect(before?.status).toBe('approved');
    const update = await refusal(
      sql`update contract_versions set terms = jsonb_set(terms, '{budgetCap}', '"1.00"') where contract_id = ${contractId} and number = 1`.execute(
        h.store.db,
      ),
    );
    expect(update).toMatch(/^append_only/);
    // Not even moving it back to draft first.
    expect(
      await refusal(
        sql`update contract_versions set status = 'draft' where contract_id = ${contractId} and number = 1`.execute(h.store.db),
      ),
    ).toMatch(/^append_only/);
    expect(await refusal(sql`delete from contract_versions where contract_id = ${contractId} and number = 1`.execute(h.store.db))).toMatch(
      /^append_only/,
    );
    expect(await versionRow(contractId)).toEqual(before);

    await sql`update contract_versions set reason = 'edited in place' where contract_id = ${draftContractId} and number = 1`.execute(
      h.store.db,
    );
    expect((await versionRow(draftContractId))?.reason).toBe('edited in place');
  });

  it('refuses UPDATE, DELETE and TRUNCATE of an approved rate card version and of card approvals, while a draft can still change', async () => {
    const ops = await h.user('ops');
    const finance = await h.user('finance');
    await h.call('POST', '/v1/products', { token: ops.token, body: { key: 'append-only-ctv', name: 'CTV' } });
    const card = await h.call('POST', '/v1/rate-cards', {
      token: ops.token,
      body: {
        name: 'Card',
        currency: 'USD',
        effectiveFrom: '2026-01-01',
        entries: [{ product: 'append-only-ctv', model: 'cpm', listRate: '10.00' }],
      },
    });
    const cardId = card.body.id as string;
    await h.call('POST', `/v1/rate-cards/${cardId}/versions/1/submit`, { token: ops.token });
    expect((await h.call('POST', `/v1/rate-cards/${cardId}/versions/1/approve`, { token: finance.token })).body.status).toBe('approved');
    const draft = await h.call('POST', `/v1/rate-cards/${cardId}/versions`, {
      token: ops.token,
      body: { effectiveFrom: '2026-06-01', entries: [{ product: 'append-only-ctv', model: 'cpm', listRate: '12.00' }] },
    });
    expect(draft.status).toBe(201);
    const cardVersion = (number: number) =>
      sql<Record<string, unknown>>`select * from rate_card_versions where rate_card_id = ${cardId} and number = ${number}`
        .execute(h.store.db)
        .then((result) => result.rows[0]);
    const before = await cardVersion(1);
    expect(
      await refusal(
        sql`update rate_card_versions set entries = '[]'::jsonb where rate_card_id = ${cardId} and number = 1`.execute(h.store.db),
      ),
    ).toMatch(/^append_only: approved version 1 in rate_card_versions/);
    expect(await refusal(sql`delete from rate_card_versions where rate_card_id = ${cardId} and number = 1`.execute(h.store.db))).toMatch(
      /^append_only/,
    );
    expect(
      await refusal(sql`update rate_card_approvals set comment = 'rewritten' where rate_card_id = ${cardId}`.execute(h.store.db)),
    ).toMatch(/^append_only/);
    expect(await refusal(sql`delete from rate_card_approvals where rate_card_id = ${cardId}`.execute(h.store.db))).toMatch(/^append_only/);
    expect(await refusal(sql`truncate rate_card_approvals`.execute(h.store.db))).toMatch(/^append_only/);
    expect(await refusal(sql`truncate rate_card_versions cascade`.execute(h.store.db))).toMatch(/^append_only/);
    expect(await cardVersion(1)).toEqual(before);
    await sql`update rate_card_versions set effective_from = '2026-07-01' where rate_card_id = ${cardId} and number = 2`.execute(
      h.store.db,
    );
    expect(String((await cardVersion(2))?.effective_from).slice(0, 10)).toBe('2026-07-01');
  });

  it('refuses to PATCH an approved version through the API', async () => {
    const before = await h.call('GET', `/v1/contracts/${contractId}/versions/1`);
    const patch = await h.call('PATCH', `/v1/contracts/${contractId}/versions/1`, { body: { terms: cpmTerms({ budgetCap: '1.00' }) } });
    expect(patch.status).toBe(409);
    expect(patch.body.code).toBe('version_not_draft');
    const after = await h.call('GET', `/v1/contracts/${contractId}/versions/1`);
    expect(after.body).toEqual(before.body);
    expect(after.headers.etag).toBe(before.headers.etag);
  });
  it('lets a count change only as its next revision, keeps the one it replaces, and refuses deleting counts or contracts', async () => {
    const ops = await h.user('ops');
    const send = (impressions: number) =>
      h.call('POST', '/v1/impressions', {
        token: ops.token,
        body: { records: [{ contractId, lineItem: 'display', date: '2026-10-05', source: 'first_party', impressions }] },
      });
    expect((await send(1000)).body).toMatchObject({ created: 1 });
    const key = sql`contract_id = ${contractId} and line_item = 'display' and date = '2026-10-05'`;
    const current = () =>
      sql<Record<string, unknown>>`select impressions::int, revision from impression_counts where ${key}`
        .execute(h.store.db)
        .then((result) => result.rows);
    expect(await refusal(sql`update impression_counts set impressions = 1 where ${key}`.execute(h.store.db))).toMatch(/^append_only/);
    expect(
      await refusal(sql`update impression_counts set revision = revision + 2, impressions = 1 where ${key}`.execute(h.store.db)),
    ).toMatch(/^append_only/);
    expect(await refusal(sql`delete from impression_counts where ${key}`.execute(h.store.db))).toMatch(/^append_only/);
    expect(await refusal(sql`truncate impression_counts`.execute(h.store.db))).toMatch(/^append_only/);
    expect(await refusal(sql`delete from contracts where id = ${draftContractId}`.execute(h.store.db))).toMatch(/^append_only/);
    expect(await current()).toEqual([{ impressions: 1000, revision: 1 }]);
    expect(await h.count('impression_history')).toBe(0);

    // A restatement made by hand in SQL is still kept: the trigger copies the replaced count.
    await sql`update impression_counts set impressions = 1200, revision = 2 where ${key}`.execute(h.store.db);
    expect((await send(1300)).body).toMatchObject({ restated: 1 });
    expect(await current()).toEqual([{ impressions: 1300, revision: 3 }]);
    const history = await sql<
      Record<string, unknown>
    >`select impressions::int, revision from impression_history where ${key} order by revision`.execute(h.store.db);
    expect(history.rows).toEqual([
      { impressions: 1000, revision: 1 },
      { impressions: 1200, revision: 2 },
    ]);
    const revisions = await sql<
      Record<string, unknown>
    >`select impressions::int, revision from impression_revisions where ${key} order by revision`.execute(h.store.db);
    expect(revisions.rows).toEqual([...history.rows, { impressions: 1300, revision: 3 }]);
  });

  it('refuses UPDATE, DELETE and TRUNCATE of clicks and of a conversion’s touches (attribution is decided once)', async () => {
    const ops = await h.user('ops');
    const finance = await h.user('finance');
    const partner = await h.call('POST', '/v1/parties', { token: ops.token, body: partnerBody() });
    const advertiser = await h.call('POST', '/v1/parties', { token: ops.token, body: advertiserBody({ name: 'Offer owner' }) });
    const cpa = {
      model: 'cpa',
      events: [{ eventType: 'purchase', amount: '30.00' }],
      attribution: { viewWindowDays: 1, clickWindowDays: 7 },
    };
    const offer = await h.call('POST', '/v1/contracts', {
      token: ops.token,
      body: {
        partyId: advertiser.body.id,
        side: 'sell',
        name: 'Offer',
        terms: cpmTerms({ lineItems: [{ key: 'sales', name: 'Sales', pricing: cpa }] }),
      },
    });
    const offerId = offer.body.id as string;
    await h.call('POST', `/v1/contracts/${offerId}/versions/1/submit`, { token: ops.token });
    await h.call('POST', `/v1/contracts/${offerId}/versions/1/approve`, { token: finance.token, body: { comment: 'ok' } });
    const clicked = await h.call('POST', '/v1/clicks', {
      token: ops.token,
      body: {
        records: [{ id: 'append-click', contractId: offerId, lineItem: 'sales', partnerId: partner.body.id, at: '2026-10-09T12:00:00Z' }],
      },
    });
    expect(clicked.body).toMatchObject({ created: 1 });
    const converted = await h.call('POST', '/v1/conversions', {
      token: ops.token,
      body: {
        records: [
          {
            id: 'append-conversion',
            contractId: offerId,
            lineItem: 'sales',
            eventType: 'purchase',
            occurredAt: '2026-10-10T12:00:00Z',
            clickId: 'append-click',
          },
        ],
      },
    });
    expect(converted.body).toMatchObject({ created: 1 });
    const rows = () =>
      Promise.all([
        sql`select * from clicks where id = 'append-click'`.execute(h.store.db).then((result) => result.rows),
        sql`select * from conversion_touches where conversion_id = 'append-conversion'`.execute(h.store.db).then((result) => result.rows),
      ]);
    const before = await rows();
    expect(before[1]).toMatchObject([{ credited: true, reason: 'last_click', click_id: 'append-click' }]);
    for (const statement of [
      sql`update clicks set partner_id = 'pty_someone_else' where id = 'append-click'`,
      sql`delete from clicks where id = 'append-click'`,
      sql`truncate clicks cascade`,
      sql`update conversion_touches set credited = false where conversion_id = 'append-conversion'`,
      sql`delete from conversion_touches where conversion_id = 'append-conversion'`,
      sql`truncate conversion_touches`,
    ]) {
      expect(await refusal(statement.execute(h.store.db))).toMatch(/^append_only/);
    }
    expect(await rows()).toEqual(before);
  });
});
