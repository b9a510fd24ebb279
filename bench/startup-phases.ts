/**
 * Where start-up time goes: replays what `tally serve` does, phase by phase, each scenario in a new
 * process (so PGlite's WebAssembly is compiled afresh, as in a real start), and times every phase.
 * Run alone with `node --import tsx bench/startup-phases.ts [runs]`.
 *
 * The worker mode (`--worker <scenario> <location>`) is what the parent spawns; it prints one JSON line.
 */
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';

// Taken first, before any import of the application: time from process start (performance's time
// origin) to here is node's own boot, tsx's loader and this file.
const workerEnteredAtMs = performance.now();

const execFileAsync = promisify(execFile);

type Scenario = 'embedded-new' | 'embedded-again' | 'postgres-new';

export interface PhaseTimings {
  scenario: Scenario;
  /** Phase name → milliseconds, in the order they ran. */
  phases: [string, number][];
  /** Statements the demo seed ran, and the time spent waiting on them. */
  seedStatements: number;
}

async function worker(scenario: Scenario, location: string): Promise<PhaseTimings> {
  const phases: [string, number][] = [['node boot + tsx loader (to the first line of the script)', workerEnteredAtMs]];
  let mark = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    phases.push([name, now - mark]);
    mark = now;
  };
  const { openStore } = await import('../src/platform/store.ts');
  lap('import store (PGlite, Kysely, pg)');
  const { migrate } = await import('../src/platform/migrations.ts');
  const { createClock } = await import('../src/platform/clock.ts');
  const { inTransaction } = await import('../src/platform/context.ts');
  const { systemActor } = await import('../src/platform/actor.ts');
  const { hasAnyParty } = await import('../src/modules/parties/party.repository.ts');
  const { seedDemo } = await import('../src/modules/demo/seed-demo.ts');
  const { hashPassword } = await import('../src/modules/auth/secrets.ts');
  lap('import use cases (demo seed, contracts, zod terms)');
  const { buildApp } = await import('../src/http/app.ts');
  lap('import HTTP app (Fastify, swagger, routes)');
  await import('commander');
  lap('import commander (the CLI)');

  const isPostgres = scenario === 'postgres-new';
  const store = await openStore(isPostgres ? { databaseUrl: location, dataDir: 'unused' } : { dataDir: location });
  lap(
    scenario === 'embedded-new'
      ? 'open store: PGlite WebAssembly + initdb of a new folder'
      : isPostgres
        ? 'open store: pg pool (connects lazily)'
        : 'open store: PGlite WebAssembly + start on the existing folder',
  );
  await migrate(store);
  lap(scenario === 'embedded-again' ? 'migrations (all applied: checks only)' : 'migrations (schema from scratch)');
  const clock = createClock(undefined);
  const empty = !(await hasAnyParty(store.db));
  lap('has any party?');

  let seedStatements = 0;
  if (empty) {
    // Each statement is timed from the moment Kysely hands it to the driver to the moment its
    // result is back, so that SQL time can be told apart from scrypt and JavaScript.
    const started = new Map<unknown, number>();
    let sqlMs = 0;
    const timedDb = store.db.withPlugin({
      transformQuery(args) {
        started.set(args.queryId, performance.now());
        seedStatements++;
        return args.node;
      },
      async transformResult(args) {
        const at = started.get(args.queryId);
        if (at !== undefined) sqlMs += performance.now() - at;
        started.delete(args.queryId);
        return args.result;
      },
    });
    await inTransaction(timedDb, clock, systemActor, seedDemo);
    const seedMs = performance.now() - mark;
    lap('demo seed (one transaction)');
    // The seed hashes one password per demo user (7 users); the same work, timed on its own.
    for (let user = 0; user < 7; user++) await hashPassword('tally-demo-password');
    const scryptMs = performance.now() - mark;
    mark = performance.now();
    phases.push(['  of which: scrypt, 7 passwords (timed apart, same parameters)', scryptMs]);
    phases.push([`  of which: waiting on SQL (${seedStatements} statements)`, sqlMs]);
    phases.push(['  of which: the rest (JavaScript: validation, ids, audit hashing)', seedMs - scryptMs - sqlMs]);
  }
  const app = await buildApp({ store, clock, logger: false });
  lap('build the Fastify app (register routes, swagger)');
  await app.listen({ port: 0, host: '127.0.0.1' });
  lap('listen');
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const response = await fetch(`http://127.0.0.1:${port}/healthz`);
  await response.arrayBuffer();
  lap(`first GET /healthz (${response.status})`);
  await app.close();
  await store.close();
  return { scenario, phases, seedStatements };
}

/** Spawns one worker and returns its timings, its wall time seen from outside, and the CPU other processes used meanwhile. */
async function spawnWorker(scenario: Scenario, location: string): Promise<WorkerRun> {
  const { startForeignCpuMonitor } = await import('./support.ts');
  const monitor = startForeignCpuMonitor(250);
  const startedAt = performance.now();
  const { stdout } = await execFileAsync(process.execPath, ['--import', 'tsx', fileURLPath(), '--worker', scenario, location], {
    cwd: path.dirname(path.dirname(fileURLPath())),
    encoding: 'utf8',
    timeout: 60_000,
  }).catch((error: Error & { stdout?: string; stderr?: string }) => {
    throw new Error(`phase worker ${scenario} failed: ${error.message}\n${error.stdout ?? ''}\n${error.stderr ?? ''}`);
  });
  const wallMs = performance.now() - startedAt;
  const line = stdout.trim().split('\n').at(-1) ?? '';
  return { ...(JSON.parse(line) as PhaseTimings), wallMs, foreignCpuPercent: monitor.stop() };
}

type WorkerRun = PhaseTimings & { wallMs: number; foreignCpuPercent: number | undefined };

function fileURLPath(): string {
  return new URL(import.meta.url).pathname;
}

/** Wall time of a command that loads everything and exits: node alone, and `tally --help` (all modules through tsx). */
function commandWallMs(command: string, args: string[], runs: number): number {
  const samples: number[] = [];
  for (let run = 0; run < runs; run++) {
    const startedAt = performance.now();
    const result = spawnSync(command, args, { cwd: path.dirname(path.dirname(fileURLPath())), encoding: 'utf8', timeout: 30_000 });
    if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr}`);
    samples.push(performance.now() - startedAt);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)] as number;
}

export interface PhasesResult {
  scenarios: WorkerRun[][];
  nodeAloneMs: number;
  tallyHelpMs: number;
}

/** Runs each scenario `runs` times, each in a new process, and the process-boot references. */
export async function runStartupPhases(runs = 3, log: (line: string) => void = () => undefined): Promise<PhasesResult> {
  const support = await import('./support.ts');
  const count = Math.max(1, Math.min(10, runs));
  const embeddedNew: WorkerRun[] = [];
  const embeddedAgain: WorkerRun[] = [];
  const postgresNew: WorkerRun[] = [];
  const postgresReachable = (await support.postgresVersion()) !== undefined;
  const folders: string[] = [];
  try {
    for (let run = 0; run < count; run++) {
      const newStore = async () => {
        const folder = support.temporaryFolder('phases');
        folders.push(folder);
        return spawnWorker('embedded-new', path.join(folder, 'data'));
      };
      embeddedNew.push(await support.measureUndisturbed('phases, embedded new', newStore, log));
      const dataDir = path.join(folders.at(-1) as string, 'data');
      embeddedAgain.push(await support.measureUndisturbed('phases, embedded again', () => spawnWorker('embedded-again', dataDir), log));
      if (postgresReachable) {
        const newDatabase = async () => {
          const database = await support.createThrowawayDatabase('phases');
          try {
            return await spawnWorker('postgres-new', support.postgresUrl(database));
          } finally {
            await support.dropThrowawayDatabase(database);
          }
        };
        postgresNew.push(await support.measureUndisturbed('phases, PostgreSQL new', newDatabase, log));
      }
      log(`phases run ${run + 1}/${count} done`);
    }
  } finally {
    for (const folder of folders) support.removeFolder(folder);
  }
  return {
    scenarios: [embeddedNew, embeddedAgain, postgresNew].filter((list) => list.length > 0),
    nodeAloneMs: commandWallMs(process.execPath, ['-e', '0'], count),
    tallyHelpMs: commandWallMs('./bin/tally', ['--help'], count),
  };
}

/** One table: a row per phase, a column per scenario, medians over the runs. */
export async function phasesTable(result: PhasesResult): Promise<string> {
  const { markdownTable, median } = await import('./support.ts');
  const names: string[] = [];
  for (const runs of result.scenarios) for (const [name] of runs[0]?.phases ?? []) if (!names.includes(name)) names.push(name);
  const cell = (runs: PhaseTimings[], name: string) => {
    const values = runs
      .map((run) => run.phases.find(([phase]) => phase === name)?.[1])
      .filter((value): value is number => value !== undefined);
    return values.length ? `${Math.round(median(values))}` : '';
  };
  const rows = names.map((name) => [name, ...result.scenarios.map((runs) => cell(runs, name))]);
  rows.push([
    '**whole worker process, wall (outside view)**',
    ...result.scenarios.map((runs) => `**${Math.round(median(runs.map((run) => run.wallMs)))}**`),
  ]);
  rows.push([
    "other processes' CPU, worst run",
    ...result.scenarios.map((runs) => `${Math.round(Math.max(0, ...runs.map((run) => run.foreignCpuPercent ?? 0)))} %`),
  ]);
  const header = ['phase (ms, median)', ...result.scenarios.map((runs) => `${runs[0]?.scenario} (${runs.length} runs)`)];
  return `${markdownTable(header, rows)}\n\nReferences: \`node -e 0\` ${Math.round(result.nodeAloneMs)} ms; \`./bin/tally --help\` (node + tsx + every module, no store) ${Math.round(result.tallyHelpMs)} ms (medians).`;
}

const isWorker = process.argv[2] === '--worker';
if (isWorker) {
  const timings = await worker(process.argv[3] as Scenario, process.argv[4] as string);
  process.stdout.write(`${JSON.stringify(timings)}\n`);
} else {
  const { busyLine, foreignLine, isMainModule, startForeignCpuMonitor, waitForQuietMachine, writeResultsJson } =
    await import('./support.ts');
  if (isMainModule(import.meta.url)) {
    const runs = Number.parseInt(process.argv[2] ?? '3', 10);
    const busy = await waitForQuietMachine();
    const monitor = startForeignCpuMonitor();
    const result = await runStartupPhases(Number.isInteger(runs) ? runs : 3, (line) => process.stderr.write(`${line}\n`));
    const foreign = monitor.stop();
    const markdown = await phasesTable(result);
    process.stdout.write(`\n## Start-up phases\n\n${busyLine(busy)} ${foreignLine(foreign)}\n\n${markdown}\n`);
    await writeResultsJson('startup-phases', { busyPercent: busy, foreignCpuPercent: foreign, ...result }, { markdown, postgres: null });
  }
}
