import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../emulator/index.ts';
import { call, createIndex, errorCode, hook, send, sleep, start } from './helpers.ts';

let em: RunningEmulator;
beforeAll(async () => { em = await start(); });
afterAll(() => em.close());

const del = (body: unknown, extra = {}): ReturnType<typeof call> => call(em, 'DeleteVectorIndex', body, extra);

describe('DeleteVectorIndex success', () => {
  it('204 with an empty body, Content-Length 0, request id, Date, Server', async () => {
    await createIndex(em, 'okDel');
    const r = await del({ indexName: 'okDel' });
    expect(r.status).toBe(204);
    expect(r.text).toBe('');
    expect(r.headers['content-type']).toBeUndefined();
    expect(r.headers['x-oss-request-id']).toHaveLength(24);
    expect(r.headers.server).toBe('AliyunOSS');
    expect(errorCode(await call(em, 'GetVectorIndex', { indexName: 'okDel' }))).toBe('NoSuchVectorIndex');
    const list = (await call(em, 'ListVectorIndexes')).json as { indexes: Array<{ indexName: string }> };
    expect(list.indexes.map((i) => i.indexName)).not.toContain('okDel');
  });

  it('removes the vectors with the index: a re-created index of the same name is empty; other indexes keep theirs', async () => {
    await createIndex(em, 'withVecs');
    await createIndex(em, 'neighbour');
    const vectors = [{ key: 'v1', data: { float32: [1, 2, 3, 4] } }, { key: 'v2', data: { float32: [4, 3, 2, 1] } }];
    await call(em, 'PutVectors', { indexName: 'withVecs', vectors });
    await call(em, 'PutVectors', { indexName: 'neighbour', vectors });
    expect((await del({ indexName: 'withVecs' })).status).toBe(204);
    await createIndex(em, 'withVecs');
    expect((await call(em, 'ListVectors', { indexName: 'withVecs' })).json).toEqual({ vectors: [] });
    expect((await call(em, 'GetVectors', { indexName: 'withVecs', keys: ['v1', 'v2'] })).json).toEqual({ vectors: [] });
    expect(((await call(em, 'ListVectors', { indexName: 'neighbour' })).json as { vectors: unknown[] }).vectors).toHaveLength(2);
  });

  it('a second delete is 404 NoSuchVectorIndex', async () => {
    await createIndex(em, 'twice');
    expect((await del({ indexName: 'twice' })).status).toBe(204);
    const again = await del({ indexName: 'twice' });
    expect([again.status, errorCode(again)]).toEqual([404, 'NoSuchVectorIndex']);
  });

  it('names are case-sensitive (spec §12 U10)', async () => {
    await createIndex(em, 'CaseIdx');
    expect(errorCode(await del({ indexName: 'caseidx' }))).toBe('NoSuchVectorIndex');
    expect((await del({ indexName: 'CaseIdx' })).status).toBe(204);
  });

  it('after the last index is deleted the bucket can be deleted at once', async () => {
    await call(em, 'PutVectorBucket', undefined, { bucket: 'del-then-bucket' });
    await createIndex(em, 'only', 4, 'cosine', 'del-then-bucket');
    expect((await del({ indexName: 'only' }, { bucket: 'del-then-bucket' })).status).toBe(204);
    expect((await call(em, 'DeleteVectorBucket', undefined, { bucket: 'del-then-bucket' })).status).toBe(204);
  });
});

describe('DeleteVectorIndex check order (spec §12 U2)', () => {
  // Each request below has several faults; the first in the order auth → bucket → JSON → name → lookup → state wins.
  beforeAll(async () => {
    await hook(em, { state: 'a vector index exists', params: { indexName: 'heldCreating', status: 'creating' } });
  });

  it('auth before everything', async () => {
    const r = await send(em, { method: 'POST', query: 'deleteVectorIndex', bucket: 'no-such-bucket', body: 'not json', credentials: null });
    expect([r.status, errorCode(r)]).toEqual([403, 'AccessDenied']);
  });
  it('bucket existence before JSON', async () => {
    expect(errorCode(await del('not json', { bucket: 'no-such-bucket' }))).toBe('NoSuchBucket');
  });
  it('JSON before the name: broken JSON, an empty body and invalid UTF-8 are MalformedJson', async () => {
    for (const body of ['{"indexName":', '', '{"indexName":"a"', 'indexName=a', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d])]) {
      const r = await send(em, { method: 'POST', query: 'deleteVectorIndex', body });
      expect([r.status, errorCode(r)]).toEqual([400, 'MalformedJson']);
    }
  });
  it('the name before the lookup: not an object, missing, not a string, bad format', async () => {
    for (const body of ['[]', '"heldCreating"', 'null', '42', '{}', '{"indexName":7}', '{"indexName":null}', '{"indexName":""}', '{"indexName":"bad-name"}', '{"indexName":"1abc"}', `{"indexName":"${'a'.repeat(64)}"}`, '{"IndexName":"heldCreating"}']) {
      const r = await del(body);
      expect([body, r.status, errorCode(r)]).toEqual([body, 400, 'VectorIndexParameterInvalid']);
    }
  });
  it('extra fields are ignored', async () => {
    await createIndex(em, 'extraFields');
    expect((await del({ indexName: 'extraFields', force: true, other: [1] })).status).toBe(204);
  });
  it('lookup before state; state last', async () => {
    expect(errorCode(await del({ indexName: 'neverExisted' }))).toBe('NoSuchVectorIndex');
    const r = await del({ indexName: 'heldCreating' });
    expect([r.status, errorCode(r)]).toEqual([409, 'VectorIndexOperationConflict']);
  });
  it('spaced (Python) and compact (Go) JSON are the same', async () => {
    await createIndex(em, 'spaced');
    expect((await del('{ "indexName" : "spaced" }\n')).status).toBe(204);
  });
});

describe('concurrency', () => {
  it('64 parallel deletes of one index: exactly one 204, the rest 404', async () => {
    await createIndex(em, 'raced');
    const results = await Promise.all(Array.from({ length: 64 }, () => del({ indexName: 'raced' })));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 204)).toHaveLength(1);
    expect(statuses.filter((s) => s === 404)).toHaveLength(63);
  });
});

describe('creating and deleting windows', () => {
  let slow: RunningEmulator;
  beforeAll(async () => { slow = await start({ creatingMs: 150, deletingMs: 150 }); });
  afterAll(() => slow.close());

  it("a new index is 'creating' for creatingMs: delete and data-plane calls are 409, then it is 'enable'", async () => {
    await createIndex(slow, 'young');
    expect(((await call(slow, 'GetVectorIndex', { indexName: 'young' })).json as { index: { status: string } }).index.status).toBe('creating');
    expect(errorCode(await call(slow, 'DeleteVectorIndex', { indexName: 'young' }))).toBe('VectorIndexOperationConflict');
    expect(errorCode(await call(slow, 'PutVectors', { indexName: 'young', vectors: [{ key: 'k', data: { float32: [1, 1, 1, 1] } }] }))).toBe('VectorIndexOperationConflict');
    await sleep(220);
    expect(((await call(slow, 'GetVectorIndex', { indexName: 'young' })).json as { index: { status: string } }).index.status).toBe('enable');
    expect((await call(slow, 'PutVectors', { indexName: 'young', vectors: [{ key: 'k', data: { float32: [1, 1, 1, 1] } }] })).status).toBe(200);
  });

  it("a deleted index is 'deleting' for deletingMs: 204 at once, a second delete 409, PutVectorIndex 409, then gone", async () => {
    await createIndex(slow, 'old');
    await sleep(200);
    const first = await call(slow, 'DeleteVectorIndex', { indexName: 'old' });
    expect(first.status).toBe(204);
    expect(((await call(slow, 'GetVectorIndex', { indexName: 'old' })).json as { index: { status: string } }).index.status).toBe('deleting');
    expect(errorCode(await call(slow, 'DeleteVectorIndex', { indexName: 'old' }))).toBe('VectorIndexOperationConflict');
    expect(errorCode(await call(slow, 'PutVectorIndex', { indexName: 'old', dataType: 'float32', dimension: 4, distanceMetric: 'cosine' }))).toBe('VectorBucketIndexAlreadyExist');
    expect(errorCode(await call(slow, 'DeleteVectorBucket'))).toBe('VectorBucketNotEmpty');
    await sleep(220);
    expect(errorCode(await call(slow, 'DeleteVectorIndex', { indexName: 'old' }))).toBe('NoSuchVectorIndex');
  });
});
