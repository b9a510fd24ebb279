/** The `tally` command line: one subcommand per job, each with --help, exit 0 on success. */
import { Command, Option } from 'commander';
import { inTransaction } from '../platform/context.ts';
import { AppError } from '../platform/errors.ts';
import { hasAnyParty } from '../modules/parties/index.ts';
import { demoPassword, seedDemo } from '../modules/demo/index.ts';
import { configWithFlags, openMigratedStore, runBoundedCommand, runCommand, type StoreFlags, withStoreFlags } from './runtime.ts';
import { serve } from './serve.ts';
import { work } from './worker.ts';
import { billDemo } from '../modules/demo/index.ts';
import { runImport } from './import.ts';
import { runBillCommand } from './bill.ts';
import { runExport } from './export.ts';
import { exportDateFormats, type ExportDateFormat, invoiceExportFormats, type InvoiceExportFormat } from '../modules/exports/index.ts';
import { runAuditVerify } from './audit.ts';
import { runCreateKey, runCreateUser } from './users.ts';
import { roles, type Role } from '../wire/roles.ts';
import { systemActor } from '../platform/actor.ts';

const program = new Command('tally')
  .description('Tally: contract lifecycle and billing for performance advertising')
  .showHelpAfterError()
  .addHelpText(
    'after',
    '\nOne process owns an embedded data folder. While tally serve runs on it, users create, keys create, audit verify,\n' +
      'export, bill and import ask that server (on this machine) instead of opening the folder; migrate and demo need it stopped.',
  );

/** Help for the commands that go through a running server. */
const throughServer =
  '\nWhile tally serve runs on the same embedded data folder, this command asks that server (on this machine,\n' +
  'with the token it keeps beside the folder) instead of opening the folder.';
/** Help for the commands that need the folder to themselves. */
const needsFolder = '\nOn the embedded store this command needs the data folder to itself: stop tally serve on it first.';

/** Runs until SIGINT or SIGTERM, then stops what was started and exits (1 when stopping failed). */
async function untilSignalled(started: { stop: () => Promise<void> }): Promise<never> {
  const shutdown = () => {
    started.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  return new Promise<never>(() => undefined);
}

withStoreFlags(program.command('serve'))
  .description('serve the API on PORT (default 3000), migrating the store first')
  .option('--port <port>', 'HTTP port (overrides PORT)')
  .option('--host <host>', 'interface to listen on (overrides HOST; default 127.0.0.1 when the store holds the demo book, else 0.0.0.0)')
  .option('--admin-token <token>', 'make sure user admin has an API key with this token (overrides TALLY_ADMIN_TOKEN)')
  .addOption(
    new Option('--demo <when>', 'seed the demo book on an empty store: auto = only the embedded store (TALLY_DEMO overrides)')
      .choices(['auto', 'on', 'off'])
      .default('off'),
  )
  .action((flags: StoreFlags & { port?: string; host?: string; adminToken?: string; demo: 'auto' | 'on' | 'off' }) =>
    runCommand(async () => {
      await untilSignalled(await serve(configWithFlags(flags), { demo: flags.demo }));
    }),
  );

withStoreFlags(program.command('worker'))
  .description(
    'run background work only (webhook deliveries, billing run partitions, purges), beside any number of tally serve processes on one PostgreSQL',
  )
  .action((flags: StoreFlags) =>
    runCommand(async () => {
      await untilSignalled(await work(configWithFlags(flags)));
    }),
  );

withStoreFlags(program.command('migrate'))
  .description('apply pending database migrations and exit')
  .addHelpText('after', needsFolder)
  .action((flags: StoreFlags) =>
    runBoundedCommand(async () => {
      const { store, applied } = await openMigratedStore(configWithFlags(flags), 'leave it running: it migrated the store when it started');
      await store.close();
      process.stdout.write(applied.length ? `applied ${applied.join(', ')}\n` : 'the schema is up to date\n');
    }),
  );

withStoreFlags(program.command('demo'))
  .description('seed the demo book into an empty store and print how to sign in')
  .addHelpText('after', needsFolder)
  .action((flags: StoreFlags) =>
    runBoundedCommand(async () => {
      const { store, clock } = await openMigratedStore(configWithFlags(flags));
      try {
        if (await hasAnyParty(store.db))
          throw new AppError('validation_failed', 'The store already holds parties; the demo book only goes into an empty store');
        const result = await inTransaction(store.db, clock, systemActor, seedDemo);
        await billDemo(store.db, clock, result);
        process.stdout.write(`seeded ${result.parties} parties and ${result.contracts} contracts\n`);
        for (const credential of result.credentials) process.stdout.write(`${credential.role}\t${credential.email}\t${credential.token}\n`);
        process.stdout.write(`web password for every demo user: ${demoPassword}\n`);
      } finally {
        await store.close();
      }
    }),
  );

const users = program.command('users').description('manage users');
withStoreFlags(users.command('create'))
  .description('create a user and print it as JSON')
  .addHelpText('after', throughServer)
  .requiredOption('--email <email>', 'sign-in email')
  .requiredOption('--name <name>', 'display name')
  .addOption(new Option('--role <role>', 'role').choices([...roles]).makeOptionMandatory())
  .option('--party <partyId>', 'the party a party-role user is bound to')
  .option('--password <password>', 'web sign-in password (at least 12 characters)')
  .action((flags: StoreFlags & { email: string; name: string; role: Role; party?: string; password?: string }) =>
    runBoundedCommand(async () => {
      if (flags.password !== undefined && flags.password.length < 12)
        throw new AppError('validation_failed', 'The password must have at least 12 characters');
      const user = await runCreateUser(configWithFlags(flags), {
        email: flags.email,
        name: flags.name,
        role: flags.role,
        partyId: flags.party,
        password: flags.password,
      });
      process.stdout.write(`${JSON.stringify(user)}\n`);
    }),
  );

const keys = program.command('keys').description('manage API keys');
withStoreFlags(keys.command('create'))
  .description('issue an API key for a user (by id or email) and print the token once')
  .addHelpText('after', throughServer)
  .requiredOption('--user <idOrEmail>', 'the user')
  .option('--name <name>', 'a label for the key', 'cli')
  .action((flags: StoreFlags & { user: string; name: string }) =>
    runBoundedCommand(async () => {
      process.stdout.write(`${await runCreateKey(configWithFlags(flags), flags.user, flags.name)}\n`);
    }),
  );

withStoreFlags(program.command('import'))
  .description('import impressions, conversions or clicks from a CSV file (all or nothing; bad rows named by line)')
  .addHelpText('after', throughServer)
  .argument('<kind>', 'impressions, conversions or clicks')
  .argument('<file>', 'the CSV file; the header names the fields (touch.type, attributes.country for nested ones)')
  .option('--url <url>', 'send the file to a running Tally instead of opening the store (TALLY_URL)')
  .option('--token <token>', 'API token for --url (TALLY_TOKEN)')
  .action((kind: string, file: string, flags: StoreFlags & { url?: string; token?: string }) =>
    runCommand(async () => {
      if (kind !== 'impressions' && kind !== 'conversions' && kind !== 'clicks')
        throw new AppError('validation_failed', `Import impressions, conversions or clicks, not "${kind}"`);
      const url = flags.url ?? process.env.TALLY_URL;
      const token = flags.token ?? process.env.TALLY_TOKEN;
      const result = await runImport(configWithFlags(flags), kind, file, { url, token });
      const restated =
        kind === 'impressions' ? `, ${result.restated} restated, ${result.unchanged} unchanged` : `, ${result.duplicates} duplicates`;
      process.stdout.write(`imported ${result.rows} rows: ${result.created} created${restated}\n`);
    }),
  );

withStoreFlags(program.command('bill'))
  .description("bill a month: rate every contract and write draft invoices and payout statements (replaces that month's drafts)")
  .addHelpText('after', throughServer)
  .requiredOption('--period <YYYY-MM>', 'the month to bill')
  .option('--finalize', 'also finalize the invoices that need no review', false)
  .option('--include-flagged', 'with --finalize: also finalize invoices flagged for review', false)
  .action((flags: StoreFlags & { period: string; finalize: boolean; includeFlagged: boolean }) =>
    runCommand(async () => {
      const { run, finalized, skippedForReview } = await runBillCommand(configWithFlags(flags), flags.period, {
        finalize: flags.finalize,
        includeFlagged: flags.includeFlagged,
      });
      process.stdout.write(
        `billing run ${run.id} for ${run.period}: ${run.status} in ${run.durationMs} ms, ${run.invoices} invoices, ${run.statements} payout statements, ${run.adjustmentLines} adjustment lines\n`,
      );
      if (run.carriedForward.length > 0)
        process.stdout.write(`${run.carriedForward.length} partner balances below their minimum payout were carried forward\n`);
      if (flags.finalize) process.stdout.write(`finalized ${finalized} invoices; ${skippedForReview} need review first\n`);
    }),
  );
/** The export command's flags, as commander hands them over. */
type ExportFlags = StoreFlags & { from: string; to: string; format: InvoiceExportFormat; dateFormat?: ExportDateFormat; out?: string };

/** What `tally export` counts: journal entries, invoices, or credit memos. */
function exportedNoun(what: string, format: InvoiceExportFormat): string {
  if (what === 'journal') return 'entries';
  return format === 'quickbooks-credit-memos' ? 'credit memos' : 'invoices';
}

withStoreFlags(program.command('export'))
  .description('export the journal, or issued invoices for Xero or QuickBooks Online, as CSV')
  .addHelpText('after', throughServer)
  .argument('<what>', 'journal or invoices')
  .requiredOption('--from <date>', 'first date (YYYY-MM-DD): the posting date for the journal, the issue date for invoices')
  .requiredOption('--to <date>', 'last date (YYYY-MM-DD)')
  .addOption(
    new Option(
      '--format <format>',
      "invoices: the accounting product's import (quickbooks-credit-memos: the negative lines QuickBooks' invoice import refuses)",
    )
      .choices(invoiceExportFormats)
      .default('xero'),
  )
  .addOption(
    new Option(
      '--date-format <format>',
      'order of the dates (default: YYYY-MM-DD for the journal, DD/MM/YYYY for Xero, MM/DD/YYYY for QuickBooks)',
    ).choices(exportDateFormats),
  )
  .option('--out <file>', 'write to a file instead of stdout (several files when the product limits invoices per file)')
  .action((what: string, flags: ExportFlags) =>
    runCommand(async () => {
      const result = await runExport(configWithFlags(flags), what, {
        from: flags.from,
        to: flags.to,
        format: flags.format,
        dateFormat: flags.dateFormat,
        out: flags.out,
      });
      if (flags.out !== undefined)
        process.stderr.write(`exported ${result.count} ${exportedNoun(what, flags.format)} to ${result.files.join(', ')}\n`);
    }),
  );
const audit = program.command('audit').description('the audit log');
withStoreFlags(audit.command('verify'))
  .description('recompute the hash chain; exit 1 and name the first broken entry when it is broken')
  .addHelpText('after', throughServer)
  .action((flags: StoreFlags) =>
    runCommand(async () => {
      const result = await runAuditVerify(configWithFlags(flags));
      if (result.ok) {
        process.stdout.write(`audit chain ok: ${result.checked} entries verified\n`);
        return 0;
      }
      const broken = result.firstBroken;
      process.stdout.write(`audit chain BROKEN at entry seq ${broken?.seq} (${broken?.id}): ${broken?.reason}\n`);
      return 1;
    }),
  );

await program.parseAsync(process.argv);
