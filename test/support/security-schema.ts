/**
 * Reading request bodies through their OpenAPI (JSON Schema) description: which branch of a union
 * a value takes, where its objects are, and which objects of a schema would accept unknown fields.
 * The unknown-fields and fuzz suites build their requests from these.
 */
import type { JsonSchema } from './security-routes.ts';

export type PathSegment = string | number;

/** One place in a request body: its path, the schema that governs it, and the value there (if any). */
export interface Slot {
  path: PathSegment[];
  schema: JsonSchema;
  value: unknown;
  /** False when the value is absent and the schema allows that: setting it is a change, not a removal. */
  present: boolean;
  /** True when the parent object requires this property (removing it makes the body invalid). */
  required: boolean;
}

/** How the suites resolve schemas that the document leaves open (contract terms are declared loosely). */
export type SchemaResolver = (schema: JsonSchema, key: PathSegment | undefined) => JsonSchema;

/** The alternatives of a union, flattened (a union may nest another). */
export function branchesOf(schema: JsonSchema): JsonSchema[] {
  const alternatives = schema.oneOf ?? schema.anyOf;
  return alternatives ? alternatives.flatMap(branchesOf) : [schema];
}

/** The JSON type of a value, as JSON Schema names it. */
export function jsonTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** The JSON types a schema (or any branch of it) allows; undefined when it says nothing about types. */
export function allowedTypes(schema: JsonSchema): Set<string> | undefined {
  const types = new Set<string>();
  for (const branch of branchesOf(schema)) {
    if (branch.type === undefined) {
      if (branch.properties) types.add('object');
      else if (branch.enum) for (const option of branch.enum) types.add(jsonTypeOf(option));
      else return undefined;
    } else {
      for (const type of Array.isArray(branch.type) ? branch.type : [branch.type]) types.add(type);
    }
  }
  if (types.has('number')) types.add('integer');
  return types;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether a value takes this branch: its type, its enums and constants, and (objects) its keys. */
function takesBranch(branch: JsonSchema, value: unknown): boolean {
  const types = allowedTypes(branch);
  if (types && !types.has(jsonTypeOf(value))) return false;
  if (branch.enum && !branch.enum.includes(value)) return false;
  if (branch.const !== undefined && branch.const !== value) return false;
  if (!isObject(value) || !branch.properties) return true;
  const properties = branch.properties;
  if (branch.additionalProperties === false && Object.keys(value).some((key) => !(key in properties))) return false;
  if ((branch.required ?? []).some((key) => !(key in value))) return false;
  return Object.entries(properties).every(
    ([key, property]) =>
      !(key in value) || (property.enum === undefined && property.const === undefined) || takesBranch(property, value[key]),
  );
}

/** The branch of a (possibly union) schema that a value takes; the schema itself when it has none. */
export function branchFor(schema: JsonSchema, value: unknown): JsonSchema {
  const branches = branchesOf(schema);
  return branches.find((branch) => takesBranch(branch, value)) ?? branches[0] ?? schema;
}

/**
 * Every place in a valid body: each value present, with its schema, and each optional property
 * that is absent. The root is the slot with an empty path.
 */
export function slotsOf(body: unknown, schema: JsonSchema, resolve: SchemaResolver): Slot[] {
  const slots: Slot[] = [];
  const visit = (value: unknown, declared: JsonSchema, path: PathSegment[], present: boolean, required: boolean) => {
    const resolved = resolve(declared, path.at(-1));
    slots.push({ path, schema: resolved, value, present, required });
    if (!present) return;
    const branch = branchFor(resolved, value);
    if (Array.isArray(value) && branch.items) {
      value.forEach((item, index) => visit(item, branch.items as JsonSchema, [...path, index], true, true));
    } else if (isObject(value) && branch.properties) {
      for (const [key, property] of Object.entries(branch.properties)) {
        // A property declared only to be absent (`not: {}`) has no value a caller may set.
        if ('not' in property && !(key in value)) continue;
        visit(value[key], property, [...path, key], key in value, (branch.required ?? []).includes(key));
      }
    } else if (isObject(value) && isObject(branch.additionalProperties)) {
      for (const [key, item] of Object.entries(value)) visit(item, branch.additionalProperties, [...path, key], true, false);
    }
  };
  visit(body, schema, [], true, true);
  return slots;
}

/** The slots holding objects whose schema refuses unknown properties: where an unknown field can go. */
export function strictObjectSlots(body: unknown, schema: JsonSchema, resolve: SchemaResolver): Slot[] {
  return slotsOf(body, schema, resolve).filter(
    (slot) => slot.present && isObject(slot.value) && branchFor(slot.schema, slot.value).additionalProperties === false,
  );
}

/**
 * Every object schema inside `schema` that would accept an unknown property: one with properties
 * but without `additionalProperties: false`. Maps (`additionalProperties: {schema}`) are listed too,
 * so that a suite names the ones it accepts on purpose.
 */
export function looseObjects(schema: JsonSchema, resolve: SchemaResolver, path = '(body)'): string[] {
  const found: string[] = [];
  const resolved = resolve(schema, path.split('.').at(-1));
  for (const [index, branch] of branchesOf(resolved).entries()) {
    const here = branchesOf(resolved).length > 1 ? `${path}<${index}>` : path;
    if ((branch.properties || branch.type === 'object') && branch.additionalProperties !== false) found.push(here);
    for (const [key, property] of Object.entries(branch.properties ?? {})) found.push(...looseObjects(property, resolve, `${here}.${key}`));
    if (branch.items) found.push(...looseObjects(branch.items, resolve, `${here}[]`));
  }
  return found;
}

/**
 * A copy of `body` with `change` applied at `path` (the root when the path is empty). Only the
 * objects along the path are copied: the rest is shared, so that deeply nested values cost nothing.
 */
export function changeAt(body: unknown, path: PathSegment[], change: (value: unknown) => unknown): unknown {
  if (path.length === 0) return change(body);
  const [head, ...rest] = path as [PathSegment, ...PathSegment[]];
  const container = (Array.isArray(body) ? [...body] : { ...(body as object) }) as Record<PathSegment, unknown>;
  const next = rest.length === 0 ? change(container[head]) : changeAt(container[head], rest, change);
  if (next === removed) delete container[head];
  else container[head] = next;
  return container;
}

/** Returned by a `changeAt` change to delete the property instead of setting it. */
export const removed = Symbol('removed');
