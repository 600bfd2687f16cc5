// The states an index name can be in when DeleteVectorIndex arrives (spec §3.8, §5, §12 U5), with
// their labels: enable → 204 (no label), absent / deleted → 404 NoSuchVectorIndex,
// creating / deleting → 409 VectorIndexOperationConflict, bucket absent → 404 NoSuchBucket.
import fc from 'fast-check';
import { LIMITS, type DistanceMetric } from '../contracts/limits.ts';

export interface IndexShape {
  dimension: number;
  distanceMetric: DistanceMetric;
}

export type IndexStateCase =
  | { kind: 'bucket-absent'; labels: string[] }
  | { kind: 'absent'; labels: string[] }
  /** Existed and was deleted just before (spec §12 U5). */
  | { kind: 'deleted'; labels: string[] }
  | ({ kind: 'enable'; vectorCount: number; labels: string[] } & IndexShape)
  | ({ kind: 'creating'; labels: string[] } & IndexShape)
  | ({ kind: 'deleting'; vectorCount: number; labels: string[] } & IndexShape);

export type IndexStateKind = IndexStateCase['kind'];

const LABEL_OF: Record<IndexStateKind, string | null> = {
  'bucket-absent': 'bucket-absent',
  absent: 'index-absent',
  deleted: 'index-deleted',
  enable: null,
  creating: 'index-creating',
  deleting: 'index-deleting',
};

export function labelsOfIndexState(kind: IndexStateKind): string[] {
  const label = LABEL_OF[kind];
  return label === null ? [] : [label];
}

export interface IndexStateOptions {
  /** Largest vectorCount for states holding vectors (default 20). */
  maxVectors?: number;
  /** Largest dimension (default 4096, the limit); small dimensions come up most. */
  maxDimension?: number;
  /** Restrict to these kinds (default all). */
  kinds?: readonly IndexStateKind[];
}

/** Index states at delete time, with their labels. */
export function indexState(o: IndexStateOptions = {}): fc.Arbitrary<IndexStateCase> {
  const maxVectors = o.maxVectors ?? 20;
  const maxDimension = Math.min(o.maxDimension ?? LIMITS.dimensionMax, LIMITS.dimensionMax);
  const dimension = fc.oneof(
    { arbitrary: fc.integer({ min: LIMITS.dimensionMin, max: Math.min(16, maxDimension) }), weight: 4 },
    { arbitrary: fc.constantFrom(LIMITS.dimensionMin, maxDimension), weight: 1 },
    { arbitrary: fc.integer({ min: LIMITS.dimensionMin, max: maxDimension }), weight: 1 },
  );
  const shape = fc.record({ dimension, distanceMetric: fc.constantFrom(...LIMITS.distanceMetrics) });
  const vectorCount = fc.integer({ min: 0, max: maxVectors });
  const byKind: Record<IndexStateKind, fc.Arbitrary<IndexStateCase>> = {
    // A fresh object per case (no state object or labels array shared between cases).
    'bucket-absent': fc.constant('bucket-absent' as const).map((kind) => ({ kind, labels: labelsOfIndexState(kind) })),
    absent: fc.constant('absent' as const).map((kind) => ({ kind, labels: labelsOfIndexState(kind) })),
    deleted: fc.constant('deleted' as const).map((kind) => ({ kind, labels: labelsOfIndexState(kind) })),
    enable: fc.tuple(shape, vectorCount).map(([s, n]) => ({ kind: 'enable', vectorCount: n, ...s, labels: labelsOfIndexState('enable') })),
    creating: shape.map((s) => ({ kind: 'creating', ...s, labels: labelsOfIndexState('creating') })),
    deleting: fc.tuple(shape, vectorCount).map(([s, n]) => ({ kind: 'deleting', vectorCount: n, ...s, labels: labelsOfIndexState('deleting') })),
  };
  const kinds = o.kinds ?? (Object.keys(byKind) as IndexStateKind[]);
  if (kinds.length === 0) throw new Error('indexState: kinds must not be empty');
  return fc.oneof(...kinds.map((k) => byKind[k]));
}
