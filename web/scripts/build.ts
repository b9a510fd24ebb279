/**
 * Builds the web app into web/dist with Vite, then precompresses it (gzip, brotli) for the server
 * to send as is. `npm start` runs this with --if-stale first (prestart), and so does `npm ci`
 * (postinstall, with --no-fail): a build happens only when web/dist is missing or older than a
 * source file that went into it, so a normal start costs a few file stats.
 *
 *   node --import tsx web/scripts/build.ts [--if-stale] [--no-fail] [--quiet]
 *
 * The build fails when the initial JavaScript (what index.html loads before the first screen)
 * exceeds 300 kB gzipped: the budget of issue 5, kept by the build rather than by memory.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import zlib from 'node:zlib';

const webRoot = fileURLToPath(new URL('..', import.meta.url));
const projectRoot = path.dirname(webRoot);
export const distDirectory = path.join(webRoot, 'dist');
const stampFile = path.join(distDirectory, '.build-stamp.json');
export const initialJsBudgetBytes = 300 * 1024;

interface BuildStamp {
  builtAtMs: number;
  /** Source files (relative to the project) that went into the bundle, as Rollup saw them. */
  inputs: string[];
  initialJsGzipBytes: number;
  totalJsGzipBytes: number;
}

export interface BuildReport {
  built: boolean;
  durationMs: number;
  initialJsGzipBytes: number;
  totalJsGzipBytes: number;
}

function newestMtimeMs(directory: string): number {
  let newest = 0;
  if (!fs.existsSync(directory)) return newest;
  for (const entry of fs.readdirSync(directory, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, fs.statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

function readStamp(): BuildStamp | undefined {
  try {
    return JSON.parse(fs.readFileSync(stampFile, 'utf8')) as BuildStamp;
  } catch {
    return undefined;
  }
}

/** Why the build is stale, or undefined when web/dist is current. */
export function staleReason(): string | undefined {
  const stamp = readStamp();
  if (!stamp || !fs.existsSync(path.join(distDirectory, 'index.html'))) return 'web/dist is missing';
  for (const input of stamp.inputs) {
    const file = path.join(projectRoot, input);
    if (!fs.existsSync(file)) return `${input} is gone`;
    if (fs.statSync(file).mtimeMs > stamp.builtAtMs) return `${input} changed`;
  }
  // New files are not in the stamp's inputs: any file under web/src newer than the build counts.
  for (const place of ['web/src', 'web/public', 'web/index.html', 'web/vite.config.ts', 'package-lock.json']) {
    const target = path.join(projectRoot, place);
    const mtime =
      fs.existsSync(target) && fs.statSync(target).isDirectory()
        ? newestMtimeMs(target)
        : fs.existsSync(target)
          ? fs.statSync(target).mtimeMs
          : 0;
    if (mtime > stamp.builtAtMs) return `${place} changed`;
  }
  return undefined;
}

const compressible = /\.(js|css|html|svg|json)$/;

/** Writes .gz and .br beside every text asset over 1 kB; @fastify/static serves them (preCompressed). */
function precompress(directory: string): void {
  for (const entry of fs.readdirSync(directory, { withFileTypes: true, recursive: true })) {
    const file = path.join(entry.parentPath, entry.name);
    if (!entry.isFile() || !compressible.test(entry.name) || fs.statSync(file).size < 1024) continue;
    const content = fs.readFileSync(file);
    fs.writeFileSync(`${file}.gz`, zlib.gzipSync(content, { level: 9 }));
    fs.writeFileSync(`${file}.br`, zlib.brotliCompressSync(content, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }));
  }
}

const gzipSize = (file: string) => zlib.gzipSync(fs.readFileSync(file), { level: 9 }).length;

/** The JavaScript index.html loads before anything renders: its entry script and module preloads. */
function initialScripts(directory: string): string[] {
  const html = fs.readFileSync(path.join(directory, 'index.html'), 'utf8');
  const sources = [
    ...html.matchAll(/<script[^>]+src="([^"]+\.js)"/g),
    ...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+\.js)"/g),
  ].map((match) => match[1] as string);
  return [...new Set(sources)].map((source) => path.join(directory, source.replace(/^\//, '')));
}

/** Runs Vite into a fresh folder and swaps it in, so a running server never sees half a build. */
export async function buildWebApp(options: { quiet?: boolean } = {}): Promise<BuildReport> {
  const startedAt = Date.now();
  const { build } = await import('vite');
  const staging = path.join(webRoot, `dist.building-${process.pid}`);
  const inputs = new Set<string>();
  // Vite takes the mode's NODE_ENV from the environment when set; under Vitest it is "test", which
  // would bundle React's development build.
  const nodeEnvironment = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  await build({
    configFile: path.join(webRoot, 'vite.config.ts'),
    mode: 'production',
    logLevel: options.quiet ? 'error' : 'warn',
    build: { outDir: staging, emptyOutDir: true },
    plugins: [
      {
        name: 'tally-build-inputs',
        generateBundle() {
          for (const id of this.getModuleIds()) {
            const file = id.split('?')[0] ?? id;
            if (!file.startsWith('\0') && !file.includes(`${path.sep}node_modules${path.sep}`) && path.isAbsolute(file))
              inputs.add(path.relative(projectRoot, file));
          }
        },
      },
    ],
  }).finally(() => {
    if (nodeEnvironment === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnvironment;
  });
  const scripts = initialScripts(staging);
  const initialJsGzipBytes = scripts.reduce((total, file) => total + gzipSize(file), 0);
  const allScripts = fs.readdirSync(path.join(staging, 'assets')).filter((name) => name.endsWith('.js'));
  const totalJsGzipBytes = allScripts.reduce((total, name) => total + gzipSize(path.join(staging, 'assets', name)), 0);
  if (initialJsGzipBytes > initialJsBudgetBytes) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw new Error(
      `the initial JavaScript is ${(initialJsGzipBytes / 1024).toFixed(1)} kB gzipped, over the ${initialJsBudgetBytes / 1024} kB budget: split a route (React.lazy)`,
    );
  }
  precompress(staging);
  const stamp: BuildStamp = { builtAtMs: startedAt, inputs: [...inputs].sort(), initialJsGzipBytes, totalJsGzipBytes };
  fs.writeFileSync(path.join(staging, '.build-stamp.json'), `${JSON.stringify(stamp, null, 1)}\n`);
  const retired = `${distDirectory}.old-${process.pid}`;
  if (fs.existsSync(distDirectory)) fs.renameSync(distDirectory, retired);
  fs.renameSync(staging, distDirectory);
  fs.rmSync(retired, { recursive: true, force: true });
  return { built: true, durationMs: Date.now() - startedAt, initialJsGzipBytes, totalJsGzipBytes };
}

/** Builds only when stale; answers what it did. */
export async function ensureWebBuild(options: { quiet?: boolean } = {}): Promise<BuildReport & { reason?: string }> {
  const reason = staleReason();
  if (reason === undefined) {
    const stamp = readStamp();
    return {
      built: false,
      durationMs: 0,
      initialJsGzipBytes: stamp?.initialJsGzipBytes ?? 0,
      totalJsGzipBytes: stamp?.totalJsGzipBytes ?? 0,
    };
  }
  return { ...(await buildWebApp(options)), reason };
}

const kB = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const flags = new Set(process.argv.slice(2));
  const quiet = flags.has('--quiet');
  const run = flags.has('--if-stale') ? ensureWebBuild({ quiet }) : buildWebApp({ quiet });
  run.then(
    (report) => {
      if (report.built) {
        process.stdout.write(
          `tally: web app built in ${(report.durationMs / 1000).toFixed(1)} s${'reason' in report && report.reason ? ` (${report.reason})` : ''}: initial JS ${kB(report.initialJsGzipBytes)} gzipped (budget ${kB(initialJsBudgetBytes)}), all JS ${kB(report.totalJsGzipBytes)}\n`,
        );
      } else if (!quiet) {
        process.stdout.write('tally: web app is up to date (web/dist)\n');
      }
    },
    (error: unknown) => {
      process.stderr.write(`tally: the web app build failed: ${(error as Error).message}\n`);
      // During npm ci a failed build must not fail the install: `npm start` builds again.
      process.exitCode = flags.has('--no-fail') ? 0 : 1;
    },
  );
}
