/**
 * Entity set-up and a taxed invoice (issue 16, the browser journeys of "Done when"), in Chromium
 * against the real server (fresh embedded store with the demo book, clock pinned to 2026-11-25):
 * finance creates the billing entity "Tally France SAS" (prefix FR, France, EUR) and a 20 % VAT rate
 * for French parties; ops creates a French party in that entity; a contract, its November delivery
 * (100,000 impressions at 10.00 CPM: 1,000.00) and the billing run are set up through the API, as
 * they are not what this journey is about; finance finalizes the invoice in the browser and sees
 * INV-FR-2026-000001 with its tax row (200.00) and total 1,200.00, downloads its PDF, and reads
 * the French entity's books alone in the trial balance.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readPdfPages } from '../support/pdf-text.ts';
import { draftNovemberInvoice } from './support/demo-api.ts';
import { useJourney } from './support/journey.ts';

const users = { ops: 'olivia@demo.tally.dev', finance: 'fiona@demo.tally.dev' };

describe('billing entities and tax, in the browser', () => {
  const journey = useJourney();
  const pageAs = journey.pageAs;
  let partyId = '';

  it('finance creates the entity Tally France SAS and a 20 % VAT rate for French parties', async () => {
    const page = await pageAs(users.finance);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Entities' }).click();
    await page.getByRole('heading', { name: 'Billing entities' }).waitFor();
    await page.getByRole('link', { name: 'New entity' }).click();
    const form = page.getByRole('form', { name: 'New billing entity' });
    await form.getByLabel('Name', { exact: true }).fill('Tally France');
    await form.getByLabel('Legal name').fill('Tally France SAS');
    await form.getByLabel('Country').fill('FR');
    await form.getByLabel('Base currency').fill('EUR');
    // Checked as typed, with the API's own rule.
    await form.getByLabel('Number prefix').fill('FR-1');
    await form.getByText('must be 1 to 10 upper-case letters or digits, e.g. "EU"').waitFor();
    await form.getByLabel('Number prefix').fill('FR');
    await form.getByLabel('Tax id (optional)').fill('FR40303265045');
    await form.getByLabel('Address (optional)', { exact: true }).fill('10 rue de la Paix\n75002 Paris');
    await form.getByRole('button', { name: 'Create entity' }).click();
    await page.getByRole('heading', { name: 'Tally France' }).waitFor();
    await page.getByText('(numbers such as INV-FR-2026-000001)').waitFor();

    const newRate = page.getByRole('form', { name: 'New tax rate' });
    await newRate.getByLabel('Code').fill('FR-VAT-20');
    await newRate.getByLabel('Name').fill('TVA 20 %');
    await newRate.getByLabel('Percent').fill('20');
    expect(await newRate.getByLabel('Country of the parties').inputValue()).toBe('FR');
    await newRate.getByRole('button', { name: 'Add tax rate' }).click();
    const rate = page.getByRole('table', { name: 'Tax rates' }).getByRole('row').filter({ hasText: 'FR-VAT-20' });
    await rate.getByText('in force').waitFor();
    expect(await rate.textContent()).toContain('20 %');
  });

  it('ops creates a French party billed by Tally France', async () => {
    const page = await pageAs(users.ops, '/parties/new');
    await page.getByRole('heading', { name: 'New party' }).waitFor();
    await page.getByLabel('Name', { exact: true }).fill('Maison Exemple');
    await page.getByLabel('Currency').fill('EUR');
    const entity = page.getByLabel('Billing entity');
    await entity.getByRole('option', { name: 'Tally France (FR, EUR)' }).waitFor({ state: 'attached' });
    await entity.selectOption({ label: 'Tally France (FR, EUR)' });
    await page.getByLabel('Country (optional)').fill('FR');
    await page.getByLabel('Tax id (optional)').fill('FR12345678901');
    await page.getByRole('button', { name: 'Create party' }).click();
    await page.getByRole('heading', { name: 'Maison Exemple' }).waitFor();
    await page.getByRole('link', { name: 'Tally France' }).waitFor();
    partyId = new URL(page.url()).pathname.split('/').at(-1) ?? '';
    expect(partyId).toMatch(/^pty_/);
  });

  it('finance finalizes its November invoice: 1,000.00 + TVA 20 % 200.00 = 1,200.00, and downloads the PDF', async () => {
    // Set up through the API: an approved contract (ops writes, finance approves), its delivery, the run.
    const draftId = await draftNovemberInvoice(journey.server(), partyId, 'EUR', 'E2E Maison display');

    const page = await pageAs(users.finance, `/invoices/${draftId}`);
    await page.getByRole('heading', { name: 'Draft invoice' }).waitFor();
    const footer = page.getByRole('table', { name: 'Lines' }).locator('tfoot');
    await footer.getByText('worked out when finalized').waitFor();
    await page.getByRole('button', { name: 'Finalize…' }).click();
    const finalize = page.getByRole('dialog', { name: 'Finalize this invoice' });
    if ((await finalize.getByRole('checkbox').count()) > 0) await finalize.getByRole('checkbox').check();
    await finalize.getByRole('button', { name: 'Finalize', exact: true }).click();
    await page.getByRole('heading', { name: 'Invoice INV-FR-2026-000001' }).waitFor();

    // The footer: the net, the tax row (name, code, base, percent, tax), the gross total.
    await footer.getByText('TVA 20 %').waitFor();
    expect(await footer.getByRole('row').allTextContents()).toEqual([
      'Subtotal€1,000.00',
      'TVA 20 % FR-VAT-20on €1,000.0020 %€200.00',
      'Total€1,200.00',
    ]);
    await page.getByLabel('Totals').getByText('€1,200.00').first().waitFor();

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download PDF' }).click()]);
    expect(download.suggestedFilename()).toBe('INV-FR-2026-000001.pdf');
    const bytes = fs.readFileSync(await download.path());
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = (await readPdfPages(bytes)).map((pdfPage) => pdfPage.text).join(' ');
    expect(text).toContain('INV-FR-2026-000001');
    expect(text).toContain('Tally France SAS');
    expect(text).toContain('TVA 20 %');
    expect(text).toContain('1,200.00');

    // The French entity's books alone: the tax it owes, in EUR.
    await page.goto(`${journey.server().baseUrl}/billing/trial-balance`);
    await page.getByLabel('As of').fill('2026-11-30');
    await page.getByLabel('Billing entity').selectOption({ label: 'Tally France' });
    // The whole book has USD accounts (the demo's); once the entity's books are shown, none are left.
    await page.getByRole('region', { name: 'Trial balance in USD' }).waitFor({ state: 'detached' });
    const books = page.getByRole('region', { name: 'Trial balance in EUR' });
    await books.getByText('balanced', { exact: true }).waitFor();
    await books.getByText('Tax payable').waitFor();
    expect(await page.getByRole('region', { name: 'Trial balance in USD' }).count()).toBe(0);
  });
});
