/**
 * Dunning, overdue status and the statement of account (SPEC §10 Receivables). Every invoice is
 * 1,000.00 for October (100,000 impressions at 10.00 CPM), finalized on 2026-11-25:
 * - A on net 35, due 2026-12-30: 1 day past due on 2026-12-31, 15 on 2027-01-14;
 * - B on net 21, due 2026-12-16, paid 250.00: 15 days past due on 2026-12-31, 750.00 due;
 * - C on net 5, due 2026-11-30, credited 100.00: 31 days past due on 2026-12-31, 900.00 due. C also
 *   has a September invoice of 500.00 (50,000 impressions) finalized on 2026-11-01, due 2026-11-06;
 * - D on net 5, paid in full: never dunned;
 * - E on net 60, due 2027-01-24: not yet due.
 * With the default schedule (+1, +15, +30) the run of 2026-12-31 sends A step 1, B step 15 (1
 * skipped) and each of C's invoices step 30 (1 and 15 skipped); the run of 2027-01-14 sends A step
 * 15 only.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DunningNotice } from '../../src/wire/dunning.ts';
import { callCreditNote, cents, finalizeDocument, listDocuments, pay, runBilling } from '../support/billing-helpers.ts';
import { type CallResult, describeStore, type Harness, startHarness } from '../support/harness.ts';
import { readPdfPages } from '../support/pdf-text.ts';
import { type Cast, castOf, createApprovedContract, type ImpressionInput, postImpressions } from '../support/scenario-helpers.ts';

type Key = 'a' | 'b' | 'c' | 'd' | 'e';
const terms: Record<Key, number> = { a: 35, b: 21, c: 5, d: 5, e: 60 };

describeStore('scenario: dunning, overdue and the statement of account', () => {
  let h: Harness;
  let cast: Cast;
  let endpointId = '';
  const party = {} as Record<Key, string>;
  /** October's invoice of each party, and C's September one. */
  const invoice = {} as Record<Key | 'cSeptember', { id: string; number: string }>;

  const run = async (body: Record<string, unknown> = {}): Promise<{ asOf: string; notices: DunningNotice[]; skipped: unknown[] }> => {
    const response = await h.call('POST', '/v1/dunning/run', { token: cast.finance.token, body });
    expect(response.status, response.text).toBe(200);
    return response.body;
  };
  const keyOf = (documentId: string): string => (Object.entries(invoice).find(([, value]) => value.id === documentId) ?? ['?'])[0];
  const summary = (notices: DunningNotice[]) =>
    notices.map((notice) => [keyOf(notice.documentId), notice.step, notice.daysPastDue, cents(notice.amountDue)]).sort();
  /** A statement PDF's status, problem code and text (inject keeps the bytes whole). */
  const statement = async (partyId: string, token: string, asOf: string) => {
    const response = await h.app.inject({
      method: 'GET',
      url: `/v1/parties/${partyId}/statement.pdf?asOf=${asOf}`,
      headers: { authorization: `Bearer ${token}` },
    });
    if (response.statusCode !== 200) return { status: response.statusCode, code: (response.json() as { code: string }).code, text: '' };
    expect(response.headers['content-type']).toBe('application/pdf');
    const pages = await readPdfPages(response.rawPayload);
    return { status: 200, code: null, text: pages.map((page) => page.text).join(' ') };
  };
  const overdueDeliveries = async (): Promise<string[]> => {
    const response = await h.call('GET', `/v1/webhook-endpoints/${endpointId}/deliveries?limit=500`);
    expect(response.status, response.text).toBe(200);
    return (response.body.data as { eventId: string; eventType: string }[])
      .map((delivery) => `${delivery.eventType} ${delivery.eventId}`)
      .sort();
  };

  beforeAll(async () => {
    h = await startHarness({ today: '2026-11-01', allowPrivateTargets: true });
    cast = await castOf(h);
    const endpoint = await h.call('POST', '/v1/webhook-endpoints', {
      body: { url: 'http://127.0.0.1:9/dunning', events: ['invoice.overdue'] },
    });
    expect(endpoint.status, endpoint.text).toBe(201);
    endpointId = endpoint.body.id;
    for (const key of Object.keys(terms) as Key[]) {
      const created: CallResult = await h.call('POST', '/v1/parties', {
        token: cast.ops.token,
        body: { kind: 'advertiser', name: `Advertiser ${key.toUpperCase()}`, currency: 'USD', paymentTermsDays: terms[key] },
      });
      expect(created.status, created.text).toBe(201);
      party[key] = created.body.id;
      const contractId = await createApprovedContract(cast, party[key], 'sell', `Autumn ${key}`, {
        startDate: key === 'c' ? '2026-09-01' : '2026-10-01',
        endDate: '2026-10-31',
        currency: 'USD',
        billingPeriod: 'calendar_month',
        lineItems: [{ key: 'display', name: 'Display', pricing: { model: 'cpm', ratePerMille: '10' } }],
      });
      const delivery: ImpressionInput[] = [
        { contractId, lineItem: 'display', date: '2026-10-10', source: 'first_party', impressions: 100_000 },
      ];
      if (key === 'c') delivery.push({ contractId, lineItem: 'display', date: '2026-09-10', source: 'first_party', impressions: 50_000 });
      await postImpressions(cast, delivery);
    }
    await runBilling(h, cast.finance.token, '2026-09');
    const [september] = await listDocuments(h, cast.finance.token, 'invoice', { period: '2026-09' });
    const finalizedSeptember = await finalizeDocument(h, cast.finance.token, 'invoice', september!.id);
    invoice.cSeptember = { id: finalizedSeptember.id, number: finalizedSeptember.number! };

    h.setToday('2026-11-25');
    await runBilling(h, cast.finance.token, '2026-10');
    for (const draft of await listDocuments(h, cast.finance.token, 'invoice', { period: '2026-10' })) {
      const finalized = await finalizeDocument(h, cast.finance.token, 'invoice', draft.id);
      const key = (Object.keys(party) as Key[]).find((candidate) => party[candidate] === finalized.partyId)!;
      invoice[key] = { id: finalized.id, number: finalized.number! };
    }
    await pay(h, cast.finance.token, 'invoice', invoice.b.id, '250.00', '2026-11-25');
    await pay(h, cast.finance.token, 'invoice', invoice.d.id, '1000.00', '2026-11-25');
    expect((await callCreditNote(h, cast.finance.token, invoice.c.id, '100.00')).status).toBe(201);
  });
  afterAll(async () => h?.close());

  it('before anything is past due, invoices are not overdue and a run sends nothing', async () => {
    const a = await h.call('GET', `/v1/invoices/${invoice.a.id}`, { token: cast.finance.token });
    expect([a.body.overdue, a.body.daysPastDue]).toEqual([false, null]);
    const september = await h.call('GET', `/v1/invoices/${invoice.cSeptember.id}`, { token: cast.finance.token });
    expect([september.body.overdue, september.body.daysPastDue]).toEqual([true, 19]); // due 2026-11-06
    expect((await run({ asOf: '2026-11-05' })).notices).toEqual([]);
  });

  it('on 2026-12-31: A gets step 1, B step 15, each of C\u2019s invoices step 30; the paid and the not-yet-due get nothing', async () => {
    h.setToday('2026-12-31');
    const result = await run();
    expect(result.asOf).toBe('2026-12-31');
    expect(summary(result.notices)).toEqual([
      ['a', 1, 1, '1000.00'],
      ['b', 15, 15, '750.00'], // 1,000.00 − 250.00 paid
      ['c', 30, 31, '900.00'], // 1,000.00 − 100.00 credited
      ['cSeptember', 30, 55, '500.00'],
    ]);
    expect(result.notices.find((notice) => notice.documentId === invoice.a.id)).toMatchObject({
      number: invoice.a.number,
      partyId: party.a,
      currency: 'USD',
      amountDue: '1000.00',
    });
    // Each notice says the currency of its amount due: the invoice's.
    expect(result.notices.map((notice) => notice.currency)).toEqual(['USD', 'USD', 'USD', 'USD']);
    // The steps passed over are recorded as skipped: one reminder, the most severe.
    expect((result.skipped as { documentId: string; step: number }[]).map((skip) => [keyOf(skip.documentId), skip.step]).sort()).toEqual([
      ['b', 1],
      ['c', 1],
      ['c', 15],
      ['cSeptember', 1],
      ['cSeptember', 15],
    ]);
  });

  it('a second run, or a run for an earlier date, sends nothing twice', async () => {
    expect((await run()).notices).toEqual([]);
    expect((await run({ asOf: '2026-12-20' })).notices).toEqual([]);
    expect(await h.count('dunning_notices')).toBe(9);
  });

  it('the documents show who is overdue as of today, and the list filters on it', async () => {
    const flags = async (key: Key) => {
      const response = await h.call('GET', `/v1/invoices/${invoice[key].id}`, { token: cast.finance.token });
      return [response.body.overdue, response.body.daysPastDue];
    };
    expect(await flags('a')).toEqual([true, 1]);
    expect(await flags('b')).toEqual([true, 15]);
    expect(await flags('c')).toEqual([true, 31]);
    expect(await flags('d')).toEqual([false, null]); // paid
    expect(await flags('e')).toEqual([false, null]); // due 2027-01-24
    const overdue = await h.call('GET', '/v1/invoices?overdue=true&lines=false', { token: cast.finance.token });
    expect(overdue.status, overdue.text).toBe(200);
    const ids = (overdue.body.data as { id: string }[]).map((document) => keyOf(document.id)).sort();
    expect(ids).toEqual(['a', 'b', 'c', 'cSeptember']);
    const notOverdue = await h.call('GET', '/v1/invoices?overdue=false&lines=false', { token: cast.finance.token });
    expect((notOverdue.body.data as { id: string }[]).map((document) => keyOf(document.id)).sort()).toEqual(['d', 'e']);
    // A party user sees the same flag on its own invoice.
    const partyUser = await h.user('party', { partyId: party.a });
    const own = await h.call('GET', `/v1/invoices/${invoice.a.id}`, { token: partyUser.token });
    expect([own.body.overdue, own.body.daysPastDue]).toEqual([true, 1]);
  });

  it('on 2027-01-14 only A reaches its next step, 15', async () => {
    h.setToday('2027-01-14');
    expect(summary((await run()).notices)).toEqual([['a', 15, 15, '1000.00']]);
    expect((await run()).notices).toEqual([]);
  });

  it('the webhook endpoint got exactly one invoice.overdue per (invoice, step), with the payload the spec names', async () => {
    const event = (key: keyof typeof invoice, step: number) => `invoice.overdue evt_invoice_overdue_${invoice[key].id}_${step}`;
    expect(await overdueDeliveries()).toEqual(
      [event('a', 1), event('a', 15), event('b', 15), event('c', 30), event('cSeptember', 30)].sort(),
    );
    const stored = await sql<{
      payload: string;
    }>`select payload from webhook_events where id = ${`evt_invoice_overdue_${invoice.b.id}_15`}`.execute(h.store.db);
    const payload = JSON.parse(stored.rows[0]!.payload) as { type: string; data: Record<string, unknown> };
    expect(payload.type).toBe('invoice.overdue');
    expect({ ...payload.data, total: cents(payload.data.total as string), amountDue: cents(payload.data.amountDue as string) }).toEqual({
      id: invoice.b.id,
      number: invoice.b.number,
      partyId: party.b,
      currency: 'USD',
      total: '1000.00',
      amountDue: '750.00',
      dueDate: '2026-12-16',
      daysPastDue: 15,
      step: 15,
    });
  });

  it('dunning runs up to today only, for finance and admins', async () => {
    const ahead = await h.call('POST', '/v1/dunning/run', { token: cast.finance.token, body: { asOf: '2027-01-15' } });
    expect([ahead.status, ahead.body.code]).toEqual([400, 'validation_failed']);
    const ops = await h.call('POST', '/v1/dunning/run', { token: cast.ops.token, body: {} });
    expect([ops.status, ops.body.code]).toEqual([403, 'forbidden']);
  });

  it('the dunning notices are append-only', async () => {
    await expect(sql`update dunning_notices set step = 2 where step = 1`.execute(h.store.db)).rejects.toThrow(/append_only/);
    await expect(sql`delete from dunning_notices`.execute(h.store.db)).rejects.toThrow(/append_only/);
  });

  it("C's statement as of 2027-01-14 lists its open invoices and totals equal to its aging row", async () => {
    const aging = await h.call('GET', '/v1/reports/ar-aging?asOf=2027-01-14', { token: cast.finance.token });
    const row = (
      aging.body.rows as Record<'partyId' | 'current' | 'days1to30' | 'days31to60' | 'days61to90' | 'over90' | 'total', string>[]
    ).find((candidate) => candidate.partyId === party.c)!;
    // October: 900.00 at 45 days past due; September: 500.00 at 69.
    expect([row.current, row.days1to30, row.days31to60, row.days61to90, row.over90, row.total].map(cents)).toEqual([
      '0.00',
      '0.00',
      '900.00',
      '500.00',
      '0.00',
      '1400.00',
    ]);
    const { status, text } = await statement(party.c, cast.finance.token, '2027-01-14');
    expect(status).toBe(200);
    expect(text).toContain('Statement of account');
    expect(text).toContain('Advertiser C');
    expect(text).toContain('As of 2027-01-14');
    // September first (due soonest): 500.00, nothing paid or credited, 69 days; then October.
    expect(text).toContain(`${invoice.cSeptember.number} 2026-11-01 2026-11-06 500.00 0.00 0.00 0.00 500.00 69`);
    expect(text).toContain(`${invoice.c.number} 2026-11-25 2026-11-30 1,000.00 0.00 100.00 0.00 900.00 45`);
    expect(text).toContain('USD 0.00 USD 0.00 USD 900.00 USD 500.00 USD 0.00 USD 1,400.00');
  });

  it('the statement: B as of 2026-12-31 shows the payment; D owes nothing; the party sees its own only; ops may not', async () => {
    const b = await statement(party.b, cast.finance.token, '2026-12-31');
    expect(b.status).toBe(200);
    expect(b.text).toContain(`${invoice.b.number} 2026-11-25 2026-12-16 1,000.00 250.00 0.00 0.00 750.00 15`);
    expect((await statement(party.d, cast.finance.token, '2026-12-31')).text).toContain('Nothing is owed as of 2026-12-31.');
    const partyUser = await h.user('party', { partyId: party.b });
    expect((await statement(party.b, partyUser.token, '2026-12-31')).status).toBe(200);
    const refusals = [
      await statement(party.a, partyUser.token, '2026-12-31'),
      await statement(party.b, cast.ops.token, '2026-12-31'),
      await statement(party.b, cast.finance.token, '2027-01-15'),
      await statement('pty_01aaaaaaaaaaaaaaaaaaaaaaaa', cast.finance.token, '2026-12-31'),
    ];
    expect(refusals.map((refusal) => [refusal.status, refusal.code])).toEqual([
      [404, 'party_not_found'],
      [403, 'forbidden'],
      [400, 'validation_failed'],
      [404, 'party_not_found'],
    ]);
  });

  it('the schedule setting: the default, bad input refused writing nothing, and a new step applied by the next run', async () => {
    const read = async () => (await h.call('GET', '/v1/settings/dunning', { token: cast.finance.token })).body;
    expect(await read()).toEqual({ steps: [1, 15, 30] });
    const auditBefore = await h.count('audit_entries');
    for (const body of [
      { steps: [] },
      { steps: [15, 1] },
      { steps: [1, 1] },
      { steps: [0] },
      { steps: [-5] },
      { steps: [1.5] },
      { steps: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] },
      { steps: [1, 3651] },
      { steps: [1], extra: true },
      {},
    ]) {
      const response = await h.call('PUT', '/v1/settings/dunning', { body });
      expect(response.status, JSON.stringify(body)).toBe(400);
    }
    expect(await h.count('audit_entries')).toBe(auditBefore);
    expect(await read()).toEqual({ steps: [1, 15, 30] });
    const finance = await h.call('PUT', '/v1/settings/dunning', { token: cast.finance.token, body: { steps: [1, 15, 30, 60] } });
    expect([finance.status, finance.body.code]).toEqual([403, 'forbidden']);

    const replaced = await h.call('PUT', '/v1/settings/dunning', { body: { steps: [1, 15, 30, 60] } });
    expect([replaced.status, replaced.body]).toEqual([200, { steps: [1, 15, 30, 60] }]);
    // On 2027-01-31 C's September invoice is 86 days past due and its October one 62: both reach the
    // new step 60. A (32 days) and B (46) reach step 30, and E, due 2027-01-24, step 1.
    h.setToday('2027-01-31');
    expect(summary((await run()).notices)).toEqual([
      ['a', 30, 32, '1000.00'],
      ['b', 30, 46, '750.00'],
      ['c', 60, 62, '900.00'],
      ['cSeptember', 60, 86, '500.00'],
      ['e', 1, 7, '1000.00'],
    ]);
  });
});
