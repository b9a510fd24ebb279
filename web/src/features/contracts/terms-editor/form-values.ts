/**
 * The small conversions between form text and terms values, shared by the terms conversions. Text
 * that is not a valid number is passed through as text, so that the schema reports it at its field
 * instead of the conversion hiding it.
 */

/** Text as typed, without surrounding blanks. */
export const text = (value: string) => value.trim();
/** An optional text field: absent when empty. */
export const optional = (value: string) => (text(value) === '' ? undefined : text(value));
/** A whole number, or the text as typed when it is not one, for the schema to name at its field. */
export const whole = (value: string): unknown => (/^\d{1,16}$/.test(text(value)) ? Number(text(value)) : text(value));
export const optionalWhole = (value: string) => (text(value) === '' ? undefined : whole(value));
/** A level's or tier's `upTo`: empty is the open-ended last one (null). */
export const upToOf = (value: string): unknown => (text(value) === '' ? null : whole(value));
/** A list typed with commas or spaces ("US, CA"). */
export const list = (value: string) =>
  value
    .split(/[\s,]+/)
    .map((item) => item.trim())
    .filter((item) => item !== '');

/** Drops keys whose value is undefined: the API refuses nothing for them, but they are noise in diffs. */
export function compact<T extends Record<string, unknown>>(object: T): T {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as T;
}

/** A terms value in a text field: absent and null are empty. */
export const show = (value: string | number | null | undefined) => (value === undefined || value === null ? '' : String(value));
