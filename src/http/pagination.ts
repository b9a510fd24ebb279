/** Cursor pagination: `?limit=` (1–500, default 50) and an opaque `?cursor=`; answers `{data, nextCursor}`. */
import { z } from 'zod';
import { AppError } from '../platform/errors.ts';

export const pageLimitMax = 500;

export const pageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(pageLimitMax).default(50),
  cursor: z.string().max(200).optional(),
});

/** The refusal of a cursor this server did not give out (or that does not fit the list it is sent to). */
export function invalidCursor(): AppError {
  return new AppError('invalid_cursor', 'The cursor is not one this server gave out', [{ path: 'cursor', message: 'invalid' }]);
}

/** Decodes a cursor into the last key of the previous page. */
export function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^[a-z0-9_]{1,100}$/.test(decoded)) throw invalidCursor();
  return decoded;
}

/** The key of a row in a list ordered by an instant, then id (toPage's keyOf): what decodeInstantCursor reads back. */
export function instantKey(at: string, id: string): string {
  return `${at}\n${id}`;
}

/**
 * Decodes the cursor of a list ordered by an instant, then id (clicks, the held queue): the last
 * row's instant, as the API writes instants (UTC, `Z`), and its id (up to 128 characters of any kind).
 */
export function decodeInstantCursor(cursor: string | undefined): { at: string; id: string } | undefined {
  if (cursor === undefined) return undefined;
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  const split = decoded.indexOf('\n');
  const at = decoded.slice(0, split);
  const id = decoded.slice(split + 1);
  if (split === -1 || !/^\d{4}-\d\d-\d\dT[\d:.]+Z$/.test(at) || Number.isNaN(Date.parse(at)) || id.length === 0 || id.length > 128)
    throw invalidCursor();
  return { at, id };
}

/** Builds a page from `limit + 1` fetched rows: the extra row only says that there is a next page. */
export function toPage<T>(rows: T[], limit: number, keyOf: (row: T) => string | number): { data: T[]; nextCursor: string | null } {
  const data = rows.slice(0, limit);
  const last = data.at(-1);
  const nextCursor = rows.length > limit && last !== undefined ? Buffer.from(String(keyOf(last))).toString('base64url') : null;
  return { data, nextCursor };
}

/** The response schema of a page of `item`. */
export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item), nextCursor: z.string().nullable() });
}

/** A page's JSON text (`{data, nextCursor}`, as pageSchema writes it) from items whose text PostgreSQL wrote. */
export function writtenPageText(page: { itemsJson: string; nextKey: string | null }): string {
  const nextCursor = page.nextKey === null ? 'null' : JSON.stringify(Buffer.from(page.nextKey).toString('base64url'));
  return `{"data":${page.itemsJson},"nextCursor":${nextCursor}}`;
}
