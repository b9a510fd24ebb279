/**
 * A read that several pieces of work of one process share: the first to ask runs it (with its own
 * executor, a transaction say) and the others wait for the same answer. A failed read is not kept:
 * the next to ask runs it again.
 */
import type { Executor } from './database.ts';

export function sharedLoad<T>(load: (db: Executor) => Promise<T>): (db: Executor) => Promise<T> {
  let loading: Promise<T> | undefined;
  return (db) => {
    if (loading === undefined) {
      const started = load(db);
      started.catch(() => {
        if (loading === started) loading = undefined;
      });
      loading = started;
    }
    return loading;
  };
}
