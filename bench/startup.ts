/**
 * Start-up time: wall time from spawning `./bin/tally serve --demo auto|on` until `GET /healthz`
 * answers 200 (polled every 20 ms), for a new embedded store, the same store started again, and a
 * new PostgreSQL database. Run alone with `node --import tsx bench/startup.ts [runs]`.
 */
import path from 'node:path';
import {
  createThrowawayDatabase,
  dropThrowawayDatabase,
  busyLine,
  isMainModule,
  machineLine,
  measureUndisturbed,
  markdownTable,
  median,
  ms,
  postgresUrl,
  postgresVersion,
  removeFolder,
  reportedStartupMs,
  type ServerProcess,
  startForeignCpuMonitor,
  startTally,
  temporaryFolder,
  waitForQuietMachine,
  writeResultsJson,
} from './support.ts';

/** The issue's target for a new embedded store with the demo book. */
export const startupTargetMs = 3_000;
const defaultRuns = 5;
const maximumRuns = 20;

export interface StartupSample {
  wallMs: number;
  /** The server's own figure: time inside serve() (store, migrations, seed, app, listen). */
  serverMs: number | undefined;
  /** CPU other processes used meanwhile, in percent of all cores. */
  foreignCpuPercent: number | undefined;
}

export interface StartupCase {
  name: string;
  samples: StartupSample[];
}

export interface StartupResult {
  cases: StartupCase[];
  postgres: string | undefined;
}

async function measure(start: () => Promise<ServerProcess>): Promise<StartupSample> {
  const monitor = startForeignCpuMonitor(250);
  const server = await start();
  const sample = { wallMs: server.readyAfterMs, serverMs: reportedStartupMs(server.output()), foreignCpuPercent: monitor.stop() };
  const exit = await server.stop();
  if (exit.code !== 0) throw new Error(`the server exited with ${exit.code ?? exit.signal} after SIGTERM. Its output:\n${server.output()}`);
  return sample;
}

/** Runs every case `runs` times and returns the samples. */
export async function runStartup(runs = defaultRuns, log: (line: string) => void = () => undefined): Promise<StartupResult> {
  const count = Math.max(1, Math.min(maximumRuns, runs));
  const fresh: StartupCase = { name: 'embedded, new store (initdb + migrations + demo seed)', samples: [] };
  const again: StartupCase = { name: 'embedded, same store started again (already seeded)', samples: [] };
  const onPostgres: StartupCase = { name: 'PostgreSQL, new database (migrations + demo seed, `--demo on`)', samples: [] };

  for (let run = 1; run <= count; run++) {
    // Each attempt at a new store gets a new folder; the kept one is then started again.
    const folders: string[] = [];
    try {
      const newStore = async () => {
        const folder = temporaryFolder('startup');
        folders.push(folder);
        return measure(() => startTally('auto', { TALLY_DATA_DIR: path.join(folder, 'data') }));
      };
      fresh.samples.push(await measureUndisturbed('embedded, new store', newStore, log));
      const environment = { TALLY_DATA_DIR: path.join(folders.at(-1) as string, 'data') };
      again.samples.push(await measureUndisturbed('embedded, started again', () => measure(() => startTally('auto', environment)), log));
      log(`run ${run}/${count}: embedded new ${ms(fresh.samples.at(-1)?.wallMs)}, again ${ms(again.samples.at(-1)?.wallMs)}`);
    } finally {
      for (const folder of folders) removeFolder(folder);
    }
  }

  const postgres = await postgresVersion();
  if (postgres === undefined) {
    log('PostgreSQL is not reachable: its case is skipped');
  } else {
    const folder = temporaryFolder('startup-pg');
    try {
      const newDatabase = async () => {
        const database = await createThrowawayDatabase('startup');
        try {
          return await measure(() =>
            startTally('on', { DATABASE_URL: postgresUrl(database), TALLY_DATA_DIR: path.join(folder, 'unused') }),
          );
        } finally {
          await dropThrowawayDatabase(database);
        }
      };
      for (let run = 1; run <= count; run++) {
        onPostgres.samples.push(await measureUndisturbed('PostgreSQL, new database', newDatabase, log));
        log(`run ${run}/${count}: PostgreSQL new ${ms(onPostgres.samples.at(-1)?.wallMs)}`);
      }
    } finally {
      removeFolder(folder);
    }
  }
  return { cases: [fresh, again, onPostgres].filter((startupCase) => startupCase.samples.length > 0), postgres };
}

/** The results as a markdown table: median and max of the wall time, and the server's own figure. */
export function startupTable(result: StartupResult): string {
  const rows = result.cases.map((startupCase) => {
    const wall = startupCase.samples.map((sample) => sample.wallMs);
    const server = startupCase.samples.map((sample) => sample.serverMs).filter((value): value is number => value !== undefined);
    const foreign = startupCase.samples.map((sample) => sample.foreignCpuPercent).filter((value): value is number => value !== undefined);
    return [
      startupCase.name,
      wall.length,
      ms(median(wall)),
      ms(Math.max(...wall)),
      ms(Math.min(...wall)),
      server.length ? ms(median(server)) : 'n/a',
      server.length ? ms(median(wall) - median(server)) : 'n/a',
      foreign.length ? `${Math.round(Math.max(...foreign))} %` : 'n/a',
    ];
  });
  return markdownTable(
    [
      'case',
      'runs',
      'wall median',
      'wall max',
      'wall min',
      'inside serve() median',
      'process boot + module load (difference of medians)',
      "other processes' CPU, worst run",
    ],
    rows,
  );
}

/** One line per target: met or missed, and by how much. */
export function startupVerdict(result: StartupResult): string {
  const fresh = result.cases[0];
  if (!fresh) return 'no samples';
  const wallMedian = median(fresh.samples.map((sample) => sample.wallMs));
  const wallMax = Math.max(...fresh.samples.map((sample) => sample.wallMs));
  const met = wallMax < startupTargetMs;
  return `Target: a new embedded store with the demo book serves in under ${startupTargetMs} ms. ${met ? 'Met' : 'Missed'}: median ${ms(wallMedian)}, max ${ms(wallMax)}${met ? '' : ` (median ${ms(wallMedian - startupTargetMs)} over, ${(wallMedian / startupTargetMs).toFixed(2)}× the target)`}.`;
}

if (isMainModule(import.meta.url)) {
  const runs = Number.parseInt(process.argv[2] ?? String(defaultRuns), 10);
  const busy = await waitForQuietMachine();
  const result = await runStartup(Number.isInteger(runs) ? runs : defaultRuns, (line) => process.stderr.write(`${line}\n`));
  const markdown = `${startupTable(result)}\n\n${startupVerdict(result)}`;
  process.stdout.write(`\n## Start-up\n\n${machineLine(result.postgres)}. ${busyLine(busy)}\n\n${markdown}\n`);
  await writeResultsJson('startup', { busyPercent: busy, ...result }, { markdown, postgres: result.postgres });
}
