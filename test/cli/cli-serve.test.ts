/**
 * `tally serve` run as a user would: ./bin/tally in a child process on an embedded store on disk,
 * and the commands that go through a running server. Runs only on the embedded project.
 */
import { once } from 'node:events';
import fs from 'node:fs';
import net from 'node:net';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { accepts, environment, externalAddress, freePort, run, start, stop, useCliScratch, waitForOutput } from './support/cli-process.ts';

describe('tally CLI serving [embedded]', () => {
  const inScratch = useCliScratch();

  it('serves a fresh folder with TALLY_ADMIN_TOKEN and no demo book, and refuses a second process on it', async () => {
    const freshDir = inScratch('fresh');
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

    // SIGTERM stops it cleanly and frees the folder, even with a client that never finishes its
    // request: the server waits for it at most its grace period, then closes the connection.
    let output = '';
    server.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const stalled = net.connect({ host: '127.0.0.1', port });
    await once(stalled, 'connect');
    stalled.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    stalled.on('error', () => undefined);
    const exited = once(server, 'exit');
    server.kill('SIGTERM');
    await exited;
    expect(server.exitCode).toBe(0);
    expect(output).toContain('requests still open at shutdown: closing their connections');
    expect(fs.existsSync(`${freshDir}.lock`)).toBe(false);
    stalled.destroy();
  });

  it('answers users create, keys create, audit verify, export, import and bill through a running demo server, which listens on loopback only', async () => {
    const demoDir = inScratch('demo');
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
    const invoicesFile = inScratch('invoices-xero.csv');
    const [verified, created, key, unknown, journal, invoices, isoInvoices] = await Promise.all([
      run(['audit', 'verify'], environment(demoDir)),
      run(['users', 'create', '--email', 'newcomer@cli.test', '--name', 'Newcomer', '--role', 'viewer'], environment(demoDir)),
      run(['keys', 'create', '--user', 'Fiona@demo.tally.dev', '--name', 'while-served'], environment(demoDir)),
      run(['keys', 'create', '--user', 'nobody@cli.test'], environment(demoDir)),
      run(['export', 'journal', '--from', '2000-01-01', '--to', '2099-12-31'], environment(demoDir)),
      run(['export', 'invoices', '--from', '2000-01-01', '--to', '2099-12-31', '--out', invoicesFile], environment(demoDir)),
      run(
        ['export', 'invoices', '--from', '2000-01-01', '--to', '2099-12-31', '--format', 'quickbooks', '--date-format', 'YYYY-MM-DD'],
        environment(demoDir),
      ),
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
    // The date format goes to the server's route too (QuickBooks' own default is MM/DD/YYYY).
    expect(isoInvoices.code, isoInvoices.stderr).toBe(0);
    const isoRows = parse(isoInvoices.stdout, { columns: true }) as Record<string, string>[];
    expect(isoRows.length).toBeGreaterThan(0);
    for (const row of isoRows) expect(`${row['*InvoiceDate']} ${row['*DueDate']}`).toMatch(/^\d{4}-\d{2}-\d{2} \d{4}-\d{2}-\d{2}$/);

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
    const csvFile = inScratch('impressions.csv');
    fs.writeFileSync(
      csvFile,
      `contractId,lineItem,date,source,impressions,completedViews,clicks\n${contract?.id},${version.terms.lineItems[0]?.key},${version.terms.startDate},third_party,1234,987,12\n`,
    );
    const imported = await run(['import', 'impressions', csvFile], environment(demoDir));
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(/^imported 1 rows: /);
    // The CTV columns (SPEC §8) arrive beside the impressions.
    const stored = await api<{ data: { lineItem: string; source: string; impressions: number; completedViews: number; clicks: number }[] }>(
      `/v1/impressions?contractId=${contract?.id}&from=${version.terms.startDate}&to=${version.terms.startDate}`,
    );
    expect(stored.data.find((row) => row.lineItem === version.terms.lineItems[0]?.key && row.source === 'third_party')).toMatchObject({
      completedViews: 987,
      clicks: 12,
    });

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
    const demoDir = inScratch('demo');
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
    const plainDir = inScratch('plain');
    const port = await freePort();
    const server = start(['serve', '--port', String(port)], environment(plainDir, { TALLY_DEMO: '0' }));
    expect(await waitForOutput(server, /Listening on [^\n]*/, 60_000)).toBe('Listening on every interface (HOST=0.0.0.0)');
    const external = externalAddress();
    if (external !== undefined) expect(await accepts(external, port)).toBe(true);
    await stop(server);
  });
});
