/**
 * Screenshots of the main screens for the docs (docs/screenshots/*.png), taken from the real
 * server with the demo book in Debian's Chromium at 1280 × 800. Also prints how long the first
 * screen takes to become usable.
 *
 *   npm run web:screenshots
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, signIn } from '../../test/e2e/support/browser.ts';
import { demoPassword, startServer } from '../../test/e2e/support/server.ts';
import { ensureWebBuild } from './build.ts';

const outputDirectory = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));
const viewport = { width: 1280, height: 800 };

async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport, locale: 'en-US', deviceScaleFactor: 1 });
  context.setDefaultTimeout(20_000);
  return context.newPage();
}

async function shoot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  // Let lazy chunks, queries and chart animations settle.
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(600);
  await page.screenshot({ path: path.join(outputDirectory, `${name}.png`), fullPage: options.fullPage ?? false });
  process.stdout.write(`  docs/screenshots/${name}.png\n`);
}

async function main(): Promise<void> {
  await ensureWebBuild({ quiet: true });
  fs.mkdirSync(outputDirectory, { recursive: true });
  const server = await startServer();
  const browser = await launchChromium();
  try {
    const token = /admin\s+admin@demo\.tally\.dev\s+token (\S+)/.exec(server.output())?.[1];
    const find = async (q: string) => {
      const response = await fetch(`${server.baseUrl}/v1/contracts?q=${encodeURIComponent(q)}&limit=1`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const body = (await response.json()) as { data: { id: string }[] };
      if (!body.data[0]) throw new Error(`no demo contract matches ${q}`);
      return body.data[0].id;
    };
    const northwind = await find('Northwind Q4');

    const first = await newPage(browser);
    // Twice: the first load also pays for a cold browser and server; the second is what a user sees.
    for (const attempt of ['cold', 'warm']) {
      await first.goto(server.baseUrl);
      await first.getByLabel('Email').waitFor();
      const usableMs = await first.evaluate(() => Math.round(performance.now()));
      process.stdout.write(`first screen (sign-in form) usable ${usableMs} ms after navigation start (${attempt})\n`);
    }
    await shoot(first, 'sign-in');

    const ops = await newPage(browser);
    await signIn(ops, server.baseUrl, 'olivia@demo.tally.dev', demoPassword, '/contracts');
    await ops.getByRole('heading', { name: 'Contracts' }).waitFor();
    await ops.locator('table').getByText('Northwind Streaming').first().waitFor();
    await shoot(ops, 'contracts');
    await ops.goto(`${server.baseUrl}/contracts/${northwind}`);
    await ops.getByRole('heading', { name: /Version 2/ }).waitFor();
    await shoot(ops, 'contract-terms');
    await ops.goto(`${server.baseUrl}/contracts/${northwind}?tab=versions`);
    await ops.getByRole('region', { name: 'Compare versions' }).getByRole('table').waitFor();
    await shoot(ops, 'contract-versions');
    await ops.goto(`${server.baseUrl}/contracts/${northwind}?tab=charges`);
    await ops.locator('svg.recharts-surface').first().waitFor();
    await shoot(ops, 'contract-charges', { fullPage: true });
    await ops.goto(`${server.baseUrl}/contracts/${northwind}/amend`);
    await ops.getByRole('heading', { name: /Amend/ }).waitFor();
    await ops
      .getByRole('group', { name: /^Line item 1/ })
      .getByLabel('Rate per 1,000 impressions')
      .fill('31,5');
    await ops.getByRole('group', { name: /^Line item 2/ }).scrollIntoViewIfNeeded();
    await shoot(ops, 'terms-editor', { fullPage: true });
    // Rate management: the demo's card, its version's entries and premiums.
    await ops.goto(`${server.baseUrl}/rate-cards`);
    await ops.getByRole('table', { name: 'Rate cards' }).getByRole('link').first().click();
    await ops.getByRole('table', { name: 'Premiums' }).waitFor();
    await shoot(ops, 'rate-card', { fullPage: true });
    await ops.goto(`${server.baseUrl}/delivery`);
    await ops.getByLabel('CSV file').setInputFiles({
      name: 'delivery.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        `contractId,lineItem,date,source,impressions\n${northwind},ctv-prime,2026-11-20,first_party,120000\n${northwind},ctv-prime,2026-11-20,third_party,118500\n${northwind},nope,2026-11-21,first_party,5\n${northwind},ctv-prime,2026-11-31,first_party,5\n`,
      ),
    });
    await ops.getByRole('button', { name: 'Upload impressions' }).click();
    await ops.getByTestId('import-errors').waitFor();
    await shoot(ops, 'delivery-upload');
    await ops.goto(`${server.baseUrl}/audit`);
    await ops.getByText('Audit chain verified').waitFor();
    await shoot(ops, 'audit');

    const finance = await newPage(browser);
    await signIn(finance, server.baseUrl, 'fiona@demo.tally.dev', demoPassword, '/approvals');
    await finance.getByRole('heading', { name: 'Approvals' }).waitFor();
    await finance.locator('table').waitFor();
    await shoot(finance, 'approvals');
    // Billing: close November (October is billed by the demo), then the October invoice explained, and the ledger.
    await finance.goto(`${server.baseUrl}/billing/runs`);
    const start = finance.getByRole('region', { name: 'Start a billing run' });
    await start.getByLabel('Month').fill('2026-11');
    await start.getByRole('button', { name: 'Start billing run' }).click();
    await start.getByRole('status').filter({ hasText: 'completed' }).waitFor();
    await shoot(finance, 'billing-runs');
    const invoices = await fetch(`${server.baseUrl}/v1/invoices?limit=1`, { headers: { authorization: `Bearer ${token}` } });
    const firstInvoice = ((await invoices.json()) as { data: { id: string }[] }).data[0];
    if (!firstInvoice) throw new Error('the demo book has no invoice');
    await finance.goto(`${server.baseUrl}/invoices/${firstInvoice.id}`);
    await finance.getByRole('heading', { name: /^Invoice INV-/ }).waitFor();
    await finance.getByText('How this was computed').first().click();
    await finance
      .getByText(/^Rule: /)
      .first()
      .waitFor();
    await shoot(finance, 'invoice', { fullPage: true });
    await finance.goto(`${server.baseUrl}/billing/trial-balance`);
    await finance.getByRole('region', { name: 'Trial balance in USD' }).waitFor();
    await shoot(finance, 'trial-balance', { fullPage: true });

    const party = await newPage(browser);
    await signIn(party, server.baseUrl, 'portal@northwind.example', demoPassword);
    await party.getByRole('heading', { name: 'Northwind Streaming' }).waitFor();
    await party.getByRole('table', { name: 'Contracts' }).waitFor();
    await party.getByRole('table', { name: 'Your invoices' }).waitFor();
    await shoot(party, 'party-portal', { fullPage: true });
  } finally {
    await browser.close();
    await server.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`screenshots failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
