/**
 * The main journeys of the web app, in Debian's Chromium against the real server (bin/tally serve,
 * production build, fresh embedded store with the demo book, clock pinned to 2026-11-25):
 * ops creates a CPM contract with two line items and submits it; finance approves it from the
 * inbox; an admin amends it and is refused as its own checker (maker-checker); finance approves
 * the amendment and compares the versions; ops uploads delivery (and a bad file); the charges
 * preview prices it; finance runs billing for the month, reviews and finalizes the invoice,
 * downloads its PDF and records a payment, is refused as checker of the run's payout statements,
 * and reads the trial balance and the exports; a viewer sees no button it cannot use; a party user
 * sees its own account and invoices and nothing else.
 */
import fs from 'node:fs';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { bundledChromium, debianChromium, launchChromium, signIn, signOut } from './support/browser.ts';
import { callAs } from './support/demo-api.ts';
import { useJourney } from './support/journey.ts';
import { demoPassword } from './support/server.ts';

const users = {
  ops: 'olivia@demo.tally.dev',
  finance: 'fiona@demo.tally.dev',
  admin: 'admin@demo.tally.dev',
  viewer: 'vera@demo.tally.dev',
  party: 'portal@northwind.example',
};

/** The text of a PDF's pages, joined. */
async function pdfText(bytes: Buffer): Promise<string> {
  // pdfjs takes ownership of the array it is given, so it gets a copy.
  const loaded = await getDocument({ data: new Uint8Array(bytes), verbosity: 0 }).promise;
  const pages: string[] = [];
  for (let number = 1; number <= loaded.numPages; number += 1) {
    const content = await (await loaded.getPage(number)).getTextContent();
    pages.push(content.items.map((item) => ('str' in item ? item.str : '')).join('\n'));
  }
  await loaded.destroy();
  return pages.join('\n');
}

/** Clicks what starts a download and answers the downloaded file's name and bytes. */
async function downloaded(page: Page, click: () => Promise<void>): Promise<{ name: string; bytes: Buffer }> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  const file = await download.path();
  return { name: download.suggestedFilename(), bytes: fs.readFileSync(file) };
}

describe('web app journeys', () => {
  // Chromium, the web build, the demo server; a failed set-up fails every test with its reason.
  const journey = useJourney();
  const pageAs = journey.pageAs;
  let contractPath = '';
  let invoicePath = '';
  let invoiceNumber = '';

  /** An API call as the demo admin, for what the test needs to look up. */
  const api = <T>(path: string): Promise<T> => callAs<T>(journey.server(), 'admin', 'GET', path);

  it('serves the production build, with the app at its routes and the API untouched', async () => {
    const index = await fetch(`${journey.server().baseUrl}/contracts/ctr_anything?tab=terms`, {
      headers: { accept: 'text/html,application/xhtml+xml' },
    });
    expect(index.status).toBe(200);
    expect(index.headers.get('cache-control')).toBe('no-cache');
    expect(index.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await index.text();
    expect(html).not.toContain('/src/main.tsx');
    const script = /<script type="module" crossorigin src="([^"]+)"/.exec(html)?.[1];
    const asset = await fetch(`${journey.server().baseUrl}${script}`, { headers: { 'accept-encoding': 'br' } });
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect(asset.headers.get('content-encoding')).toBe('br');
    // Read to the end: an unread body keeps its connection busy, which the server waits for when it stops.
    expect((await asset.arrayBuffer()).byteLength).toBeGreaterThan(0);
    const unknownApi = await fetch(`${journey.server().baseUrl}/v1/no-such-route`);
    expect(unknownApi.status).toBe(404);
    expect(unknownApi.headers.get('content-type')).toContain('application/problem+json');
    expect((await fetch(`${journey.server().baseUrl}/assets/no-such-file.js`, { headers: { accept: 'text/html' } })).status).toBe(404);
    // Outside a browser page request, an unknown path stays a problem+json 404.
    expect((await fetch(`${journey.server().baseUrl}/contracts/ctr_anything`, { headers: { accept: 'application/json' } })).status).toBe(
      404,
    );
    expect((await fetch(`${journey.server().baseUrl}/healthz`)).status).toBe(200);
  });

  it('refuses a wrong password without saying which part was wrong', async () => {
    const page = await (await journey.browser().newContext()).newPage();
    await page.goto(journey.server().baseUrl);
    await page.getByLabel('Email').fill(users.ops);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('The email or password is not correct.').waitFor();
    await page.context().close();
  });

  it('ops creates a CPM contract with two line items, validated as typed, and submits it', async () => {
    const page = await pageAs(users.ops);
    await page.getByRole('link', { name: 'New contract' }).click();
    // The list also has a party search: wait for the form before typing into it.
    await page.getByRole('heading', { name: 'New contract' }).waitFor();
    await page.getByLabel('Search party').fill('Northwind');
    await page.getByLabel('Party', { exact: true }).selectOption({ label: 'Northwind Streaming (advertiser, USD)' });
    await page.getByLabel('Contract name').fill('E2E winter CTV');
    const contractTerms = page.getByRole('group', { name: 'Contract terms' });
    await contractTerms.getByLabel('Start date').fill('2026-11-01');
    await contractTerms.getByLabel('End date').fill('2027-01-31');
    await contractTerms.getByLabel('Budget cap (optional)').fill('50000.00');

    const first = page.getByRole('group', { name: /^Line item 1/ });
    await first.getByLabel('Key').fill('prime');
    await first.getByLabel('Name').fill('Prime time');
    await first.getByLabel('Rate per 1,000 impressions').fill('20,00');
    await first.getByText(/must be a decimal string/).waitFor();
    await first.getByLabel('Rate per 1,000 impressions').fill('20.00');
    expect(await first.getByText(/must be a decimal string/).count()).toBe(0);

    await page.getByRole('button', { name: 'Add line item' }).click();
    const second = page.getByRole('group', { name: /^Line item 2/ });
    await second.getByLabel('Key').fill('ron');
    await second.getByLabel('Name').fill('Run of network');
    await second.getByLabel('Pricing model').selectOption({ label: 'CPM, tiered rates' });
    await second.getByLabel('Tier 1 up to').fill('1000000');
    await second.getByLabel('Tier 1 rate').fill('12.00');
    await second.getByLabel('Tier 2 rate').fill('10.00');

    await page.getByRole('button', { name: 'Create draft' }).click();
    await page.getByRole('heading', { name: /Version 1: original/ }).waitFor();
    contractPath = new URL(page.url()).pathname;
    expect(contractPath).toMatch(/^\/contracts\/ctr_/);
    await page.getByText('Prime time').first().waitFor();
    await page.getByText('$20.00').first().waitFor();

    await page.getByRole('button', { name: 'Submit for approval' }).click();
    await page.getByText('Waiting for approval').waitFor();
    // Ops may not approve, so there is no button for it, and the note names the rule.
    expect(await page.getByRole('button', { name: /Approve/ }).count()).toBe(0);
    await page.getByText(/someone else must approve it \(maker-checker\)/).waitFor();
  });

  it('finance approves it from the approvals inbox', async () => {
    const page = await pageAs(users.finance);
    await page.getByRole('link', { name: 'Approvals' }).click();
    await page.getByRole('link', { name: /E2E winter CTV/ }).click();
    await page.getByRole('button', { name: 'Approve…' }).click();
    const dialog = page.getByRole('dialog', { name: /Approve version 1/ });
    await dialog.getByLabel('Comment (optional)').fill('Matches the signed IO');
    await dialog.getByRole('button', { name: 'Approve', exact: true }).click();
    await page
      .getByRole('heading', { name: /Version 1: original/ })
      .getByText('approved')
      .waitFor();
    await page.getByText('“Matches the signed IO”').waitFor();
  });

  it('an admin amends it, submits, and is refused as checker of their own version', async () => {
    const page = await pageAs(users.admin, contractPath);
    await page.getByRole('link', { name: 'Amend' }).click();
    await page.getByLabel('Effective from').fill('2026-12-01');
    await page.getByLabel('Reason').fill('Prime-time rate card change');
    await page
      .getByRole('group', { name: /^Line item 1/ })
      .getByLabel('Rate per 1,000 impressions')
      .fill('22.00');
    await page.getByRole('button', { name: 'Create amendment draft' }).click();
    await page.getByRole('heading', { name: /Version 2: amendment/ }).waitFor();
    await page.getByRole('button', { name: 'Submit for approval' }).click();
    await page.getByText(/You created or submitted this version/).waitFor();
    await page.getByRole('button', { name: 'Approve…' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Approve', exact: true }).click();
    const refusal = page.locator('[data-code="maker_checker"]');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('Maker-checker');
  });

  it('finance approves the amendment and sees what changed, side by side', async () => {
    const page = await pageAs(users.finance, `${contractPath}?version=2`);
    await page.getByRole('button', { name: 'Approve…' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Approve', exact: true }).click();
    await page
      .getByRole('heading', { name: /Version 2: amendment/ })
      .getByText('approved')
      .waitFor();
    await page.getByRole('link', { name: /Versions \(2\)/ }).click();
    const diff = page.getByRole('region', { name: 'Compare versions' });
    const row = diff.getByRole('row', { name: /lineItems\[prime\]\.pricing\.ratePerMille/ });
    await row.waitFor();
    expect(await row.textContent()).toContain('20.00');
    expect(await row.textContent()).toContain('22.00');
  });

  it('ops uploads a delivery CSV and sees the summary, and a bad file with its line numbers', async () => {
    const contractId = contractPath.split('/').at(-1);
    const page = await pageAs(users.ops);
    await page.getByRole('link', { name: 'Delivery' }).click();
    const good = [
      'contractId,lineItem,date,source,impressions',
      `${contractId},prime,2026-11-02,first_party,100000`,
      `${contractId},prime,2026-11-03,first_party,150000`,
      `${contractId},ron,2026-11-02,first_party,500000`,
      `${contractId},ron,2026-11-03,first_party,700000`,
    ].join('\n');
    await page.getByLabel('CSV file').setInputFiles({ name: 'november.csv', mimeType: 'text/csv', buffer: Buffer.from(`${good}\n`) });
    await page.getByRole('button', { name: 'Upload impressions' }).click();
    const summary = page.getByTestId('import-summary');
    await summary.waitFor();
    expect(await summary.textContent()).toMatch(/Imported november\.csv: 4 impressions rows/);
    expect(await summary.textContent()).toMatch(/created4/);

    const bad = [
      'contractId,lineItem,date,source,impressions',
      `${contractId},prime,2026-11-04,first_party,1000`,
      `${contractId},nope,2026-11-04,first_party,5`,
      `${contractId},prime,2026-13-01,first_party,5`,
    ].join('\n');
    await page.getByLabel('CSV file').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(`${bad}\n`) });
    await page.getByRole('button', { name: 'Upload impressions' }).click();
    const errors = page.getByTestId('import-errors');
    await errors.waitFor();
    expect(await errors.textContent()).toContain('Nothing was imported from bad.csv');
    expect(await errors.getByRole('row', { name: /^3 lineItem/ }).count()).toBe(1);
    expect(await errors.getByRole('row', { name: /^4 date/ }).count()).toBe(1);
  });

  it('the charges preview prices the delivery by the version in force', async () => {
    const page = await pageAs(users.ops, `${contractPath}?tab=charges`);
    const preview = page.getByRole('region', { name: 'Charges preview' });
    await preview.getByLabel('From', { exact: true }).fill('2026-11-01');
    await preview.getByLabel('To', { exact: true }).fill('2026-11-30');
    // 250,000 prime impressions at $20.00 CPM, 1,200,000 run-of-network: 1,000,000 at $12.00 and 200,000 at $10.00.
    await preview.getByText('$5,000.00').first().waitFor();
    await preview.getByText('$14,000.00').first().waitFor();
    expect(await preview.locator('tfoot').textContent()).toContain('$19,000.00');
    // The pacing charts load with recharts on demand and total the first-party delivery.
    await page.getByRole('region', { name: 'Spend against budget' }).locator('svg.recharts-surface').first().waitFor();
    await page.getByRole('region', { name: 'Delivery by day' }).getByText('1,450,000 first-party impressions so far.').waitFor();
  });

  it('finance runs billing for the month, reviews and finalizes the invoice, downloads its PDF and records a payment', async () => {
    const page = await pageAs(users.finance);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Billing' }).click();
    await page.getByRole('heading', { name: 'Billing runs' }).waitFor();
    const start = page.getByRole('region', { name: 'Start a billing run' });
    await start.getByLabel('Month').fill('2026-11');
    await start.getByRole('button', { name: 'Start billing run' }).click();
    const finished = start.getByRole('status').filter({ hasText: 'Billing for November 2026 completed' });
    await finished.waitFor();
    await page
      .getByRole('table', { name: 'Billing runs' })
      .getByRole('row')
      .filter({ hasText: 'November 2026' })
      .getByText('completed')
      .waitFor();

    // The run's page: its drafts, and maker-checker on the payout statements of a run you started.
    await finished.getByRole('link', { name: 'Review the drafts' }).click();
    await page.getByRole('heading', { name: 'Billing run for November 2026' }).waitFor();
    await page.getByText('You started this run, so another user must finalize its payout statements.').waitFor();
    await page.getByRole('button', { name: 'Finalize all payout statements' }).click();
    const refusal = page.locator('[data-code="maker_checker"]');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('another user must finalize it');

    // Northwind's draft bills the E2E contract's November delivery, each line explained.
    await page
      .getByRole('table', { name: 'Invoices of this run' })
      .getByRole('row')
      .filter({ hasText: 'Northwind Streaming' })
      .getByRole('link')
      .click();
    await page.getByRole('heading', { name: 'Draft invoice' }).waitFor();
    const prime = page
      .getByRole('table', { name: 'Lines' })
      .getByRole('row')
      .filter({ hasText: /Prime time:/ });
    await prime.getByText('$5,000.00').waitFor();
    await prime.getByText('How this was computed').click();
    await prime.getByText('impressions × ratePerMille / 1000: 250,000 × $20.00 / 1,000 = $5,000.00.').waitFor();
    await prime.getByText('Priced by version 1 of the contract, in force from Nov 1, 2026.').waitFor();

    // Finalize: a flagged draft asks for the review to be confirmed first.
    await page.getByRole('button', { name: 'Finalize…' }).click();
    const finalize = page.getByRole('dialog', { name: 'Finalize this invoice' });
    if ((await finalize.getByRole('checkbox').count()) > 0) {
      await finalize.getByRole('button', { name: 'Finalize', exact: true }).click();
      await finalize.getByText('Confirm the review first').waitFor();
      await finalize.getByRole('checkbox').check();
    }
    await finalize.getByRole('button', { name: 'Finalize', exact: true }).click();
    const title = page.getByRole('heading', { name: /^Invoice INV-2026-\d{6}$/ });
    await title.waitFor();
    invoiceNumber = ((await title.textContent()) ?? '').replace('Invoice ', '');
    invoicePath = new URL(page.url()).pathname;
    await page.getByText(`Invoice ${invoiceNumber} is finalized and posted to the ledger.`).waitFor();

    // The PDF is a real PDF of this invoice.
    const pdf = await downloaded(page, () => page.getByRole('button', { name: 'Download PDF' }).click());
    expect(pdf.name).toBe(`${invoiceNumber}.pdf`);
    expect(pdf.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = await pdfText(pdf.bytes);
    expect(text).toContain(invoiceNumber);
    expect(text).toContain('Northwind Streaming');

    // A payment: more than is due is refused at the field before anything is sent.
    await page.getByRole('button', { name: 'Record payment…' }).click();
    const pay = page.getByRole('dialog', { name: 'Record a payment received' });
    await pay.getByLabel('Amount (USD)').fill('99999999.00');
    await pay.getByRole('button', { name: 'Record', exact: true }).click();
    await pay.getByText(/^At most \$/).waitFor();
    await pay.getByLabel('Amount (USD)').fill('1000.00');
    await pay.getByLabel('Date').fill('2026-11-25');
    await pay.getByLabel('Reference').fill('Wire 4471');
    await pay.getByRole('button', { name: 'Record', exact: true }).click();
    await page.getByText('Payment of $1,000.00 recorded.').waitFor();
    const totals = page.getByLabel('Totals');
    await totals.getByText('$1,000.00').waitFor();
    await page.getByRole('heading', { name: `Invoice ${invoiceNumber}` }).waitFor();
    await page.getByText('partially paid').first().waitFor();
    // The payment is listed on the invoice with its bank reference, for reconciliation.
    const received = page.getByRole('table', { name: 'Payments received' });
    await received.getByText('Wire 4471').waitFor();
    expect(await received.getByRole('row').count()).toBe(2);
    await received.getByText('$1,000.00').waitFor();

    // A credit note for part of the rest; paid or credited, it can no longer be voided.
    await page.getByRole('button', { name: 'Credit note…' }).click();
    const credit = page.getByRole('dialog', { name: 'Issue a credit note' });
    await credit.getByLabel('Amount (USD)').fill('250.00');
    await credit.getByLabel('Reason').fill('Make-good for a missed spot');
    await credit.getByRole('button', { name: 'Issue credit note' }).click();
    await page.getByText(/^Credit note \S+ of \$250\.00 issued\.$/).waitFor();
    await page.getByRole('table', { name: 'Credit notes' }).getByText('Make-good for a missed spot').waitFor();
    await totals.getByText('$250.00').waitFor();
    expect(await page.getByRole('button', { name: 'Void…' }).count()).toBe(0);
  });

  it('finance reads the trial balance and downloads the journal and the Xero invoices', async () => {
    const page = await pageAs(users.finance, '/billing/trial-balance');
    await page.getByLabel('As of').fill('2026-11-30');
    const usd = page.getByRole('region', { name: 'Trial balance in USD' });
    await usd.getByText('balanced', { exact: true }).waitFor();
    await usd.getByText('Accounts receivable: Northwind Streaming').waitFor();
    await usd.getByRole('button', { name: 'Entries of cash' }).click();
    await page.getByRole('region', { name: 'Entries of cash' }).getByText('$1,000.00').first().waitFor();

    await page.getByRole('navigation', { name: 'Billing sections' }).getByRole('link', { name: 'Exports' }).click();
    await page.getByLabel('From', { exact: true }).fill('2026-11-01');
    await page.getByLabel('To', { exact: true }).fill('2026-11-30');
    const journal = await downloaded(page, () => page.getByRole('button', { name: 'Download journal CSV' }).click());
    expect(journal.name).toBe('journal-2026-11-01-2026-11-30.csv');
    expect(journal.bytes.toString('utf8')).toContain(invoiceNumber);
    const xero = await downloaded(page, () => page.getByRole('button', { name: 'Download for Xero' }).click());
    expect(xero.name).toBe('invoices-xero-2026-11-01-2026-11-30.csv');
    expect(xero.bytes.toString('utf8').split('\n')[0]).toContain('InvoiceNumber');
    expect(xero.bytes.toString('utf8')).toContain(invoiceNumber);
  });

  it('a viewer sees no buttons it cannot use', async () => {
    const page = await pageAs(users.viewer, contractPath);
    await page.getByRole('heading', { name: /E2E winter CTV/ }).waitFor();
    for (const name of ['Amend', 'Renew…', 'Terminate…', 'New contract', 'Approve…', 'Submit for approval']) {
      expect(await page.getByRole('button', { name }).or(page.getByRole('link', { name })).count()).toBe(0);
    }
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Approvals' }).count()).toBe(0);
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Delivery' }).count()).toBe(0);

    // Billing: it reads invoices and the ledger, but starts, finalizes and pays nothing.
    await page.goto(`${journey.server().baseUrl}${invoicePath}`);
    await page.getByRole('heading', { name: `Invoice ${invoiceNumber}` }).waitFor();
    expect(await page.getByRole('region', { name: 'Document actions' }).getByRole('button').allTextContents()).toEqual(['Download PDF']);
    await page.goto(`${journey.server().baseUrl}/billing`);
    await page.getByRole('heading', { name: 'Invoices' }).waitFor();
    const sections = page.getByRole('navigation', { name: 'Billing sections' });
    expect(await sections.getByRole('link').allTextContents()).toEqual([
      'Invoices',
      'Overdue',
      'Payout statements',
      'Trial balance',
      'AR aging',
      'Revenue',
      'Tax report',
      'Margin',
      'Exports',
    ]);
    await page.goto(`${journey.server().baseUrl}/billing/runs`);
    await page.getByText('Not available to your role').waitFor();
  });

  it('ops creates a product and a rate card, finance approves the card, ops prices a line from it at 48.60 and finance approves the contract', async () => {
    const ops = await pageAs(users.ops);
    const nav = ops.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Products' }).click();
    const newProduct = ops.getByRole('form', { name: 'New product' });
    await newProduct.getByLabel('Key').fill('E2E spot');
    await newProduct.getByText(/must start with a lower-case letter or digit/).waitFor();
    await newProduct.getByLabel('Key').fill('e2e-ctv-spot');
    await newProduct.getByLabel('Name', { exact: true }).fill('E2E CTV spot');
    await newProduct.getByRole('button', { name: 'Add product' }).click();
    await ops.getByRole('table', { name: 'Products' }).getByText('E2E CTV spot').waitFor();

    // A card: list 40.00 (floor 30.00) per 1,000, premiums 20 % and 15 %; submitted by its maker.
    await nav.getByRole('link', { name: 'Rate cards' }).click();
    await ops.getByRole('link', { name: 'New rate card' }).click();
    await ops.getByLabel('Card name').fill('E2E CTV card');
    await ops.getByLabel('Effective from').fill('2026-11-01');
    await ops.getByLabel('Entry 1 product').selectOption({ label: 'E2E CTV spot (e2e-ctv-spot)' });
    await ops.getByLabel('Entry 1 list rate').fill('40.00');
    await ops.getByLabel('Entry 1 floor rate').fill('50.00');
    await ops.getByText('must not be above listRate').waitFor();
    await ops.getByLabel('Entry 1 floor rate').fill('30.00');
    for (const [index, [dimension, value, percent]] of [
      ['geo', 'dma', '20'],
      ['audience', 'first_party', '15'],
    ].entries()) {
      await ops.getByRole('button', { name: 'Add premium' }).click();
      await ops.getByLabel(`Premium ${index + 1} dimension`).fill(dimension ?? '');
      await ops.getByLabel(`Premium ${index + 1} value`).fill(value ?? '');
      await ops.getByLabel(`Premium ${index + 1} percent`).fill(percent ?? '');
    }
    await ops.getByRole('button', { name: 'Create draft' }).click();
    await ops.getByRole('heading', { name: 'E2E CTV card' }).waitFor();
    const cardPath = new URL(ops.url()).pathname;
    expect(cardPath).toMatch(/^\/rate-cards\/rcd_/);
    await ops.getByRole('table', { name: 'Premiums' }).getByText('audience:first_party').waitFor();
    await ops.getByRole('button', { name: 'Submit for approval' }).click();
    await ops.getByText('Waiting for approval').waitFor();
    await ops.getByText(/someone else must approve it \(maker-checker\)/).waitFor();

    const finance = await pageAs(users.finance);
    await finance.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Rate cards' }).click();
    await finance.getByRole('link', { name: 'E2E CTV card' }).click();
    await finance.getByRole('button', { name: 'Approve…' }).click();
    await finance.getByRole('dialog', { name: 'Approve version 1' }).getByRole('button', { name: 'Approve', exact: true }).click();
    await finance
      .getByRole('heading', { name: /Version 1/ })
      .getByText('approved', { exact: true })
      .waitFor();

    // A contract whose line is priced from the card: 40 × (1 + 0.20 + 0.15) × (1 − 0.10) = 48.60 per 1,000.
    await ops.goto(`${journey.server().baseUrl}/contracts/new`);
    await ops.getByRole('heading', { name: 'New contract' }).waitFor();
    await ops.getByLabel('Search party').fill('Northwind');
    await ops.getByLabel('Party', { exact: true }).selectOption({ label: 'Northwind Streaming (advertiser, USD)' });
    await ops.getByLabel('Contract name').fill('E2E card-priced CTV');
    const contractTerms = ops.getByRole('group', { name: 'Contract terms' });
    await contractTerms.getByLabel('Start date').fill('2026-12-01');
    await contractTerms.getByLabel('End date').fill('2027-01-31');
    const line = ops.getByRole('group', { name: /^Line item 1/ });
    await line.getByLabel('Key').fill('spot');
    await line.getByLabel('Name').fill('E2E spot');
    await line.getByLabel('Pricing model').selectOption({ label: 'Price from a rate card (CPM, CPCV or CPC)' });
    await line.getByRole('option', { name: 'E2E CTV card' }).waitFor({ state: 'attached' });
    await line.getByLabel('Rate card').selectOption({ label: 'E2E CTV card' });
    await line.getByRole('option', { name: 'e2e-ctv-spot (list 40.00)' }).waitFor({ state: 'attached' });
    await line.getByLabel('Product').selectOption({ label: 'e2e-ctv-spot (list 40.00)' });
    await line.getByRole('checkbox', { name: /geo:dma/ }).check();
    await line.getByRole('checkbox', { name: /audience:first_party/ }).check();
    // 40 × 1.35 × 0.5 = 27.00, under the floor of 30.00: said before anything is sent.
    await line.getByLabel('Discount %').fill('50');
    await line.getByText('Below the floor rate').waitFor();
    await line.getByLabel('Discount %').fill('10');
    const price = line.getByRole('status', { name: 'Card price of line item 1' });
    await price.getByText('$40.00').waitFor();
    expect(await price.getByTestId('net-rate-1').textContent()).toBe('$48.60');
    expect(await line.getByText('Below the floor rate').count()).toBe(0);
    await ops.getByRole('button', { name: 'Create draft' }).click();
    await ops.getByRole('heading', { name: /Version 1: original/ }).waitFor();
    const cardContractPath = new URL(ops.url()).pathname;
    // Read back: the rate the server resolved, and the card version it came from.
    await ops.getByText('$48.60').first().waitFor();
    await ops.getByRole('link', { name: 'E2E CTV card version 1' }).waitFor();
    await ops.getByRole('button', { name: 'Submit for approval' }).click();
    await ops.getByText('Waiting for approval').waitFor();

    await finance.goto(`${journey.server().baseUrl}${cardContractPath}`);
    await finance.getByRole('heading', { name: /E2E card-priced CTV/ }).waitFor();
    // The impact of approving is on the version's page, before the decision.
    await finance.getByRole('region', { name: 'Impact of approving' }).waitFor();
    await finance.getByRole('button', { name: 'Approve…' }).click();
    await finance.getByRole('dialog', { name: 'Approve version 1' }).getByRole('button', { name: 'Approve', exact: true }).click();
    await finance
      .getByRole('heading', { name: /Version 1: original/ })
      .getByText('approved')
      .waitFor();
    await finance.getByText('$48.60').first().waitFor();
  });

  it('ops releases a conversion a scrub rule held, and its page shows the touches and the rule, then the release', async () => {
    // The demo book's offer holds orders over 500.00 for review (docs/affiliate.md, "In the demo book").
    const page = await pageAs(users.ops, '/affiliate/held');
    const queue = page.getByRole('table', { name: 'Held conversions' });
    const tick = queue.getByRole('checkbox', { name: /^Tick (?!every)/ }).first();
    await tick.waitFor();
    const heldId = ((await tick.getAttribute('aria-label')) ?? '').replace(/^Tick /, '');
    expect(heldId).not.toBe('');
    const heldBefore = await queue.getByRole('checkbox', { name: /^Tick (?!every)/ }).count();
    await tick.check();
    await page.getByRole('button', { name: 'Release ticked (1)' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Release', exact: true }).click();
    await expect.poll(async () => (await page.getByTestId('held-outcome').textContent()) ?? '').toContain('Released 1 conversion');
    await expect.poll(() => queue.getByRole('checkbox', { name: /^Tick (?!every)/ }).count()).toBe(heldBefore - 1);

    await page.goto(`${journey.server().baseUrl}/affiliate/conversions/${encodeURIComponent(heldId)}`);
    await page.getByRole('heading', { name: `Conversion ${heldId}` }).waitFor();
    const touches = page.getByRole('table', { name: 'Touches' });
    await touches.getByText('credited', { exact: true }).first().waitFor();
    const history = page.getByRole('table', { name: 'Status history' });
    await history.getByRole('link', { name: /500/ }).waitFor();
    const rows = await history.getByRole('row').allTextContents();
    // The hold by the rule at intake, then the release by ops.
    expect(rows.slice(1).map((row) => /^(held|approved)/.exec(row)?.[1])).toEqual(['held', 'approved']);
    expect(rows[1]).toContain('Orders over 500.00 checked by hand');
  });

  // Where /usr/bin/chromium is missing the suite runs in the Chromium that @sparticuz/chromium
  // ships; this test drives that one on every run, so both paths stay tested on any machine.
  it('the Chromium bundled in the npm package signs in and shows the contract too', async () => {
    const binary = await bundledChromium();
    // The package's own binary, never Debian's: this is the path a machine without Chromium takes.
    expect(binary.path).not.toBe(debianChromium);
    const bundled = await launchChromium(binary);
    try {
      const page = await bundled.newPage({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
      page.setDefaultTimeout(15_000);
      await signIn(page, journey.server().baseUrl, users.viewer, demoPassword, contractPath);
      await page.getByRole('heading', { name: /E2E winter CTV/ }).waitFor();
    } finally {
      await bundled.close();
    }
  });

  it("a party user sees its own account and contracts, and nothing of anyone else's", async () => {
    const acme = (await api<{ data: { id: string; name: string }[] }>('/v1/contracts?q=Acme&limit=5')).data[0];
    expect(acme).toBeDefined();
    const page = await pageAs(users.party);
    await page.getByRole('heading', { name: 'Northwind Streaming' }).waitFor();
    const nav = page.getByRole('navigation', { name: 'Main' });
    expect(await nav.getByRole('link').allTextContents()).toEqual(['Our account', 'Upload conversions']);
    const contracts = page.getByRole('table', { name: 'Contracts' });
    await contracts
      .getByRole('link', { name: /IO-2026/ })
      .first()
      .waitFor();
    const listed = await contracts.textContent();
    expect(listed).toContain('E2E winter CTV');
    expect(listed).toContain('Northwind Q4 CTV');
    expect(listed).not.toContain('Acme');
    expect(listed).not.toContain('Lumen');

    // Its invoices: its own issued ones, with the PDF and nothing to do; another party's is not there.
    const acmeInvoice = (
      await api<{ data: { id: string; number: string | null; party: { name: string } }[] }>('/v1/invoices?limit=100')
    ).data.find((invoice) => invoice.party.name === 'Acme Outdoor Gear' && invoice.number !== null);
    expect(acmeInvoice).toBeDefined();
    const invoices = page.getByRole('table', { name: 'Your invoices' });
    await invoices.getByRole('link', { name: invoiceNumber }).waitFor();
    expect(await invoices.textContent()).not.toContain(acmeInvoice?.number);
    await invoices.getByRole('link', { name: invoiceNumber }).click();
    await page.getByRole('heading', { name: `Invoice ${invoiceNumber}` }).waitFor();
    expect(await page.getByRole('region', { name: 'Document actions' }).getByRole('button').allTextContents()).toEqual(['Download PDF']);
    const pdf = await downloaded(page, () => page.getByRole('button', { name: 'Download PDF' }).click());
    expect(pdf.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    await page.goto(`${journey.server().baseUrl}/invoices/${acmeInvoice?.id}`);
    await page.getByText('Not found').waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Our account' }).click();
    await contracts
      .getByRole('link', { name: /IO-2026/ })
      .first()
      .waitFor();

    // Its contract shows the approved terms, without actions or the internal audit trail.
    await contracts
      .getByRole('link', { name: /IO-2026/ })
      .first()
      .click();
    await page.getByRole('heading', { name: /Version \d+/ }).waitFor();
    expect(await page.getByRole('link', { name: 'Audit trail' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Amend' }).count()).toBe(0);

    // Another party's contract answers as if it did not exist; staff screens are not offered.
    await page.goto(`${journey.server().baseUrl}/contracts/${acme?.id}`);
    await page.getByText('Not found').waitFor();
    await page.goto(`${journey.server().baseUrl}/parties`);
    await page.getByText('Not available to your role').waitFor();
    await signOut(page);
  });
});
