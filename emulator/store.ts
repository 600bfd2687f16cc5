// In-memory buckets and indexes with the index state machine creating → enable → deleting → gone.
// Every mutation here is synchronous: callers check and mutate without an await in between,
// which is what makes concurrent requests on one index linearizable.
import type { DistanceMetric, IndexState } from '../contracts/limits.ts';
import { sample, toRange, type Range, type RangeInput } from './realism.ts';
import { VectorData } from './vectorData.ts';

export interface IndexSpec {
  name: string;
  dimension: number;
  distanceMetric: DistanceMetric;
  nonFilterableMetadataKeys?: string[];
}

export interface VectorIndex extends IndexSpec {
  dataType: 'float32';
  createTime: Date;
  status: IndexState;
  vectors: VectorData;
  /** Set up by the provider-state hook in this status: no timer ever changes it (docs/provider-states.md). */
  held: boolean;
}

export interface Bucket {
  name: string;
  createdAt: Date;
  resourceGroupId: string;
  indexes: Map<string, VectorIndex>;
  /** Only for the `deleted-index-visible` fault: records of deleted indexes still shown by reads. */
  ghosts: Map<string, VectorIndex>;
  /** Only for the `vectors-survive-delete` fault: vectors of deleted indexes, re-attached on re-creation. */
  orphanedVectors: Map<string, VectorData>;
  /** Only for the `bucket-counts-deleted-indexes` fault: the bucket has held an index at some point. */
  everHeldIndex: boolean;
  /** PutBucketPolicy's document, byte for byte as sent (GetBucketPolicy returns it); null: none. */
  policy: string | null;
  /** PutBucketLogging's configuration; null: logging off. Both go with the bucket when it is deleted. */
  logging: LoggingConfig | null;
}

export interface LoggingConfig {
  targetBucket: string;
  targetPrefix?: string;
  loggingRole?: string;
}

export interface StoreOptions {
  now: () => Date;
  /** A fixed number of ms or a range drawn once per transition. */
  creatingMs: RangeInput;
  deletingMs: RangeInput;
  random?: () => number;
  /** Memory budget of the vectors held, in bytes (emulator/memory.ts); default: no limit. */
  maxBytes?: number;
}

export const DEFAULT_RESOURCE_GROUP = 'rg-default-ovc';

export class Store {
  readonly buckets = new Map<string, Bucket>();
  /** Plain OSS buckets (log targets of PutBucketLogging): name → creation time (docs/emulator.md U24). */
  readonly ossBuckets = new Map<string, Date>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly now: () => Date;
  private readonly creating: Range;
  private readonly deleting: Range;
  private readonly random: () => number;
  /** Memory budget of the vectors held (bytes, emulator/memory.ts). */
  readonly maxBytes: number;

  constructor(opts: StoreOptions) {
    this.now = opts.now;
    this.maxBytes = opts.maxBytes ?? Number.POSITIVE_INFINITY;
    this.creating = toRange('creatingMs', opts.creatingMs);
    this.deleting = toRange('deletingMs', opts.deletingMs);
    this.random = opts.random ?? Math.random;
  }

  bucket(name: string | undefined): Bucket | undefined {
    return name === undefined ? undefined : this.buckets.get(name);
  }

  createBucket(name: string, resourceGroupId = DEFAULT_RESOURCE_GROUP): Bucket {
    const b: Bucket = { name, createdAt: this.now(), resourceGroupId, indexes: new Map(), ghosts: new Map(), orphanedVectors: new Map(), everHeldIndex: false, policy: null, logging: null };
    this.buckets.set(name, b);
    return b;
  }

  deleteBucket(name: string): void {
    this.buckets.delete(name);
  }

  /**
   * Adds an index. With `hold` the given status is kept until removed (provider states);
   * otherwise a new index is `creating` for a time drawn from creatingMs (none: `enable` at once).
   */
  createIndex(bucket: Bucket, spec: IndexSpec, opts: { status?: IndexState; hold?: boolean; vectors?: VectorData } = {}): VectorIndex {
    const creatingMs = sample(this.creating, this.random);
    const status: IndexState = opts.status ?? (creatingMs > 0 ? 'creating' : 'enable');
    // Field by field: a spread of the spec followed by more fields cost ~6 µs per index in Node 20's
    // V8, ~5 % of `ovc serve`'s CPU on PutVectorIndex+DeleteVectorIndex cycles (docs/performance.md §0a).
    const index: VectorIndex = {
      name: spec.name, dimension: spec.dimension, distanceMetric: spec.distanceMetric, dataType: 'float32', createTime: this.now(), status,
      vectors: opts.vectors ?? new VectorData(spec.dimension), held: opts.hold ?? false,
    };
    if (spec.nonFilterableMetadataKeys !== undefined) index.nonFilterableMetadataKeys = spec.nonFilterableMetadataKeys;
    bucket.indexes.set(spec.name, index);
    bucket.everHeldIndex = true;
    if (status === 'creating' && !index.held) {
      this.after(creatingMs, () => {
        if (bucket.indexes.get(spec.name) === index && index.status === 'creating') index.status = 'enable';
      });
    }
    return index;
  }

  /**
   * Starts deleting an index. Without a deleting window it is gone at once; with one it stays
   * visible as `deleting` until the window (drawn from deletingMs) ends. O(1) in the vector count:
   * the record and its storage are dropped, never iterated. `forever` (fault `deleting-forever`):
   * `deleting` and never removed.
   */
  deleteIndex(bucket: Bucket, index: VectorIndex, opts: { forever?: boolean } = {}): void {
    // From here on the index is the API's, not the hook's: its deleting window runs.
    index.held = false;
    if (opts.forever) {
      index.status = 'deleting';
      return;
    }
    const deletingMs = sample(this.deleting, this.random);
    if (deletingMs <= 0) {
      this.removeIndex(bucket, index);
      return;
    }
    index.status = 'deleting';
    this.after(deletingMs, () => this.removeIndex(bucket, index));
  }

  /** Removes exactly this index record (a newer record under the same name is left alone). */
  removeIndex(bucket: Bucket, index: VectorIndex): void {
    if (bucket.indexes.get(index.name) === index) bucket.indexes.delete(index.name);
  }

  /** Bytes held by all vector typed arrays. */
  typedArrayBytes(): number {
    let total = 0;
    for (const b of this.buckets.values()) for (const i of b.indexes.values()) total += i.vectors.typedArrayBytes();
    return total;
  }

  /**
   * Bytes the memory budget counts: the vectors of every index, and of the records a fault keeps
   * (ghosts, orphaned vectors). O(indexes), never O(vectors).
   */
  accountedBytes(): number {
    const seen = new Set<VectorData>();
    for (const b of this.buckets.values()) {
      for (const i of b.indexes.values()) seen.add(i.vectors);
      for (const i of b.ghosts.values()) seen.add(i.vectors);
      for (const v of b.orphanedVectors.values()) seen.add(v);
    }
    let total = 0;
    for (const v of seen) total += v.accountedBytes();
    return total;
  }

  /** Whether `adding` more bytes fit the budget once `freeing` bytes are released. */
  hasRoom(adding: number, freeing = 0): boolean {
    return this.accountedBytes() - freeing + adding <= this.maxBytes;
  }

  private after(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    // Pending transitions must never keep a process alive.
    t.unref();
    this.timers.add(t);
  }

  close(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
