/** The lines fault-finalize-marker.ts prints into a `tally bill` child's stderr, for the test that reads them. */
export const reservedMarker = '@@tally-fault numbers-reserved';
export const commitMarker = '@@tally-fault commit-sent';
export const partitionDoneMarker = '@@tally-fault partition-done';
