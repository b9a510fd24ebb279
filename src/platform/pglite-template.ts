/**
 * A freshly initialised PGlite cluster, made once at `npm ci` (postinstall) and copied for every new
 * embedded store: PGlite's initdb costs about 2 s of CPU in WebAssembly, a copy about 0.1 s. The
 * template is keyed by PGlite's version, since a cluster only opens with the version that made it.
 * Without a template (installed with --ignore-scripts, say), stores are initialised as before.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PGlite } from '@electric-sql/pglite';

const projectRoot = fileURLToPath(new URL('../../', import.meta.url));

function pgliteVersion(): string {
  const manifest = path.join(projectRoot, 'node_modules', '@electric-sql', 'pglite', 'package.json');
  return (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { version: string }).version;
}

/** Where the template of this PGlite version lives: a cluster folder and the same as a tar. */
export function templatePaths(): { directory: string; tarball: string } {
  const base = path.join(projectRoot, 'node_modules', '.cache', 'tally', `pglite-${pgliteVersion()}`);
  return { directory: path.join(base, 'cluster'), tarball: path.join(base, 'cluster.tar') };
}

/** Copies the template into a new, empty data folder; false when there is no template. */
export function copyTemplateTo(dataDir: string): boolean {
  const { directory } = templatePaths();
  if (!fs.existsSync(path.join(directory, 'PG_VERSION'))) return false;
  fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  fs.cpSync(directory, dataDir, { recursive: true });
  return true;
}

/** The template as a tar, for in-memory stores (PGlite loads a tar, not a folder); undefined when absent. */
export function templateTarball(): Blob | undefined {
  const { tarball } = templatePaths();
  return fs.existsSync(tarball) ? new Blob([fs.readFileSync(tarball)]) : undefined;
}

/** Makes the template (both forms) if it is missing; safe to run twice or concurrently. */
export async function ensureTemplate(): Promise<void> {
  const { directory, tarball } = templatePaths();
  if (fs.existsSync(path.join(directory, 'PG_VERSION')) && fs.existsSync(tarball)) return;
  fs.mkdirSync(path.dirname(directory), { recursive: true });
  const staging = `${directory}.${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  const cluster = new PGlite(staging);
  await cluster.waitReady;
  const tar = await cluster.dumpDataDir('none');
  await cluster.close();
  fs.writeFileSync(`${tarball}.${process.pid}`, Buffer.from(await tar.arrayBuffer()));
  fs.rmSync(directory, { recursive: true, force: true });
  fs.renameSync(staging, directory);
  fs.renameSync(`${tarball}.${process.pid}`, tarball);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  ensureTemplate().then(
    () => process.stdout.write(`tally: PGlite template ready in ${path.dirname(templatePaths().directory)}\n`),
    (error: unknown) => {
      // A missing template only makes the first start slower: never fail the install for it.
      process.stderr.write(`tally: could not prepare the PGlite template (${(error as Error).message}); new stores will run initdb\n`);
    },
  );
}
