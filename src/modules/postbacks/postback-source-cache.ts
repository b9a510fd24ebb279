/**
 * Postback sources by key, kept for a few seconds, so that a busy source's postbacks do not each
 * read its row. The cache never decides an answer alone: a postback refused on a kept row (a bad
 * signature, a disabled source) is checked again against the row as it is now, and a postback
 * verified on a kept row is checked again, in the transaction that stores it, against the row as
 * it is then (postback-committer.ts). So a rotation, a disable or an enable in another process
 * takes effect as if nothing were cached. Unknown keys are not kept: a new source answers at once.
 */
import type { Executor } from '../../platform/database.ts';
import { findPostbackSourceByKey } from './postback-source.repository.ts';
import type { PostbackSourcesTable } from './postback.table.ts';

export interface PostbackSourceCache {
  /** The source with this key; `cached` when the row was kept from an earlier read. `fresh` reads it again. */
  find(key: string, options?: { fresh?: boolean }): Promise<{ row: PostbackSourcesTable; cached: boolean } | undefined>;
}

/** How long a row is kept. */
export const postbackSourceCacheMs = 5_000;
/** Rows kept at most (every key is a real source's: misses are not kept); past it, the cache starts again. */
const entriesMax = 10_000;

export function createPostbackSourceCache(db: Executor, keepMs = postbackSourceCacheMs): PostbackSourceCache {
  const kept = new Map<string, { row: PostbackSourcesTable; until: number }>();
  return {
    async find(key, options = {}) {
      const entry = kept.get(key);
      if (entry !== undefined && !options.fresh && entry.until > Date.now()) return { row: entry.row, cached: true };
      const row = await findPostbackSourceByKey(db, key);
      if (row === undefined) {
        kept.delete(key);
        return undefined;
      }
      if (kept.size >= entriesMax) kept.clear();
      kept.set(key, { row, until: Date.now() + keepMs });
      return { row, cached: false };
    },
  };
}
