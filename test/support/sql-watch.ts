/**
 * For the markers that fault tests load into a `tally` child (`--import`): calls `observe` with the
 * text of every statement both drivers send, before sending it unchanged.
 */
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

type Queryable = { query: (this: unknown, ...args: unknown[]) => unknown };

/** Wraps the `query` method found on a prototype chain, once. */
function watch(prototype: object, observe: (text: string) => void): void {
  let holder: object | null = prototype;
  while (holder && !Object.prototype.hasOwnProperty.call(holder, 'query')) holder = Object.getPrototypeOf(holder) as object | null;
  if (!holder) throw new Error('no query method to watch');
  const target = holder as Queryable;
  const original = target.query;
  target.query = function watched(this: unknown, ...args: unknown[]) {
    const first = args[0];
    const text = typeof first === 'string' ? first : (first as { text?: unknown } | undefined)?.text;
    if (typeof text === 'string') observe(text);
    return original.apply(this, args);
  };
}

/** Watches the SQL of node-postgres and PGlite in this process. */
export function watchSql(observe: (text: string) => void): void {
  watch(pg.Client.prototype, observe);
  watch(PGlite.prototype, observe);
}
