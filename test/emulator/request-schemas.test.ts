// Request bodies are checked with the request schemas of contracts/operations.ts: a body missing a
// property the contract requires, or with a property of the wrong type, is 400
// VectorIndexParameterInvalid for every operation that has a request schema.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATIONS, type OperationName } from '../../contracts/operations.ts';
import type { RunningEmulator } from '../../emulator/index.ts';
import { call, createIndex, errorCode, start } from './helpers.ts';

let em: RunningEmulator;
beforeAll(async () => { em = await start(); await createIndex(em, 'schemaIdx'); });
afterAll(() => em.close());

const withSchema = (Object.keys(OPERATIONS) as OperationName[]).filter((op) => OPERATIONS[op].request !== null);

describe('request bodies against the contracts\' request schemas', () => {
  it('covers every operation with a request schema', () => {
    expect(withSchema.sort()).toEqual(['DeleteVectorIndex', 'DeleteVectors', 'GetVectorIndex', 'GetVectors', 'ListVectorIndexes', 'ListVectors', 'PutVectorIndex', 'PutVectors', 'QueryVectors']);
  });

  for (const op of withSchema) {
    const schema = OPERATIONS[op].request as { required?: string[]; properties: Record<string, { type?: string }> };
    for (const field of (schema.required ?? []).filter((f) => f !== 'indexName')) {
      it(`${op} without '${field}' → 400 VectorIndexParameterInvalid`, async () => {
        const body: Record<string, unknown> = { indexName: 'schemaIdx' };
        const r = await call(em, op, body);
        expect(r.status, r.text).toBe(400);
        expect(errorCode(r)).toBe('VectorIndexParameterInvalid');
      });
    }
    const typed = Object.entries(schema.properties).find(([k, v]) => k !== 'indexName' && (v.type === 'integer' || v.type === 'boolean' || v.type === 'string'));
    if (typed) {
      it(`${op} with '${typed[0]}' of the wrong type → 400 VectorIndexParameterInvalid`, async () => {
        const body: Record<string, unknown> = { indexName: 'schemaIdx', [typed[0]]: typed[1].type === 'string' ? 7 : 'x' };
        const r = await call(em, op, body);
        expect(r.status, r.text).toBe(400);
        expect(errorCode(r)).toBe('VectorIndexParameterInvalid');
      });
    }
  }
});
