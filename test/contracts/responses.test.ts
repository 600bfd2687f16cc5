// contracts/responses.ts: the documented responses of DeleteVectorIndex, one entry each (DESIGN
// rule 1) — the six responses docs/design.md names are there and documented, each cause leads to one
// response, keys and labels have the shape reports and case ids rely on.
import { describe, expect, it } from 'vitest';
import { DELETE_VECTOR_INDEX_RESPONSES, responseByKey, responseForCause } from '../../contracts/responses.ts';

describe('documented responses of DeleteVectorIndex', () => {
  it('hold the six responses docs/design.md names, each documented', () => {
    const documented = DELETE_VECTOR_INDEX_RESPONSES.filter((r) => r.documented).map((r) => r.label);
    expect(documented).toEqual(expect.arrayContaining([
      '204 No Content', '400 MalformedJson', '400 VectorIndexParameterInvalid', '403 AccessDenied', '404 NoSuchVectorIndex', '409 VectorIndexOperationConflict',
    ]));
  });

  it('cover every error row of spec §3.8 (DeleteVectorIndex), with its status', () => {
    // "400 VectorIndexParameterInvalid, 400 MalformedJson, 403 AccessDenied, 404 NoSuchVectorIndex,
    // 409 VectorIndexOperationConflict"; "Also observed: 404 NoSuchBucket".
    const rows: Array<[number, string]> = [[400, 'VectorIndexParameterInvalid'], [400, 'MalformedJson'], [403, 'AccessDenied'], [404, 'NoSuchVectorIndex'], [409, 'VectorIndexOperationConflict'], [404, 'NoSuchBucket']];
    for (const [status, code] of rows) {
      expect(DELETE_VECTOR_INDEX_RESPONSES.filter((r) => r.code === code).map((r) => r.status), code).toEqual([status]);
    }
    expect(DELETE_VECTOR_INDEX_RESPONSES.find((r) => r.code === 'NoSuchBucket')!.documented).toBe(false);
  });

  it('have unique keys that start with their status and labels that name status and code', () => {
    const keys = DELETE_VECTOR_INDEX_RESPONSES.map((r) => r.key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const r of DELETE_VECTOR_INDEX_RESPONSES) {
      expect(r.key).toMatch(new RegExp(`^${r.status}-[a-z0-9]+(-[a-z0-9]+)*$`));
      expect(r.label.startsWith(`${r.status} `)).toBe(true);
      if (r.code) expect(r.label).toBe(`${r.status} ${r.code}`);
    }
  });

  it('lead each cause to exactly one response', () => {
    const causes = DELETE_VECTOR_INDEX_RESPONSES.flatMap((r) => [...r.causes]);
    expect(new Set(causes).size).toBe(causes.length);
    expect(responseForCause('index-creating').key).toBe('409-vector-index-operation-conflict');
    expect(responseForCause('body-not-json').code).toBe('MalformedJson');
    expect(() => responseForCause('no-such-cause')).toThrow(/no documented response for cause 'no-such-cause'/);
  });

  it('cite a source for each response, with its revision', () => {
    for (const r of DELETE_VECTOR_INDEX_RESPONSES) {
      expect(r.doc.url, r.key).toMatch(/^https:\/\//);
      expect(r.doc.says.length, r.key).toBeGreaterThan(10);
      expect(r.doc.revision.length, r.key).toBeGreaterThan(0);
    }
  });

  it('find a response by key and refuse an unknown key', () => {
    expect(responseByKey('204-deleted').status).toBe(204);
    expect(() => responseByKey('418-teapot')).toThrow(/unknown documented response '418-teapot'/);
  });
});
