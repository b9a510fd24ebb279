/**
 * Billing through the HTTP API: a run drafts an invoice, a re-run replaces the draft, finalizing
 * numbers it and posts it, payments and credit notes settle it, a restatement after finalizing
 * becomes an adjustment on the next month, and nothing issued can be changed — by the API or in SQL.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findDocument } from '../../src/modules/billing/documents/document.repository.ts';
import { everything } from '../../src/platform/visibility.ts';
import { describeStore, type Harness, startHarness } from '../support/harness.ts';
import { type Cast, castOf, createApprovedContract, createParty, postImpressions } from '../support/scenario-helpers.ts';

interface Invoice {
  id: string;
  number: string | null;
  status: string;
  total: string;
  amountDue: string;
  amountPaid: string;
  amountCredited: string;
  issueDate: string | null;
  dueDate: string | null;
  lines: {
    kind: string;
    lineItem: string | null;
    quantity: number;
    amount: string;
    corrects: { number: string; periodLabel: string } | null;
  }[];
}

describeStore('billing: runs, invoices, settlements, ledger', () => {
  let h: Harness;
  let cast: Cast;
  let advertiserId: string;
  let contractId: string;
  let october: Invoice;

  const finance = () => cast.finance.token;
  const invoicesOf = async (period: string) => {
    const response = await h.call('GET', `/v1/invoices?period=${period}`, { token: finance() });
    expect(response.status).toBe(200);
    return (response.body as { data: Invoice[] }).data;
  };
  const trialBalance = async () => {
    const response = await h.call('GET', '/v1/ledger/trial-balance?asOf=2027-12-31&currency=USD', { token: finance() });
    expect(response.status).toBe(200);
    return response.body as {
      accounts: { account: string; debit: string; credit: string; balance: string }[];
      totals: { debit: string; credit: string };
    };
  };
  const balanceOf = async (account: string) => (await trialBalance()).accounts.find((row) => row.account === account)?.balance;

  beforeAll(async () => {
    h = await startHarness({ today: '2026-11-03' });
    cast = await castOf(h);
    advertiserId = await createParty(cast, 'advertiser', 'Contoso Retail');
    contractId = await createApprovedContract(cast, advertiserId, 'sell', 'Q4 CTV', {
      startDate: '2026-10-01',
      endDate: '2026-12-31',
      currency: 'USD',
      billingPeriod: 'calendar_month',
      paymentTermsDays: 45,
      lineItems: [{ key: 'ctv', name: 'CTV', pricing: { model: 'cpm', ratePerMille: '10.00' } }],
    });
    await postImpressions(cast, [{ contractId, lineItem: 'ctv', date: '2026-10-10', source: 'first_party', impressions: 100_000 }]);
  });
  afterAll(async () => h?.close());

  it('drafts one invoice per party and currency; a re-run replaces the draft', async () => {
    const first = await h.call('POST', '/v1/billing-runs', { token: finance(), body: { period: '2026-10' } });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ period: '2026-10', status: 'completed', invoices: 1, statements: 0, startedBy: cast.finance.id });
    const drafts = await invoicesOf('2026-10');
    expect(drafts).toHaveLength(1);
    // 100,000 × 10.00 / 1000 = 1,000.00
    expect(drafts[0]).toMatchObject({ status: 'draft', number: null, total: '1000.00', amountDue: '1000.00' });

    const again = await h.call('POST', '/v1/billing-runs', { token: finance(), body: { period: '2026-10' } });
    expect(again.status).toBe(201);
    const replaced = await invoicesOf('2026-10');
    expect(replaced).toHaveLength(1);
    expect(replaced[0]!.id).not.toBe(drafts[0]!.id);
    expect(await h.call('GET', `/v1/invoices/${drafts[0]!.id}`, { token: finance() })).toMatchObject({ status: 404 });
    october = replaced[0]!;
    expect(october.lines).toHaveLength(1);
    // A list screen asks for the documents without their lines; the totals stay.
    const summaries = await h.call('GET', '/v1/invoices?period=2026-10&lines=false', { token: finance() });
    expect(summaries.status).toBe(200);
    expect(summaries.body.data).toHaveLength(1);
    expect(summaries.body.data[0]).toMatchObject({ id: october.id, total: '1000.00' });
    expect(summaries.body.data[0]).not.toHaveProperty('lines');
    expect((await h.call('GET', '/v1/invoices?lines=maybe', { token: finance() })).status).toBe(400);
  });

  it("stores each line's explain without its keys and answers it as rating made it; a line stored whole still reads", async () => {
    const explainOf = async (id: string) => {
      const response = await h.call('GET', `/v1/invoices/${id}`, { token: finance() });
      expect(response.status).toBe(200);
      return (response.body as { lines: { explain: Record<string, unknown> }[] }).lines[0]!.explain;
    };
    const preview = await h.call('GET', `/v1/contracts/${contractId}/charges?from=2026-10-01&to=2026-10-31`, { token: finance() });
    expect(preview.status).toBe(200);
    const rated = (preview.body as { lines: { explain: Record<string, unknown> }[] }).lines[0]!.explain;
    expect(rated).toMatchObject({ rule: 'cpm.flat', exactAmount: '1000.00' });
    // The invoice answers the explain rating made, key for key and in the same order.
    const answered = await explainOf(october.id);
    expect(JSON.stringify(answered)).toBe(JSON.stringify(rated));
    // Stored: [shape id, values…], the keys once in explain_shapes.
    const stored = await sql<{ explain: unknown[]; shape: unknown }>`
      select l.explain, s.shape from document_lines l join explain_shapes s on s.id = l.explain->>0
      where l.document_id = ${october.id}`.execute(h.store.db);
    expect(stored.rows).toHaveLength(1);
    expect(stored.rows[0]!.explain).toContain('cpm.flat');
    expect(JSON.stringify(stored.rows[0]!.explain)).not.toContain('"exactAmount"');
    expect(JSON.stringify(stored.rows[0]!.shape)).toContain('"exactAmount"');
    // Shapes are content: neither changed nor deleted.
    await expect(sql`update explain_shapes set shape = '[]'::json`.execute(h.store.db)).rejects.toThrow(/append_only/);
    await expect(sql`delete from explain_shapes`.execute(h.store.db)).rejects.toThrow(/append_only/);
    // A line written before migration 0036 holds the whole object: it reads as it is. (Lines are
    // never updated: a draft's line is replaced, as a re-run replaces it.)
    const replaceExplain = (explain: unknown) =>
      sql`
        with removed as (delete from document_lines where document_id = ${october.id} returning *)
        insert into document_lines (document_id, position, contract_id, line_item, line_key, kind, description, quantity, unit, rate, amount,
          version, date_from, date_to, billed_period, corrects_kind, corrects_document_id, flags, explain)
        select document_id, position, contract_id, line_item, line_key, kind, description, quantity, unit, rate, amount,
          version, date_from, date_to, billed_period, corrects_kind, corrects_document_id, flags, ${JSON.stringify(explain)}::json
        from removed`.execute(h.store.db);
    // Read by the repository, as the route reads it (the embedded read cache clears on writes through the API only).
    const readExplain = async () => (await findDocument(h.store.db, everything, october.id))!.lines[0]!.explain;
    await replaceExplain({ rule: 'written.before', n: 1 });
    expect(await readExplain()).toEqual({ rule: 'written.before', n: 1 });
    await replaceExplain(stored.rows[0]!.explain);
    expect(JSON.stringify(await readExplain())).toBe(JSON.stringify(rated));
    expect(JSON.stringify(await explainOf(october.id))).toBe(JSON.stringify(rated));
  });

  it('refuses runs by roles without billing.run and bad periods', async () => {
    expect((await h.call('POST', '/v1/billing-runs', { token: cast.ops.token, body: { period: '2026-10' } })).status).toBe(403);
    const bad = await h.call('POST', '/v1/billing-runs', { token: finance(), body: { period: '2026-13' } });
    expect(bad.status).toBe(400);
    expect((bad.body as { errors: { path: string }[] }).errors[0]!.path).toBe('period');
  });

  it('finalizes with the next number, issue and due dates, and a balanced posting', async () => {
    const response = await h.call('POST', `/v1/invoices/${october.id}/finalize`, { token: finance() });
    expect(response.status).toBe(200);
    october = response.body as Invoice;
    expect(october).toMatchObject({ number: 'INV-2026-000001', status: 'finalized', issueDate: '2026-11-03', dueDate: '2026-12-18' });
    const balance = await trialBalance();
    expect(balance.totals).toEqual({ debit: '1000.00', credit: '1000.00' });
    expect(await balanceOf(`accounts_receivable:${advertiserId}`)).toBe('1000.00');
    expect(await balanceOf('media_revenue')).toBe('-1000.00');
    const twice = await h.call('POST', `/v1/invoices/${october.id}/finalize`, { token: finance() });
    expect(twice).toMatchObject({ status: 409, body: { code: 'document_not_draft' } });
  });

  it('settles by payments and credit notes, never beyond what is due', async () => {
    const pay = (amount: string) =>
      h.call('POST', `/v1/invoices/${october.id}/payments`, {
        token: finance(),
        body: { amount, date: '2026-11-20', reference: `wire ${amount}` },
      });
    expect((await pay('400.00')).status).toBe(201);
    let invoice = (await h.call('GET', `/v1/invoices/${october.id}`, { token: finance() })).body as Invoice;
    expect(invoice).toMatchObject({ status: 'partially_paid', amountPaid: '400.00', amountDue: '600.00' });
    expect(await pay('600.01')).toMatchObject({ status: 422, body: { code: 'payment_exceeds_due' } });
    expect(await pay('1.001')).toMatchObject({ status: 400 });

    const credit = await h.call('POST', '/v1/credit-notes', {
      token: finance(),
      body: { invoiceId: october.id, amount: '100.00', reason: 'Make-good for a missed flight' },
    });
    expect(credit).toMatchObject({ status: 201, body: { number: 'CN-2026-000001', amount: '100.00', invoiceNumber: 'INV-2026-000001' } });
    const tooMuch = await h.call('POST', '/v1/credit-notes', {
      token: finance(),
      body: { invoiceId: october.id, amount: '500.01', reason: 'too much' },
    });
    expect(tooMuch).toMatchObject({ status: 422, body: { code: 'credit_exceeds_remaining' } });
    expect((await pay('500.00')).status).toBe(201);
    invoice = (await h.call('GET', `/v1/invoices/${october.id}`, { token: finance() })).body as Invoice;
    expect(invoice).toMatchObject({ status: 'paid', amountPaid: '900.00', amountCredited: '100.00', amountDue: '0.00' });
    // The payments read back in the order they were recorded; the refused ones left nothing behind.
    const payments = await h.call('GET', `/v1/invoices/${october.id}/payments`, { token: finance() });
    expect(payments.status).toBe(200);
    expect(
      (payments.body as { data: { amount: string; date: string; reference: string; recordedBy: string; documentId: string }[] }).data,
    ).toEqual([
      expect.objectContaining({
        amount: '400.00',
        date: '2026-11-20',
        reference: 'wire 400.00',
        recordedBy: cast.finance.id,
        documentId: october.id,
      }),
      expect.objectContaining({
        amount: '500.00',
        date: '2026-11-20',
        reference: 'wire 500.00',
        recordedBy: cast.finance.id,
        documentId: october.id,
      }),
    ]);
    const firstPage = await h.call('GET', `/v1/invoices/${october.id}/payments?limit=1`, { token: finance() });
    const { data: first, nextCursor } = firstPage.body as { data: { amount: string }[]; nextCursor: string };
    expect(first.map((payment) => payment.amount)).toEqual(['400.00']);
    const secondPage = await h.call('GET', `/v1/invoices/${october.id}/payments?limit=1&cursor=${nextCursor}`, { token: finance() });
    expect(secondPage.body).toMatchObject({ data: [{ amount: '500.00' }], nextCursor: null });
    expect(await h.call('GET', `/v1/payout-statements/${october.id}/payments`, { token: finance() })).toMatchObject({
      status: 404,
      body: { code: 'document_not_found' },
    });
    expect(await h.call('GET', `/v1/invoices/inv_nothing/payments`, { token: finance() })).toMatchObject({
      status: 404,
      body: { code: 'document_not_found' },
    });
    // Receivable: 1000 − 400 − 100 − 500 = 0; cash 900; revenue 1000 − 100 credited = 900.
    expect(await balanceOf(`accounts_receivable:${advertiserId}`)).toBe('0.00');
    expect(await balanceOf('cash')).toBe('900.00');
    expect(await balanceOf('media_revenue')).toBe('-900.00');
    expect(await h.call('POST', `/v1/invoices/${october.id}/void`, { token: finance(), body: { reason: 'wrong' } })).toMatchObject({
      status: 409,
      body: { code: 'document_has_settlements' },
    });
  });

  it('bills a restatement of a finalized month as an adjustment on the next month', async () => {
    h.setToday('2026-12-02');
    await postImpressions(cast, [
      { contractId, lineItem: 'ctv', date: '2026-10-10', source: 'first_party', impressions: 120_000 },
      { contractId, lineItem: 'ctv', date: '2026-11-10', source: 'first_party', impressions: 50_000 },
    ]);
    const run = await h.call('POST', '/v1/billing-runs', { token: finance(), body: { period: '2026-11' } });
    expect(run).toMatchObject({ status: 201, body: { invoices: 1, adjustmentLines: 1 } });
    const [november] = await invoicesOf('2026-11');
    // November: 50,000 × 10.00 / 1000 = 500.00. October restated: 120,000 × 10 / 1000 = 1,200.00 − 1,000.00 billed = 200.00.
    expect(
      november!.lines.map((line) => [
        line.kind,
        line.quantity,
        line.amount,
        line.corrects?.number ?? null,
        line.corrects?.periodLabel ?? null,
      ]),
    ).toEqual([
      ['media', 50_000, '500.00', null, null],
      ['adjustment', 20_000, '200.00', 'INV-2026-000001', '2026-10'],
    ]);
    expect(november!.total).toBe('700.00');
    // Re-running October changes nothing: it is finalized, and its restatement is billed in November.
    const rerun = await h.call('POST', '/v1/billing-runs', { token: finance(), body: { period: '2026-10' } });
    expect(rerun).toMatchObject({ status: 201, body: { invoices: 0 } });
    const finalized = await h.call('POST', `/v1/invoices/${november!.id}/finalize`, { token: finance() });
    expect(finalized).toMatchObject({ status: 200, body: { number: 'INV-2026-000002' } });
    // Once billed, the adjustment is not billed again by a re-run of November.
    const december = await h.call('POST', '/v1/billing-runs', { token: finance(), body: { period: '2026-12' } });
    expect(december).toMatchObject({ status: 201, body: { adjustmentLines: 0 } });
  });

  it('shows a party only its own finalized invoices', async () => {
    const party = await h.user('party', { partyId: advertiserId });
    const list = await h.call('GET', '/v1/invoices', { token: party.token });
    expect((list.body as { data: Invoice[] }).data.map((invoice) => invoice.number)).toEqual(['INV-2026-000001', 'INV-2026-000002']);
    const otherId = await createParty(cast, 'advertiser', 'Someone Else');
    const other = await h.user('party', { partyId: otherId });
    expect((await h.call('GET', `/v1/invoices/${october.id}`, { token: other.token })).status).toBe(404);
    // Payments follow the invoice's visibility: its own party reads them, another party gets a 404.
    expect(
      ((await h.call('GET', `/v1/invoices/${october.id}/payments`, { token: party.token })).body as { data: unknown[] }).data,
    ).toHaveLength(2);
    expect((await h.call('GET', `/v1/invoices/${october.id}/payments`, { token: other.token })).status).toBe(404);
    expect(((await h.call('GET', '/v1/invoices', { token: other.token })).body as { data: unknown[] }).data).toEqual([]);
    expect((await h.call('GET', '/v1/ledger/trial-balance', { token: party.token })).status).toBe(403);
  });

  it('renders the PDF and exports the journal and the invoices for accounting', async () => {
    const pdf = await h.call('GET', `/v1/invoices/${october.id}/pdf`, { token: finance() });
    expect(pdf.status).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.text.startsWith('%PDF-')).toBe(true);
    expect(pdf.headers['content-disposition']).toContain('INV-2026-000001.pdf');

    const journal = await h.call('GET', '/v1/exports/journal.csv?from=2026-11-01&to=2026-12-31', { token: finance() });
    expect(journal.status).toBe(200);
    const rows = journal.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/);
    expect(rows[0]).toBe('Date,Transaction,Account,Description,Debit,Credit,Currency,Source,Source ID,Document,Base Debit,Base Credit');
    // Invoice 1 (2 entries), payment, credit note, payment (2 each), invoice 2 (2 entries).
    expect(rows).toHaveLength(1 + 10);

    const xero = await h.call('GET', '/v1/exports/invoices.csv?from=2026-11-01&to=2026-12-31&format=xero', { token: finance() });
    expect(xero.status).toBe(200);
    expect(xero.headers['tally-export-parts']).toBe('1');
    expect(xero.text).toContain('INV-2026-000001');
    expect(xero.text).toContain('INV-2026-000002');
    const quickbooks = await h.call('GET', '/v1/exports/invoices.csv?from=2026-11-01&to=2026-11-30&format=quickbooks', {
      token: finance(),
    });
    expect(quickbooks.text).toContain('INV-2026-000001');
    expect(quickbooks.text).not.toContain('INV-2026-000002');
    expect((await h.call('GET', '/v1/exports/invoices.csv?from=2026-11-01&to=2026-11-30&format=sage', { token: finance() })).status).toBe(
      400,
    );
    expect((await h.call('GET', '/v1/exports/journal.csv?from=2026-11-01&to=2026-11-30', { token: cast.ops.token })).status).toBe(403);
  });

  describe('the database refuses changes to what was issued', () => {
    const refused = async (statement: string) => {
      await expect(sql.raw(statement).execute(h.store.db)).rejects.toThrow(/append_only|unbalanced/);
    };
    it('finalized documents, their lines, payments, credit notes, ledger entries and number series', async () => {
      await refused(`update billing_documents set total = 1 where number = 'INV-2026-000001'`);
      await refused(`delete from billing_documents where number = 'INV-2026-000001'`);
      await refused(`update document_lines set amount = 1 where document_id = '${october.id}'`);
      await refused(`delete from document_lines where document_id = '${october.id}'`);
      await refused(`update payments set amount = 1`);
      await refused(`delete from credit_notes`);
      await refused(`update ledger_entries set debit = 1 where debit > 0`);
      await refused(`delete from ledger_transactions`);
      await refused(`update number_series set last_value = 0 where series = 'INV-2026'`);
      // An unbalanced transaction cannot be posted, even straight in SQL.
      const unbalanced = h.store.db.transaction().execute(async (trx) => {
        await sql`insert into ledger_transactions (id, date, posted_at, description, source_type, source_id, billing_entity_id) values ('ltx_x', '2026-11-01', now(), 'x', 'payment', 'pay_x', 'ent_00000000000000000000000000')`.execute(
          trx,
        );
        await sql`insert into ledger_entries values ('ltx_x', 1, 'cash', 'USD', 5, 0)`.execute(trx);
      });
      await expect(unbalanced).rejects.toThrow(/unbalanced/);
      const verify = await h.call('GET', '/v1/audit/verify');
      expect(verify.body).toMatchObject({ ok: true });
    });

    it("a line's document, contract and corrected document must exist, and a document with lines cannot be deleted (migration 0033, checked per statement)", async () => {
      const line = (documentId: string, contractId: string, correctsDocumentId: string | null) =>
        `insert into document_lines (document_id, position, contract_id, line_key, kind, description, quantity, unit, amount, date_from, date_to,
           billed_period, corrects_kind, corrects_document_id, flags, explain)
         select '${documentId}', 999, '${contractId}', 'x', ${correctsDocumentId === null ? `'media'` : `'adjustment'`}, 'x', 1, 'impressions', 0,
           '2026-10-01', '2026-10-31', '2026-10', ${correctsDocumentId === null ? 'null' : `'media'`},
           ${correctsDocumentId === null ? 'null' : `'${correctsDocumentId}'`}, '[]', '{}'`;
      const lineCount = async () =>
        Number((await sql<{ count: string }>`select count(*) as count from document_lines`.execute(h.store.db)).rows[0]?.count);
      const before = await lineCount();
      // A scratch draft with no lines, copied from an issued invoice (a draft's lines may be written; a finalized one's not).
      await sql`insert into billing_documents select * from jsonb_populate_record(null::billing_documents, (
          select to_jsonb(d) || '{"id": "inv_scratch_0033", "status": "draft", "number": null, "issue_date": null, "due_date": null,
            "finalized_at": null, "finalized_by": null, "period_label": "2027-01", "billing_entity_id": null, "bill_to": null, "issuer": null}'::jsonb
          from billing_documents d where d.id = ${october.id}))`.execute(h.store.db);
      const { rows } = await sql<{
        contract_id: string;
      }>`select contract_id from document_lines where document_id = ${october.id} limit 1`.execute(h.store.db);
      const contractId = rows[0]!.contract_id;
      await expect(sql.raw(line('inv_missing', contractId, null)).execute(h.store.db)).rejects.toThrow(/foreign_key: document inv_missing/);
      await expect(sql.raw(line('inv_scratch_0033', 'ctr_missing', null)).execute(h.store.db)).rejects.toThrow(
        /foreign_key: contract ctr_missing/,
      );
      await expect(sql.raw(line('inv_scratch_0033', contractId, 'inv_gone')).execute(h.store.db)).rejects.toThrow(
        /foreign_key: document inv_gone corrected/,
      );
      // A line that names what exists is written; its document cannot be deleted before it (a re-run deletes lines first).
      await sql.raw(line('inv_scratch_0033', contractId, october.id)).execute(h.store.db);
      await expect(sql`delete from billing_documents where id = 'inv_scratch_0033'`.execute(h.store.db)).rejects.toThrow(
        /foreign_key: document inv_scratch_0033/,
      );
      await sql`delete from document_lines where document_id = 'inv_scratch_0033'`.execute(h.store.db);
      await sql`delete from billing_documents where id = 'inv_scratch_0033'`.execute(h.store.db);
      expect(await lineCount()).toBe(before);
    });
  });
});
