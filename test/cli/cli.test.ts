/**
 * The tally command line, run as a user would: ./bin/tally in a child process on an embedded store
 * on disk. Runs only on the embedded project (the CLI opens its own store). The commands on a
 * folder are here; serving one is in cli-serve.test.ts (two files, so that they run side by side).
 */
import fs from 'node:fs';
import os from 'node:os';
import { parse } from 'csv-parse/sync';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/platform/store.ts';
import { hashToken } from '../../src/modules/auth/secrets.ts';
import { deadPid, environment, run, useCliScratch } from './support/cli-process.ts';

describe('tally CLI [embedded]', () => {
  const inScratch = useCliScratch();
  let dataDir: string;

  beforeAll(() => {
    dataDir = inScratch('data');
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

  it('exports with the date format asked for, and refuses an unknown one without writing a file', async () => {
    const range = ['--from', '2000-01-01', '--to', '2099-12-31'];
    const isoFile = inScratch('quickbooks-iso.csv');
    // One after another: each command opens the folder, which one process owns at a time.
    const iso = await run(
      ['export', 'invoices', ...range, '--format', 'quickbooks', '--date-format', 'YYYY-MM-DD', '--out', isoFile],
      environment(dataDir),
    );
    const dayFirst = await run(
      ['export', 'invoices', ...range, '--format', 'quickbooks', '--date-format', 'DD/MM/YYYY'],
      environment(dataDir),
    );
    const journalMonthFirst = await run(['export', 'journal', ...range, '--date-format', 'MM/DD/YYYY'], environment(dataDir));
    for (const outcome of [iso, dayFirst, journalMonthFirst]) expect(outcome.code, outcome.stderr).toBe(0);
    const rows = (text: string) => parse(text, { columns: true }) as Record<string, string>[];
    const isoRows = rows(fs.readFileSync(isoFile, 'utf8'));
    expect(isoRows.length).toBeGreaterThan(0);
    const reorder = (date: string | undefined, order: 'day' | 'month') => {
      const [year, month, day] = (date ?? '').split('-');
      return order === 'day' ? `${day}/${month}/${year}` : `${month}/${day}/${year}`;
    };
    expect(isoRows.every((row) => /^\d{4}-\d{2}-\d{2}$/.test(row['*InvoiceDate'] ?? ''))).toBe(true);
    expect(rows(dayFirst.stdout).map((row) => [row['*InvoiceDate'], row['*DueDate']])).toEqual(
      isoRows.map((row) => [reorder(row['*InvoiceDate'], 'day'), reorder(row['*DueDate'], 'day')]),
    );
    // The journal holds the invoices' postings, dated on their issue dates.
    const journalDates = new Set(rows(journalMonthFirst.stdout).map((row) => row.Date));
    for (const row of isoRows) expect(journalDates).toContain(reorder(row['*InvoiceDate'], 'month'));

    // QuickBooks refuses negative lines: the invoice file has none, and the credit memo file carries them, counted as credit memos.
    expect(isoRows.filter((row) => (row['*ItemAmount'] ?? '').startsWith('-'))).toEqual([]);
    const creditsFile = inScratch('quickbooks-credit-memos.csv');
    const credits = await run(
      ['export', 'invoices', ...range, '--format', 'quickbooks-credit-memos', '--date-format', 'YYYY-MM-DD', '--out', creditsFile],
      environment(dataDir),
    );
    expect(credits.code, credits.stderr).toBe(0);
    const creditsText = fs.readFileSync(creditsFile, 'utf8');
    expect(creditsText.split('\r\n')[0]).toMatch(/^\*CreditMemoNo,\*Customer,\*CreditMemoDate,/);
    const creditRows = rows(creditsText);
    for (const row of creditRows) {
      expect(row['*CreditMemoNo']).toMatch(/-CM$/);
      expect(row['*ItemAmount']).toMatch(/^\d+\.\d{2}$/);
    }
    const creditMemoNumbers = new Set(creditRows.map((row) => row['*CreditMemoNo']));
    // The demo book's restatements give it at least one negative line.
    expect(creditMemoNumbers.size).toBeGreaterThan(0);
    expect(credits.stderr).toContain(`exported ${creditMemoNumbers.size} credit memos to ${creditsFile}`);

    const refusedFile = inScratch('refused.csv');
    const refused = await run(['export', 'invoices', ...range, '--date-format', 'DD-MM-YYYY', '--out', refusedFile], environment(dataDir));
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain("argument 'DD-MM-YYYY' is invalid. Allowed choices are DD/MM/YYYY, MM/DD/YYYY, YYYY-MM-DD.");
    expect(fs.existsSync(refusedFile)).toBe(false);
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
});
