// contracts/limits.ts against docs/spec.md §4 (the limits table) and §5 (index states).
// The figures below are copied from the spec by hand, with the row they come from; the operation
// schemas of contracts/operations.ts must carry the same bounds.
import { describe, expect, it } from 'vitest';
import {
  BUCKET_NAME_MAX, BUCKET_NAME_MIN, INDEX_NAME_MAX, INDEX_STATES, INVALID_INDEX_NAME_PATTERN, isValidBucketName, isValidIndexName, LIMITS, METADATA_KEY_PATTERN,
} from '../../contracts/limits.ts';
import { OPERATIONS } from '../../contracts/operations.ts';

describe('limits of spec §4', () => {
  it('match the table', () => {
    expect(LIMITS).toMatchObject({
      indexesPerBucket: 100, // "Indexes per bucket | 100 (quota raisable)"
      bucketsPerRegion: 100, // "Vector buckets per account per region | … / 100 (newer …)"
      dimensionMin: 1, dimensionMax: 4096, // "Dimension | 1–4096"
      nonFilterableKeysMax: 10, // "nonFilterableMetadataKeys | 1–10 keys"
      vectorsPerPut: 500, // "Vectors per PutVectors | 500"
      vectorKeyMaxChars: 1024, // "Vector key length | 1–1024 chars"
      metadataMaxBytes: 40 * 1024, // "Metadata per vector | ≤ 40 KB total"
      getVectorsKeysMax: 100, // "GetVectors keys | 1–100"
      deleteVectorsKeysMax: 500, // "DeleteVectors keys | 1–500"
      listVectorsDefault: 500, listVectorsMax: 1000, // "ListVectors maxResults | default 500, max 1000"
      listVectorsSegmentsMax: 16, // "ListVectors segmentCount | ≤ 16"
      listIndexesDefault: 100, listIndexesMax: 500, // "ListVectorIndexes maxResults | 0–500 (0 ⇒ 100)"
      listBucketsDefault: 100, listBucketsMax: 1000, // "ListVectorBuckets max-keys | 1–1000, default 100"
      topKMin: 1, topKMax: 100, // "QueryVectors topK | 1–100"
      clockSkewMs: 15 * 60 * 1000, // "Request clock skew | ±15 min"
      requestIdLength: 24, // "x-oss-request-id | 24 characters"
    });
    expect([...LIMITS.dataTypes]).toEqual(['float32']); // "dataType | float32 only"
    expect([...LIMITS.distanceMetrics].sort()).toEqual(['cosine', 'euclidean']); // "distanceMetric | euclidean, cosine"
  });

  it('use the literal enable for the usable state (spec §5: not "enabled")', () => {
    expect([...INDEX_STATES].sort()).toEqual(['creating', 'deleting', 'enable']);
  });
});

describe('name rules', () => {
  it('take index names of 1–63 letters and digits starting with a letter (spec §4)', () => {
    expect(INDEX_NAME_MAX).toBe(63);
    for (const ok of ['a', 'Z', 'vectorindex1', `a${'b'.repeat(62)}`]) expect([ok, isValidIndexName(ok)]).toEqual([ok, true]);
    for (const bad of ['', '1abc', `a${'b'.repeat(63)}`, 'has-dash', 'under_score', 'sp ace', 'ünï', 42]) expect([bad, isValidIndexName(bad)]).toEqual([bad, false]);
  });

  it('write the complement of the index name rule so that exactly one of the two accepts a name', () => {
    for (const s of ['', 'a', '1abc', 'has-dash', `a${'b'.repeat(62)}`, `a${'b'.repeat(63)}`, 'x\ny', 'ok9']) {
      expect([s, isValidIndexName(s) !== INVALID_INDEX_NAME_PATTERN.test(s)]).toEqual([s, true]);
    }
  });

  it('take bucket names of 3–32 lower-case letters, digits and dashes, not at either end (spec §4)', () => {
    expect([BUCKET_NAME_MIN, BUCKET_NAME_MAX]).toEqual([3, 32]);
    for (const ok of ['abc', 'ovc-conformance', 'a1-b2', 'a'.repeat(32)]) expect([ok, isValidBucketName(ok)]).toEqual([ok, true]);
    for (const bad of ['ab', 'a'.repeat(33), '-abc', 'abc-', 'ABC', 'a_b', 'a.b']) expect([bad, isValidBucketName(bad)]).toEqual([bad, false]);
  });

  it('take metadata keys of 1–63 characters of letters, digits and underscores, not starting with a digit (spec §4)', () => {
    for (const ok of ['k', '_k', 'key_1', `k${'x'.repeat(62)}`]) expect([ok, METADATA_KEY_PATTERN.test(ok)]).toEqual([ok, true]);
    for (const bad of ['', '1k', 'k-1', `k${'x'.repeat(63)}`]) expect([bad, METADATA_KEY_PATTERN.test(bad)]).toEqual([bad, false]);
  });
});

describe('operation schemas carry the limits', () => {
  type S = { properties: Record<string, Record<string, unknown> & { properties?: Record<string, Record<string, unknown>> }> };
  const req = (op: keyof typeof OPERATIONS): S['properties'] => (OPERATIONS[op].request as unknown as S).properties;
  const indexObject = (OPERATIONS.GetVectorIndex.response as unknown as { properties: { index: S } }).properties.index.properties;

  it('bound dimension, vectors per put, keys per get/delete, list sizes and topK as LIMITS does', () => {
    expect([req('PutVectorIndex').dimension!.minimum, req('PutVectorIndex').dimension!.maximum]).toEqual([LIMITS.dimensionMin, LIMITS.dimensionMax]);
    expect([indexObject.dimension!.minimum, indexObject.dimension!.maximum]).toEqual([LIMITS.dimensionMin, LIMITS.dimensionMax]);
    expect(req('PutVectors').vectors!.maxItems).toBe(LIMITS.vectorsPerPut);
    expect(req('GetVectors').keys!.maxItems).toBe(LIMITS.getVectorsKeysMax);
    expect(req('DeleteVectors').keys!.maxItems).toBe(LIMITS.deleteVectorsKeysMax);
    expect(req('ListVectorIndexes').maxResults!.maximum).toBe(LIMITS.listIndexesMax);
    expect(req('ListVectors').maxResults!.maximum).toBe(LIMITS.listVectorsMax);
    expect(req('ListVectors').segmentCount!.maximum).toBe(LIMITS.listVectorsSegmentsMax);
    expect([req('QueryVectors').topK!.minimum, req('QueryVectors').topK!.maximum]).toEqual([LIMITS.topKMin, LIMITS.topKMax]);
    expect(req('PutVectorIndex').metadata!.properties!.nonFilterableMetadataKeys!.maxItems).toBe(LIMITS.nonFilterableKeysMax);
  });

  it('allow the states, metrics and data type LIMITS names, and no others', () => {
    expect([...(indexObject.status!.enum as string[])].sort()).toEqual([...INDEX_STATES].sort());
    expect([...(req('PutVectorIndex').distanceMetric!.enum as string[])].sort()).toEqual([...LIMITS.distanceMetrics].sort());
    expect(req('PutVectorIndex').dataType!.const).toBe(LIMITS.dataTypes[0]);
  });
});
