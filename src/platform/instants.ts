/** Instants as the API writes them: RFC 3339 in UTC with milliseconds (`2026-11-25T12:00:00.128Z`), what `Date#toISOString` gives. */

// What PostgreSQL writes with TimeZone=UTC (`2026-11-25 12:00:00.128567+00`, timestamp without the
// offset) and what json_build_object writes (`2026-11-25T12:00:00.128567+00:00`), years 0001-9999.
const utcInstantPattern = /^(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d:\d\d)(?:\.(\d{1,6}))?(?:\+00(?::00)?|Z)?$/;

/**
 * An instant from PostgreSQL as an ISO string. The common UTC forms are rewritten as text, which is
 * several times cheaper than a Date per value (every timestamp of every row read goes through here);
 * anything else (another offset, BC years, infinity) goes through Date, as before.
 */
export function instantToIso(text: string): string {
  const match = utcInstantPattern.exec(text);
  if (match) {
    // Date keeps milliseconds and drops the rest of the fraction; so does this.
    const fraction = match[3] === undefined ? '000' : match[3].length >= 3 ? match[3].slice(0, 3) : match[3].padEnd(3, '0');
    return `${match[1]}T${match[2]}.${fraction}Z`;
  }
  let normalized = text.replace(' ', 'T');
  if (/[+-]\d\d$/.test(normalized)) normalized += ':00';
  else if (!/(Z|[+-]\d\d:\d\d)$/.test(normalized)) normalized += 'Z';
  return new Date(normalized).toISOString();
}

/** The instant of an RFC 3339 timestamp in milliseconds; a timestamp that does not parse is a caller's bug, refused loudly. */
export function instantOf(timestamp: string): number {
  const milliseconds = Date.parse(timestamp);
  if (Number.isNaN(milliseconds)) {
    throw new RangeError(`not an RFC 3339 timestamp: ${JSON.stringify(timestamp)}`);
  }
  return milliseconds;
}

/** The UTC calendar date of an RFC 3339 timestamp: the day a conversion counts on. */
export function utcDateOf(timestamp: string): string {
  return new Date(instantOf(timestamp)).toISOString().slice(0, 10);
}
