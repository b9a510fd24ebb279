/** How the API names a field in `errors[].path`, shared by the server and the web app's forms. */

/** Turns a path of keys and indexes into `a.b[0].c` (`lineItems[0].pricing.ratePerMille`). */
export function formatPath(segments: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out;
}
