// contracts/operations.ts: the operations of spec §2/§3 — DeleteVectorIndex is `POST /?deleteVectorIndex`
// answered 204 (spec §3.8), query keys route one operation each, and the request schemas accept
// what the spec's wire examples send and refuse what it says is invalid.
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { ERROR_ENVELOPE_SCHEMA, findOperation, OPERATIONS, type Operation } from '../../contracts/operations.ts';

const ops = Object.entries(OPERATIONS) as Array<[string, Operation]>;

describe('the operations', () => {
  it('describe DeleteVectorIndex as spec §3.8 does: POST /?deleteVectorIndex on a bucket, 204, oss:DeleteVectorIndex', () => {
    expect(OPERATIONS.DeleteVectorIndex).toMatchObject({ method: 'POST', queryKey: 'deleteVectorIndex', scope: 'bucket', successStatus: 204, action: 'oss:DeleteVectorIndex' });
  });

  it('are keyed by their own name, with distinct query keys and the RAM action of the same name', () => {
    const keys = ops.map(([, o]) => o.queryKey).filter((k) => k !== null);
    expect(new Set(keys).size).toBe(keys.length);
    for (const [name, o] of ops) {
      expect(o.name).toBe(name);
      expect(o.action).toBe(`oss:${name}`);
    }
  });

  it('route a request by method, query key and scope, both with and without a key', () => {
    expect(findOperation('POST', ['deleteVectorIndex'], 'bucket')?.name).toBe('DeleteVectorIndex');
    expect(findOperation('GET', ['bucketInfo'], 'bucket')?.name).toBe('GetVectorBucket');
    expect(findOperation('PUT', [], 'bucket')?.name).toBe('PutVectorBucket');
    expect(findOperation('DELETE', [], 'bucket')?.name).toBe('DeleteVectorBucket');
    expect(findOperation('GET', [], 'service')?.name).toBe('ListVectorBuckets');
    expect(findOperation('GET', ['deleteVectorIndex'], 'bucket')).toBeUndefined();
    expect(findOperation('POST', [], 'bucket')).toBeUndefined();
    expect(findOperation('POST', ['deleteVectorIndex'], 'service')).toBeUndefined();
  });

  it('have request and response schemas that are valid JSON Schema and compile (the emulator and the client skip that check at run time)', () => {
    const ajv = new Ajv({ strict: false });
    for (const [name, o] of [...ops, ['the error envelope', { request: ERROR_ENVELOPE_SCHEMA, response: null }] as const]) {
      for (const schema of [o.request, o.response]) {
        if (!schema) continue;
        expect(ajv.validateSchema(schema), `${name}: ${ajv.errorsText()}`).toBe(true);
        expect(() => ajv.compile(schema), name).not.toThrow();
      }
    }
  });

  it('accept the DeleteVectorIndex body of the spec\'s wire example and refuse an invalid or missing name', () => {
    const valid = new Ajv({ strict: false }).compile(OPERATIONS.DeleteVectorIndex.request);
    expect(valid({ indexName: 'vectorindex1' })).toBe(true); // spec §8
    expect(valid({ indexName: '1vectorindex' })).toBe(false);
    expect(valid({ indexName: 'vector-index' })).toBe(false);
    expect(valid({})).toBe(false);
    expect(valid({ indexName: 7 })).toBe(false);
  });

  it('require the four fields PutVectorIndex needs (spec §3.5)', () => {
    expect([...OPERATIONS.PutVectorIndex.request.required].sort()).toEqual(['dataType', 'dimension', 'distanceMetric', 'indexName']);
  });
});
