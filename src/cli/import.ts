/** `tally import impressions|conversions|clicks FILE.csv`: straight into the store, or streamed to a running server (--url, or the one that owns the folder). */
import fs from 'node:fs';
import { Readable } from 'node:stream';
import { SingleBar, Presets } from 'cli-progress';
import type { Config } from '../platform/config.ts';
import { inTransaction } from '../platform/context.ts';
import { AppError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { importCsv, type ImportKind, type ImportResult } from '../modules/delivery/index.ts';
import { openStoreOrServer } from './runtime.ts';
import { systemActor } from '../platform/actor.ts';

export interface ImportOptions {
  /** A running Tally to send the file to (needed while a server owns the embedded store). */
  url?: string | undefined;
  token?: string | undefined;
}

/** A progress bar over the file's bytes, only on a terminal. */
function progressBar(totalBytes: number) {
  if (!process.stderr.isTTY) return undefined;
  const bar = new SingleBar(
    { format: 'importing [{bar}] {percentage}% | {rows} rows | {eta_formatted} left', stream: process.stderr },
    Presets.shades_classic,
  );
  bar.start(totalBytes, 0, { rows: 0 });
  return bar;
}

/** Runs the import and prints a one-line summary; throws AppError (exit 1) with the bad lines. */
export async function runImport(config: Config, kind: ImportKind, file: string, options: ImportOptions): Promise<ImportResult> {
  if (!fs.existsSync(file)) throw new AppError('validation_failed', `No such file: ${file}`);
  const totalBytes = fs.statSync(file).size;
  const bar = progressBar(totalBytes);
  try {
    const result = options.url ? await importOverHttp(kind, file, totalBytes, options, bar) : await importDirectly(config, kind, file, bar);
    bar?.update(totalBytes, { rows: result.rows });
    return result;
  } finally {
    bar?.stop();
  }
}

async function importDirectly(config: Config, kind: ImportKind, file: string, bar: SingleBar | undefined): Promise<ImportResult> {
  const target = await openStoreOrServer(config);
  if (target.kind === 'server') {
    // The server that owns the folder takes the file as any API client would send it.
    const body = Readable.toWeb(countingStream(file, bar)) as ReadableStream;
    return target.server.upload<ImportResult>(`/v1/${kind}/import`, 'text/csv', body);
  }
  const { store, clock } = target;
  try {
    return await inTransaction(store.db, clock, systemActor, (context) =>
      importCsv(context, kind, fs.createReadStream(file), newId('bat'), (progress) => bar?.update(progress.bytes, { rows: progress.rows })),
    );
  } finally {
    await store.close();
  }
}

/** The file as a stream that moves the progress bar by the bytes sent. */
function countingStream(file: string, bar: SingleBar | undefined, totalBytes = fs.statSync(file).size): fs.ReadStream {
  let sent = 0;
  const stream = fs.createReadStream(file);
  stream.on('data', (chunk) => {
    sent += chunk.length;
    bar?.update(Math.min(sent, totalBytes), { rows: '…' });
  });
  return stream;
}

async function importOverHttp(
  kind: ImportKind,
  file: string,
  totalBytes: number,
  options: ImportOptions,
  bar: SingleBar | undefined,
): Promise<ImportResult> {
  if (!options.token) throw new AppError('unauthenticated', 'Sending to a server needs --token (or TALLY_TOKEN)');
  const stream = countingStream(file, bar, totalBytes);
  const response = await fetch(new URL(`/v1/${kind}/import`, options.url), {
    method: 'POST',
    headers: { 'content-type': 'text/csv', authorization: `Bearer ${options.token}` },
    body: Readable.toWeb(stream) as ReadableStream,
    duplex: 'half',
  } as RequestInit);
  const body = (await response.json()) as ImportResult & { detail?: string; code?: string; errors?: { path: string; message: string }[] };
  if (!response.ok)
    throw new AppError('csv_invalid', `${response.status} ${body.code ?? ''}: ${body.detail ?? 'import failed'}`, body.errors);
  return body;
}
