/** Idempotency-Key: a retried POST gets the first answer and runs once; another body with the key is refused. */
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { idempotencyRetentionDays, purgeIdempotencyKeys } from '../../src/http/idempotency.ts';
import { advertiserBody, cpmTerms } from '../support/fixtures.ts';
import { adminToken, type CallResult, describeStore, type Harness, startHarness } from '../support/harness.ts';
import { type Cast, castOf, createApprovedContract, createParty, wideAttribution } from '../support/scenario-helpers.ts';

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
    const created = await h.call('POST', '/v1/contracts', {
      token: ops.token,
      body: { partyId: party.body.id, side: 'sell', name: 'Keyed', terms: cpmTerms() },
      headers: { 'idempotency-key': 'contract-1' },
    });
    const again = await h.call('POST', '/v1/contracts', {
      token: ops.token,
      body: { partyId: party.body.id, side: 'sell', name: 'Keyed', terms: cpmTerms() },
      headers: { 'idempotency-key': 'contract-1' },
    });
    expect(again.body.id).toBe(created.body.id);
    const missing = await h.call('POST', '/v1/contracts', {
      token: ops.token,
      body: { partyId: 'pty_missing', side: 'sell', name: 'x', terms: cpmTerms() },
      headers: { 'idempotency-key': 'bad-1' },
    });
    expect(missing.status).toBe(422);
    const replayed = await h.call('POST', '/v1/contracts', {
      token: ops.token,
      body: { partyId: 'pty_missing', side: 'sell', name: 'x', terms: cpmTerms() },
      headers: { 'idempotency-key': 'bad-1' },
    });
    expect(replayed.status).toBe(422);
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    expect(replayed.headers['content-type']).toMatch(/problem\+json/);
    const badKey = await h.call('POST', '/v1/parties', {
      token: ops.token,
      body: advertiserBody(),
      headers: { 'idempotency-key': 'has space' },
    });
    expect(badKey.status).toBe(400);
  });
});

/** Row counts of every table, read from the catalog so that a new table cannot be missed. */
async function countAll(h: Harness): Promise<Record<string, number>> {
  const tables = await sql<{
    name: string;
  }>`select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`.execute(
    h.store.db,
  );
  const counts: Record<string, number> = {};
  for (const { name } of tables.rows)
    counts[name] =
      (await sql<{ count: number }>`select count(*)::int as count from ${sql.table(name)}`.execute(h.store.db)).rows[0]?.count ?? 0;
  return counts;
}

const quarter = { startDate: '2026-10-01', endDate: '2026-12-31', currency: 'USD', billingPeriod: 'calendar_month' };

describeStore('idempotency keys on every money-moving POST', () => {
  let h: Harness;
  let cast: Cast;
  const ids = {
    A: '',
    B: '',
    P: '',
    Q: '',
    contractA: '',
    contractB: '',
    run: '',
    invoiceA: '',
    invoiceB: '',
    statementP: '',
    statementQ: '',
  };

  beforeAll(async () => {
    h = await startHarness({ today: '2026-11-25' });
    cast = await castOf(h);
    ids.A = await createParty(cast, 'advertiser', 'Keyed Advertiser A');
    ids.B = await createParty(cast, 'advertiser', 'Keyed Advertiser B');
    ids.P = await createParty(cast, 'partner', 'Keyed Partner P');
    ids.Q = await createParty(cast, 'partner', 'Keyed Partner Q');
    ids.contractA = await createApprovedContract(cast, ids.A, 'sell', 'Keyed IO A', {
      ...quarter,
      lineItems: [
        { key: 'video', name: 'Video', pricing: { model: 'cpm', ratePerMille: '20.00' } },
        {
          key: 'sales',
          name: 'Sales',
          pricing: { model: 'cpa', events: [{ eventType: 'purchase', amount: '40.00' }], attribution: wideAttribution, billOn: 'approved' },
        },
      ],
    });
    ids.contractB = await createApprovedContract(cast, ids.B, 'sell', 'Keyed IO B', {
      ...quarter,
      lineItems: [{ key: 'video', name: 'Video', pricing: { model: 'cpm', ratePerMille: '10.00' } }],
    });
    for (const partner of ['P', 'Q'] as const) {
      await createApprovedContract(cast, ids[partner], 'buy', `Keyed payout ${partner}`, {
        ...quarter,
        appliesTo: [ids.contractA],
        lineItems: [{ key: 'payout', name: 'Payout', pricing: { model: 'cpm', ratePerMille: '4.00' } }],
      });
    }
  });
  afterAll(async () => h?.close());

  /**
   * Sends a keyed POST, its retry and the key with another body: the retry answers the first
   * answer and writes nothing; the other body is 422 idempotency_key_reused and writes nothing.
   */
  async function expectIdempotent(
    name: string,
    url: string,
    token: string,
    body: unknown,
    otherBody: unknown,
    status: number,
  ): Promise<CallResult> {
    const headers = { 'idempotency-key': `money-${name}` };
    const before = await countAll(h);
    const first = await h.call('POST', url, { token, body, headers });
    expect(first.status, `${name}: ${first.text}`).toBe(status);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const after = await countAll(h);
    expect(after, `${name} wrote something`).not.toEqual(before);
    const retry = await h.call('POST', url, { token, body, headers });
    expect(retry.status, name).toBe(first.status);
    expect(retry.body, name).toEqual(first.body);
    expect(retry.headers['idempotent-replayed'], name).toBe('true');
    expect(await countAll(h), `${name}: the retry wrote nothing`).toEqual(after);
    const reused = await h.call('POST', url, { token, body: otherBody, headers });
    expect(reused.status, name).toBe(422);
    expect(reused.body.code, name).toBe('idempotency_key_reused');
    expect(await countAll(h), `${name}: the reused key wrote nothing`).toEqual(after);
    return first;
  }

  const documentOf = async (path: string, partyId: string): Promise<string> => {
    const list = await h.call('GET', `${path}?partyId=${partyId}&period=2026-10`, { token: cast.finance.token });
    expect(list.body.data).toHaveLength(1);
    return list.body.data[0].id as string;
  };

  it('ingests delivery once per key: impressions, conversions and conversion statuses', async () => {
    const impressions = (count: number) => ({
      records: [
        { contractId: ids.contractA, lineItem: 'video', date: '2026-10-05', source: 'first_party', impressions: count, partnerId: ids.P },
        { contractId: ids.contractA, lineItem: 'video', date: '2026-10-06', source: 'first_party', impressions: count, partnerId: ids.Q },
        { contractId: ids.contractB, lineItem: 'video', date: '2026-10-05', source: 'first_party', impressions: count },
      ],
    });
    await expectIdempotent('impressions', '/v1/impressions', cast.ops.token, impressions(100_000), impressions(90_000), 200);
    const conversion = (value: string) => ({
      records: [
        {
          id: 'keyed-conversion-1',
          contractId: ids.contractA,
          lineItem: 'sales',
          eventType: 'purchase',
          occurredAt: '2026-10-12T15:00:00Z',
          touch: { type: 'click', at: '2026-10-12T09:00:00Z' },
          value,
        },
      ],
    });
    await expectIdempotent('conversions', '/v1/conversions', cast.ops.token, conversion('10.00'), conversion('11.00'), 200);
    await expectIdempotent(
      'conversion-status',
      '/v1/conversions/status',
      cast.ops.token,
      { updates: [{ id: 'keyed-conversion-1', status: 'approved' }] },
      { updates: [{ id: 'keyed-conversion-1', status: 'rejected' }] },
      200,
    );
  });

  it('bills a month once per key', async () => {
    const run = await expectIdempotent(
      'billing-run',
      '/v1/billing-runs',
      cast.finance.token,
      { period: '2026-10' },
      { period: '2026-11' },
      201,
    );
    expect(run.body.status).toBe('completed');
    ids.run = run.body.id as string;
    ids.invoiceA = await documentOf('/v1/invoices', ids.A);
    ids.invoiceB = await documentOf('/v1/invoices', ids.B);
    ids.statementP = await documentOf('/v1/payout-statements', ids.P);
    ids.statementQ = await documentOf('/v1/payout-statements', ids.Q);
  });

  it('finalizes once per key: an invoice, a payout statement, and the rest of a run', async () => {
    const invoice = await expectIdempotent(
      'finalize-invoice',
      `/v1/invoices/${ids.invoiceA}/finalize`,
      cast.finance.token,
      { reviewed: true },
      {},
      200,
    );
    expect(invoice.body.number).toBe('INV-2026-000001');
    // Maker-checker: the run's starter (finance) may not release payouts; the admin does.
    const statement = await expectIdempotent(
      'finalize-statement',
      `/v1/payout-statements/${ids.statementP}/finalize`,
      adminToken,
      { reviewed: true },
      {},
      200,
    );
    expect(statement.body.number).toBe('PS-2026-000001');
    const invoices = await expectIdempotent(
      'finalize-run-invoices',
      `/v1/billing-runs/${ids.run}/finalize`,
      cast.finance.token,
      { kind: 'invoice', reviewed: true },
      { kind: 'invoice' },
      200,
    );
    expect(invoices.body).toEqual({ finalized: 1, skippedForReview: 0 });
    const statements = await expectIdempotent(
      'finalize-run-statements',
      `/v1/billing-runs/${ids.run}/finalize`,
      adminToken,
      { kind: 'payout_statement', reviewed: true },
      { kind: 'payout_statement' },
      200,
    );
    expect(statements.body).toEqual({ finalized: 1, skippedForReview: 0 });
    // One number consumed per document: no retry took another.
    const series = await sql<{
      series: string;
      last_value: number;
    }>`select series, last_value from number_series where series in ('INV-2026', 'PS-2026') order by series`.execute(h.store.db);
    expect(series.rows).toEqual([
      { series: 'INV-2026', last_value: 2 },
      { series: 'PS-2026', last_value: 2 },
    ]);
  });

  it('records a payment, a payout and a credit note once per key', async () => {
    const payment = await expectIdempotent(
      'invoice-payment',
      `/v1/invoices/${ids.invoiceA}/payments`,
      cast.finance.token,
      { amount: '5.00', date: '2026-11-20', reference: 'wire 1' },
      { amount: '6.00', date: '2026-11-20', reference: 'wire 1' },
      201,
    );
    await expectIdempotent(
      'statement-payment',
      `/v1/payout-statements/${ids.statementP}/payments`,
      cast.finance.token,
      { amount: '5.00', date: '2026-11-20', reference: 'payout 1' },
      { amount: '5.00', date: '2026-11-21', reference: 'payout 1' },
      201,
    );
    await expectIdempotent(
      'credit-note',
      '/v1/credit-notes',
      cast.finance.token,
      { invoiceId: ids.invoiceA, amount: '3.00', reason: 'Make-good' },
      { invoiceId: ids.invoiceA, amount: '3.00', reason: 'Another make-good' },
      201,
    );
    const payments = await sql<{ count: number }>`select count(*)::int as count from payments where document_id = ${ids.invoiceA}`.execute(
      h.store.db,
    );
    expect(payments.rows[0]?.count).toBe(1);
    const invoice = await h.call('GET', `/v1/invoices/${ids.invoiceA}`, { token: cast.finance.token });
    expect(invoice.body.amountPaid).toBe(payment.body.amount);
    expect(invoice.body.amountCredited).toBe('3.00');
  });

  it('voids once per key: an invoice and a payout statement', async () => {
    const invoice = await expectIdempotent(
      'void-invoice',
      `/v1/invoices/${ids.invoiceB}/void`,
      cast.finance.token,
      { reason: 'Wrong party' },
      { reason: 'Other reason' },
      200,
    );
    expect(invoice.body.status).toBe('void');
    const statement = await expectIdempotent(
      'void-statement',
      `/v1/payout-statements/${ids.statementQ}/void`,
      cast.finance.token,
      { reason: 'Wrong partner' },
      { reason: 'Other reason' },
      200,
    );
    expect(statement.body.status).toBe('void');
  });

  it('keeps keys for at least 24 hours, and forgets them after the retention period', async () => {
    const body = advertiserBody({ name: 'Kept Key Ltd' });
    const headers = { 'idempotency-key': 'kept-for-a-day' };
    const first = await h.call('POST', '/v1/parties', { token: cast.ops.token, body, headers });
    expect(first.status).toBe(201);
    await sql`update idempotency_keys set created_at = now() - interval '25 hours' where key = 'kept-for-a-day'`.execute(h.store.db);
    await purgeIdempotencyKeys(h.store.db);
    const dayLater = await h.call('POST', '/v1/parties', { token: cast.ops.token, body, headers });
    expect(dayLater.headers['idempotent-replayed']).toBe('true');
    expect(dayLater.body.id).toBe(first.body.id);
    await sql`update idempotency_keys set created_at = now() - make_interval(days => ${idempotencyRetentionDays}) - interval '1 minute' where key = 'kept-for-a-day'`.execute(
      h.store.db,
    );
    await purgeIdempotencyKeys(h.store.db);
    const afterRetention = await sql<{
      count: number;
    }>`select count(*)::int as count from idempotency_keys where key = 'kept-for-a-day'`.execute(h.store.db);
    expect(afterRetention.rows[0]?.count).toBe(0);
    expect(idempotencyRetentionDays).toBeGreaterThanOrEqual(1);
  });
});
