/**
 * A prepayment applied (issue 16, the browser journeys of "Done when"), in Chromium against the
 * real server (fresh embedded store with the demo book, clock pinned to 2026-11-25): finance
 * records a 300.00 prepayment on the party's page, finalizes the party's November invoice of
 * 1,000.00 and reads 300.00 credits applied and 700.00 due on it, and the receivables aging shows
 * the party owing 700.00. The party, its contract, delivery and billing run are set up through the
 * API (support/demo-api.ts), as they are not what this journey is about.
 */
import { describe, expect, it } from 'vitest';
import { callAs, draftNovemberInvoice } from './support/demo-api.ts';
import { useJourney } from './support/journey.ts';

describe('a prepayment applied, in the browser', () => {
  const journey = useJourney();

  it('finance records 300.00 on account, finalizes a 1,000.00 invoice that then owes 700.00, and the aging says 700.00', async () => {
    const party = await callAs<{ id: string }>(journey.server(), 'finance', 'POST', '/v1/parties', {
      kind: 'advertiser',
      name: 'Prepaid Outdoor',
      currency: 'USD',
    });
    const draftId = await draftNovemberInvoice(journey.server(), party.id, 'USD', 'E2E prepaid display');

    const page = await journey.pageAs('fiona@demo.tally.dev', `/parties/${party.id}`);

    // The party's page: record the prepayment received.
    const credits = page.getByRole('region', { name: 'Credits and balance' });
    const form = credits.getByRole('form', { name: 'Record credit' });
    expect(await form.getByLabel('Currency').inputValue()).toBe('USD');
    await form.getByLabel('Amount').fill('300.00');
    await form.getByLabel('Reference (optional)').fill('Wire 4471');
    await form.getByRole('button', { name: 'Record credit' }).click();
    await form.getByText('Prepayment of $300.00 recorded.').waitFor();
    await credits
      .getByRole('table', { name: 'Credits' })
      .getByRole('row', { name: /Prepayment.*Wire 4471/ })
      .waitFor();

    // Its November invoice, finalized in the browser, takes the prepayment.
    await page.goto(`${journey.server().baseUrl}/invoices/${draftId}`);
    await page.getByRole('heading', { name: 'Draft invoice' }).waitFor();
    await page.getByRole('button', { name: 'Finalize…' }).click();
    const finalize = page.getByRole('dialog', { name: 'Finalize this invoice' });
    if ((await finalize.getByRole('checkbox').count()) > 0) await finalize.getByRole('checkbox').check();
    await finalize.getByRole('button', { name: 'Finalize', exact: true }).click();
    await page.getByRole('heading', { name: /^Invoice INV-/ }).waitFor();
    const footer = page.getByRole('table', { name: 'Lines' }).locator('tfoot');
    await footer.getByText('Credits applied').waitFor();
    expect(await footer.getByRole('row').allTextContents()).toEqual([
      'Subtotal$1,000.00',
      'Total$1,000.00',
      'Credits applied$300.00',
      'Amount due$700.00',
    ]);

    // The receivables aging: the party owes 700.00, not yet due.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Billing' }).click();
    await page.getByRole('navigation', { name: 'Billing sections' }).getByRole('link', { name: 'AR aging' }).click();
    await page.getByRole('heading', { name: 'Receivables aging' }).waitFor();
    await page.getByLabel('As of').fill('2026-11-30');
    const row = page.getByRole('table', { name: 'Receivables aging' }).getByRole('row').filter({ hasText: 'Prepaid Outdoor' });
    await row.waitFor();
    expect(await row.textContent()).toBe('Prepaid OutdoorUSD$700.00$0.00$0.00$0.00$0.00$700.00');
  });
});
