// fast-check's recipe for testing an arbitrary (the helpers of its own arbitrary tests:
// same seed → same values, only correct values, shrinks that stay correct), applied to ours.
// Values are generated with the Arbitrary API directly (`arb.generate(new fc.Random(rng), bias)`)
// so each keeps its shrink context, and shrinking walks random paths through `arb.shrink(value,
// context)`, checking every value on the way with an oracle independent of the generator.
//
// It also checks that a generator is pure: the same arbitrary instance asked twice for one seed
// gives the same values (a counter or a cache inside `map`/`chain` breaks that), a fresh instance
// gives them too, and changing values it gave out does not change the values it gives next (a
// shared object from `fc.constant({...})` handed to every case breaks that).
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

export interface Recipe<T> {
  /** Builds the arbitrary. Called several times: every instance must give the same values for a seed. */
  arbitrary: () => fc.Arbitrary<T>;
  /** Throws (or returns false) unless the value is of the generator's kind and its labels are true. */
  check: (value: T) => void | boolean;
  /** Seeds to generate from (default: 24 seeds). */
  seeds?: readonly number[];
  /** Values generated per seed (default 12). */
  valuesPerSeed?: number;
  /** Random shrink paths walked per seed (default 2), each up to `maxShrinkSteps` steps (default 30). */
  shrinkPaths?: number;
  maxShrinkSteps?: number;
  /** Shrink candidates looked at per step, one of them taken at random (default 12). */
  candidatesPerStep?: number;
}

export const DEFAULT_SEEDS: readonly number[] = [...Array.from({ length: 20 }, (_, i) => i), 42, 1_000_003, 2 ** 31 - 1, -7];

/** A stable text of a value: bytes by length and digest, iterables by their items, objects by their own fields. */
export function fingerprint(v: unknown): string {
  if (v instanceof Uint8Array) return `bytes(${v.length}:${createHash('sha256').update(v).digest('hex').slice(0, 16)})`;
  if (v === null || v === undefined) return String(v);
  switch (typeof v) {
    case 'string': return JSON.stringify(v);
    case 'number': return Object.is(v, -0) ? '-0' : String(v);
    case 'bigint': return `${v}n`;
    case 'boolean': return String(v);
    case 'function': return `function ${v.name}`;
    case 'symbol': return String(v);
    default: break;
  }
  if (Array.isArray(v)) return `[${v.map(fingerprint).join(',')}]`;
  const o = v as Record<string | symbol, unknown>;
  const own = Object.keys(o).map((k) => `${JSON.stringify(k)}:${fingerprint(o[k])}`).join(',');
  if (Object.getPrototypeOf(v) === Object.prototype) return `{${own}}`;
  const name = (v as { constructor?: { name?: string } }).constructor?.name ?? 'object';
  if (typeof o[Symbol.iterator] === 'function') return `${name}[${[...(v as Iterable<unknown>)].map(fingerprint).join(',')}]`;
  const text = typeof o.toString === 'function' && o.toString !== Object.prototype.toString ? String(v) : '';
  return `${name}(${text}){${own}}`;
}

const MUTATED = '\u0000ovc-mutated';

/** Changes every array, plain object, byte array and class instance reachable from v (frozen ones are left alone). */
export function deepMutate(v: unknown, seen = new Set<unknown>()): void {
  if (v === null || typeof v !== 'object' || seen.has(v)) return;
  seen.add(v);
  try {
    if (v instanceof Uint8Array) { if (v.length > 0) v[0] = (v[0]! ^ 0xff) & 0xff; return; }
    if (Array.isArray(v)) { for (const x of v) deepMutate(x, seen); v.push(MUTATED); return; }
    const o = v as Record<string, unknown>;
    if (typeof (o as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function') for (const x of v as Iterable<unknown>) deepMutate(x, seen);
    for (const k of Object.keys(o)) deepMutate(o[k], seen);
    o[MUTATED] = true;
  } catch {
    // A frozen value cannot be changed: it is as pure as can be.
  }
}

function generate<T>(arb: fc.Arbitrary<T>, seed: number, n: number, bias: number | undefined): Array<fc.Value<T>> {
  const mrng = new fc.Random(xoroshiro128plus(seed));
  return Array.from({ length: n }, () => arb.generate(mrng, bias));
}

/** fast-check tests its arbitraries both without bias and with a few bias factors. */
const biasFor = (seed: number): number | undefined => [undefined, 2, 10, 100][Math.abs(seed) % 4];

function show(v: unknown): string {
  const text = fingerprint(v);
  return text.length > 300 ? `${text.slice(0, 300)}… (${text.length} characters)` : text;
}

function verify<T>(name: string, recipe: Recipe<T>, value: T, where: string): void {
  let ok: void | boolean;
  try { ok = recipe.check(value); } catch (e) {
    throw new Error(`${name}: ${where}: ${(e as Error).message}\n  value: ${show(value)}`);
  }
  if (ok === false) throw new Error(`${name}: ${where}: the check refused the value\n  value: ${show(value)}`);
}

/**
 * Runs the recipe over every seed; throws an Error naming the generator, the seed and the step
 * (value index, or the shrink path taken) at the first violation.
 */
export function checkArbitrary<T>(name: string, recipe: Recipe<T>): void {
  const seeds = recipe.seeds ?? DEFAULT_SEEDS;
  const n = recipe.valuesPerSeed ?? 12;
  const paths = recipe.shrinkPaths ?? 2;
  const maxSteps = recipe.maxShrinkSteps ?? 30;
  const take = recipe.candidatesPerStep ?? 12;
  const shared = recipe.arbitrary();
  for (const seed of seeds) {
    const bias = biasFor(seed);
    // 1. Same seed → same values: the same instance twice (no state kept between calls), and a fresh instance.
    const first = generate(shared, seed, n, bias);
    const prints = first.map((v) => fingerprint(v.value));
    const again = generate(shared, seed, n, bias).map((v) => fingerprint(v.value));
    const fresh = generate(recipe.arbitrary(), seed, n, bias).map((v) => fingerprint(v.value));
    for (let i = 0; i < n; i++) {
      if (again[i] !== prints[i]) throw new Error(`${name}: seed ${seed}, value #${i}: the same arbitrary gave another value for the same seed (state kept between values?)\n  first: ${prints[i]!.slice(0, 300)}\n  again: ${again[i]!.slice(0, 300)}`);
      if (fresh[i] !== prints[i]) throw new Error(`${name}: seed ${seed}, value #${i}: a fresh arbitrary gave another value for the same seed\n  first: ${prints[i]!.slice(0, 300)}\n  fresh: ${fresh[i]!.slice(0, 300)}`);
    }
    // 2. Only values of its kind, labels true.
    first.forEach((v, i) => verify(name, recipe, v.value, `seed ${seed}, value #${i}`));
    // 3. Labels still true after shrinking, along random paths; the same path from the same seed shrinks the same way.
    for (let p = 0; p < paths; p++) {
      const walk = (arb: fc.Arbitrary<T>, start: fc.Value<T>, check: boolean): string[] => {
        const chooser = new fc.Random(xoroshiro128plus(seed * 31 + p));
        const trail: string[] = [];
        let current = start;
        for (let step = 0; step < maxSteps; step++) {
          const candidates = [...arb.shrink(current.value, current.context).take(take)];
          if (candidates.length === 0) break;
          const pick = chooser.nextInt(0, candidates.length - 1);
          current = candidates[pick]!;
          trail.push(`${step}:${pick}`);
          if (check) verify(name, recipe, current.value, `seed ${seed}, shrink path ${p} [${trail.join(' ')}]`);
          else trail[trail.length - 1] += `=${fingerprint(current.value)}`;
        }
        return trail;
      };
      const start = first[p % n]!;
      walk(shared, start, true);
      if (p === 0) {
        const a = walk(shared, generate(shared, seed, n, bias)[0]!, false);
        const b = walk(recipe.arbitrary(), generate(recipe.arbitrary(), seed, n, bias)[0]!, false);
        if (a.join('|') !== b.join('|')) throw new Error(`${name}: seed ${seed}: the same shrink path gave other values from a fresh arbitrary`);
      }
    }
    // 4. Values handed out are not shared: changing them does not change what the arbitrary gives next.
    const handedOut = generate(shared, seed, n, bias);
    for (const v of handedOut) deepMutate(v.value);
    const after = generate(shared, seed, n, bias).map((v) => fingerprint(v.value));
    for (let i = 0; i < n; i++) {
      if (after[i] !== prints[i]) throw new Error(`${name}: seed ${seed}, value #${i}: changing a value it gave out changed what the arbitrary gives next (a shared object?)\n  before: ${prints[i]!.slice(0, 300)}\n  after:  ${after[i]!.slice(0, 300)}`);
    }
  }
}
