/** Reading the explain's open-ended JSON: its objects, its strings, and the API's snake_case codes as words. */
import type { Explain, JsonValue } from '../../../../../src/wire/charges.ts';
import { humanize } from '../../../common/format.ts';

export type { Explain, JsonValue };

/** snake_case words from the API read as words; anything else (ids, sentences) as written. */
export function humanizeWord(text: string): string {
  return /^[a-z]+(_[a-z]+)+$/.test(text) ? humanize(text) : text;
}

/** An object of the explain (not a list, not null). */
export function isObject(value: JsonValue | undefined): value is Explain {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A string value, or undefined for anything else. */
export function text(value: JsonValue | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
