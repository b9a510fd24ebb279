/**
 * CSV import of impressions, conversions or clicks, streamed: rows are parsed, checked and written in
 * chunks inside one transaction, so a file of any size is all or nothing, and every bad row is
 * reported with its line number.
 */
import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import type { z } from 'zod';
import type { UseCaseContext } from '../../platform/context.ts';
import { AppError, type FieldError, formatPath } from '../../platform/errors.ts';
import { appendAuditEntry } from '../audit/index.ts';
import {
  clickRecordSchema,
  conversionRecordSchema,
  impressionRecordSchema,
  type ClickRecord,
  type ConversionRecord,
  type ImpressionRecord,
} from './delivery.ts';
import { ingestClicks } from './ingest-clicks.ts';
import { ingestConversions } from './ingest-conversions.ts';
import { checkImpressionRecords, writeImpressionRecords } from './impression-records.ts';

export type ImportKind = 'impressions' | 'conversions' | 'clicks';

type ImportRecord = ImpressionRecord | ConversionRecord | ClickRecord;

const recordSchemas: Record<ImportKind, z.ZodType<ImportRecord>> = {
  impressions: impressionRecordSchema,
  conversions: conversionRecordSchema,
  clicks: clickRecordSchema,
};

export interface ImportProgress {
  rows: number;
  bytes: number;
}

export interface ImportResult {
  kind: ImportKind;
  rows: number;
  created: number;
  restated: number;
  unchanged: number;
  duplicates: number;
}

/** Rows per chunk: the same limit as one JSON batch. */
const chunkRows = 10_000;
/** Errors reported at most; the import stops writing at the first one but keeps checking. */
const errorsMax = 100;

type Row = Record<string, string>;

/** Columns that hold counts: integers in the JSON record (anything else stays text, for the schema to name at its column). */
const countColumns: ReadonlySet<string> = new Set(['impressions', 'completedViews', 'clicks']);

/**
 * Turns a CSV row (flat, dotted headers for nested fields) into the JSON record shape. The headers
 * are the caller's, so the objects have no prototype: a header such as `__proto__.x` or
 * `constructor.prototype.x` becomes an ordinary (unknown, so refused) field instead of writing
 * into Object.prototype of the whole process.
 */
export function rowToRecord(row: Row): unknown {
  const record: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const [header, raw] of Object.entries(row)) {
    if (raw === '') continue;
    const value = countColumns.has(header)
      ? /^-?\d+$/.test(raw)
        ? Number(raw)
        : raw
      : header === 'attributes.newCustomer'
        ? parseBoolean(raw)
        : raw;
    const path = header.split('.');
    let target = record;
    for (const segment of path.slice(0, -1)) {
      const existing = target[segment];
      target[segment] = typeof existing === 'object' && existing !== null ? existing : (Object.create(null) as Record<string, unknown>);
      target = target[segment] as Record<string, unknown>;
    }
    target[path.at(-1) as string] = value;
  }
  return record;
}

/**
 * The header row, as is, unless it names a column twice (which value would count?) or names one
 * `__proto__`: the parser's row objects would drop it without a word (an object's `__proto__` is
 * not a field), and unknown columns are refused.
 */
function checkHeader(header: string[]): string[] {
  const reserved = header.find((name) => name === '__proto__');
  if (reserved !== undefined) throw new Error(`column "${reserved}" is not a field`);
  const twice = header.find((name, index) => header.indexOf(name) !== index);
  if (twice !== undefined) throw new Error(`column "${twice}" appears twice`);
  return header;
}

function parseBoolean(raw: string): unknown {
  if (/^(true|1|yes)$/i.test(raw)) return true;
  if (/^(false|0|no)$/i.test(raw)) return false;
  return raw;
}

/** Imports a CSV stream; throws csv_invalid (nothing written) listing bad rows by line number. */
export async function importCsv(
  context: UseCaseContext,
  kind: ImportKind,
  input: Readable,
  batchId: string,
  onProgress?: (progress: ImportProgress) => void,
): Promise<ImportResult> {
  const parser = input.pipe(
    parse({ columns: checkHeader, trim: true, skip_empty_lines: true, info: true, bom: true, relax_column_count: false }),
  );
  const schema = recordSchemas[kind];
  const result: ImportResult = { kind, rows: 0, created: 0, restated: 0, unchanged: 0, duplicates: 0 };
  const errors: FieldError[] = [];
  let chunk: { record: ImportRecord; line: number }[] = [];
  let bytes = 0;
  input.on('data', (data: Buffer | string) => {
    bytes += data.length;
  });

  const flush = async () => {
    if (chunk.length === 0) return;
    const lines = chunk.map((entry) => entry.line);
    const locate = (index: number) => `line ${lines[index]}`;
    if (kind === 'impressions') {
      const records = chunk.map((entry) => entry.record as ImpressionRecord);
      const problems = await checkImpressionRecords(context, records, locate);
      errors.push(...problems.map(({ path, message }) => ({ path, message })));
      if (errors.length === 0) {
        const written = await writeImpressionRecords(context, records, batchId);
        result.created += written.created;
        result.restated += written.restated;
        result.unchanged += written.unchanged;
      }
    } else if (errors.length === 0) {
      try {
        // Conversions and clicks are written by their own use case, chunk by chunk: one audit entry per chunk.
        const written =
          kind === 'clicks'
            ? await ingestClicks(
                context,
                chunk.map((entry) => entry.record as ClickRecord),
                batchId,
                locate,
              )
            : await ingestConversions(
                context,
                chunk.map((entry) => entry.record as ConversionRecord),
                batchId,
                locate,
              );
        result.created += written.created;
        result.duplicates += written.duplicates;
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        errors.push(...(error.errors ?? [{ path: 'file', message: error.message }]));
      }
    }
    chunk = [];
  };

  try {
    for await (const { record: row, info } of parser as AsyncIterable<{ record: Row; info: { lines: number } }>) {
      result.rows++;
      const parsed = schema.safeParse(rowToRecord(row));
      if (parsed.success) {
        chunk.push({ record: parsed.data, line: info.lines });
      } else {
        for (const issue of parsed.error.issues) {
          if (errors.length < errorsMax)
            errors.push({ path: `line ${info.lines}${issue.path.length ? `.${formatPath(issue.path)}` : ''}`, message: issue.message });
        }
      }
      if (chunk.length >= chunkRows) await flush();
      if (result.rows % 10_000 === 0) onProgress?.({ rows: result.rows, bytes });
      if (errors.length >= errorsMax) break;
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    // csv-parse reports malformed CSV (unclosed quotes, wrong column counts) with the line.
    const line = (error as { lines?: number }).lines;
    throw new AppError(
      'csv_invalid',
      `The file is not valid CSV${line ? ` at line ${line}` : ''}: ${(error as Error).message}; nothing was written`,
      [{ path: line ? `line ${line}` : 'file', message: (error as Error).message }],
    );
  }
  await flush();
  onProgress?.({ rows: result.rows, bytes });
  if (errors.length > 0) {
    throw new AppError(
      'csv_invalid',
      `${errors.length >= errorsMax ? `At least ${errorsMax}` : errors.length} problem(s) in the file; the first: ${errors[0]?.path}: ${errors[0]?.message}. Nothing was written.`,
      errors.slice(0, errorsMax),
    );
  }
  if (result.rows === 0) throw new AppError('csv_invalid', 'The file has no data rows (the first line must be the header)');
  if (kind === 'impressions') {
    await appendAuditEntry(context.trx, context.now, {
      actor: context.actor.userId,
      action: 'delivery.impressions_imported',
      entityType: 'delivery_batch',
      entityId: batchId,
      after: { rows: result.rows, created: result.created, restated: result.restated, unchanged: result.unchanged },
    });
  }
  return result;
}
