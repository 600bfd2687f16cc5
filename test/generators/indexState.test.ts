import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { indexState, labelsOfIndexState, type IndexStateKind } from '../../generators/indexState.ts';
import { expectedFor } from '../../generators/oracle.ts';
import { checkIndexState, STATE_LABELS } from './oracles.ts';

describe('indexState', () => {
  it('covers every state, labelled by its kind', () => {
    const states = fc.sample(indexState(), { seed: 1, numRuns: 200 });
    expect(new Set(states.map((s) => s.kind))).toEqual(new Set(['bucket-absent', 'absent', 'deleted', 'enable', 'creating', 'deleting']));
    // Labels from the table of spec §3.8 / §5, not from labelsOfIndexState.
    for (const s of states) checkIndexState('indexState', s);
  });

  it.each([
    ['enable', 204, []],
    ['absent', 404, ['NoSuchVectorIndex']],
    ['deleted', 404, ['NoSuchVectorIndex']],
    ['creating', 409, ['VectorIndexOperationConflict']],
    ['deleting', 409, ['VectorIndexOperationConflict']],
    ['bucket-absent', 404, ['NoSuchBucket']],
  ] as Array<[IndexStateKind, number, string[]]>)('%s → %i %j', (kind, status, codes) => {
    expect(labelsOfIndexState(kind)).toEqual(STATE_LABELS[kind]);
    expect(expectedFor(labelsOfIndexState(kind))).toMatchObject({ status, codes });
  });

  it('keeps dimensions and vector counts within limits, small ones most often', () => {
    const states = fc.sample(indexState({ maxVectors: 5 }), { seed: 2, numRuns: 300 });
    const shaped = states.filter((s) => 'dimension' in s) as Array<{ dimension: number; vectorCount?: number }>;
    for (const s of shaped) {
      expect(s.dimension >= 1 && s.dimension <= 4096).toBe(true);
      if (s.vectorCount !== undefined) expect(s.vectorCount >= 0 && s.vectorCount <= 5).toBe(true);
    }
    expect(shaped.filter((s) => s.dimension <= 16).length).toBeGreaterThan(shaped.length / 2);
    expect(shaped.some((s) => s.dimension === 4096)).toBe(true);
  });

  it('can be restricted to some kinds, and gives the same states for the same seed', () => {
    const kinds = new Set(fc.sample(indexState({ kinds: ['creating', 'deleting'] }), { seed: 3, numRuns: 50 }).map((s) => s.kind));
    expect(kinds).toEqual(new Set(['creating', 'deleting']));
    expect(fc.sample(indexState(), { seed: 4, numRuns: 30 })).toEqual(fc.sample(indexState(), { seed: 4, numRuns: 30 }));
    expect(() => indexState({ kinds: [] })).toThrow(/kinds/);
  });
});
