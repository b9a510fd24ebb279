/**
 * `COPY … FROM STDIN` inside an open Kysely transaction, on either store: the bulk path for a batch
 * of rows that a repository has already turned into COPY's text format. The statement is the
 * repository's; this file only knows how each driver takes the data.
 */
import { finished } from 'node:stream/promises';
import { PGlite } from '@electric-sql/pglite';
import { CompiledQuery } from 'kysely';
import { from as copyFrom } from 'pg-copy-streams';
import type { Tx } from './database.ts';

const fromStdin = / from stdin$/i;

/**
 * Runs `statement` (`copy <table> (<columns>) from stdin`, text format) with `rows` as its data, in
 * the transaction's own connection, so that it commits or rolls back with the rest of it. A failed
 * COPY throws the store's error (its `code`, e.g. 23505) and leaves the transaction aborted, as any
 * failed statement does: a caller that wants to go on takes a savepoint first.
 */
export async function copyRowsIn(trx: Tx, statement: string, rows: string): Promise<void> {
  if (!fromStdin.test(statement)) throw new Error('copyRowsIn takes a "copy … from stdin" statement');
  await trx.getExecutor().provideConnection(async (connection) => {
    // The embedded store's connection is PGlite itself (kysely-pglite-dialect keeps it in `client`):
    // it reads COPY data from a Blob named /dev/blob.
    const client = (connection as { client?: unknown }).client;
    if (client instanceof PGlite) {
      await client.query(statement.replace(fromStdin, " from '/dev/blob'"), [], { blob: new Blob([rows]) });
      return;
    }
    // PostgreSQL: Kysely's connection hands the query to pg's `client.query`, which takes a stream
    // (a "submittable") as well as text and queues it on the transaction's client.
    const stream = copyFrom(statement);
    await connection.executeQuery(CompiledQuery.raw(stream as unknown as string));
    stream.end(rows);
    await finished(stream);
  });
}

const specialCharacters = /[\\\t\n\r]/;

/** A text value as COPY's text format reads it: backslash, tab, newline and carriage return escaped. */
export function copyText(value: string): string {
  if (!specialCharacters.test(value)) return value;
  return value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

/**
 * JSON text as a cell of COPY's text format. JSON.stringify never writes a raw tab, line break or
 * carriage return (it escapes them, with a backslash), so only backslashes need doubling, and most
 * texts have none: one search instead of copyText's four-way test.
 */
export function copyJsonText(text: string): string {
  return text.includes('\\') ? text.replace(/\\/g, '\\\\') : text;
}

/** A value as a cell of COPY's text format: null (and undefined) as \\N, a number as its digits, text escaped. */
export function copyCell(value: string | number | null | undefined): string {
  return value === null || value === undefined ? '\\N' : typeof value === 'number' ? String(value) : copyText(value);
}

/**
 * copyRowsIn for rows already in COPY's text format, one line each, sent by as many COPYs as it
 * takes: at most `rowsPerCopy` each, so that no one text holds a whole book's rows.
 */
export async function copyRowListIn(trx: Tx, statement: string, rows: readonly string[], rowsPerCopy = 20_000): Promise<void> {
  for (let start = 0; start < rows.length; start += rowsPerCopy)
    await copyRowsIn(trx, statement, `${rows.slice(start, start + rowsPerCopy).join('\n')}\n`);
}
