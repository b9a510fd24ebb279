/**
 * Issue 17, item 6: three API nodes taking intake together, on PostgreSQL, directly and through NATS
 * JetStream. A throwaway database with one approved CPM contract for the quarter; three
 * `tally serve` processes on it (and, through NATS, a private nats-server: each node also consumes).
 * `--batches N` (300) impression batches of `--records R` (92, a quarter's days) counts each, `--connections C` (24)
 * at a time, sent round the three nodes: what each answer took (p50, p99), the batches a second the
 * nodes answered, and through NATS how long until the last batch was in the books.
 *
 * `node --import tsx bench/intake-nodes.ts [--batches N[,N…]] [--records R] [--connections C] [--json [FILE]]`;
 * docs/benchmarks.md, section 14.
 */
import pg from 'pg';
import { startNatsServer } from '../test/support/nats.ts';
import { cpmTerms } from '../test/support/fixtures.ts';
import {
  createThrowawayDatabase,
  dropThrowawayDatabase,
  foreignLine,
  freePort,
  isMainModule,
  machineLine,
  markdownTable,
  postgresUrl,
  postgresVersion,
  type ServerProcess,
  startForeignCpuMonitor,
  startServer,
  writeResultsJson,
} from './support.ts';

const adminToken = 'tly_bench_intake_nodes_admin_0123456789';

function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(name);
  return index === -1 ? fallback : Number(process.argv[index + 1]);
}

async function call(baseUrl: string, token: string, method: string, url: string, body?: unknown) {
  const response = await fetch(`${baseUrl}${url}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json().catch(() => undefined)) as Record<string, unknown> };
}

function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] ?? 0;
}

async function measure(mode: 'direct' | 'nats', settings: { batches: number; records: number; connections: number }) {
  const database = await createThrowawayDatabase(`intake_${mode}`);
  const nats = mode === 'nats' ? await startNatsServer() : undefined;
  const nodes: ServerProcess[] = [];
  const environment = {
    DATABASE_URL: postgresUrl(database),
    TALLY_ADMIN_TOKEN: adminToken,
    TALLY_DEMO: '0',
    LOG_LEVEL: 'warn',
    ...(nats ? { TALLY_NATS_URL: nats.url } : {}),
  };
  try {
    for (let index = 0; index < 3; index += 1) {
      nodes.push(await startServer({ command: process.execPath, args: ['bin/tally', 'serve'], environment, port: await freePort() }));
    }
    const first = nodes[0]!.baseUrl;
    // Approved contracts (maker and checker two people); the admin sends the batches.
    const party = await call(first, adminToken, 'POST', '/v1/parties', { kind: 'advertiser', name: 'Intake bench', currency: 'USD' });
    // The suites' CPM terms: their `display` line item takes the batches.
    const terms = cpmTerms();
    const finance = await call(first, adminToken, 'POST', '/v1/users', { email: 'finance@intake.bench', name: 'Finance', role: 'finance' });
    const financeKey = await call(first, adminToken, 'POST', `/v1/users/${finance.body.id as string}/api-keys`, {});
    // As many contracts as connections, so that batches sent at once mostly write different contracts.
    const contractIds: string[] = [];
    for (let index = 0; index < settings.connections; index += 1) {
      const contract = await call(first, adminToken, 'POST', '/v1/contracts', {
        partyId: party.body.id,
        side: 'sell',
        name: `Intake IO ${index}`,
        terms,
      });
      const id = contract.body.id as string;
      await call(first, adminToken, 'POST', `/v1/contracts/${id}/versions/1/submit`);
      await call(first, financeKey.body.token as string, 'POST', `/v1/contracts/${id}/versions/1/approve`, {});
      contractIds.push(id);
    }
    // A batch is a contract's days of one source (at most the quarter's 92 days): restatements when repeated.
    const batchBody = (batch: number) => ({
      records: Array.from({ length: Math.min(settings.records, 92) }, (_, index) => ({
        contractId: contractIds[batch % contractIds.length]!,
        lineItem: 'display',
        date: new Date(Date.UTC(2026, 9, 1) + index * 86_400_000).toISOString().slice(0, 10),
        source: Math.floor(batch / contractIds.length) % 2 === 0 ? 'first_party' : 'third_party',
        impressions: 1_000 + batch + index,
      })),
    });
    const latencies: number[] = [];
    let next = 0;
    let failures = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: settings.connections }, async () => {
        while (next < settings.batches) {
          const batch = next++;
          const node = nodes[batch % 3]!;
          const sent = performance.now();
          const answer = await call(node.baseUrl, adminToken, 'POST', '/v1/impressions', batchBody(batch));
          latencies.push(performance.now() - sent);
          if (answer.status !== (mode === 'nats' ? 202 : 200)) failures += 1;
        }
      }),
    );
    const answeredMs = performance.now() - started;
    // Through NATS: until every batch is in the books.
    const client = new pg.Client({ connectionString: postgresUrl(database) });
    await client.connect();
    let storedMs = answeredMs;
    if (mode === 'nats') {
      for (;;) {
        const stored = await client.query<{ count: string }>(`select count(*) from intake_batches`);
        if (Number(stored.rows[0]?.count) >= settings.batches) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      storedMs = performance.now() - started;
    }
    const rows = await client.query<{ count: string }>(`select count(*) from impression_counts`);
    await client.end();
    latencies.sort((a, b) => a - b);
    return {
      mode,
      batchesPerSecond: (settings.batches / answeredMs) * 1000,
      recordsPerSecond: ((settings.batches * Math.min(settings.records, 92)) / answeredMs) * 1000,
      p50: percentile(latencies, 0.5),
      p99: percentile(latencies, 0.99),
      answeredMs,
      storedMs,
      rows: Number(rows.rows[0]?.count),
      failures,
    };
  } finally {
    await Promise.all(nodes.map((node) => node.stop()));
    await nats?.remove();
    await dropThrowawayDatabase(database);
  }
}

async function main(): Promise<void> {
  // `--batches 300,3000`: each count in turn, to see how the figures grow with the intake.
  const batchesIndex = process.argv.indexOf('--batches');
  const counts = ((batchesIndex === -1 ? undefined : process.argv[batchesIndex + 1]) ?? '300').split(',').map(Number);
  if (counts.some((count) => !Number.isInteger(count) || count < 1 || count > 100_000))
    throw new Error('--batches takes whole numbers from 1 to 100,000, comma-separated');
  const shared = { records: argument('--records', 92), connections: argument('--connections', 24) };
  const settings = { batches: counts, ...shared };
  const monitor = startForeignCpuMonitor();
  const results = [];
  for (const batches of counts) {
    for (const mode of ['direct', 'nats'] as const) {
      results.push({ batches, ...(await measure(mode, { batches, ...shared })) });
      process.stderr.write(`${batches} batches, ${mode}: done\n`);
    }
  }
  const foreign = monitor.stop();
  console.log(`## Three API nodes taking intake (issue 17), PostgreSQL\n`);
  console.log(machineLine(await postgresVersion()));
  console.log(foreignLine(foreign));
  console.log(
    `\n${counts.join(' and ')} batches of ${shared.records} impression counts, ${shared.connections} connections round three \`tally serve\` nodes:\n`,
  );
  const markdown = markdownTable(
    [
      'batches',
      'intake',
      'answered',
      'batches / s',
      'counts / s',
      'p50',
      'p99',
      'all in the books after',
      'batches stored / s',
      'rows',
      'failed answers',
    ],
    results.map((result) => [
      result.batches,
      result.mode === 'nats' ? 'through NATS JetStream (202)' : 'direct (200)',
      `${Math.round(result.answeredMs)} ms`,
      Math.round(result.batchesPerSecond),
      Math.round(result.recordsPerSecond),
      `${result.p50.toFixed(1)} ms`,
      `${result.p99.toFixed(1)} ms`,
      `${Math.round(result.storedMs)} ms`,
      Math.round((result.batches / result.storedMs) * 1000),
      result.rows,
      result.failures,
    ]),
  );
  console.log(markdown);
  await writeResultsJson('intake-nodes', { settings, foreignCpuPercent: foreign, results }, { markdown });
}

if (isMainModule(import.meta.url)) await main();
