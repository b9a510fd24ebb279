/** Differences between two versions' terms, as paths a person can read. Pure. */

export interface TermsChange {
  path: string;
  from: unknown;
  to: unknown;
}

// Arrays of these objects are matched by their key, not their position, so that reordering line
// items is no change and an edited line item shows as `lineItems[display].…`.
const keyedArrays = new Set(['lineItems', 'fees']);

/** Lists every changed leaf between `from` and `to`; added and removed values have `undefined` (null on the wire) on one side. */
export function diffTerms(from: unknown, to: unknown, path = ''): TermsChange[] {
  if (isPlainObject(from) && isPlainObject(to)) {
    const keys = [...new Set([...Object.keys(from), ...Object.keys(to)])].sort();
    return keys.flatMap((key) => {
      const childPath = path === '' ? key : `${path}.${key}`;
      if (keyedArrays.has(key) && isKeyedArray(from[key]) && isKeyedArray(to[key])) {
        return diffKeyed(from[key] as KeyedItem[], to[key] as KeyedItem[], childPath);
      }
      return diffTerms(from[key], to[key], childPath);
    });
  }
  if (Array.isArray(from) && Array.isArray(to)) {
    const length = Math.max(from.length, to.length);
    return Array.from({ length }, (_, index) => diffTerms(from[index], to[index], `${path}[${index}]`)).flat();
  }
  if (JSON.stringify(from) === JSON.stringify(to)) return [];
  return [{ path, from: from ?? null, to: to ?? null }];
}

type KeyedItem = { key: string } & Record<string, unknown>;

function diffKeyed(from: KeyedItem[], to: KeyedItem[], path: string): TermsChange[] {
  const before = new Map(from.map((item) => [item.key, item]));
  const after = new Map(to.map((item) => [item.key, item]));
  const keys = [...new Set([...before.keys(), ...after.keys()])];
  return keys.flatMap((key) => {
    const itemPath = `${path}[${key}]`;
    const a = before.get(key);
    const b = after.get(key);
    if (a === undefined || b === undefined) return [{ path: itemPath, from: a ?? null, to: b ?? null }];
    return diffTerms(a, b, itemPath);
  });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isKeyedArray(value: unknown): boolean {
  return Array.isArray(value) && value.every((item) => isPlainObject(item) && typeof item.key === 'string');
}
