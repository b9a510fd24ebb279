/**
 * Loaded into a `tally bill` child by the billing fault test (`node --import tsx --import
 * ./test/support/fault-finalize-marker.ts bin/tally bill …`), so that kills can be aimed inside
 * finalization, a transaction of a few tens of milliseconds in a run of seconds. It watches the SQL
 * that both drivers send and writes a line to stderr when finalization reserves invoice numbers
 * (`insert into number_series`) and when the transaction that did so sends its COMMIT. It only
 * observes: every statement goes through unchanged.
 */
import fs from 'node:fs';
import { watchSql } from './sql-watch.ts';
import { commitMarker, reservedMarker } from './fault-markers.ts';

let reserved = false;

function observe(text: string): void {
  if (/insert into number_series/i.test(text)) {
    reserved = true;
    fs.writeSync(2, `\n${reservedMarker}\n`);
  } else if (reserved && /^\s*commit\b/i.test(text)) {
    reserved = false;
    fs.writeSync(2, `\n${commitMarker}\n`);
  }
}

watchSql(observe);
