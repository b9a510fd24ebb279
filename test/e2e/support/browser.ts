/**
 * Headless Chromium, driven by playwright-core (never a Playwright browser download). Which binary:
 *
 * 1. `TALLY_CHROMIUM`, when set: that binary (it must exist);
 * 2. Debian's Chromium at `/usr/bin/chromium` (`apt-get install chromium`, done by .ci/run);
 * 3. otherwise the Chromium that the dev dependency `@sparticuz/chromium` ships inside the npm
 *    package (a brotli-packed headless shell, unpacked into the temporary folder on first use).
 *
 * So `npm ci && npm test` needs no manual step on a machine without Chromium. The choice is
 * printed once, and `bundledChromium()` lets a test drive the bundled one even where Debian's is
 * installed, so both paths are tested on every run.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';

export const debianChromium = '/usr/bin/chromium';

export interface ChromiumBinary {
  path: string;
  source: 'TALLY_CHROMIUM' | 'debian' | 'bundled';
}

/**
 * The Chromium that `@sparticuz/chromium` ships, unpacked (once per machine) and ready to launch.
 * Test files run in several processes at once, and each would unpack it into the same file: one
 * then launched the binary while another was still writing it (`spawn ETXTBSY`). The unpacking is
 * done under a lock shared by the machine's processes, so the others find it whole.
 */
export async function bundledChromium(): Promise<ChromiumBinary> {
  const { default: packaged } = await import('@sparticuz/chromium');
  return { path: await underMachineLock(() => packaged.executablePath()), source: 'bundled' };
}

const unpackLock = path.join(os.tmpdir(), 'tally-chromium-unpack.lock');
/** A lock older than this was left by a process that died while unpacking (unpacking takes a few seconds). */
const unpackLockStaleMs = 120_000;

/** Runs `work` while holding a lock that every process on the machine sees (a directory: mkdir is atomic). */
async function underMachineLock<T>(work: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      fs.mkdirSync(unpackLock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = Date.now() - (fs.statSync(unpackLock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > unpackLockStaleMs) fs.rmSync(unpackLock, { recursive: true, force: true });
      else await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  try {
    return await work();
  } finally {
    fs.rmSync(unpackLock, { recursive: true, force: true });
  }
}

/** The binary the browser tests use, by the order above. */
export async function findChromium(): Promise<ChromiumBinary> {
  const chosen = process.env.TALLY_CHROMIUM;
  if (chosen) {
    if (!fs.existsSync(chosen)) throw new Error(`TALLY_CHROMIUM names ${chosen}, which does not exist.`);
    return { path: chosen, source: 'TALLY_CHROMIUM' };
  }
  if (fs.existsSync(debianChromium)) return { path: debianChromium, source: 'debian' };
  return bundledChromium();
}

let announced = false;

/** Launches headless Chromium (`binary`, or the one `findChromium` picks) and says which one it is. */
export async function launchChromium(binary?: ChromiumBinary): Promise<Browser> {
  const chosen = binary ?? (await findChromium());
  const browser = await chromium.launch({ executablePath: chosen.path, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  if (!binary && !announced) {
    announced = true;
    console.info(`browser tests: ${describeChromium(chosen)} ${browser.version()} at ${chosen.path}`);
  }
  return browser;
}

function describeChromium(binary: ChromiumBinary): string {
  if (binary.source === 'TALLY_CHROMIUM') return 'Chromium from TALLY_CHROMIUM';
  if (binary.source === 'debian') return "Debian's Chromium";
  return 'the Chromium bundled in @sparticuz/chromium (no /usr/bin/chromium here)';
}

/** Signs in through the sign-in screen and waits for the signed-in shell. */
export async function signIn(page: Page, baseUrl: string, email: string, password: string, path = '/'): Promise<void> {
  await page.goto(`${baseUrl}${path}`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
}

/** Signs out through the shell's button and waits for the sign-in screen. */
export async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
}
