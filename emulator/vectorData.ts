// Compact storage of the vectors of one index: Float32Array blocks of about 4 MiB (dimension ×
// vectors per block; the last block grows geometrically), a Map key → slot, and swap-remove on
// delete so the live vectors always fill slots 0..size-1. Metadata is kept in a separate Map,
// only for vectors that have some. Growth never copies more than one block. The bytes held are
// accounted as they change (accountedBytes, for the memory budget of emulator/memory.ts).
import { keyBytes, metadataBytes } from './memory.ts';

export type MetadataValue = string | number | boolean | string[];
export type Metadata = Record<string, MetadataValue>;

const INITIAL_CAPACITY = 16;

/** Vectors are stored in blocks of about this many bytes: growth never copies more than one block. */
const BLOCK_BYTES = 4 * 1024 * 1024;

export class VectorData {
  /** All blocks but the last hold exactly perBlock vectors; the last may be smaller (it grows). */
  private blocks: Float32Array[] = [];
  private readonly perBlock: number;
  private capacity = 0;
  private count = 0;
  /** slot → key, for swap-remove and ordered iteration. */
  private slotKeys: string[] = [];
  private readonly slots = new Map<string, number>();
  private readonly metadata = new Map<string, Metadata>();
  /** Keys in order, kept until a key is added or removed (ListVectors pages through it). */
  private sorted: string[] | null = null;
  /** Bytes of the typed-array blocks (allocated, spare room included). */
  private arrayBytes = 0;
  /** Estimated heap bytes of the keys and the metadata (emulator/memory.ts). */
  private heapBytes = 0;

  constructor(readonly dimension: number) {
    this.perBlock = Math.max(INITIAL_CAPACITY, Math.floor(BLOCK_BYTES / (dimension * 4)));
  }

  get size(): number {
    return this.count;
  }

  /** Bytes held by the typed arrays (the dominant cost; keys and metadata live on the JS heap). */
  typedArrayBytes(): number {
    return this.arrayBytes;
  }

  /** What the memory budget counts: the typed arrays plus the estimated keys and metadata. */
  accountedBytes(): number {
    return this.arrayBytes + this.heapBytes;
  }

  /**
   * Bytes a put of `key` would add at most: a new key's slot, key and metadata; an existing key's
   * metadata growth. Spare room of a growing block is not included (at most one block, ~4 MiB).
   */
  bytesToPut(key: string, metadata?: Metadata): number {
    const slot = this.slots.get(key);
    if (slot === undefined) return 4 * this.dimension + keyBytes(key) + metadataBytes(metadata);
    return Math.max(0, metadataBytes(metadata) - metadataBytes(this.metadata.get(key)));
  }

  /** Makes room for `total` vectors at once (no repeated growth when the final size is known). */
  reserve(total: number): void {
    while (this.capacity < total) this.addRoom(total - this.capacity, true);
  }

  private grow(needed: number): void {
    while (this.capacity < needed) this.addRoom(needed - this.capacity, false);
  }

  /** Grows the last block (geometrically, or exactly when reserving) up to perBlock, or starts a new one. */
  private addRoom(missing: number, exact: boolean): void {
    const d = this.dimension;
    const last = this.blocks[this.blocks.length - 1];
    const lastCap = last ? last.length / d : this.perBlock;
    if (lastCap < this.perBlock) {
      const want = exact ? lastCap + missing : Math.max(lastCap * 2, lastCap + missing);
      const cap = Math.min(this.perBlock, want);
      const next = new Float32Array(cap * d);
      next.set(last!);
      this.blocks[this.blocks.length - 1] = next;
      this.arrayBytes += next.byteLength - last!.byteLength;
      this.capacity += cap - lastCap;
    } else {
      const cap = Math.min(this.perBlock, exact ? missing : Math.max(INITIAL_CAPACITY, this.blocks.length === 0 ? missing : this.perBlock / 8, missing));
      this.blocks.push(new Float32Array(cap * d));
      this.arrayBytes += cap * d * 4;
      this.capacity += cap;
    }
  }

  /** The block holding `slot`, and the slot's offset (in floats) inside it. */
  blockAt(slot: number): Float32Array {
    return this.blocks[Math.floor(slot / this.perBlock)]!;
  }

  offsetAt(slot: number): number {
    return (slot % this.perBlock) * this.dimension;
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
      this.sorted = null;
      this.slots.set(key, slot);
      this.slotKeys[slot] = key;
      this.heapBytes += keyBytes(key);
    }
    this.blockAt(slot).set(values, this.offsetAt(slot));
    const old = this.metadata.get(key);
    if (old) this.heapBytes -= metadataBytes(old);
    if (metadata && Object.keys(metadata).length > 0) {
      this.metadata.set(key, metadata);
      this.heapBytes += metadataBytes(metadata);
    } else if (old) this.metadata.delete(key);
  }

  /** A view of the stored values (valid until the next write). */
  values(key: string): Float32Array | undefined {
    const slot = this.slots.get(key);
    return slot === undefined ? undefined : this.valuesAt(slot);
  }

  valuesAt(slot: number): Float32Array {
    const o = this.offsetAt(slot);
    return this.blockAt(slot).subarray(o, o + this.dimension);
  }

  keyAt(slot: number): string {
    return this.slotKeys[slot]!;
  }

  metadataOf(key: string): Metadata | undefined {
    return this.metadata.get(key);
  }


  delete(key: string): boolean {
    const slot = this.slots.get(key);
    if (slot === undefined) return false;
    const last = this.count - 1;
    if (slot !== last) {
      // Move the last vector into the hole so live slots stay contiguous.
      this.blockAt(slot).set(this.valuesAt(last), this.offsetAt(slot));
      const movedKey = this.slotKeys[last]!;
      this.slotKeys[slot] = movedKey;
      this.slots.set(movedKey, slot);
    }
    this.slotKeys.length = last;
    this.sorted = null;
    this.slots.delete(key);
    this.heapBytes -= keyBytes(key) + metadataBytes(this.metadata.get(key));
    this.metadata.delete(key);
    this.count = last;
    return true;
  }

  /** All keys in lexicographic (UTF-16 code unit) order; cached until the key set changes. Do not mutate. */
  sortedKeys(): readonly string[] {
    this.sorted ??= this.slotKeys.slice(0, this.count).sort();
    return this.sorted;
  }

  /** Index of the first key in sortedKeys() greater than `after` (binary search). */
  firstAfter(after: string): number {
    const keys = this.sortedKeys();
    let lo = 0;
    let hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (keys[mid]! <= after) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  clear(): void {
    this.blocks = [];
    this.arrayBytes = 0;
    this.heapBytes = 0;
    this.capacity = 0;
    this.count = 0;
    this.slotKeys = [];
    this.sorted = null;
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
