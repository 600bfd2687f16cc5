// QueryVectors metadata filters (spec §3.13): $eq $ne $in $nin $exists $and $or, checked up front
// (size ≤ 64 KB, ≤ 1024 items, nesting ≤ 8) and compiled to a predicate.
import { invalidParam } from './errors.ts';
import { isObject } from './params.ts';
import type { Metadata, MetadataValue } from './vectorData.ts';

export type Predicate = (metadata: Metadata | undefined) => boolean;

const MAX_BYTES = 64 * 1024;
const MAX_ITEMS = 1024;
const MAX_DEPTH = 8;

type Primitive = string | number | boolean;

function isPrimitive(v: unknown): v is Primitive {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

/** Values are compared with strict equality; an array-valued field matches when any element does. */
function matches(value: MetadataValue, wanted: Primitive): boolean {
  return Array.isArray(value) ? value.includes(wanted as string) : value === wanted;
}

export function compileFilter(raw: unknown, nonFilterable: readonly string[] = []): Predicate {
  if (raw === undefined) return () => true;
  let size: number;
  // A pathologically deep filter can overflow JSON.stringify's recursion: that is a bad parameter, not a crash.
  try { size = Buffer.byteLength(JSON.stringify(raw) ?? ''); } catch { size = Infinity; }
  if (size > MAX_BYTES) throw invalidParam('filter is larger than 64 KB');
  let items = 0;
  const hidden = new Set(nonFilterable);
  const field = (m: Metadata | undefined, name: string): MetadataValue | undefined =>
    m !== undefined && !hidden.has(name) && Object.hasOwn(m, name) ? m[name] : undefined;

  const compile = (node: unknown, depth: number): Predicate => {
    if (depth > MAX_DEPTH) throw invalidParam(`filter nesting is deeper than ${MAX_DEPTH}`);
    if (!isObject(node)) throw invalidParam('a filter must be a JSON object');
    const parts: Predicate[] = [];
    for (const [key, cond] of Object.entries(node)) {
      if (++items > MAX_ITEMS) throw invalidParam(`filter has more than ${MAX_ITEMS} items`);
      if (key === '$and' || key === '$or') {
        if (!Array.isArray(cond) || cond.length === 0) throw invalidParam(`${key} takes a non-empty array of filters`);
        const subs = cond.map((c) => compile(c, depth + 1));
        parts.push(key === '$and' ? (m) => subs.every((s) => s(m)) : (m) => subs.some((s) => s(m)));
      } else if (key.startsWith('$')) {
        throw invalidParam(`unknown filter operator ${key}`);
      } else {
        parts.push(compileCondition(key, cond, depth + 1, field));
      }
    }
    return (m) => parts.every((p) => p(m));
  };
  return compile(raw, 1);
}

function compileCondition(name: string, cond: unknown, depth: number, field: (m: Metadata | undefined, name: string) => MetadataValue | undefined): Predicate {
  if (isPrimitive(cond)) return (m) => { const v = field(m, name); return v !== undefined && matches(v, cond); };
  if (!isObject(cond) || Object.keys(cond).length === 0) throw invalidParam(`the condition on '${name}' must be a value or an operator object`);
  if (depth > MAX_DEPTH) throw invalidParam(`filter nesting is deeper than ${MAX_DEPTH}`);
  const parts: Predicate[] = [];
  for (const [op, arg] of Object.entries(cond)) {
    switch (op) {
      case '$eq':
      case '$ne': {
        if (!isPrimitive(arg)) throw invalidParam(`${op} takes a string, number or boolean`);
        const eq: Predicate = (m) => { const v = field(m, name); return v !== undefined && matches(v, arg); };
        parts.push(op === '$eq' ? eq : (m) => !eq(m));
        break;
      }
      case '$in':
      case '$nin': {
        if (!Array.isArray(arg) || arg.length === 0 || !arg.every(isPrimitive)) throw invalidParam(`${op} takes a non-empty array of values`);
        const list = arg as Primitive[];
        const any: Predicate = (m) => { const v = field(m, name); return v !== undefined && list.some((w) => matches(v, w)); };
        parts.push(op === '$in' ? any : (m) => !any(m));
        break;
      }
      case '$exists': {
        if (typeof arg !== 'boolean') throw invalidParam('$exists takes a boolean');
        parts.push((m) => (field(m, name) !== undefined) === arg);
        break;
      }
      default:
        throw invalidParam(`unknown filter operator ${op}`);
    }
  }
  return (m) => parts.every((p) => p(m));
}
