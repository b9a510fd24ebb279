/** Dates, instants, counts and percentages for display, by the browser's locale. */

const dateFormats = new Map<string, Intl.DateTimeFormat>();

function dateFormat(locale: string | undefined, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale ?? ''}|${JSON.stringify(options)}`;
  let cached = dateFormats.get(key);
  if (!cached) {
    cached = new Intl.DateTimeFormat(locale, options);
    dateFormats.set(key, cached);
  }
  return cached;
}

/**
 * A calendar date `YYYY-MM-DD` ("2026-10-01" → "Oct 1, 2026"). It is read and shown in UTC: a date
 * is not an instant, and the viewer's time zone must not move it a day.
 */
export function formatDate(date: string | null | undefined, locale?: string): string {
  if (!date) return '—';
  const time = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(time)) return date;
  return dateFormat(locale, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' }).format(time);
}

/** An RFC 3339 instant, in the viewer's time zone, to the minute. */
export function formatInstant(instant: string | null | undefined, locale?: string): string {
  if (!instant) return '—';
  const time = Date.parse(instant);
  if (Number.isNaN(time)) return instant;
  return dateFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(time);
}

/** A count of impressions or conversions ("1234567" → "1,234,567"). */
export function formatCount(count: number | null | undefined, locale?: string): string {
  if (count === null || count === undefined) return '—';
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(count);
}

/** A snake_case word from the API ("pending_approval") as words ("pending approval"). */
export function humanize(word: string): string {
  return word.replaceAll('_', ' ');
}

/** A duration in milliseconds ("249 ms", "9.4 s", "2 min 5 s"). */
export function formatDuration(milliseconds: number | null | undefined, locale?: string): string {
  if (milliseconds === null || milliseconds === undefined) return '—';
  if (milliseconds < 1_000) return `${formatCount(Math.round(milliseconds), locale)} ms`;
  if (milliseconds < 60_000) return `${new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(milliseconds / 1_000)} s`;
  const seconds = Math.round(milliseconds / 1_000);
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

/** A billing month `YYYY-MM` in words ("2026-10" → "October 2026"). */
export function formatMonth(month: string | null | undefined, locale?: string): string {
  if (!month) return '—';
  const time = Date.parse(`${month}-01T00:00:00Z`);
  if (Number.isNaN(time)) return month;
  return dateFormat(locale, { year: 'numeric', month: 'long', timeZone: 'UTC' }).format(time);
}
