/** Cursor pagination: `?limit=` (1–500, default 50) and an opaque `?cursor=`; answers `{data, nextCursor}`. */
import { z } from 'zod';
import { AppError } from '../platform/errors.ts';

export const pageLimitMax = 500;

export const pageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(pageLimitMax).default(50),
  cursor: z.string().max(200).optional(),
});

/** Decodes a cursor into the last key of the previous page. */
export function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^[a-z0-9_]{1,100}$/.test(decoded))
    throw new AppError('invalid_cursor', 'The cursor is not one this server gave out', [{ path: 'cursor', message: 'invalid' }]);
  return decoded;
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
