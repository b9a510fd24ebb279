/**
 * Loaded into a `tally bill` child by the partition takeover test (`node --import tsx --import
 * ./test/support/fault-partition-marker.ts bin/tally bill …`): it watches the SQL both drivers send
 * and writes a line to stderr once the transaction that recorded a billing run's partition as done
 * has committed (at the next statement the process sends, which waits for the COMMIT's answer), so
 * that the test can kill the process between two partitions. It only
 * observes: every statement goes through unchanged.
 */
import fs from 'node:fs';
import { watchSql } from './sql-watch.ts';
import { partitionDoneMarker } from './fault-markers.ts';

/** After the partition's update: 'updated'; after its COMMIT was sent: 'committing'. */
let state: 'idle' | 'updated' | 'committing' = 'idle';

function observe(text: string): void {
  if (/update\s+"?billing_run_partitions"?\s+set\s+"?status"?/i.test(text)) state = 'updated';
  else if (state === 'updated' && /^\s*commit\b/i.test(text)) state = 'committing';
  else if (state === 'committing') {
    // The next statement is sent only once the COMMIT has answered: the partition is committed.
    state = 'idle';
    fs.writeSync(2, `\n${partitionDoneMarker}\n`);
  }
}

watchSql(observe);
