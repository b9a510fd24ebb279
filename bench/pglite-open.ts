/**
 * What opening PGlite costs, and what a new store could cost instead: each variant in a new process
 * (so the WebAssembly is compiled afresh, as in a real start). Variants: a new folder (initdb), an
 * existing folder, in memory (initdb without the disk), and a new folder loaded from a tarball of an
 * already initialised store (`loadDataDir`), which skips initdb.
 * Run alone with `node --import tsx bench/pglite-open.ts [runs]`.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

type Variant = 'new-folder' | 'existing-folder' | 'memory' | 'new-folder-from-tarball';

/** In a worker process: opens PGlite the given way and returns the milliseconds until it answers a query. */
async function openOnce(variant: Variant, folder: string): Promise<number> {
  const { PGlite } = await import('@electric-sql/pglite');
  const startedAt = performance.now();
  let client: InstanceType<typeof PGlite>;
  if (variant === 'memory') client = new PGlite();
  else if (variant === 'new-folder-from-tarball') {
    const tarball = new Blob([fs.readFileSync(path.join(folder, 'initialised.tar.gz'))]);
    client = new PGlite(path.join(folder, 'from-tarball'), { loadDataDir: tarball });
  } else client = new PGlite(path.join(folder, variant === 'new-folder' ? 'new' : 'existing'));
  await client.waitReady;
  await client.query('select 1');
  const elapsedMs = performance.now() - startedAt;
  await client.close();
  return elapsedMs;
}

/** In a worker process: makes an initialised folder and its tarball, for the other variants. */
async function prepare(folder: string): Promise<void> {
  const { PGlite } = await import('@electric-sql/pglite');
  const client = new PGlite(path.join(folder, 'existing'));
  await client.waitReady;
  const tarball = await client.dumpDataDir('gzip');
  fs.writeFileSync(path.join(folder, 'initialised.tar.gz'), Buffer.from(await tarball.arrayBuffer()));
  await client.close();
}

async function worker(argumentsGiven: string[]): Promise<void> {
  const [mode, folder] = argumentsGiven as [string, string];
  if (mode === 'prepare') await prepare(folder);
  else process.stdout.write(`${JSON.stringify({ ms: await openOnce(mode as Variant, folder) })}\n`);
}

export interface PgliteOpenResult {
  /** Variant → median milliseconds from `new PGlite` to the first answered query. */
  medians: [Variant, number][];
  tarballBytes: number;
}

/** Runs each variant `runs` times, each in a new process. */
export async function runPgliteOpen(runs = 3): Promise<PgliteOpenResult> {
  const { median, removeFolder, temporaryFolder } = await import('./support.ts');
  const script = new URL(import.meta.url).pathname;
  const spawnWorker = (...workerArguments: string[]) =>
    execFileAsync(process.execPath, ['--import', 'tsx', script, '--worker', ...workerArguments], {
      cwd: path.dirname(path.dirname(script)),
      encoding: 'utf8',
      timeout: 60_000,
    });
  const folder = temporaryFolder('pglite');
  try {
    await spawnWorker('prepare', folder);
    const samples = new Map<Variant, number[]>();
    for (let run = 0; run < Math.max(1, Math.min(10, runs)); run++) {
      for (const variant of ['new-folder', 'existing-folder', 'memory', 'new-folder-from-tarball'] as const) {
        // New-folder variants start from nothing each time.
        removeFolder(path.join(folder, 'new'));
        removeFolder(path.join(folder, 'from-tarball'));
        const { stdout } = await spawnWorker(variant, folder);
        const list = samples.get(variant) ?? [];
        list.push((JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as { ms: number }).ms);
        samples.set(variant, list);
      }
    }
    return {
      medians: [...samples.entries()].map(([variant, values]): [Variant, number] => [variant, median(values)]),
      tarballBytes: fs.statSync(path.join(folder, 'initialised.tar.gz')).size,
    };
  } finally {
    removeFolder(folder);
  }
}

/** The result as a markdown table. */
export async function pgliteOpenTable(result: PgliteOpenResult): Promise<string> {
  const { markdownTable } = await import('./support.ts');
  const meaning: Record<Variant, string> = {
    'new-folder': 'new folder: WebAssembly + initdb (what a new store does today)',
    'existing-folder': 'existing folder: WebAssembly + start',
    memory: 'memory://: WebAssembly + initdb, no disk',
    'new-folder-from-tarball': 'new folder from a tarball of an initialised store (`loadDataDir`)',
  };
  const table = markdownTable(
    ['PGlite open', 'ms to the first answered query (median)'],
    result.medians.map(([variant, value]) => [meaning[variant], Math.round(value)]),
  );
  return `${table}\n\nThe tarball (gzip) of an initialised, empty store is ${Math.round(result.tarballBytes / 1024)} KiB.`;
}

if (process.argv[2] === '--worker') {
  await worker(process.argv.slice(3));
} else {
  const { busyLine, foreignLine, isMainModule, startForeignCpuMonitor, waitForQuietMachine, writeResultsJson } =
    await import('./support.ts');
  if (isMainModule(import.meta.url)) {
    const runs = Number.parseInt(process.argv[2] ?? '3', 10);
    const busy = await waitForQuietMachine();
    const monitor = startForeignCpuMonitor();
    const result = await runPgliteOpen(Number.isInteger(runs) ? runs : 3);
    const foreign = monitor.stop();
    const markdown = await pgliteOpenTable(result);
    process.stdout.write(`\n## PGlite open\n\n${busyLine(busy)} ${foreignLine(foreign)}\n\n${markdown}\n`);
    await writeResultsJson('pglite-open', { busyPercent: busy, foreignCpuPercent: foreign, ...result }, { markdown, postgres: null });
  }
}
