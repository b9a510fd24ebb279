/**
 * A CPU profile of the real server on PostgreSQL under the load of bench/load.ts: `tally serve` runs
 * under `node --cpu-prof` against the book kept by `bench/load.ts --reads-only --keep-database NAME`,
 * autocannon loads one endpoint at 50 connections, and the server's self time is printed by package
 * and by function. Used to find where a read's CPU goes before changing anything.
 * Run with `node --import tsx bench/read-load-profile.ts NAME PATH [--seconds N] [--keep-profile FILE]`, e.g.
 * `bench/read-load-profile.ts reads '/v1/contracts?limit=50'` (wrap it in `flock /tmp/tally-bench.lock`).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import { type CpuProfile, cpuProfileShares, trimToLastSeconds } from './read-profile.ts';
import {
  freePort,
  isMainModule,
  markdownTable,
  postgresUrl,
  removeFolder,
  startServer,
  temporaryFolder,
  writeResultsJson,
} from './support.ts';

/** Self time by function (name, file and line), in percent of all samples, the `count` largest. */
export function topFunctions(profile: CpuProfile, count: number): [string, number][] {
  const byNode = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const totals = new Map<string, number>();
  let all = 0;
  profile.samples.forEach((nodeId, index) => {
    const delta = profile.timeDeltas[index] ?? 0;
    const frame = byNode.get(nodeId);
    const file = (frame?.url ?? '').replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/src\//, 'src/');
    const key = `${frame?.functionName || '(anonymous)'} ${file}:${(frame?.lineNumber ?? 0) + 1}`;
    totals.set(key, (totals.get(key) ?? 0) + delta);
    all += delta;
  });
  return [...totals.entries()]
    .map(([key, time]): [string, number] => [key, (100 * time) / all])
    .sort((a, b) => b[1] - a[1])
    .slice(0, count);
}

/** Profiles the server while autocannon loads `urlPath` for `seconds`. */
export async function profileRead(database: string, urlPath: string, seconds: number, keepAs?: string): Promise<string> {
  const folder = temporaryFolder('load-profile');
  const token = `tly_profile_${randomBytes(16).toString('base64url')}`;
  try {
    const server = await startServer({
      command: process.execPath,
      args: ['--cpu-prof', '--cpu-prof-dir', folder, 'bin/tally', 'serve', '--demo', 'off'],
      environment: { DATABASE_URL: postgresUrl(database), TALLY_ADMIN_TOKEN: token, TALLY_TODAY: '2026-11-03' },
      port: await freePort(),
    });
    let figures: string;
    try {
      const url = `${server.baseUrl}${urlPath}`;
      const headers = { authorization: `Bearer ${token}` };
      await autocannon({ url, connections: 50, duration: 2, headers });
      const result = await autocannon({ url, connections: 50, duration: seconds, headers, timeout: 10 });
      figures = `${Math.round(result.requests.average)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, non-2xx ${result.non2xx}`;
    } finally {
      await server.stop();
    }
    const file = fs.readdirSync(folder).find((name) => name.endsWith('.cpuprofile'));
    if (!file) throw new Error('the server wrote no CPU profile');
    if (keepAs !== undefined) fs.copyFileSync(path.join(folder, file), keepAs);
    const profile = trimToLastSeconds(JSON.parse(fs.readFileSync(path.join(folder, file), 'utf8')) as CpuProfile, seconds);
    const shares = markdownTable(
      ['package', 'self time'],
      cpuProfileShares(profile).map(([name, share]) => [name, `${share.toFixed(1)} %`]),
    );
    const functions = markdownTable(
      ['function', 'self time'],
      topFunctions(profile, 40).map(([name, share]) => [name, `${share.toFixed(1)} %`]),
    );
    return `GET ${urlPath}, 50 connections, ${seconds} s: ${figures}\n\n${shares}\n\n${functions}\n`;
  } finally {
    removeFolder(folder);
  }
}

if (isMainModule(import.meta.url)) {
  const [name, urlPath] = process.argv.slice(2);
  if (!name || !urlPath?.startsWith('/')) throw new Error('usage: bench/read-load-profile.ts KEPT_DATABASE_NAME /v1/PATH [--seconds N]');
  const index = process.argv.indexOf('--seconds');
  const seconds = index >= 0 ? Math.max(1, Math.min(60, Number.parseInt(process.argv[index + 1] ?? '', 10) || 8)) : 8;
  const keepIndex = process.argv.indexOf('--keep-profile');
  const markdown = await profileRead(
    `tally_bench_keep_${name}`,
    urlPath,
    seconds,
    keepIndex >= 0 ? process.argv[keepIndex + 1] : undefined,
  );
  process.stdout.write(markdown);
  // A profile's figures are its tables of shares: they are written as the markdown.
  await writeResultsJson('read-load-profile', { database: name, urlPath, seconds }, { markdown });
}
