/**
 * A line's explain as a document stores it: its values in order, without its keys. A billing run
 * writes tens of thousands of lines, each explained by about 1 kB of JSON of which most is the same
 * keys again (`version`, `rule`, `inputs`, `discrepancy`, `budgetCaps`, `rounding`…); stored, an
 * explain is `[shape, value, value, …]`, where `shape` names its nested keys, kept once in
 * `explain_shapes` (migration 0036) by the hash of their text. Reading a document puts the keys back:
 * the object answered is the one rating made, key for key and in the same order (SPEC §4).
 *
 * Only plain objects are split into keys and values; an array, a string, a number, a boolean or null
 * is a value, kept whole as JSON keeps it (an array of objects, such as a tier breakdown, too). A
 * key whose value is `undefined` is left out, as JSON.stringify leaves it out. Pure: no database.
 */
import { createHash } from 'node:crypto';
import type { Explain, JsonValue } from '../../../wire/charges.ts';

/**
 * The nested keys of an explain, in order: a key alone has a value; `[key, shape]` has an object.
 * An explain with no object inside is a flat list of keys.
 */
export type ExplainShape = (string | [string, ExplainShape])[];

/** An explain as stored: its shape's id, then its values in the order of the shape's keys. */
export type StoredExplain = [string, ...JsonValue[]];

type Plain = { [key: string]: unknown };

/** An object literal: split into keys. Anything else (an array, or an object with a toJSON of its own) is a value. */
function isPlainObject(value: unknown): value is Plain {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** The shape's id: a hash of its JSON text, so that the same shape has the same id in every database and process. */
export function shapeId(shape: ExplainShape): string {
  return createHash('sha256').update(JSON.stringify(shape)).digest('base64url').slice(0, 16);
}

function shapeOf(object: Plain): ExplainShape {
  const shape: ExplainShape = [];
  for (const key in object) {
    const value = object[key];
    if (value === undefined) continue;
    shape.push(isPlainObject(value) ? [key, shapeOf(value)] : key);
  }
  return shape;
}

/**
 * A step of the walk over an explain's keys: where a key with a value, or a key with an object, or
 * the end of an object leads. The first explain of a shape finds no step at its end and names the
 * shape; every later one walks the same steps, looking its keys up without building any text.
 */
interface Step {
  value?: Map<string, Step>;
  object?: Map<string, Step>;
  end?: Step;
  /** At the end of an explain: its shape's id. */
  id?: string;
  /**
   * The key a value last led on from here, and where: explains of one shape walk the same steps,
   * so the key is nearly always the last one again, and a comparison of two property names is
   * cheaper than a Map's look-up.
   */
  lastValueKey?: string;
  lastValueStep?: Step;
}

function next(steps: Map<string, Step>, key: string): Step {
  let step = steps.get(key);
  if (step === undefined) steps.set(key, (step = {}));
  return step;
}

/** Where a key with a value leads from `from`. */
function nextForValue(from: Step, key: string): Step {
  if (from.lastValueKey === key) return from.lastValueStep as Step;
  const step = next((from.value ??= new Map()), key);
  from.lastValueKey = key;
  from.lastValueStep = step;
  return step;
}

/**
 * Encodes explains for storage: each into its values and the id of its shape. Keeps every shape it
 * met, so that the caller stores the new ones (`shapes`) with the lines that use them.
 */
export class ExplainEncoder {
  readonly #root: Step = {};
  readonly #shapes = new Map<string, ExplainShape>();

  encode(explain: Explain): StoredExplain {
    // The shape's id goes first, once the walk has found it: the values follow it in the same array.
    const stored: StoredExplain = [''];
    const end = this.#walk(explain, this.#root, stored);
    let id = end.id;
    if (id === undefined) {
      const shape = shapeOf(explain);
      id = shapeId(shape);
      end.id = id;
      this.#shapes.set(id, shape);
    }
    stored[0] = id;
    return stored;
  }

  /** Every shape this encoder has met, by id. */
  get shapes(): ReadonlyMap<string, ExplainShape> {
    return this.#shapes;
  }

  #walk(object: Plain, from: Step, values: JsonValue[]): Step {
    let step = from;
    for (const key in object) {
      const value = object[key];
      if (value === undefined) continue;
      if (isPlainObject(value)) step = this.#walk(value, next((step.object ??= new Map()), key), values);
      else {
        step = nextForValue(step, key);
        values.push(value as JsonValue);
      }
    }
    return (step.end ??= {});
  }
}

/** Whether a stored explain is encoded (an array) rather than a whole object, as lines written before migration 0036 are. */
export function isStoredExplain(stored: unknown): stored is StoredExplain {
  return Array.isArray(stored) && typeof stored[0] === 'string';
}

/** Sets a key as JSON.parse does: `__proto__` too is an own key, not the object's prototype. */
function setKey(object: Explain, key: string, value: JsonValue): void {
  if (key === '__proto__') Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  else object[key] = value;
}

/** The explain rating made, from its stored values and its shape. Throws when the values do not fit the shape. */
export function decodeExplain(stored: StoredExplain, shape: ExplainShape): Explain {
  let index = 1;
  const build = (keys: ExplainShape): Explain => {
    const object: Explain = {};
    for (const entry of keys) {
      if (typeof entry === 'string') {
        if (index >= stored.length) throw new Error(`a stored explain has fewer values than its shape ${stored[0]} has keys`);
        setKey(object, entry, stored[index++] as JsonValue);
      } else setKey(object, entry[0], build(entry[1]));
    }
    return object;
  };
  const explain = build(shape);
  if (index !== stored.length) throw new Error(`a stored explain has more values than its shape ${stored[0]} has keys`);
  return explain;
}
