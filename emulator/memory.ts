// The emulator's memory budget (`ovc serve --max-memory-mb`): how many bytes the vectors it holds
// may take, accounted before anything is allocated, on the public API (PutVectors) and the
// provider-state hook alike, so that no single request can grow the process without bound.
//
// What is accounted, per vector: its Float32Array slot (4 bytes × dimension; the typed-array
// blocks count as allocated, spare room included), its key (two bytes a character plus the Map
// entry, the slot-array entry and the string header: KEY_OVERHEAD_BYTES) and its metadata (an
// estimate of the JS objects: two bytes a character plus a fixed cost per entry). The estimate
// errs high for short keys; RSS also holds Node itself (~50–70 MiB) and request buffers.
import type { Metadata } from './vectorData.ts';

/**
 * Default budget. 256 MiB holds 500,000 vectors of dimension 128 (or 16,000 of the maximum 4,096)
 * — far beyond what the suites put (a few vectors per case) — and keeps `ovc serve` under about
 * half a GiB of RSS on a CI runner or a laptop shared with the run that drives it.
 */
export const DEFAULT_MAX_MEMORY_MB = 256;
/** Upper bound of --max-memory-mb (1 TiB): beyond it the flag is a typo. */
export const MAX_MEMORY_MB_LIMIT = 1024 * 1024;
export const MIB = 1024 * 1024;

/** Map entry (key → slot), slot-array entry and string header of one key. */
export const KEY_OVERHEAD_BYTES = 96;
const METADATA_OVERHEAD_BYTES = 64;
const METADATA_ENTRY_BYTES = 32;

export function keyBytes(key: string): number {
  return KEY_OVERHEAD_BYTES + 2 * key.length;
}

/** Estimated heap bytes of one vector's metadata object (0 when there is none). */
export function metadataBytes(m: Metadata | undefined): number {
  if (!m) return 0;
  let n = METADATA_OVERHEAD_BYTES;
  for (const k in m) {
    const v = m[k]!;
    n += METADATA_ENTRY_BYTES + 2 * k.length;
    if (typeof v === 'string') n += 2 * v.length;
    else if (Array.isArray(v)) for (const s of v) n += 16 + 2 * s.length;
    else n += 8;
  }
  return n;
}

/** Bytes `count` vectors of `dimension` with keys `${prefix}0…` take (what the hook is asked to fill). */
export function generatedVectorsBytes(count: number, dimension: number, prefix = 'k'): number {
  let keyChars = 0;
  // Keys k0..k{count-1}: count the digits decade by decade (no loop over count).
  for (let lo = 0, digits = 1; lo < count; lo = lo === 0 ? 10 : lo * 10, digits++) {
    const hi = Math.min(count, lo === 0 ? 10 : lo * 10);
    keyChars += (hi - lo) * (prefix.length + digits);
  }
  return count * (4 * dimension + KEY_OVERHEAD_BYTES) + 2 * keyChars;
}

export function formatBytes(n: number): string {
  if (n >= 1024 * MIB) return `${(n / (1024 * MIB)).toFixed(1)} GiB`;
  if (n >= MIB) return `${(n / MIB).toFixed(1)} MiB`;
  return `${Math.ceil(n / 1024)} KiB`;
}
