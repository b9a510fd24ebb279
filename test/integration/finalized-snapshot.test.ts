/**
 * Finalized means finalized (SPEC §5, issue 13): an invoice issued to a party keeps the party and the
 * issuer as they were at finalization. Editing the party afterwards (its name, billing email and
 * external reference) leaves the invoice's JSON, its PDF's text and every export exactly as they
 * were; a draft, which is not issued yet, follows the party; and the database refuses to rewrite
 * the snapshot, like any other column of a finalized document.
 */
import { sql } from 'kysely';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeStore, type Harness, startHarness } from '../support/harness.ts';
import { type Cast, castOf, createApprovedContract, createParty, postImpressions } from '../support/scenario-helpers.ts';

/** The text of every page of a PDF, page by page. */
async function pdfText(bytes: Buffer): Promise<string[]> {
  const loaded = await getDocument({ data: new Uint8Array(bytes), verbosity: 0 }).promise;
  const pages: string[] = [];
  for (let number = 1; number <= loaded.numPages; number++) {
    const content = await (await loaded.getPage(number)).getTextContent();
    pages.push(content.items.map((item) => ('str' in item ? item.str : '')).join(' '));
  }
  return pages;
}

describeStore('finalized documents keep their bill-to party and issuer', () => {
  let h: Harness;
  let cast: Cast;
  let partyId: string;
  let invoiceId: string;
  const finance = () => cast.finance.token;

  /** Everything a finalized invoice is seen through: its JSON, its PDF's text, the journal and both invoice exports. */
  async function issuedViews() {
    const json = await h.call('GET', `/v1/invoices/${invoiceId}`, { token: finance() });
    const pdf = await h.app.inject({
      method: 'GET',
      url: `/v1/invoices/${invoiceId}/pdf`,
      headers: { authorization: `Bearer ${finance()}` },
    });
    const exports = await Promise.all(
      [
        '/v1/exports/journal.csv?from=2026-11-01&to=2026-12-31',
        '/v1/exports/invoices.csv?from=2026-11-01&to=2026-12-31&format=xero',
        '/v1/exports/invoices.csv?from=2026-11-01&to=2026-12-31&format=quickbooks',
      ].map((url) => h.call('GET', url, { token: finance() })),
    );
    expect([json.status, pdf.statusCode, ...exports.map((response) => response.status)]).toEqual([200, 200, 200, 200, 200]);
    return { json: json.body, pdf: await pdfText(pdf.rawPayload), exports: exports.map((response) => response.text) };
  }

  beforeAll(async () => {
    h = await startHarness({ today: '2026-11-03' });
    cast = await castOf(h);
    partyId = await createParty(cast, 'advertiser', 'Contoso Retail');
    expect(
      (
        await h.call('PATCH', `/v1/parties/${partyId}`, {
          token: cast.ops.token,
          body: { billingEmail: 'ap@contoso.example', externalRef: 'CONTOSO-01' },
        })
      ).status,
    ).toBe(200);
    const contractId = await createApprovedContract(cast, partyId, 'sell', 'Q4 CTV', {
      startDate: '2026-10-01',
      endDate: '2026-12-31',
      currency: 'USD',
      billingPeriod: 'calendar_month',
      lineItems: [{ key: 'ctv', name: 'CTV', pricing: { model: 'cpm', ratePerMille: '20.00' } }],
    });
    await postImpressions(cast, [
      { contractId, lineItem: 'ctv', date: '2026-10-05', source: 'first_party', impressions: 100_000 },
      { contractId, lineItem: 'ctv', date: '2026-11-05', source: 'first_party', impressions: 50_000 },
    ]);
    const run = await h.call('POST', '/v1/billing-runs', { token: finance(), body: { period: '2026-10' } });
    expect(run.status).toBe(201);
    const drafts = await h.call('GET', `/v1/invoices?runId=${run.body.id}`, { token: finance() });
    invoiceId = drafts.body.data[0].id;
    expect((await h.call('POST', `/v1/invoices/${invoiceId}/finalize`, { token: finance(), body: {} })).status).toBe(200);
  });
  afterAll(async () => h?.close());

  it('shows the party as it was when the invoice was finalized, after the party is edited', async () => {
    const before = await issuedViews();
    // 100,000 impressions at 20.00 per mille: 2,000.00, issued to the party as it was named then.
    expect(before.json.party).toEqual({
      id: partyId,
      name: 'Contoso Retail',
      kind: 'advertiser',
      billingEmail: 'ap@contoso.example',
      externalRef: 'CONTOSO-01',
    });
    expect(before.json.total).toBe('2000.00');
    expect(before.pdf.join(' ')).toContain('Contoso Retail');
    expect(before.exports[1]).toContain('Contoso Retail');

    const edited = await h.call('PATCH', `/v1/parties/${partyId}`, {
      token: cast.ops.token,
      body: { name: 'Contoso Holdings GmbH', billingEmail: 'billing@contoso-holdings.example', externalRef: 'CH-2027' },
    });
    expect(edited.status).toBe(200);

    const after = await issuedViews();
    expect(after.json).toEqual(before.json);
    expect(after.pdf).toEqual(before.pdf);
    expect(after.exports).toEqual(before.exports);
    expect(JSON.stringify(after)).not.toContain('Contoso Holdings');
  });

  it('lets a draft follow the party: November is drafted to the new name', async () => {
    const run = await h.call('POST', '/v1/billing-runs', { token: finance(), body: { period: '2026-11' } });
    expect(run.status).toBe(201);
    const drafts = await h.call('GET', `/v1/invoices?runId=${run.body.id}`, { token: finance() });
    expect(drafts.body.data[0].party).toEqual({
      id: partyId,
      name: 'Contoso Holdings GmbH',
      kind: 'advertiser',
      billingEmail: 'billing@contoso-holdings.example',
      externalRef: 'CH-2027',
    });
  });

  it('refuses in the database to rewrite the snapshot of a finalized invoice', async () => {
    const rewrite = sql`update billing_documents set bill_to = jsonb_set(bill_to, '{name}', '"Someone else"') where id = ${invoiceId}`;
    await expect(rewrite.execute(h.store.db)).rejects.toThrow(/append_only/);
    const issuer = sql`update billing_documents set issuer = '{}'::jsonb where id = ${invoiceId}`;
    await expect(issuer.execute(h.store.db)).rejects.toThrow(/append_only/);
  });
});
