/**
 * The tally command runs from one JavaScript bundle of src/ (made by esbuild, dependencies left as
 * they are in node_modules), not through tsx's loader: a start costs about half the CPU, which
 * counts where processes start often (the CLI, the fault tests, several API nodes). The bundle is
 * made at `npm ci` (postinstall) and remade by the first command after any file in src/ changes,
 * so an edited source is never run stale. It lives in dist/cli/, two folders below the project
 * like every src/<part>/<file>.ts, so that paths built from import.meta.url (migrations/, web/dist/)
 * point where they do from the sources. Plain JavaScript: it runs before any TypeScript loader.
 * TALLY_CLI_BUNDLE=0 runs the sources through tsx instead.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const projectRoot = fileURLToPath(new URL('../', import.meta.url));
const sourceRoot = path.join(projectRoot, 'src');
const bundlePath = path.join(projectRoot, 'dist', 'cli', 'tally.mjs');
const inputs = [fileURLToPath(import.meta.url), path.join(projectRoot, 'package.json'), path.join(projectRoot, 'package-lock.json')];

/** The newest modification time of the sources and of what shapes the bundle. */
function newestInput() {
  let newest = 0;
  const visit = (folder) => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) visit(full);
      else newest = Math.max(newest, fs.statSync(full).mtimeMs);
    }
  };
  visit(sourceRoot);
  for (const file of inputs) if (fs.existsSync(file)) newest = Math.max(newest, fs.statSync(file).mtimeMs);
  return newest;
}

function isFresh() {
  return fs.existsSync(bundlePath) && fs.statSync(bundlePath).mtimeMs >= newestInput();
}

/** Makes the bundle (written aside, then renamed: a concurrent start never reads half of one). */
export async function buildCliBundle() {
  const { build } = await import('esbuild');
  const staging = `${bundlePath}.${process.pid}.tmp`;
  fs.mkdirSync(path.dirname(bundlePath), { recursive: true });
  await build({
    entryPoints: [path.join(sourceRoot, 'cli', 'main.ts')],
    outfile: staging,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'error',
  });
  fs.renameSync(staging, bundlePath);
}

/** The bundle's URL, made or remade first when a source is newer; undefined when it cannot be made. */
export async function cliEntry() {
  if (process.env.TALLY_CLI_BUNDLE === '0') return undefined;
  try {
    if (!isFresh()) await buildCliBundle();
    return pathToFileURL(bundlePath).href;
  } catch (error) {
    process.stderr.write(`tally: running from the sources (the CLI bundle could not be made: ${error.message})\n`);
    return undefined;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  buildCliBundle().then(
    () => process.stdout.write(`tally: CLI bundle ready in ${path.relative(projectRoot, bundlePath)}\n`),
    (error) => process.stderr.write(`tally: could not make the CLI bundle (${error.message}); tally will run from the sources\n`),
  );
}
