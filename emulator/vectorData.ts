// Compact storage of the vectors of one index: one growable Float32Array (dimension × capacity),
// a Map key → slot, and swap-remove on delete so the live vectors always fill slots 0..size-1.
// Metadata is kept in a separate Map, only for vectors that have some.

export type MetadataValue = string | number | boolean | string[];
export type Metadata = Record<string, MetadataValue>;

const INITIAL_CAPACITY = 16;
/** Above this many vectors the array grows by a quarter instead of doubling, so large indexes waste < 25 %. */
const DOUBLING_LIMIT = 65_536;

export function nextCapacity(current: number, needed: number): number {
  let cap = Math.max(current, INITIAL_CAPACITY);
  while (cap < needed) cap = cap < DOUBLING_LIMIT ? cap * 2 : Math.ceil(cap * 1.25);
  return cap;
}

export class VectorData {
  private data: Float32Array;
  private capacity = 0;
  private count = 0;
  /** slot → key, for swap-remove and ordered iteration. */
  private slotKeys: string[] = [];
  private readonly slots = new Map<string, number>();
  private readonly metadata = new Map<string, Metadata>();

  constructor(readonly dimension: number) {
    this.data = new Float32Array(0);
  }

  get size(): number {
    return this.count;
  }

  /** Bytes held by the typed array (the dominant cost; keys and metadata live on the JS heap). */
  typedArrayBytes(): number {
    return this.data.byteLength;
  }

  /** Makes room for `total` vectors at once (no repeated growth when the final size is known). */
  reserve(total: number): void {
    if (total <= this.capacity) return;
    this.resize(total);
  }

  private grow(needed: number): void {
    this.resize(nextCapacity(this.capacity, needed));
  }

  private resize(capacity: number): void {
    const next = new Float32Array(capacity * this.dimension);
    next.set(this.data.subarray(0, this.count * this.dimension));
    this.data = next;
    this.capacity = capacity;
  }

  has(key: string): boolean {
    return this.slots.has(key);
  }

  /** Inserts or overwrites; values must already have the index dimension. */
  put(key: string, values: ArrayLike<number>, metadata?: Metadata): void {
    let slot = this.slots.get(key);
    if (slot === undefined) {
      if (this.count === this.capacity) this.grow(this.count + 1);
      slot = this.count++;
      this.slots.set(key, slot);
      this.slotKeys[slot] = key;
    }
    this.data.set(values, slot * this.dimension);
    if (metadata && Object.keys(metadata).length > 0) this.metadata.set(key, metadata);
    else this.metadata.delete(key);
  }

  /** A view of the stored values (valid until the next write). */
  values(key: string): Float32Array | undefined {
    const slot = this.slots.get(key);
    return slot === undefined ? undefined : this.valuesAt(slot);
  }

  valuesAt(slot: number): Float32Array {
    return this.data.subarray(slot * this.dimension, (slot + 1) * this.dimension);
  }

  keyAt(slot: number): string {
    return this.slotKeys[slot]!;
  }

  metadataOf(key: string): Metadata | undefined {
    return this.metadata.get(key);
  }

  /** Raw storage for scans (QueryVectors); slots 0..size-1 are live. */
  get raw(): Float32Array {
    return this.data;
  }

  delete(key: string): boolean {
    const slot = this.slots.get(key);
    if (slot === undefined) return false;
    const last = this.count - 1;
    if (slot !== last) {
      // Move the last vector into the hole so live slots stay contiguous.
      const d = this.dimension;
      this.data.copyWithin(slot * d, last * d, (last + 1) * d);
      const movedKey = this.slotKeys[last]!;
      this.slotKeys[slot] = movedKey;
      this.slots.set(movedKey, slot);
    }
    this.slotKeys.length = last;
    this.slots.delete(key);
    this.metadata.delete(key);
    this.count = last;
    return true;
  }

  /** All keys in lexicographic (UTF-16 code unit) order. */
  sortedKeys(): string[] {
    return this.slotKeys.slice(0, this.count).sort();
  }

  clear(): void {
    this.data = new Float32Array(0);
    this.capacity = 0;
    this.count = 0;
    this.slotKeys = [];
    this.slots.clear();
    this.metadata.clear();
  }
}

/** Deterministic non-zero data for generated vectors (provider states, benchmarks): vector i, component j. */
export function deterministicComponent(i: number, j: number): number {
  return (((i * 31 + j * 17) % 97) + 1) / 97;
}

/** Fills `count` vectors with keys `${prefix}0`… and deterministic data. */
export function fillDeterministic(target: VectorData, count: number, prefix = 'k'): void {
  target.reserve(target.size + count);
  const row = new Float32Array(target.dimension);
  for (let i = 0; i < count; i++) {
    for (let j = 0; j < row.length; j++) row[j] = deterministicComponent(i, j);
    target.put(`${prefix}${i}`, row);
  }
}
