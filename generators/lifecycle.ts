// Model-based testing of the index lifecycle around DeleteVectorIndex (D-DelIdx, D-PutIdx, D-GetIdx,
// D-ListIdx, D-PutVec): command sequences for fc.commands / fc.asyncModelRun over a model of the
// run's bucket. Every command asserts that the target's answer equals the model's.
import fc from 'fast-check';
import type { IndexState } from '../contracts/limits.ts';

export interface Answer {
  httpStatus: number;
  code: string | null;
}

/** What the suites implement against a real target. */
export interface LifecycleDriver {
  createIndex(name: string, dimension: number): Promise<Answer>;
  putVectors(name: string, keys: string[], dimension: number): Promise<Answer>;
  deleteIndex(name: string): Promise<Answer>;
  getIndex(name: string): Promise<Answer & { status?: string }>;
  /** Only names with the run prefix. */
  listIndexNames(bucket?: 1 | 2): Promise<Answer & { names?: string[] }>;
  listVectorKeys(name: string): Promise<Answer & { keys?: string[] }>;
}

export interface ModelIndex {
  state: IndexState;
  vectors: Set<string>;
  dimension: number;
}

/**
 * The run's one bucket (the driver has no bucket operations, so the bucket always exists): index
 * name → index. Indexes are `enable` as soon as created (spec §5, §12 U6).
 */
export interface Model {
  indexes: Map<string, ModelIndex>;
}

export function newModel(): Model {
  return { indexes: new Map() };
}

type LifecycleCommand = fc.AsyncCommand<Model, LifecycleDriver>;

const OK_200: Answer = { httpStatus: 200, code: null };
const OK_204: Answer = { httpStatus: 204, code: null };
const NO_SUCH_INDEX: Answer = { httpStatus: 404, code: 'NoSuchVectorIndex' };
const ALREADY_EXISTS: Answer = { httpStatus: 409, code: 'VectorBucketIndexAlreadyExist' };

function show(a: Answer): string {
  return a.code === null ? `${a.httpStatus}` : `${a.httpStatus} ${a.code}`;
}

/** Throws unless the target answered what the model expects. */
function expectAnswer(command: string, expected: Answer, actual: Answer): void {
  if (actual.httpStatus !== expected.httpStatus || actual.code !== expected.code) {
    throw new Error(`${command}: expected ${show(expected)}, got ${show(actual)}`);
  }
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const x = [...a].sort();
  const y = [...b].sort();
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

function list(values: Iterable<string>): string {
  return `[${[...values].sort().join(', ')}]`;
}

class CreateIndex implements LifecycleCommand {
  constructor(readonly name: string, readonly dimension: number, readonly maxLive = Infinity) {}
  /** A create that would make an index beyond the sequence's share of the budget is not drawn (one of an existing name, a 409, always is). */
  check(m: Readonly<Model>): boolean { return m.indexes.has(this.name) || m.indexes.size < this.maxLive; }
  async run(m: Model, r: LifecycleDriver): Promise<void> {
    const exists = m.indexes.has(this.name);
    expectAnswer(this.toString(), exists ? ALREADY_EXISTS : OK_200, await r.createIndex(this.name, this.dimension));
    if (!exists) m.indexes.set(this.name, { state: 'enable', vectors: new Set(), dimension: this.dimension });
  }
  toString(): string { return `create(${this.name}, dimension=${this.dimension})`; }
}

class PutVectors implements LifecycleCommand {
  /** Used only when the index is absent (the call must fail whatever the dimension). */
  constructor(readonly name: string, readonly keys: string[], readonly fallbackDimension: number) {}
  check(): boolean { return true; }
  async run(m: Model, r: LifecycleDriver): Promise<void> {
    const index = m.indexes.get(this.name);
    const answer = await r.putVectors(this.name, this.keys, index?.dimension ?? this.fallbackDimension);
    expectAnswer(this.toString(), index ? OK_200 : NO_SUCH_INDEX, answer);
    if (index) for (const k of this.keys) index.vectors.add(k);
  }
  toString(): string { return `putVectors(${this.name}, ${list(this.keys)})`; }
}

/** A ListVectorIndexes answer must be 200 and name exactly the model's indexes in `bucket`. */
function expectListed(command: string, m: Readonly<Model>, bucket: 1 | 2, answer: Answer & { names?: string[] }): void {
  expectAnswer(command, OK_200, answer);
  const expected = [...m.indexes.keys()].map(splitKey).filter((k) => k.bucket === bucket).map((k) => k.name);
  if (!answer.names || !sameSet(answer.names, expected)) {
    throw new Error(`${command}: expected names ${list(expected)}, got ${answer.names ? list(answer.names) : 'none'}`);
  }
}

/** A ListVectors answer of a live index must be 200 and hold exactly the model's keys. */
function expectKeys(command: string, index: Readonly<ModelIndex>, answer: Answer & { keys?: string[] }): void {
  expectAnswer(command, OK_200, answer);
  if (!answer.keys || !sameSet(answer.keys, [...index.vectors])) {
    throw new Error(`${command}: expected keys ${list(index.vectors)}, got ${answer.keys ? list(answer.keys) : 'none'}`);
  }
}

/**
 * After a delete, every bucket the sequence uses lists exactly the model's names: a delete removes
 * its own index and nothing else (not a name it starts, not the same name in the other bucket) and
 * what it removed is no longer listed.
 */
async function expectListsAgree(command: string, m: Readonly<Model>, r: LifecycleDriver, buckets: ReadonlyArray<1 | 2>): Promise<void> {
  const answers = await Promise.all(buckets.map((b) => r.listIndexNames(b)));
  buckets.forEach((b, i) => expectListed(`${command} then list(${b === 1 ? '' : '@2'})`, m, b, answers[i]!));
}

class DeleteIndex implements LifecycleCommand {
  constructor(readonly name: string, readonly buckets: ReadonlyArray<1 | 2> = [1]) {}
  check(): boolean { return true; }
  async run(m: Model, r: LifecycleDriver): Promise<void> {
    const exists = m.indexes.has(this.name);
    expectAnswer(this.toString(), exists ? OK_204 : NO_SUCH_INDEX, await r.deleteIndex(this.name));
    m.indexes.delete(this.name);
    if (exists) await expectListsAgree(this.toString(), m, r, this.buckets);
  }
  toString(): string { return `delete(${this.name})`; }
}

/**
 * Two related names live at once — one extends the other, or the same name in the other bucket, or
 * (under --strict) the same letters in another case — the second holding a vector; the first is
 * deleted; the second must still be listed, with its vectors (D-DelIdx: only the named index goes).
 * Drawn as one command so a short sequence meets the pattern that prefix- and bucket-blind deletes
 * break, instead of waiting for random commands to line it up.
 */
class DeleteBesideRelative implements LifecycleCommand {
  constructor(readonly name: string, readonly relative: string, readonly dimension: number, readonly buckets: ReadonlyArray<1 | 2>, readonly maxLive = Infinity) {}
  check(m: Readonly<Model>): boolean {
    const absent = [this.name, this.relative].filter((n) => !m.indexes.has(n)).length;
    return m.indexes.size + absent <= this.maxLive;
  }
  async run(m: Model, r: LifecycleDriver): Promise<void> {
    // The absent ones are created together: two names no command orders, so their transitions
    // are waited for side by side.
    const absent = [this.name, this.relative].filter((n) => !m.indexes.has(n));
    const made = await Promise.all(absent.map((n) => r.createIndex(n, this.dimension)));
    absent.forEach((n, i) => {
      expectAnswer(`${this.toString()} create(${n})`, OK_200, made[i]!);
      m.indexes.set(n, { state: 'enable', vectors: new Set(), dimension: this.dimension });
    });
    const rel = m.indexes.get(this.relative)!;
    expectAnswer(`${this.toString()} putVectors(${this.relative}, [k0])`, OK_200, await r.putVectors(this.relative, ['k0'], rel.dimension));
    rel.vectors.add('k0');
    expectAnswer(`${this.toString()} delete(${this.name})`, OK_204, await r.deleteIndex(this.name));
    m.indexes.delete(this.name);
    await expectListsAgree(this.toString(), m, r, this.buckets);
    expectKeys(`${this.toString()} listVectors(${this.relative})`, rel, await r.listVectorKeys(this.relative));
  }
  toString(): string { return `deleteBeside(${this.name}, ${this.relative})`; }
}

class GetIndex implements LifecycleCommand {
  constructor(readonly name: string) {}
  check(): boolean { return true; }
  async run(m: Model, r: LifecycleDriver): Promise<void> {
    const index = m.indexes.get(this.name);
    const answer = await r.getIndex(this.name);
    expectAnswer(this.toString(), index ? OK_200 : NO_SUCH_INDEX, answer);
    if (index && answer.status !== index.state) {
      throw new Error(`${this.toString()}: expected status '${index.state}', got ${answer.status === undefined ? 'none' : `'${answer.status}'`}`);
    }
  }
  toString(): string { return `get(${this.name})`; }
}

/**
 * Index keys name the bucket too: `name` is in the run's bucket, `name@2` in the other one. The
 * driver splits them (`splitKey`); the model only ever compares keys.
 */
export function splitKey(key: string): { name: string; bucket: 1 | 2 } {
  return key.endsWith('@2') ? { name: key.slice(0, -2), bucket: 2 } : { name: key, bucket: 1 };
}

class ListIndexes implements LifecycleCommand {
  constructor(readonly bucket: 1 | 2 = 1) {}
  check(): boolean { return true; }
  async run(m: Model, r: LifecycleDriver): Promise<void> {
    expectListed(this.toString(), m, this.bucket, await r.listIndexNames(this.bucket));
  }
  toString(): string { return this.bucket === 1 ? 'list()' : 'list(@2)'; }
}

class ListVectorKeys implements LifecycleCommand {
  constructor(readonly name: string) {}
  check(): boolean { return true; }
  async run(m: Model, r: LifecycleDriver): Promise<void> {
    const index = m.indexes.get(this.name);
    const answer = await r.listVectorKeys(this.name);
    if (index) expectKeys(this.toString(), index, answer);
    else expectAnswer(this.toString(), NO_SUCH_INDEX, answer);
  }
  toString(): string { return `listVectors(${this.name})`; }
}

/**
 * An index holding a vector (created first if the name is free), deleted, then created again: the
 * new index holds no vectors (D-DelIdx: vectors go with the index), and the delete removed nothing else.
 */
class Recreate implements LifecycleCommand {
  constructor(readonly name: string, readonly dimension: number, readonly buckets: ReadonlyArray<1 | 2> = [1], readonly maxLive = Infinity) {}
  check(m: Readonly<Model>): boolean { return m.indexes.has(this.name) || m.indexes.size < this.maxLive; }
  async run(m: Model, r: LifecycleDriver): Promise<void> {
    if (!m.indexes.has(this.name)) {
      expectAnswer(`${this.toString()} create`, OK_200, await r.createIndex(this.name, this.dimension));
      m.indexes.set(this.name, { state: 'enable', vectors: new Set(), dimension: this.dimension });
    }
    const index = m.indexes.get(this.name)!;
    if (index.vectors.size === 0) {
      expectAnswer(`${this.toString()} putVectors`, OK_200, await r.putVectors(this.name, ['k0'], index.dimension));
      index.vectors.add('k0');
    }
    expectAnswer(`${this.toString()} delete`, OK_204, await r.deleteIndex(this.name));
    m.indexes.delete(this.name);
    await expectListsAgree(`${this.toString()} delete`, m, r, this.buckets);
    expectAnswer(`${this.toString()} create`, OK_200, await r.createIndex(this.name, this.dimension));
    m.indexes.set(this.name, { state: 'enable', vectors: new Set(), dimension: this.dimension });
    const listed = await r.listVectorKeys(this.name);
    expectAnswer(`${this.toString()} listVectors`, OK_200, listed);
    if (!listed.keys || listed.keys.length > 0) {
      throw new Error(`${this.toString()}: expected the new index to hold no vectors, got ${listed.keys ? list(listed.keys) : 'none'}`);
    }
  }
  toString(): string { return `recreate(${this.name}, dimension=${this.dimension})`; }
}

export interface LifecycleOptions {
  /** The run prefix every index name starts with (letters and digits, starting with a letter). */
  prefix: string;
  maxCommands?: number;
  /** How many distinct names the commands draw from (default 3, so sequences hit existing names often). */
  poolSize?: number;
  /** Draw from both buckets (keys `name@2` address the other bucket). */
  twoBuckets?: boolean;
  /**
   * Add a name that differs from a pool name only in case (spec §12 U10: distinct names is the
   * emulator's decision, so only under --strict). A name that extends another (`…n0` and `…n0x`)
   * is always in the pool: deleting one must leave the other.
   */
  caseVariants?: boolean;
  /**
   * Live indexes a sequence may hold at once (its share of the run's index budget, so sequences
   * can run side by side); creates beyond it are not drawn. Default: no bound.
   */
  maxLive?: number;
}

const VECTOR_KEYS = ['k0', 'k1', 'k2', 'k3', 'k4', 'k5'] as const;

/** Command sequences over a small pool of prefixed names, for fc.asyncModelRun with newModel(). */
export function lifecycleCommands(o: LifecycleOptions): fc.Arbitrary<Iterable<fc.AsyncCommand<Model, LifecycleDriver>>> {
  if (!/^[A-Za-z][A-Za-z0-9]*$/.test(o.prefix)) throw new Error(`lifecycleCommands: prefix '${o.prefix}' must be letters and digits starting with a letter`);
  const names = Array.from({ length: o.poolSize ?? 3 }, (_, i) => `${o.prefix}n${i}`);
  names.push(`${o.prefix}n0x`);
  if (o.caseVariants) names.push(`${o.prefix}N0`);
  if (names.some((n) => n.length > 63)) throw new Error(`lifecycleCommands: prefix '${o.prefix}' is too long for index names`);
  const pool = o.twoBuckets ? [...names, ...names.map((n) => `${n}@2`)] : names;
  const name = fc.constantFrom(...pool);
  // A fresh array per command: no two values share an object (test/generators/recipe.test.ts).
  const buckets = (): Array<1 | 2> => (o.twoBuckets ? [1, 2] : [1]);
  // Pairs a prefix-, bucket- or case-blind delete would confuse: [deleted, kept].
  const base = `${o.prefix}n0`;
  const related: Array<[string, string]> = [[base, `${base}x`]];
  if (o.twoBuckets) related.push([base, `${base}@2`], [`${base}x@2`, `${base}x`], [`${base}@2`, `${base}x@2`]);
  if (o.caseVariants) related.push([base, `${o.prefix}N0`]);
  const dimension = fc.integer({ min: 1, max: 4 });
  const keys = fc.uniqueArray(fc.constantFrom(...VECTOR_KEYS), { minLength: 1, maxLength: 3 });
  return fc.commands<Model, LifecycleDriver, false>([
    fc.tuple(name, dimension).map(([n, d]) => new CreateIndex(n, d, o.maxLive)),
    fc.tuple(name, keys, dimension).map(([n, k, d]) => new PutVectors(n, k, d)),
    name.map((n) => new DeleteIndex(n, buckets())),
    // Twice the weight of the others: it needs a free slot for two names, which a sequence often lacks.
    ...Array.from({ length: 2 }, () => fc.tuple(fc.constantFrom(...related), dimension).map(([[a, b], d]) => new DeleteBesideRelative(a, b, d, buckets(), o.maxLive))),
    name.map((n) => new GetIndex(n)),
    (o.twoBuckets ? fc.constantFrom(1 as const, 2 as const) : fc.constant(1 as const)).map((b) => new ListIndexes(b)), // a fresh command per sequence, none shared
    name.map((n) => new ListVectorKeys(n)),
    fc.tuple(name, dimension).map(([n, d]) => new Recreate(n, d, buckets(), o.maxLive)),
  ], { maxCommands: o.maxCommands ?? 12 });
}

/** Live indexes one sequence may hold at once: its share of the run's index budget. */
export const SEQUENCE_MAX_LIVE = 2;

/**
 * Sequences in flight at once: each owns its names (a prefix no other sequence's extends) and at
 * most SEQUENCE_MAX_LIVE live indexes, so independent sequences run side by side and each still
 * agrees with its own model exactly. Together they never need more than the run's index budget
 * less one sequence's share (the budget the workers pool: --max-indexes ÷ workers, times workers),
 * so they never wait on each other for a slot, only on the other suites' cases, which take theirs
 * all at once and give them back; and no more than --concurrency.
 */
export function sequencesInFlight(maxIndexes: number, workers: number, concurrency: number, sequences: number): number {
  const budget = Math.max(1, Math.floor(maxIndexes / workers)) * workers;
  return Math.max(1, Math.min(sequences, concurrency, Math.floor(budget / SEQUENCE_MAX_LIVE) - 1));
}

/** A sequence's own name prefix: fixed width, so no sequence's prefix is the start of another's. */
export function sequencePrefix(runPrefix: string, i: number): string {
  return `${runPrefix}l${i.toString(36).padStart(2, '0')}`;
}
