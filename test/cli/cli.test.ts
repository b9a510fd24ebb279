/**
 * The tally command line, run as a user would: ./bin/tally in a child process on an embedded store
 * on disk. Runs only on the embedded project (the CLI opens its own store).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/platform/store.ts';
import { hashToken } from '../../src/modules/auth/secrets.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const running = new Set<ChildProcess>();

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment of a command on `dataDir`: no DATABASE_URL, quiet logs, no pinned date. */
function environment(dataDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TALLY_DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...extra };
  for (const name of ['DATABASE_URL', 'TALLY_ADMIN_TOKEN', 'TALLY_DEMO', 'TALLY_TODAY', 'PORT', 'HOST', 'LOG_FORMAT']) {
    if (!(name in extra)) delete env[name];
  }
  return env;
}

/** Starts ./bin/tally; the process is killed after the test if it is still running. */
function start(args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn('./bin/tally', args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

/** Runs ./bin/tally to the end (at most 90 s: CI machines can be busy) and collects its output. */
function run(args: string[], env: NodeJS.ProcessEnv): Promise<Outcome> {
  const child = start(args, env);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Waits until the child prints text matching `pattern` on stdout; fails if it exits first. */
function waitForOutput(child: ChildProcess, pattern: RegExp, timeoutMs = 90_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    let errors = '';
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}; stdout: ${output} stderr: ${errors}`)), timeoutMs);
    child.stderr?.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = pattern.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[0]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`tally exited with ${code} before printing ${pattern}; stdout: ${output} stderr: ${errors}`));
    });
  });
}

/** Stops a child with SIGTERM (then SIGKILL) and waits for it to exit. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/** A TCP port that nothing listens on right now. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return address.port;
}

/** An IPv4 address of this machine that is not loopback, if it has one. */
function externalAddress(): string | undefined {
  for (const addresses of Object.values(os.networkInterfaces()))
    for (const address of addresses ?? []) if (address.family === 'IPv4' && !address.internal) return address.address;
  return undefined;
}

/** Whether a TCP connection to address:port is accepted. */
function accepts(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: address, port });
    socket.setTimeout(5_000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/** The pid of a process that has exited, so that no process has it now. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.once('exit', resolve));
  const pid = child.pid as number;
  expect(() => process.kill(pid, 0)).toThrow();
  return pid;
}

describe('tally CLI [embedded]', () => {
  let folder: string;
  let dataDir: string;

  beforeAll(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-cli-'));
    dataDir = path.join(folder, 'data');
  });
  afterEach(async () => {
    await Promise.all([...running].map(stop));
  });
  afterAll(async () => {
    await Promise.all([...running].map(stop));
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('documents every command with --help', async () => {
    const commands = [[], ['serve'], ['migrate'], ['demo'], ['users', 'create'], ['keys', 'create'], ['audit', 'verify']];
    const outcomes = await Promise.all(commands.map((command) => run([...command, '--help'], environment(dataDir))));
    outcomes.forEach((outcome, index) => {
      const name = commands[index]?.join(' ') || 'tally';
      expect(outcome.code, name).toBe(0);
      expect(outcome.stdout, name).toMatch(/^Usage: tally/);
    });
    expect(outcomes[0]?.stdout).toMatch(/serve[\s\S]*migrate[\s\S]*demo[\s\S]*users[\s\S]*keys[\s\S]*audit/);
    expect(outcomes[4]?.stdout).toMatch(/--email[\s\S]*--role/);
    // --help opens no store.
    expect(fs.existsSync(dataDir)).toBe(false);
  });

  it('migrates, then finds the schema up to date', async () => {
    const first = await run(['migrate'], environment(dataDir));
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^applied 0001_foundation/);
    const second = await run(['migrate'], environment(dataDir));
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/up to date/);
    expect(fs.existsSync(`${dataDir}.lock`)).toBe(false);
  });

  it('creates a user (printed as JSON) and a key for it (printed once)', async () => {
    const created = await run(
      ['users', 'create', '--email', 'fin@cli.test', '--name', 'CLI Finance', '--role', 'finance'],
      environment(dataDir),
    );
    expect(created.code, created.stderr).toBe(0);
    const user = JSON.parse(created.stdout) as { id: string; email: string; role: string; partyId: string | null };
    expect(user).toMatchObject({ email: 'fin@cli.test', role: 'finance', partyId: null });
    expect(user.id).toMatch(/^usr_/);

    const key = await run(['keys', 'create', '--user', 'fin@cli.test'], environment(dataDir));
    expect(key.code, key.stderr).toBe(0);
    const token = key.stdout.trim();
    expect(token).toMatch(/^tly_[A-Za-z0-9_-]{40,}$/);

    const unknown = await run(['keys', 'create', '--user', 'nobody@cli.test'], environment(dataDir));
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toMatch(/^tally: No user nobody@cli.test/);

    // The token is stored hashed, for that user.
    const store = await openStore({ dataDir });
    try {
      const keys = await store.db.selectFrom('api_keys').select(['user_id', 'token_hash']).where('user_id', '=', user.id).execute();
      expect(keys).toEqual([{ user_id: user.id, token_hash: hashToken(token) }]);
    } finally {
      await store.close();
    }
  });

  it('seeds the demo book once; a second time fails with one line', async () => {
    const seeded = await run(['demo'], environment(dataDir));
    expect(seeded.code, seeded.stderr).toBe(0);
    expect(seeded.stdout).toMatch(/^seeded \d+ parties and \d+ contracts/);
    expect(seeded.stdout).toMatch(/^admin\t\S+@\S+\ttly_\S+$/m);
    expect(seeded.stdout).toMatch(/^finance\t\S+@\S+\ttly_\S+$/m);

    const again = await run(['demo'], environment(dataDir));
    expect(again.code).not.toBe(0);
    expect(again.stdout).toBe('');
    const reason = again.stderr.trimEnd();
    expect(reason).toMatch(/^tally: .*already holds parties/);
    expect(reason.split('\n')).toHaveLength(1);
  });

  it('verifies the audit chain, and names the tampered entry with exit 1', async () => {
    const intact = await run(['audit', 'verify'], environment(dataDir));
    expect(intact.code, intact.stderr).toBe(0);
    expect(intact.stdout).toMatch(/audit chain ok: \d+ entries verified/);
    const checked = Number(/ok: (\d+) entries/.exec(intact.stdout)?.[1]);
    expect(checked).toBeGreaterThan(5);

    // Someone with access to the folder rewrites entry 4 behind the trigger's back.
    const store = await openStore({ dataDir });
    try {
      await sql`alter table audit_entries disable trigger audit_entries_append_only`.execute(store.db);
      await sql`update audit_entries set actor = 'intruder' where seq = 4`.execute(store.db);
      await sql`alter table audit_entries enable trigger audit_entries_append_only`.execute(store.db);
    } finally {
      await store.close();
    }

    const broken = await run(['audit', 'verify'], environment(dataDir));
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/BROKEN at entry seq 4 \(aud_\w+\): hash does not match/);
  });

  it('takes over a lock left by a process that died', async () => {
    const pid = await deadPid();
    fs.writeFileSync(`${dataDir}.lock`, JSON.stringify({ pid, host: os.hostname(), startedAt: '2026-01-01T00:00:00.000Z' }));
    const migrated = await run(['migrate'], environment(dataDir));
    expect(migrated.code, migrated.stderr).toBe(0);
    expect(migrated.stdout).toMatch(/up to date/);
    expect(fs.existsSync(`${dataDir}.lock`)).toBe(false);
  });

  it('serves a fresh folder with TALLY_ADMIN_TOKEN and no demo book, and refuses a second process on it', async () => {
    const freshDir = path.join(folder, 'fresh');
    const port = await freePort();
    const adminToken = 'tly_cli_admin_token_0123456789abcdef';
    const server = start(
      ['serve', '--port', String(port)],
      environment(freshDir, { TALLY_DEMO: '0', TALLY_ADMIN_TOKEN: adminToken, HOST: '127.0.0.1' }),
    );
    await waitForOutput(server, new RegExp(`Tally is running on http://localhost:${port}`), 40_000);
    const base = `http://127.0.0.1:${port}`;

    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });

    const me = await fetch(`${base}/v1/me`, { headers: { authorization: `Bearer ${adminToken}` } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ id: 'admin', role: 'admin' });
    expect((await fetch(`${base}/v1/me`, { headers: { authorization: 'Bearer tly_not_the_admin_token' } })).status).toBe(401);
    const parties = await fetch(`${base}/v1/parties`, { headers: { authorization: `Bearer ${adminToken}` } });
    expect(((await parties.json()) as { data: unknown[] }).data).toEqual([]);

    // While the server holds the folder, another command on it is refused with one line.
    const lock = JSON.parse(fs.readFileSync(`${freshDir}.lock`, 'utf8')) as { pid: number };
    expect(lock.pid).toBe(server.pid);
    const second = await run(['migrate'], environment(freshDir));
    expect(second.code).not.toBe(0);
    expect(second.stderr).toMatch(new RegExp(`^tally: The data folder .* is in use by process ${server.pid}`));
    expect(second.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);

    // SIGTERM stops it cleanly and frees the folder.
    await stop(server);
    expect(server.exitCode).toBe(0);
    expect(fs.existsSync(`${freshDir}.lock`)).toBe(false);
  });

  it('answers users create, keys create, audit verify, export, import and bill through a running demo server, which listens on loopback only', async () => {
    const demoDir = path.join(folder, 'demo');
    const port = await freePort();
    const server = start(['serve', '--port', String(port), '--demo', 'auto'], environment(demoDir));
    let serverOutput = '';
    server.stdout?.on('data', (chunk: Buffer) => (serverOutput += chunk.toString()));
    await waitForOutput(server, /Try: curl/, 90_000);

    // The demo passwords are published, so the demo server answers this machine only.
    expect(serverOutput).toContain(`Tally is running on http://localhost:${port}`);
    expect(serverOutput).toContain('Listening on 127.0.0.1, this machine only');
    const announced = JSON.parse(fs.readFileSync(`${demoDir}.server.json`, 'utf8')) as { pid: number; url: string; token: string };
    expect(announced).toMatchObject({ pid: server.pid, url: `http://127.0.0.1:${port}` });
    expect(fs.statSync(`${demoDir}.server.json`).mode & 0o777).toBe(0o600);
    expect(await accepts('127.0.0.1', port)).toBe(true);
    const external = externalAddress();
    if (external !== undefined) expect(await accepts(external, port)).toBe(false);

    // Each command finds the server beside the folder and asks it (they run side by side, as people would).
    const invoicesFile = path.join(folder, 'invoices-xero.csv');
    const [verified, created, key, unknown, journal, invoices] = await Promise.all([
      run(['audit', 'verify'], environment(demoDir)),
      run(['users', 'create', '--email', 'newcomer@cli.test', '--name', 'Newcomer', '--role', 'viewer'], environment(demoDir)),
      run(['keys', 'create', '--user', 'Fiona@demo.tally.dev', '--name', 'while-served'], environment(demoDir)),
      run(['keys', 'create', '--user', 'nobody@cli.test'], environment(demoDir)),
      run(['export', 'journal', '--from', '2000-01-01', '--to', '2099-12-31'], environment(demoDir)),
      run(['export', 'invoices', '--from', '2000-01-01', '--to', '2099-12-31', '--out', invoicesFile], environment(demoDir)),
    ]);
    expect(verified.code, verified.stderr).toBe(0);
    expect(verified.stdout).toMatch(/^audit chain ok: \d+ entries verified\n$/);

    expect(created.code, created.stderr).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ email: 'newcomer@cli.test', role: 'viewer' });

    expect(key.code, key.stderr).toBe(0);
    const token = key.stdout.trim();
    expect(token).toMatch(/^tly_[A-Za-z0-9_-]{40,}$/);
    const me = await fetch(`http://127.0.0.1:${port}/v1/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ email: 'fiona@demo.tally.dev', role: 'finance' });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe('tally: No user nobody@cli.test\n');

    expect(journal.code, journal.stderr).toBe(0);
    expect(journal.stdout).toMatch(/^Date,Transaction,Account,/);
    expect(journal.stdout.trim().split('\n').length).toBeGreaterThan(2);
    expect(invoices.code, invoices.stderr).toBe(0);
    expect(invoices.stderr).toMatch(/^exported [1-9]\d* invoices to /);
    expect(fs.readFileSync(invoicesFile, 'utf8')).toContain('*InvoiceNumber');

    // An import goes to the server too: a count for a line item of the demo's first contract.
    const adminToken = /admin\s+admin@demo\.tally\.dev\s+token (\S+)/.exec(serverOutput)?.[1];
    const api = async <T>(url: string): Promise<T> =>
      (await (await fetch(`http://127.0.0.1:${port}${url}`, { headers: { authorization: `Bearer ${adminToken}` } })).json()) as T;
    const contract = (
      await api<{ data: { id: string; side: string; status: string; currentVersion: number }[] }>('/v1/contracts?limit=50')
    ).data.find((candidate) => candidate.side === 'sell' && candidate.status === 'active');
    const version = await api<{ terms: { startDate: string; lineItems: { key: string }[] } }>(
      `/v1/contracts/${contract?.id}/versions/${contract?.currentVersion}`,
    );
    const csvFile = path.join(folder, 'impressions.csv');
    fs.writeFileSync(
      csvFile,
      `contractId,lineItem,date,source,impressions\n${contract?.id},${version.terms.lineItems[0]?.key},${version.terms.startDate},third_party,1234\n`,
    );
    const imported = await run(['import', 'impressions', csvFile], environment(demoDir));
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(/^imported 1 rows: /);

    const billed = await run(['bill', '--period', '2020-01'], environment(demoDir));
    expect(billed.code, billed.stderr).toBe(0);
    expect(billed.stdout).toMatch(/^billing run run_\w+ for 2020-01: completed/);

    // What needs the folder to itself says whose it is and what to do, in one line.
    const migrated = await run(['migrate'], environment(demoDir));
    expect(migrated.code).toBe(1);
    expect(migrated.stderr).toMatch(
      new RegExp(
        `^tally: The data folder .* is in use by process ${server.pid} \\(tally serve at http://127.0.0.1:${port}\\).*stop the server first`,
      ),
    );
    expect(migrated.stderr.trimEnd().split('\n')).toHaveLength(1);

    await stop(server);
    expect(server.exitCode).toBe(0);
    expect(fs.existsSync(`${demoDir}.server.json`)).toBe(false);
    expect(fs.existsSync(`${demoDir}.lock`)).toBe(false);
    expect(serverOutput).not.toContain(token);
  });

  it('serves a store that holds the demo book on loopback after a restart too, unless HOST says otherwise', async () => {
    const demoDir = path.join(folder, 'demo');
    const port = await freePort();
    const server = start(['serve', '--port', String(port)], environment(demoDir));
    const listening = await waitForOutput(server, /Listening on [^\n]*/, 60_000);
    expect(listening).toBe(
      "Listening on 127.0.0.1, this machine only: the demo users' passwords are public (HOST=0.0.0.0 to serve the network)",
    );
    const external = externalAddress();
    if (external !== undefined) expect(await accepts(external, port)).toBe(false);
    await stop(server);

    // Stopped, the commands open the folder themselves; what the server wrote keeps the chain intact.
    const direct = await run(['audit', 'verify'], environment(demoDir));
    expect(direct.code, direct.stderr).toBe(0);
    expect(direct.stdout).toMatch(/^audit chain ok/);

    const everywhere = start(['serve', '--port', String(port)], environment(demoDir, { HOST: '0.0.0.0' }));
    expect(await waitForOutput(everywhere, /Listening on [^\n]*/, 60_000)).toBe(
      'Listening on every interface (HOST=0.0.0.0): anyone who reaches this machine can sign in with the demo passwords',
    );
    if (external !== undefined) expect(await accepts(external, port)).toBe(true);
    await stop(everywhere);
  });

  it('listens on every interface when the store holds no demo book', async () => {
    const plainDir = path.join(folder, 'plain');
    const port = await freePort();
    const server = start(['serve', '--port', String(port)], environment(plainDir, { TALLY_DEMO: '0' }));
    expect(await waitForOutput(server, /Listening on [^\n]*/, 60_000)).toBe('Listening on every interface (HOST=0.0.0.0)');
    const external = externalAddress();
    if (external !== undefined) expect(await accepts(external, port)).toBe(true);
    await stop(server);
  });
});
