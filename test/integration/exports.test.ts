/**
 * The finance exports through HTTP, as finance opens them (issue 16, item 7): parties and line items
 * whose names start like spreadsheet formulas come out inert in the journal, Xero and QuickBooks
 * files, negative amounts still read as numbers, and `?dateFormat=` writes the dates in the order
 * asked for, a bad value being refused with the allowed ones named. And (SPEC §10) each line of a
 * taxed invoice carries its tax code and its share of the tax, so that the import totals Tally's.
 * QuickBooks refuses negative lines, so a restatement's −15.00 reaches it as a credit memo (issue 16,
 * item 5): `format=quickbooks-credit-memos`, a second file.
 */
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeStore, type Harness, startHarness } from '../support/harness.ts';
import { type Cast, castOf, createApprovedContract, postImpressions } from '../support/scenario-helpers.ts';
import { finalizeDocument, listDocuments, runBilling } from '../support/billing-helpers.ts';
import { Decimal, sumMoney } from '../../src/wire/money.ts';

/** Party names a spreadsheet would run as formulas; the tab-led text is a line item's name (party names are trimmed). */
const formulaNames = ['=HYPERLINK("http://evil.example","x")', '+1 555', '@SUM(A1)', '-cmd'];
const tabbedLineItem = '\tTabbed CTV';

/** True for a cell a spreadsheet would read as a formula: text (not a plain number) starting with = + - @, a tab, CR or LF. */
function runsAsFormula(cell: string): boolean {
  return /^[=+\-@\t\r\n]/.test(cell) && !/^-?\d+(\.\d+)?$/.test(cell);
}

function records(csv: string): Record<string, string>[] {
  return parse(csv, { columns: true }) as Record<string, string>[];
}

function allCells(csv: string): string[] {
  return (parse(csv) as string[][]).flat();
}

/** `2026-11-03` in each export date format. */
function formatted(isoDate: string, format: string): string {
  const [year, month, day] = isoDate.split('-');
  if (format === 'DD/MM/YYYY') return `${day}/${month}/${year}`;
  if (format === 'MM/DD/YYYY') return `${month}/${day}/${year}`;
  return isoDate;
}

describeStore('exports: inert cells and the date format asked for', () => {
  let h: Harness;
  let cast: Cast;
  /** Issue and due dates of every exported invoice. */
  const invoiceDates = new Set<string>();
  /** November's invoice of the last party: 500.00 and a −15.00 restatement of October. */
  let restated: { number: string; issueDate: string; total: string };
  const range = 'from=2026-11-01&to=2026-12-31';
  const finance = () => cast.finance.token;
  const exportCsv = (path: string) => h.call('GET', path, { token: finance() });

  beforeAll(async () => {
    h = await startHarness({ today: '2026-11-03' });
    cast = await castOf(h);
    const contractIds: string[] = [];
    for (const [index, name] of formulaNames.entries()) {
      const body = { kind: 'advertiser', name, currency: 'USD', ...(index === 0 ? { externalRef: '+PO-1' } : {}) };
      const party = await h.call('POST', '/v1/parties', { token: cast.ops.token, body });
      expect(party.status, party.text).toBe(201);
      const contractId = await createApprovedContract(cast, party.body.id as string, 'sell', `Q4 ${index}`, {
        startDate: '2026-10-01',
        endDate: '2026-12-31',
        currency: 'USD',
        billingPeriod: 'calendar_month',
        paymentTermsDays: 30,
        lineItems: [{ key: 'ctv', name: index === 0 ? tabbedLineItem : 'CTV', pricing: { model: 'cpm', ratePerMille: '10.00' } }],
      });
      contractIds.push(contractId);
      // 100,000 × 10.00 / 1000 = 1,000.00 in October for each.
      await postImpressions(cast, [{ contractId, lineItem: 'ctv', date: '2026-10-10', source: 'first_party', impressions: 100_000 }]);
    }
    await runBilling(h, finance(), '2026-10');
    for (const draft of await listDocuments(h, finance(), 'invoice', { period: '2026-10' }))
      invoiceDates.add((await finalizeDocument(h, finance(), 'invoice', draft.id)).issueDate ?? '');

    // The last party's October is restated down once finalized: 1,500 × 10.00 / 1000 = −15.00 on November's invoice.
    h.setToday('2026-12-02');
    const contractId = contractIds[3]!;
    await postImpressions(cast, [
      { contractId, lineItem: 'ctv', date: '2026-10-10', source: 'first_party', impressions: 98_500 },
      { contractId, lineItem: 'ctv', date: '2026-11-10', source: 'first_party', impressions: 50_000 },
    ]);
    await runBilling(h, finance(), '2026-11');
    const [november] = await listDocuments(h, finance(), 'invoice', { period: '2026-11' });
    const finalized = await finalizeDocument(h, finance(), 'invoice', november!.id);
    expect(finalized.lines.map((line) => line.amount)).toEqual(['500.00', '-15.00']);
    invoiceDates.add(finalized.issueDate ?? '');
    restated = { number: finalized.number ?? '', issueDate: finalized.issueDate ?? '', total: finalized.total };
    expect(restated.total).toBe('485.00');
    expect([...invoiceDates]).toEqual(['2026-11-03', '2026-12-02']);
  });
  afterAll(async () => h?.close());

  it('Xero: every party name and the tab-led line text get a quote in front, quoted; -15.00 stays a number', async () => {
    const response = await exportCsv(`/v1/exports/invoices.csv?${range}&format=xero`);
    expect(response.status, response.text).toBe(200);
    const rows = records(response.text);
    expect(rows).toHaveLength(4 + 2);
    expect([...new Set(rows.map((row) => row['*ContactName']))].sort()).toEqual(formulaNames.map((name) => `'${name}`).sort());
    expect(response.text).toContain('"\'=HYPERLINK(""http://evil.example"",""x"")"');
    expect(response.text).toContain('"\'-cmd"');
    const first = rows.find((row) => row['*ContactName'] === `'${formulaNames[0]}`);
    expect(first?.['*Description']).toMatch(/^'\tTabbed CTV: /);
    expect(first?.Reference).toBe("'+PO-1");
    const adjustment = rows.find((row) => row['*UnitAmount']?.startsWith('-'));
    expect([adjustment?.['*ContactName'], adjustment?.['*Quantity'], adjustment?.['*UnitAmount']]).toEqual(["'-cmd", '1', '-15.00']);
    expect(response.text).toMatch(/,1,-15\.00,/);
    expect(allCells(response.text).filter(runsAsFormula)).toEqual([]);
  });

  it('QuickBooks: every customer name and the tab-led line text get a quote in front; the −15.00 line is not on the invoice', async () => {
    const response = await exportCsv(`/v1/exports/invoices.csv?${range}&format=quickbooks`);
    expect(response.status, response.text).toBe(200);
    const rows = records(response.text);
    expect([...new Set(rows.map((row) => row['*Customer']))].sort()).toEqual(formulaNames.map((name) => `'${name}`).sort());
    expect(rows.find((row) => row['*Customer'] === `'${formulaNames[0]}`)?.ItemDescription).toMatch(/^'\tTabbed CTV: /);
    expect(response.text).toContain('"\'@SUM(A1)"');
    // QuickBooks' invoice import refuses a negative line: November's invoice is its 500.00 alone.
    expect(rows.filter((row) => row['*ItemAmount']?.startsWith('-'))).toEqual([]);
    expect(rows.filter((row) => row['*InvoiceNo'] === restated.number).map((row) => [row['*Customer'], row['*ItemAmount']])).toEqual([
      ["'-cmd", '500.00'],
    ]);
    expect(allCells(response.text).filter(runsAsFormula)).toEqual([]);
  });

  it('QuickBooks credit memos: the −15.00 restatement as a credit memo of 15.00 after the invoice, 500.00 − 15.00 = 485.00', async () => {
    const response = await exportCsv(`/v1/exports/invoices.csv?${range}&format=quickbooks-credit-memos`);
    expect(response.status, response.text).toBe(200);
    expect(response.headers['content-disposition']).toBe('attachment; filename="credit-memos-quickbooks-2026-11-01-2026-12-31.csv"');
    expect(response.headers['tally-export-parts']).toBe('1');
    const credits = records(response.text);
    expect(credits.map((row) => [row['*CreditMemoNo'], row['*Customer'], row['*CreditMemoDate'], row.ItemQuantity, row.ItemRate])).toEqual([
      [`${restated.number}-CM`, "'-cmd", formatted(restated.issueDate, 'MM/DD/YYYY'), '1', '15.00'],
    ]);
    expect([credits[0]?.['*ItemAmount'], credits[0]?.['*ItemTaxCode'], credits[0]?.ItemTaxAmount, credits[0]?.Currency]).toEqual([
      '15.00',
      'NON',
      '0.00',
      'USD',
    ]);
    expect(credits[0]?.Memo).toMatch(new RegExp(`; credits invoice ${restated.number}$`));
    expect(response.text).toContain('"\'-cmd"');
    expect(allCells(response.text).filter(runsAsFormula)).toEqual([]);
    const invoiced = records((await exportCsv(`/v1/exports/invoices.csv?${range}&format=quickbooks`)).text).filter(
      (row) => row['*InvoiceNo'] === restated.number,
    );
    const gross = (rows: Record<string, string>[]) =>
      sumMoney(rows.map((row) => new Decimal(row['*ItemAmount'] ?? 'NaN').plus(row.ItemTaxAmount ?? 'NaN')));
    expect(gross(invoiced).minus(gross(credits)).toFixed(2)).toBe(restated.total);
  });

  it('QuickBooks credit memos: ?dateFormat= and ?entityId= work as for the invoices', async () => {
    const path = `/v1/exports/invoices.csv?${range}&format=quickbooks-credit-memos`;
    for (const dateFormat of ['DD/MM/YYYY', 'YYYY-MM-DD']) {
      const rows = records((await exportCsv(`${path}&dateFormat=${encodeURIComponent(dateFormat)}`)).text);
      expect(
        rows.map((row) => [row['*CreditMemoDate'], row['Service Date']]),
        dateFormat,
      ).toEqual([[formatted(restated.issueDate, dateFormat), formatted('2026-10-01', dateFormat)]]);
    }
    const entities = await h.call('GET', '/v1/billing-entities', { token: finance() });
    expect(entities.status, entities.text).toBe(200);
    const [entity] = entities.body.data as { id: string }[];
    const own = await exportCsv(`${path}&entityId=${entity!.id}`);
    expect(records(own.text).map((row) => row['*CreditMemoNo'])).toEqual([`${restated.number}-CM`]);
    const unknown = await exportCsv(`${path}&entityId=ent_nope`);
    expect(unknown.status).toBe(422);
    expect(unknown.body).toMatchObject({ code: 'unknown_billing_entity' });
    const badFormat = await exportCsv(`/v1/exports/invoices.csv?${range}&format=quickbooks-credit-notes`);
    expect(badFormat.status).toBe(400);
    expect(badFormat.body).toMatchObject({ code: 'validation_failed' });
  });

  it('journal: no cell a spreadsheet would run, and every amount a plain number', async () => {
    const response = await exportCsv(`/v1/exports/journal.csv?${range}`);
    expect(response.status, response.text).toBe(200);
    const rows = records(response.text);
    // Four October invoices and November's, two postings each.
    expect(rows).toHaveLength(10);
    expect(allCells(response.text).filter(runsAsFormula)).toEqual([]);
    for (const row of rows) for (const amount of [row.Debit, row.Credit]) expect(amount).toMatch(/^(-?\d+\.\d{2})?$/);
  });

  it('writes the dates in each format asked for, and each product its own by default', async () => {
    const cases = [
      { format: 'xero', columns: ['*InvoiceDate', '*DueDate'], byDefault: 'DD/MM/YYYY' },
      { format: 'quickbooks', columns: ['*InvoiceDate', '*DueDate', 'Service Date'], byDefault: 'MM/DD/YYYY' },
    ];
    for (const { format, columns, byDefault } of cases) {
      const plain = records((await exportCsv(`/v1/exports/invoices.csv?${range}&format=${format}`)).text);
      for (const dateFormat of ['DD/MM/YYYY', 'MM/DD/YYYY', 'YYYY-MM-DD']) {
        const response = await exportCsv(`/v1/exports/invoices.csv?${range}&format=${format}&dateFormat=${encodeURIComponent(dateFormat)}`);
        expect(response.status, response.text).toBe(200);
        const rows = records(response.text);
        expect(new Set(rows.map((row) => row['*InvoiceDate'])), `${format} ${dateFormat}`).toEqual(
          new Set([...invoiceDates].map((date) => formatted(date, dateFormat))),
        );
      }
      // Every date column (due and service dates too) follows the format: the ISO file's dates, reordered, are the default file's.
      const iso = records((await exportCsv(`/v1/exports/invoices.csv?${range}&format=${format}&dateFormat=YYYY-MM-DD`)).text);
      expect(iso.map((row) => columns.map((column) => formatted(row[column] ?? '', byDefault)))).toEqual(
        plain.map((row) => columns.map((column) => row[column])),
      );
    }
    const journalDates = async (query: string) =>
      new Set(records((await exportCsv(`/v1/exports/journal.csv?${range}${query}`)).text).map((row) => row.Date));
    expect(await journalDates('')).toEqual(invoiceDates);
    for (const dateFormat of ['DD/MM/YYYY', 'MM/DD/YYYY', 'YYYY-MM-DD'])
      expect(await journalDates(`&dateFormat=${encodeURIComponent(dateFormat)}`)).toEqual(
        new Set([...invoiceDates].map((date) => formatted(date, dateFormat))),
      );
  });

  it('refuses a date format it does not know with the allowed ones named, and writes no file', async () => {
    const audited = await h.count('audit_entries');
    for (const path of [
      `/v1/exports/invoices.csv?${range}&format=xero&dateFormat=DD-MM-YYYY`,
      `/v1/exports/invoices.csv?${range}&format=quickbooks&dateFormat=dd%2Fmm%2Fyyyy`,
      `/v1/exports/journal.csv?${range}&dateFormat=ISO`,
    ]) {
      const response = await exportCsv(path);
      expect(response.status, path).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.headers['content-disposition']).toBeUndefined();
      expect(response.body).toMatchObject({
        code: 'validation_failed',
        errors: [{ path: 'querystring.dateFormat', message: 'must be one of DD/MM/YYYY, MM/DD/YYYY, YYYY-MM-DD' }],
      });
      expect(response.body.detail).toContain('DD/MM/YYYY, MM/DD/YYYY, YYYY-MM-DD');
    }
    expect(await h.count('audit_entries')).toBe(audited);
  });
});

/**
 * Tax in the exports through the whole path (SPEC §10): a French entity with a 20 % VAT rate bills a
 * French business three lines of 10.01 (30.03 net; 6.006 of VAT, 6.01 once rounded for the document)
 * and a German business with a VAT number 1,000.00, reverse-charged, as test/scenarios/taxes.test.ts
 * sets them up. Rounded line by line the VAT would be 2.00 × 3 = 6.00, a cent short.
 */
describeStore('exports: tax on each line, totalling what Tally charged', () => {
  let h: Harness;
  let cast: Cast;
  let taxed: { number: string; subtotal: string; taxTotal: string; total: string };
  let reverseCharged: { number: string; total: string };
  const range = 'from=2026-11-01&to=2026-11-30';
  const exportCsv = async (path: string) => {
    const response = await h.call('GET', path, { token: cast.finance.token });
    expect(response.status, response.text).toBe(200);
    return records(response.text);
  };

  beforeAll(async () => {
    h = await startHarness({ today: '2026-11-03' });
    cast = await castOf(h);
    const entity = await h.call('POST', '/v1/billing-entities', {
      token: cast.finance.token,
      body: { name: 'Tally France', legalName: 'Tally France SAS', country: 'FR', baseCurrency: 'EUR', numberPrefix: 'FR' },
    });
    expect(entity.status, entity.text).toBe(201);
    const rate = await h.call('POST', '/v1/tax-rates', {
      token: cast.finance.token,
      body: { billingEntityId: entity.body.id, code: 'FR-VAT-20', name: 'TVA 20 %', percent: '20', country: 'FR', appliesTo: 'sell' },
    });
    expect(rate.status, rate.text).toBe(201);
    const invoiceOf = async (
      name: string,
      country: string,
      taxId: string,
      lineItems: string[],
      ratePerMille: string,
      impressions: number,
    ) => {
      const body = { kind: 'advertiser', name, currency: 'EUR', billingEntityId: entity.body.id, country, taxId };
      const party = await h.call('POST', '/v1/parties', { token: cast.ops.token, body });
      expect(party.status, party.text).toBe(201);
      const contractId = await createApprovedContract(cast, party.body.id as string, 'sell', `${name} Q4`, {
        startDate: '2026-10-01',
        endDate: '2026-12-31',
        currency: 'EUR',
        billingPeriod: 'calendar_month',
        paymentTermsDays: 30,
        lineItems: lineItems.map((key) => ({ key, name: key, pricing: { model: 'cpm', ratePerMille } })),
      });
      await postImpressions(
        cast,
        lineItems.map((lineItem) => ({ contractId, lineItem, date: '2026-10-10', source: 'first_party' as const, impressions })),
      );
      return party.body.id as string;
    };
    // 1,000 × 10.01 / 1000 = 10.01 a line; 100,000 × 10.00 / 1000 = 1,000.00.
    const french = await invoiceOf('Maison Exemple', 'FR', 'FR12345678901', ['display', 'video', 'native'], '10.01', 1_000);
    const german = await invoiceOf('Beispiel GmbH', 'DE', 'DE123456789', ['display'], '10.00', 100_000);
    await runBilling(h, cast.finance.token, '2026-10');
    for (const draft of await listDocuments(h, cast.finance.token, 'invoice', { period: '2026-10' })) {
      const invoice = (await finalizeDocument(h, cast.finance.token, 'invoice', draft.id)) as unknown as typeof taxed;
      if (draft.partyId === french) taxed = invoice;
      if (draft.partyId === german) reverseCharged = invoice;
    }
    expect([taxed.subtotal, taxed.taxTotal, taxed.total]).toEqual(['30.03', '6.01', '36.04']);
    expect(reverseCharged.total).toBe('1000.00');
  });
  afterAll(async () => h?.close());

  /** Σ quantity × price + Σ tax over `rows`: the invoice's total once imported. */
  const importedTotal = (rows: Record<string, string>[], quantity: string | null, price: string, tax: string) =>
    sumMoney(
      rows.map((row) => new Decimal(quantity === null ? '1' : (row[quantity] ?? 'NaN')).times(row[price] ?? 'NaN').plus(row[tax] ?? 'NaN')),
    );

  it("Xero: the taxed invoice's lines carry FR-VAT-20 and shares of 6.01 that total 36.04; the reverse charge the EC services rate", async () => {
    const rows = await exportCsv(`/v1/exports/invoices.csv?${range}&format=xero`);
    const own = rows.filter((row) => row['*InvoiceNumber'] === taxed.number);
    expect(own.map((row) => [row['*UnitAmount'], row['*TaxType'], row.TaxAmount])).toEqual([
      ['10.01', 'FR-VAT-20', '2.00'],
      ['10.01', 'FR-VAT-20', '2.00'],
      ['10.01', 'FR-VAT-20', '2.01'],
    ]);
    expect(sumMoney(own.map((row) => new Decimal(row.TaxAmount ?? 'NaN'))).toFixed(2)).toBe(taxed.taxTotal);
    expect(importedTotal(own, '*Quantity', '*UnitAmount', 'TaxAmount').toFixed(2)).toBe(taxed.total);
    const reverse = rows.filter((row) => row['*InvoiceNumber'] === reverseCharged.number);
    expect(reverse.map((row) => [row['*TaxType'], row.TaxAmount])).toEqual([['Zero Rated EC Services', '0.00']]);
    expect(importedTotal(reverse, '*Quantity', '*UnitAmount', 'TaxAmount').toFixed(2)).toBe(reverseCharged.total);
  });

  it("QuickBooks: the same shares in ItemTaxAmount, the reverse charge's code and note", async () => {
    const rows = await exportCsv(`/v1/exports/invoices.csv?${range}&format=quickbooks`);
    const own = rows.filter((row) => row['*InvoiceNo'] === taxed.number);
    expect(own.map((row) => [row['*ItemAmount'], row['*ItemTaxCode'], row.ItemTaxAmount])).toEqual([
      ['10.01', 'FR-VAT-20', '2.00'],
      ['10.01', 'FR-VAT-20', '2.00'],
      ['10.01', 'FR-VAT-20', '2.01'],
    ]);
    expect(importedTotal(own, null, '*ItemAmount', 'ItemTaxAmount').toFixed(2)).toBe(taxed.total);
    const [reverse] = rows.filter((row) => row['*InvoiceNo'] === reverseCharged.number);
    expect([reverse?.['*ItemTaxCode'], reverse?.ItemTaxAmount]).toEqual(['0.0% ECS', '0.00']);
    expect(reverse?.Memo).toMatch(/; Reverse charge$/);
  });

  it('journal: the taxed invoice owes 36.04, earns 30.03 and owes the 6.01 of VAT to tax_payable', async () => {
    const rows = (await exportCsv(`/v1/exports/journal.csv?${range}`)).filter((row) => row.Document === taxed.number);
    expect(rows.map((row) => [(row.Account ?? '').replace(/:pty_\w+$/, ':…'), row.Debit, row.Credit])).toEqual([
      ['accounts_receivable:…', '36.04', ''],
      ['media_revenue', '', '30.03'],
      ['tax_payable', '', '6.01'],
    ]);
  });
});
