// In-memory buckets and indexes with the index state machine creating → enable → deleting → gone.
// Every mutation here is synchronous: callers check and mutate without an await in between,
// which is what makes concurrent requests on one index linearizable.
import type { DistanceMetric, IndexState } from '../contracts/limits.ts';
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
}

export interface StoreOptions {
  now: () => Date;
  creatingMs: number;
  deletingMs: number;
}

export const DEFAULT_RESOURCE_GROUP = 'rg-default-ovc';

export class Store {
  readonly buckets = new Map<string, Bucket>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly opts: StoreOptions) {}

  bucket(name: string | undefined): Bucket | undefined {
    return name === undefined ? undefined : this.buckets.get(name);
  }

  createBucket(name: string, resourceGroupId = DEFAULT_RESOURCE_GROUP): Bucket {
    const b: Bucket = { name, createdAt: this.opts.now(), resourceGroupId, indexes: new Map(), ghosts: new Map(), orphanedVectors: new Map() };
    this.buckets.set(name, b);
    return b;
  }

  deleteBucket(name: string): void {
    this.buckets.delete(name);
  }

  /**
   * Adds an index. With `hold` the given status is kept until removed (provider states);
   * otherwise a `creating` index becomes `enable` after creatingMs.
   */
  createIndex(bucket: Bucket, spec: IndexSpec, opts: { status?: IndexState; hold?: boolean; vectors?: VectorData } = {}): VectorIndex {
    const status: IndexState = opts.status ?? (this.opts.creatingMs > 0 ? 'creating' : 'enable');
    const index: VectorIndex = {
      ...spec, dataType: 'float32', createTime: this.opts.now(), status,
      vectors: opts.vectors ?? new VectorData(spec.dimension),
    };
    bucket.indexes.set(spec.name, index);
    if (status === 'creating' && !opts.hold) {
      this.after(this.opts.creatingMs, () => {
        if (bucket.indexes.get(spec.name) === index && index.status === 'creating') index.status = 'enable';
      });
    }
    return index;
  }

  /**
   * Starts deleting an index. Without a deleting window it is gone at once; with one it stays
   * visible as `deleting` until the window ends. O(1) in the vector count: the record and its
   * storage are dropped, never iterated.
   */
  deleteIndex(bucket: Bucket, index: VectorIndex): void {
    if (this.opts.deletingMs <= 0) {
      this.removeIndex(bucket, index);
      return;
    }
    index.status = 'deleting';
    this.after(this.opts.deletingMs, () => this.removeIndex(bucket, index));
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
