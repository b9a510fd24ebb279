/**
 * Loaded into a `tally bill` child by the billing fault test (`node --import tsx --import
 * ./test/support/fault-finalize-marker.ts bin/tally bill …`), so that kills can be aimed inside
 * finalization, a transaction of a few tens of milliseconds in a run of seconds. It watches the SQL
 * that both drivers send and writes a line to stderr when finalization reserves invoice numbers
 * (`insert into number_series`) and when the transaction that did so sends its COMMIT. It only
 * observes: every statement goes through unchanged.
 */
import fs from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { commitMarker, reservedMarker } from './fault-markers.ts';

let reserved = false;

function observe(text: unknown): void {
  if (typeof text !== 'string') return;
  if (/insert into number_series/i.test(text)) {
    reserved = true;
    fs.writeSync(2, `\n${reservedMarker}\n`);
  } else if (reserved && /^\s*commit\b/i.test(text)) {
    reserved = false;
    fs.writeSync(2, `\n${commitMarker}\n`);
  }
}

type Queryable = { query: (this: unknown, ...args: unknown[]) => unknown };

/** Wraps the `query` method found on a prototype chain, once. */
function watch(prototype: object): void {
  let holder: object | null = prototype;
  while (holder && !Object.prototype.hasOwnProperty.call(holder, 'query')) holder = Object.getPrototypeOf(holder) as object | null;
  if (!holder) throw new Error('no query method to watch');
  const target = holder as Queryable;
  const original = target.query;
  target.query = function watched(this: unknown, ...args: unknown[]) {
    const first = args[0];
    observe(typeof first === 'string' ? first : (first as { text?: unknown } | undefined)?.text);
    return original.apply(this, args);
  };
}

watch(pg.Client.prototype);
watch(PGlite.prototype);
