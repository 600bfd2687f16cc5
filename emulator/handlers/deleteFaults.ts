// DeleteVectorIndex fault profiles that reach beyond the named index: by prefix, ignoring case,
// across buckets. Each is a deliberate deviation (emulator/faults.ts); without a fault nothing here
// changes anything.
import type { Bucket, VectorIndex } from '../store.ts';
import type { OpContext } from './context.ts';

/** The index a delete acts on: the exact name; under `delete-case-insensitive` also a name differing only in case. */
export function findForDelete(ctx: OpContext, bucket: Bucket, name: string): VectorIndex | undefined {
  const exact = bucket.indexes.get(name);
  if (exact || ctx.fault !== 'delete-case-insensitive') return exact;
  const lower = name.toLowerCase();
  const names = [...bucket.indexes.keys()].filter((n) => n.toLowerCase() === lower).sort();
  return names.length ? bucket.indexes.get(names[0]!) : undefined;
}

/** Deletes the other indexes the active fault wrongly takes along with `index` (those already 'deleting' are left as they are). */
export function applyWideDeleteFaults(ctx: OpContext, bucket: Bucket, index: VectorIndex): void {
  const victims: Array<[Bucket, VectorIndex]> = [];
  switch (ctx.fault) {
    case 'delete-by-prefix':
      for (const other of bucket.indexes.values()) if (other !== index && other.name.startsWith(index.name)) victims.push([bucket, other]);
      break;
    case 'delete-case-insensitive': {
      const lower = index.name.toLowerCase();
      for (const other of bucket.indexes.values()) if (other !== index && other.name.toLowerCase() === lower) victims.push([bucket, other]);
      break;
    }
    case 'delete-in-all-buckets':
      for (const b of ctx.store.buckets.values()) {
        const other = b === bucket ? undefined : b.indexes.get(index.name);
        if (other) victims.push([b, other]);
      }
      break;
    default:
      return;
  }
  for (const [b, other] of victims) if (other.status !== 'deleting') ctx.store.deleteIndex(b, other);
}
