// The emulator's success bodies conform to the response schemas of contracts/operations.ts, the
// same schemas the suites check every target against.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OperationName } from '../../contracts/operations.ts';
import type { RunningEmulator } from '../../emulator/index.ts';
import { responseSchemaProblems } from '../../client/schemas.ts';
import { call, createIndex, start } from './helpers.ts';

describe('response bodies conform to the contract schemas', () => {
  let em: RunningEmulator;
  beforeAll(async () => {
    em = await start();
    await createIndex(em, 'schemaIdx', 3);
    await call(em, 'PutVectors', { indexName: 'schemaIdx', vectors: [{ key: 'a', data: { float32: [1, 0, 0] }, metadata: { kind: 'x' } }, { key: 'b', data: { float32: [0, 1, 0] } }] });
  });
  afterAll(() => em.close());

  const cases: Array<[OperationName, unknown]> = [
    ['GetVectorBucket', undefined],
    ['GetVectorIndex', { indexName: 'schemaIdx' }],
    ['ListVectorIndexes', {}],
    ['GetVectors', { indexName: 'schemaIdx', keys: ['a', 'b'], returnData: true, returnMetadata: true }],
    ['ListVectors', { indexName: 'schemaIdx', returnData: true }],
    ['QueryVectors', { indexName: 'schemaIdx', queryVector: { float32: [1, 0, 0] }, topK: 2, returnDistance: true }],
  ];
  for (const [op, body] of cases) {
    it(op, async () => {
      const r = await call(em, op, body);
      expect(r.status).toBe(200);
      expect(responseSchemaProblems(op, r.json)).toEqual([]);
    });
  }

  it('the check is not vacuous: a wrong status literal is reported', () => {
    expect(responseSchemaProblems('GetVectorIndex', { index: { indexName: 'a', dataType: 'float32', dimension: 3, distanceMetric: 'cosine', status: 'enabled', createTime: 'x' } }))
      .toEqual([expect.stringMatching(/status must be equal to one of the allowed values/)]);
  });
});
