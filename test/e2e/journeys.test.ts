/**
 * The main journeys of the web app, in Debian's Chromium against the real server (bin/tally serve,
 * production build, fresh embedded store with the demo book, clock pinned to 2026-11-25):
 * ops creates a CPM contract with two line items and submits it; finance approves it from the
 * inbox; an admin amends it and is refused as its own checker (maker-checker); finance approves
 * the amendment and compares the versions; ops uploads delivery (and a bad file); the charges
 * preview prices it; a party user sees its own account and nothing else.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ensureWebBuild } from '../../web/scripts/build.ts';
import { launchChromium, signIn, signOut } from './support/browser.ts';
import { demoPassword, type RunningServer, startServer } from './support/server.ts';

const users = {
  ops: 'olivia@demo.tally.dev',
  finance: 'fiona@demo.tally.dev',
  admin: 'admin@demo.tally.dev',
  viewer: 'vera@demo.tally.dev',
  party: 'portal@northwind.example',
};

describe('web app journeys', () => {
  let server: RunningServer;
  let browser: Browser;
  let contractPath = '';
  const contexts: BrowserContext[] = [];

  /** A page in a fresh browser context (its own cookie jar), signed in as `email`. */
  async function pageAs(email: string, path = '/'): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    contexts.push(context);
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    page.on('pageerror', (error) => console.error(`[browser ${email}] ${error.message}`));
    await signIn(page, server.baseUrl, email, demoPassword, path);
    return page;
  }

  /** An API call with an admin token printed by the demo seed, for what the test needs to look up. */
  async function api<T>(path: string): Promise<T> {
    const token = /admin\s+admin@demo\.tally\.dev\s+token (\S+)/.exec(server.output())?.[1];
    const response = await fetch(`${server.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    return (await response.json()) as T;
  }

  let setupError: unknown;

  beforeAll(async () => {
    try {
      // Chromium first: without it there is nothing to test with.
      browser = await launchChromium();
      // The server serves web/dist: build it if a source changed since the last build.
      await ensureWebBuild({ quiet: true });
      server = await startServer();
    } catch (error) {
      setupError = error;
    }
  });

  // A failed setup fails every test with its reason (Chromium missing, say): reported as failures,
  // never as skipped tests, and only this project's, so the other projects still run and report.
  beforeEach(() => {
    if (setupError) throw setupError;
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await server?.stop();
  });

  it('serves the production build, with the app at its routes and the API untouched', async () => {
    const index = await fetch(`${server.baseUrl}/contracts/ctr_anything?tab=terms`, { headers: { accept: 'text/html,application/xhtml+xml' } });
    expect(index.status).toBe(200);
    expect(index.headers.get('cache-control')).toBe('no-cache');
    expect(index.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await index.text();
    expect(html).not.toContain('/src/main.tsx');
    const script = /<script type="module" crossorigin src="([^"]+)"/.exec(html)?.[1];
    const asset = await fetch(`${server.baseUrl}${script}`, { headers: { 'accept-encoding': 'br' } });
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect(asset.headers.get('content-encoding')).toBe('br');
    const unknownApi = await fetch(`${server.baseUrl}/v1/no-such-route`);
    expect(unknownApi.status).toBe(404);
    expect(unknownApi.headers.get('content-type')).toContain('application/problem+json');
    expect((await fetch(`${server.baseUrl}/assets/no-such-file.js`, { headers: { accept: 'text/html' } })).status).toBe(404);
    // Outside a browser page request, an unknown path stays a problem+json 404.
    expect((await fetch(`${server.baseUrl}/contracts/ctr_anything`, { headers: { accept: 'application/json' } })).status).toBe(404);
    expect((await fetch(`${server.baseUrl}/healthz`)).status).toBe(200);
  });

  it('refuses a wrong password without saying which part was wrong', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(server.baseUrl);
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
    await page.getByRole('heading', { name: /Version 1: original/ }).getByText('approved').waitFor();
    await page.getByText('“Matches the signed IO”').waitFor();
  });

  it('an admin amends it, submits, and is refused as checker of their own version', async () => {
    const page = await pageAs(users.admin, contractPath);
    await page.getByRole('link', { name: 'Amend' }).click();
    await page.getByLabel('Effective from').fill('2026-12-01');
    await page.getByLabel('Reason').fill('Prime-time rate card change');
    await page.getByRole('group', { name: /^Line item 1/ }).getByLabel('Rate per 1,000 impressions').fill('22.00');
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
    await page.getByRole('heading', { name: /Version 2: amendment/ }).getByText('approved').waitFor();
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
    const good = ['contractId,lineItem,date,source,impressions', `${contractId},prime,2026-11-02,first_party,100000`, `${contractId},prime,2026-11-03,first_party,150000`, `${contractId},ron,2026-11-02,first_party,500000`, `${contractId},ron,2026-11-03,first_party,700000`].join('\n');
    await page.getByLabel('CSV file').setInputFiles({ name: 'november.csv', mimeType: 'text/csv', buffer: Buffer.from(`${good}\n`) });
    await page.getByRole('button', { name: 'Upload impressions' }).click();
    const summary = page.getByTestId('import-summary');
    await summary.waitFor();
    expect(await summary.textContent()).toMatch(/Imported november\.csv: 4 impressions rows/);
    expect(await summary.textContent()).toMatch(/created4/);

    const bad = ['contractId,lineItem,date,source,impressions', `${contractId},prime,2026-11-04,first_party,1000`, `${contractId},nope,2026-11-04,first_party,5`, `${contractId},prime,2026-13-01,first_party,5`].join('\n');
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

  it('a viewer sees no buttons it cannot use', async () => {
    const page = await pageAs(users.viewer, contractPath);
    await page.getByRole('heading', { name: /E2E winter CTV/ }).waitFor();
    for (const name of ['Amend', 'Renew…', 'Terminate…', 'New contract', 'Approve…', 'Submit for approval']) {
      expect(await page.getByRole('button', { name }).or(page.getByRole('link', { name })).count()).toBe(0);
    }
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Approvals' }).count()).toBe(0);
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Delivery' }).count()).toBe(0);
  });

  it("a party user sees its own account and contracts, and nothing of anyone else's", async () => {
    const acme = (await api<{ data: { id: string; name: string }[] }>('/v1/contracts?q=Acme&limit=5')).data[0];
    expect(acme).toBeDefined();
    const page = await pageAs(users.party);
    await page.getByRole('heading', { name: 'Northwind Streaming' }).waitFor();
    const nav = page.getByRole('navigation', { name: 'Main' });
    expect(await nav.getByRole('link').allTextContents()).toEqual(['Our account', 'Upload conversions']);
    const contracts = page.locator('table');
    await contracts.getByRole('link', { name: /IO-2026/ }).first().waitFor();
    const listed = await contracts.textContent();
    expect(listed).toContain('E2E winter CTV');
    expect(listed).toContain('Northwind Q4 CTV');
    expect(listed).not.toContain('Acme');
    expect(listed).not.toContain('Lumen');

    // Its contract shows the approved terms, without actions or the internal audit trail.
    await contracts.getByRole('link', { name: /IO-2026/ }).first().click();
    await page.getByRole('heading', { name: /Version \d+/ }).waitFor();
    expect(await page.getByRole('link', { name: 'Audit trail' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Amend' }).count()).toBe(0);

    // Another party's contract answers as if it did not exist; staff screens are not offered.
    await page.goto(`${server.baseUrl}/contracts/${acme?.id}`);
    await page.getByText('Not found').waitFor();
    await page.goto(`${server.baseUrl}/parties`);
    await page.getByText('Not available to your role').waitFor();
    await signOut(page);
  });
});
