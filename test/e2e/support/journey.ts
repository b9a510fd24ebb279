/**
 * What every browser journey sets up: Chromium and a real server on a fresh embedded store with
 * the demo book (the production web build is made once for the project, by
 * support/global-setup.ts); pages signed in as demo users, each in a browser context of its own (its own cookie jar). A failed set-up (Chromium
 * missing, say) fails each test with its reason: reported as failures, never as skipped tests.
 * Call it inside a `describe`; it registers that block's hooks.
 */
import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, signIn } from './browser.ts';
import { demoPassword, type RunningServer, startServer } from './server.ts';

export interface Journey {
  /** The running server (after the set-up). */
  server(): RunningServer;
  /** The browser (after the set-up). */
  browser(): Browser;
  /** A page in a new context, signed in as `email` and opened at `path`. */
  pageAs(email: string, path?: string): Promise<Page>;
}

export function useJourney(): Journey {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let setupError: unknown;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    try {
      // Chromium first: without it there is nothing to test with.
      browser = await launchChromium();
      // The web build is the project's global set-up's (support/global-setup.ts).
      server = await startServer();
    } catch (error) {
      setupError = error;
    }
  });

  beforeEach(() => {
    if (setupError) throw setupError;
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await server?.stop();
  });

  const journey: Journey = {
    server: () => server as RunningServer,
    browser: () => browser as Browser,
    async pageAs(email, path = '/') {
      const context = await journey.browser().newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
      contexts.push(context);
      context.setDefaultTimeout(15_000);
      const page = await context.newPage();
      page.on('pageerror', (error) => console.error(`[browser ${email}] ${error.message}`));
      await signIn(page, journey.server().baseUrl, email, demoPassword, path);
      return page;
    },
  };
  return journey;
}
