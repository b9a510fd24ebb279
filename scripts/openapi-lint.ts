/**
 * `npm run openapi:lint` (part of `npm run check`): writes the API document to a temporary file and
 * lints it with Spectral's `spectral:oas` ruleset (.spectral.yaml). Any warning or error fails:
 * clients are generated from this document, so it must say exactly what the API does.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApiDocument } from './api-document.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-openapi-'));
try {
  const file = path.join(directory, 'openapi.json');
  const document = await buildApiDocument();
  fs.writeFileSync(file, JSON.stringify(document, null, 2));
  const operations = Object.values(document.paths as Record<string, object>).reduce((count, item) => count + Object.keys(item).length, 0);
  const spectral = path.join(root, 'node_modules', '.bin', 'spectral');
  const result = spawnSync(
    spectral,
    ['lint', '--ruleset', path.join(root, '.spectral.yaml'), '--fail-severity', 'warn', '--display-only-failures', file],
    { cwd: root, encoding: 'utf8' },
  );
  if (result.error) throw result.error;
  if (result.status !== 0) {
    process.stderr.write(`${result.stdout}${result.stderr}`);
    process.stderr.write(`openapi:lint: the API document (${operations} operations) breaks spectral:oas; see above\n`);
    process.exitCode = 1;
  } else {
    process.stdout.write(`openapi:lint: ${operations} operations, spectral:oas finds no error and no warning\n`);
  }
} finally {
  fs.rmSync(directory, { recursive: true, force: true });
}
