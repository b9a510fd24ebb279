/** Search text for SQL `ilike`: what the user typed is matched literally, anywhere in the value. */

/** `%text%` with `%`, `_` and `\` escaped, so that "50%_off" finds exactly that. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}
