/** SQL for the shared rate-limit windows: count a request in its caller's window, forget old windows. */
import { sql } from 'kysely';
import type { Executor } from '../platform/database.ts';

/**
 * Counts one request of `key` in its window of `windowMs`, opening a new window when the last one
 * has ended, all in one statement (the row's lock orders concurrent requests of one caller, from any
 * process). Times are the database's, so that processes on several machines share one clock.
 * Answers the requests counted so far in the window and the milliseconds it has left.
 */
export async function countRequest(db: Executor, key: string, windowMs: number): Promise<{ current: number; ttl: number }> {
  const result = await sql<{ count: number; ttl: string }>`
    insert into rate_limit_windows as w (key, window_start_ms, count)
    values (${key}, (extract(epoch from clock_timestamp()) * 1000)::bigint, 1)
    on conflict (key) do update set
      count = case when w.window_start_ms + ${windowMs} <= excluded.window_start_ms then 1 else w.count + 1 end,
      window_start_ms = case when w.window_start_ms + ${windowMs} <= excluded.window_start_ms then excluded.window_start_ms else w.window_start_ms end
    returning count, (window_start_ms + ${windowMs} - (extract(epoch from clock_timestamp()) * 1000)::bigint)::text as ttl`.execute(db);
  const row = result.rows[0]!;
  return { current: row.count, ttl: Math.max(0, Number(row.ttl)) };
}

/** Forgets windows that ended more than `windowMs` ago: answers how many. */
export async function purgeRateLimitWindows(db: Executor, windowMs: number): Promise<number> {
  const result = await sql`
    delete from rate_limit_windows where window_start_ms < (extract(epoch from clock_timestamp()) * 1000)::bigint - ${2 * windowMs}`.execute(
    db,
  );
  return Number(result.numAffectedRows ?? 0);
}
