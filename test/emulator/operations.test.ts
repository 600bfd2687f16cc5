import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../emulator/index.ts';
import { BUCKET, call, createIndex, errorCode, send, start } from './helpers.ts';

let em: RunningEmulator;
beforeAll(async () => { em = await start(); });
afterAll(() => em.close());

describe('buckets', () => {
  it('PutVectorBucket creates, GetVectorBucket describes, DeleteVectorBucket removes', async () => {
    const put = await call(em, 'PutVectorBucket', undefined, { bucket: 'ops-bucket-1' });
    expect(put.status).toBe(200);
    expect(put.headers.location).toBe('/ops-bucket-1');
    expect(put.headers['content-length']).toBe('0');
    const get = await call(em, 'GetVectorBucket', undefined, { bucket: 'ops-bucket-1' });
    expect(get.status).toBe(200);
    expect(get.headers['content-type']).toBe('application/json');
    expect(Object.keys(get.json as object)).toEqual(['BucketInfo']);
    expect(get.json).toMatchObject({ BucketInfo: { Name: `acs:ossvector:${em.region}:${em.accountId}:ops-bucket-1`, Region: em.region, Location: `oss-${em.region}` } });
    const del = await call(em, 'DeleteVectorBucket', undefined, { bucket: 'ops-bucket-1' });
    expect(del.status).toBe(204);
    expect(del.text).toBe('');
    expect(errorCode(await call(em, 'GetVectorBucket', undefined, { bucket: 'ops-bucket-1' }))).toBe('NoSuchBucket');
  });

  it('PutVectorBucket errors: bad name 400, existing 409', async () => {
    const bad = await call(em, 'PutVectorBucket', undefined, { bucket: 'Bad_Name' });
    expect([bad.status, errorCode(bad)]).toEqual([400, 'InvalidVectorBucketName']);
    expect((bad.json as { Error: { BucketName?: string } }).Error.BucketName).toBe('Bad_Name');
    const dup = await call(em, 'PutVectorBucket');
    expect([dup.status, errorCode(dup)]).toEqual([409, 'BucketAlreadyExists']);
  });

  it('DeleteVectorBucket errors: not empty 409, missing 404, bad name 400', async () => {
    await call(em, 'PutVectorBucket', undefined, { bucket: 'ops-bucket-2' });
    await createIndex(em, 'x', 4, 'cosine', 'ops-bucket-2');
    expect(errorCode(await call(em, 'DeleteVectorBucket', undefined, { bucket: 'ops-bucket-2' }))).toBe('VectorBucketNotEmpty');
    expect((await call(em, 'DeleteVectorIndex', { indexName: 'x' }, { bucket: 'ops-bucket-2' })).status).toBe(204);
    expect((await call(em, 'DeleteVectorBucket', undefined, { bucket: 'ops-bucket-2' })).status).toBe(204);
    expect(errorCode(await call(em, 'DeleteVectorBucket', undefined, { bucket: 'ops-bucket-2' }))).toBe('NoSuchBucket');
    expect(errorCode(await call(em, 'DeleteVectorBucket', undefined, { bucket: 'x_y' }))).toBe('InvalidVectorBucketName');
  });

  it('ListVectorBuckets as GET / and GET /?vector, with paging and no marker when done', async () => {
    for (const b of ['page-a1', 'page-a2', 'page-a3']) await call(em, 'PutVectorBucket', undefined, { bucket: b });
    const all = await send(em, { method: 'GET', query: '', bucket: null });
    expect(all.status).toBe(200);
    const names = (all.json as { ListAllMyBucketsResult: { Buckets: Array<{ Name: string }> } }).ListAllMyBucketsResult.Buckets.map((b) => b.Name.split(':')[4]);
    expect(names).toEqual([...names].sort());
    expect(names).toContain(BUCKET);
    const java = await send(em, { method: 'GET', query: 'vector&prefix=page-a&max-keys=2', bucket: null, contentType: 'application/octet-stream' });
    const r1 = (java.json as { ListAllMyBucketsResult: Record<string, unknown> }).ListAllMyBucketsResult;
    expect(Object.keys(java.json as object)).toEqual(['ListAllMyBucketsResult']);
    expect(r1).toMatchObject({ IsTruncated: true, NextMarker: 'page-a2', MaxKeys: 2, Prefix: 'page-a' });
    const page2 = await send(em, { method: 'GET', query: 'marker=page-a2&max-keys=2&prefix=page-a', bucket: null });
    const r2 = (page2.json as { ListAllMyBucketsResult: Record<string, unknown> }).ListAllMyBucketsResult;
    expect((r2.Buckets as unknown[]).length).toBe(1);
    expect(r2.IsTruncated).toBeUndefined();
    expect(r2.NextMarker).toBeUndefined();
    expect(errorCode(await send(em, { method: 'GET', query: 'max-keys=0', bucket: null }))).toBe('InvalidArgument');
  });
});

describe('indexes', () => {
  it('PutVectorIndex → GetVectorIndex → ListVectorIndexes', async () => {
    const put = await call(em, 'PutVectorIndex', { indexName: 'opsIdx1', dataType: 'float32', dimension: 8, distanceMetric: 'euclidean', metadata: { nonFilterableMetadataKeys: ['note'] } });
    expect(put.status).toBe(200);
    expect(put.text).toBe('');
    const get = await call(em, 'GetVectorIndex', { indexName: 'opsIdx1' }, { contentType: null });
    expect(get.status).toBe(200);
    expect(get.headers['content-type']).toBe('application/json');
    const index = (get.json as { index: Record<string, unknown> }).index;
    expect(index).toMatchObject({ indexName: 'opsIdx1', dataType: 'float32', dimension: 8, distanceMetric: 'euclidean', status: 'enable', vectorBucketName: BUCKET, metadata: { nonFilterableMetadataKeys: ['note'] } });
    expect(index.createTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const list = await call(em, 'ListVectorIndexes', undefined);
    expect(list.status).toBe(200);
    expect((list.json as { indexes: Array<{ indexName: string }> }).indexes.map((i) => i.indexName)).toContain('opsIdx1');
  });

  it('ListVectorIndexes pages in name order and returns no token after the last page', async () => {
    await call(em, 'PutVectorBucket', undefined, { bucket: 'page-idx' });
    for (let i = 0; i < 11; i++) await createIndex(em, `p${String(i).padStart(2, '0')}`, 4, 'cosine', 'page-idx');
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const r = await call(em, 'ListVectorIndexes', token ? { maxResults: 5, nextToken: token } : { maxResults: 5 }, { bucket: 'page-idx' });
      const j = r.json as { indexes: Array<{ indexName: string }>; nextToken?: string };
      seen.push(...j.indexes.map((i) => i.indexName));
      token = j.nextToken;
      pages++;
    } while (token);
    expect(pages).toBe(3);
    expect(seen).toEqual([...seen].sort());
    expect(seen.length).toBe(11);
    const prefixed = await call(em, 'ListVectorIndexes', { prefix: 'p1' }, { bucket: 'page-idx' });
    expect((prefixed.json as { indexes: unknown[] }).indexes.length).toBe(1);
    expect(errorCode(await call(em, 'ListVectorIndexes', { maxResults: 501 }, { bucket: 'page-idx' }))).toBe('VectorIndexParameterInvalid');
  });

  it('PutVectorIndex errors: existing name 409, bad parameters 400, more than 100 indexes 400', async () => {
    await createIndex(em, 'dupIdx');
    expect(errorCode(await call(em, 'PutVectorIndex', { indexName: 'dupIdx', dataType: 'float32', dimension: 4, distanceMetric: 'cosine' }))).toBe('VectorBucketIndexAlreadyExist');
    const bad = [
      { dataType: 'float32', dimension: 4, distanceMetric: 'cosine' },
      { indexName: '1abc', dataType: 'float32', dimension: 4, distanceMetric: 'cosine' },
      { indexName: 'a', dataType: 'float64', dimension: 4, distanceMetric: 'cosine' },
      { indexName: 'a', dataType: 'float32', dimension: 0, distanceMetric: 'cosine' },
      { indexName: 'a', dataType: 'float32', dimension: 4097, distanceMetric: 'cosine' },
      { indexName: 'a', dataType: 'float32', dimension: 4, distanceMetric: 'dot' },
      { indexName: 'a', dataType: 'float32', dimension: 4, distanceMetric: 'cosine', metadata: { nonFilterableMetadataKeys: [] } },
      { indexName: 'a', dataType: 'float32', dimension: 4, distanceMetric: 'cosine', metadata: { nonFilterableMetadataKeys: ['bad-key'] } },
    ];
    for (const body of bad) expect([JSON.stringify(body), errorCode(await call(em, 'PutVectorIndex', body))]).toEqual([JSON.stringify(body), 'VectorIndexParameterInvalid']);
    expect(errorCode(await call(em, 'PutVectorIndex', '{"indexName":'))).toBe('MalformedJson');
    await call(em, 'PutVectorBucket', undefined, { bucket: 'full-bucket' });
    for (let i = 0; i < 100; i++) await createIndex(em, `f${i}`, 1, 'euclidean', 'full-bucket');
    const over = await call(em, 'PutVectorIndex', { indexName: 'f100', dataType: 'float32', dimension: 1, distanceMetric: 'euclidean' }, { bucket: 'full-bucket' });
    expect([over.status, errorCode(over)]).toEqual([400, 'VectorBucketIndexExceedLimit']);
  });

  it('GetVectorIndex errors: 404 index, 404 bucket, 400 name', async () => {
    expect(errorCode(await call(em, 'GetVectorIndex', { indexName: 'nothere' }))).toBe('NoSuchVectorIndex');
    expect(errorCode(await call(em, 'GetVectorIndex', { indexName: 'nothere' }, { bucket: 'no-such-bucket' }))).toBe('NoSuchBucket');
    expect(errorCode(await call(em, 'GetVectorIndex', { indexName: 'bad-name' }))).toBe('VectorIndexParameterInvalid');
  });
});

describe('vectors', () => {
  beforeAll(async () => {
    await call(em, 'PutVectorIndex', { indexName: 'vecs', dataType: 'float32', dimension: 3, distanceMetric: 'cosine', metadata: { nonFilterableMetadataKeys: ['hidden'] } });
    await call(em, 'PutVectorIndex', { indexName: 'eucl', dataType: 'float32', dimension: 2, distanceMetric: 'euclidean' });
  });

  it('PutVectors, GetVectors with and without data/metadata, missing keys left out', async () => {
    const put = await call(em, 'PutVectors', { indexName: 'vecs', vectors: [
      { key: 'a', data: { float32: [1, 0, 0] }, metadata: { color: 'red', tags: ['x', 'y'], hidden: 'h' } },
      { key: 'b', data: { float32: [0, 1, 0] }, metadata: { color: 'blue' } },
      { key: 'c', data: { float32: [0.5, 0.5, 0] } },
    ] });
    expect(put.status).toBe(200);
    const bare = await call(em, 'GetVectors', { indexName: 'vecs', keys: ['a', 'zz'] }, { contentType: null });
    expect(bare.json).toEqual({ vectors: [{ key: 'a' }] });
    const full = await call(em, 'GetVectors', { indexName: 'vecs', keys: ['b', 'a'], returnData: true, returnMetadata: true });
    expect(full.json).toEqual({ vectors: [
      { key: 'b', data: { float32: [0, 1, 0] }, metadata: { color: 'blue' } },
      { key: 'a', data: { float32: [1, 0, 0] }, metadata: { color: 'red', tags: ['x', 'y'], hidden: 'h' } },
    ] });
  });

  it('PutVectors overwrites an existing key', async () => {
    await call(em, 'PutVectors', { indexName: 'eucl', vectors: [{ key: 'o', data: { float32: [1, 1] } }] });
    await call(em, 'PutVectors', { indexName: 'eucl', vectors: [{ key: 'o', data: { float32: [2, 2] } }] });
    expect((await call(em, 'GetVectors', { indexName: 'eucl', keys: ['o'], returnData: true })).json).toEqual({ vectors: [{ key: 'o', data: { float32: [2, 2] } }] });
  });

  it('PutVectors errors: dimension, non-finite, zero vector on cosine, duplicate keys, bad metadata — nothing written', async () => {
    const bad = [
      { indexName: 'vecs', vectors: [{ key: 'd', data: { float32: [1, 0] } }] },
      { indexName: 'vecs', vectors: [{ key: 'd', data: { float32: [1, 0, 1e40] } }] },
      { indexName: 'vecs', vectors: [{ key: 'd', data: { float32: [0, 0, 0] } }] },
      { indexName: 'vecs', vectors: [{ key: 'd', data: { float32: [1, 0, 0] } }, { key: 'd', data: { float32: [0, 1, 0] } }] },
      { indexName: 'vecs', vectors: [{ key: 'd', data: { float32: [1, 0, 0] }, metadata: { n: { nested: true } } }] },
      { indexName: 'vecs', vectors: [] },
      { indexName: 'vecs', vectors: [{ key: '', data: { float32: [1, 0, 0] } }] },
    ];
    for (const body of bad) expect(errorCode(await call(em, 'PutVectors', body))).toBe('VectorIndexParameterInvalid');
    // Infinity cannot be written in JSON, but 1e999 parses to it.
    expect(errorCode(await call(em, 'PutVectors', '{"indexName":"vecs","vectors":[{"key":"d","data":{"float32":[1,0,1e999]}}]}'))).toBe('VectorIndexParameterInvalid');
    expect((await call(em, 'GetVectors', { indexName: 'vecs', keys: ['d'] })).json).toEqual({ vectors: [] });
    expect(errorCode(await call(em, 'PutVectors', { indexName: 'nope', vectors: [{ key: 'd', data: { float32: [1, 0, 0] } }] }))).toBe('NoSuchVectorIndex');
  });

  it('ListVectors pages by key with a token only while more remain, and splits into segments', async () => {
    const vectors = Array.from({ length: 10 }, (_, i) => ({ key: `lv${i}`, data: { float32: [i + 1, 1] } }));
    await call(em, 'PutVectorIndex', { indexName: 'listing', dataType: 'float32', dimension: 2, distanceMetric: 'euclidean' });
    await call(em, 'PutVectors', { indexName: 'listing', vectors });
    const p1 = (await call(em, 'ListVectors', { indexName: 'listing', maxResults: 5 })).json as { vectors: Array<{ key: string }>; nextToken?: string };
    expect(p1.vectors.map((v) => v.key)).toEqual(['lv0', 'lv1', 'lv2', 'lv3', 'lv4']);
    expect(p1.nextToken).toBeTruthy();
    const p2 = (await call(em, 'ListVectors', { indexName: 'listing', maxResults: 5, nextToken: p1.nextToken, returnData: true })).json as { vectors: Array<{ key: string; data: unknown }>; nextToken?: string };
    expect(p2.vectors.map((v) => v.key)).toEqual(['lv5', 'lv6', 'lv7', 'lv8', 'lv9']);
    expect(p2.vectors[0]!.data).toEqual({ float32: [6, 1] });
    expect(p2.nextToken).toBeUndefined();
    const segs = await Promise.all([0, 1, 2].map(async (s) => ((await call(em, 'ListVectors', { indexName: 'listing', segmentCount: 3, segmentIndex: s })).json as { vectors: Array<{ key: string }> }).vectors.map((v) => v.key)));
    expect(segs.flat().sort()).toEqual(vectors.map((v) => v.key).sort());
    expect(errorCode(await call(em, 'ListVectors', { indexName: 'listing', segmentCount: 2, segmentIndex: 2 }))).toBe('VectorIndexParameterInvalid');
    expect(errorCode(await call(em, 'ListVectors', { indexName: 'listing', maxResults: 1001 }))).toBe('VectorIndexParameterInvalid');
  });

  it('DeleteVectors removes keys (missing ones are fine) and answers 204', async () => {
    await call(em, 'PutVectors', { indexName: 'eucl', vectors: [{ key: 'gone', data: { float32: [1, 2] } }, { key: 'kept', data: { float32: [3, 4] } }] });
    const del = await call(em, 'DeleteVectors', { indexName: 'eucl', keys: ['gone', 'never'] });
    expect(del.status).toBe(204);
    expect(del.text).toBe('');
    const left = (await call(em, 'GetVectors', { indexName: 'eucl', keys: ['gone', 'kept'] })).json as { vectors: Array<{ key: string }> };
    expect(left.vectors.map((v) => v.key)).toEqual(['kept']);
    expect(errorCode(await call(em, 'DeleteVectors', { indexName: 'eucl', keys: [] }))).toBe('VectorIndexParameterInvalid');
  });

  it('QueryVectors ranks by cosine and euclidean distance with topK', async () => {
    const cos = (await call(em, 'QueryVectors', { indexName: 'vecs', queryVector: { float32: [1, 0.1, 0] }, topK: 2, returnDistance: true })).json as { vectors: Array<{ key: string; distance: number }> };
    expect(cos.vectors.map((v) => v.key)).toEqual(['a', 'c']);
    expect(cos.vectors[0]!.distance).toBeLessThan(cos.vectors[1]!.distance);
    await call(em, 'PutVectors', { indexName: 'eucl', vectors: [{ key: 'e1', data: { float32: [0, 0] } }, { key: 'e2', data: { float32: [10, 10] } }] });
    const eu = (await call(em, 'QueryVectors', { indexName: 'eucl', queryVector: { float32: [0, 1] }, topK: 1, returnDistance: true })).json as { vectors: Array<{ key: string; distance: number }> };
    expect(eu.vectors).toEqual([{ key: 'e1', distance: 1 }]);
    const noDistance = (await call(em, 'QueryVectors', { indexName: 'eucl', queryVector: { float32: [0, 1] }, topK: 1 })).json;
    expect(noDistance).toEqual({ vectors: [{ key: 'e1' }] });
  });

  it('QueryVectors filters on filterable metadata with $eq $ne $in $nin $exists $and $or', async () => {
    const q = async (filter: unknown): Promise<string[]> => {
      const r = await call(em, 'QueryVectors', { indexName: 'vecs', queryVector: { float32: [1, 1, 1] }, topK: 10, filter, returnMetadata: true });
      expect(r.status).toBe(200);
      return (r.json as { vectors: Array<{ key: string }> }).vectors.map((v) => v.key).sort();
    };
    expect(await q({ color: 'red' })).toEqual(['a']);
    expect(await q({ color: { $eq: 'blue' } })).toEqual(['b']);
    expect(await q({ color: { $ne: 'red' } })).toEqual(['b', 'c']);
    expect(await q({ color: { $in: ['red', 'blue'] } })).toEqual(['a', 'b']);
    expect(await q({ color: { $nin: ['red'] } })).toEqual(['b', 'c']);
    expect(await q({ color: { $exists: false } })).toEqual(['c']);
    expect(await q({ tags: 'y' })).toEqual(['a']);
    expect(await q({ $or: [{ color: 'blue' }, { tags: { $in: ['x'] } }] })).toEqual(['a', 'b']);
    expect(await q({ $and: [{ color: { $exists: true } }, { color: { $ne: 'blue' } }] })).toEqual(['a']);
    // Keys listed in nonFilterableMetadataKeys do not take part in filtering.
    expect(await q({ hidden: 'h' })).toEqual([]);
    expect(await q({})).toEqual(['a', 'b', 'c']);
    for (const bad of [{ color: { $regex: 'r' } }, { $not: {} }, { color: { $in: [] } }, { color: { $exists: 'yes' } }, [1], { $and: [] }]) {
      expect(errorCode(await call(em, 'QueryVectors', { indexName: 'vecs', queryVector: { float32: [1, 1, 1] }, topK: 1, filter: bad }))).toBe('VectorIndexParameterInvalid');
    }
    let deep: unknown = { color: 'red' };
    for (let i = 0; i < 9; i++) deep = { $and: [deep] };
    expect(errorCode(await call(em, 'QueryVectors', { indexName: 'vecs', queryVector: { float32: [1, 1, 1] }, topK: 1, filter: deep }))).toBe('VectorIndexParameterInvalid');
  });

  it('QueryVectors errors: topK range, dimension, zero query on cosine', async () => {
    for (const body of [
      { indexName: 'vecs', queryVector: { float32: [1, 0, 0] }, topK: 0 },
      { indexName: 'vecs', queryVector: { float32: [1, 0, 0] }, topK: 101 },
      { indexName: 'vecs', queryVector: { float32: [1, 0, 0] } },
      { indexName: 'vecs', queryVector: { float32: [1, 0] }, topK: 1 },
      { indexName: 'vecs', queryVector: { float32: [0, 0, 0] }, topK: 1 },
    ]) expect(errorCode(await call(em, 'QueryVectors', body))).toBe('VectorIndexParameterInvalid');
  });
});

describe('every response', () => {
  it('carries x-oss-request-id (24 chars), Date and Server: AliyunOSS, on successes and errors', async () => {
    for (const r of [await call(em, 'ListVectorIndexes'), await call(em, 'GetVectorIndex', { indexName: 'nothere' }), await send(em, { method: 'GET', query: '', bucket: null, credentials: null })]) {
      expect(r.headers['x-oss-request-id']).toMatch(/^[0-9A-F]{24}$/);
      expect(new Date(r.headers.date!).getTime()).not.toBeNaN();
      expect(r.headers.server).toBe('AliyunOSS');
    }
  });

  it('errors: envelope with Code, Message, RequestId, HostId, EC; Content-Type exactly application/json; x-oss-ec', async () => {
    const r = await call(em, 'GetVectorIndex', { indexName: 'nothere' });
    expect(r.headers['content-type']).toBe('application/json');
    const e = (r.json as { Error: Record<string, string> }).Error;
    expect(Object.keys(e).sort()).toEqual(['Code', 'EC', 'HostId', 'Message', 'RequestId']);
    expect(e.RequestId).toBe(r.headers['x-oss-request-id']);
    expect(r.headers['x-oss-ec']).toBe(e.EC);
    const nb = await call(em, 'GetVectorIndex', { indexName: 'x' }, { bucket: 'missing-bucket' });
    expect((nb.json as { Error: Record<string, string> }).Error.BucketName).toBe('missing-bucket');
  });

  it('unknown operations, wrong methods and deeper paths are well-formed 4xx errors', async () => {
    expect(await statusAndCode({ method: 'POST', query: 'fooBar' })).toEqual([400, 'InvalidRequest']);
    expect(await statusAndCode({ method: 'GET', query: 'deleteVectorIndex' })).toEqual([405, 'MethodNotAllowed']);
    expect(await statusAndCode({ method: 'POST', query: 'deleteVectorIndex&putVectorIndex' })).toEqual([400, 'InvalidRequest']);
    expect(await statusAndCode({ method: 'DELETE', query: 'acl' })).toEqual([400, 'InvalidRequest']);
    expect(await statusAndCode({ method: 'POST', query: 'policy' })).toEqual([405, 'MethodNotAllowed']);
    expect(await statusAndCode({ method: 'GET', query: '' })).toEqual([405, 'MethodNotAllowed']);
    expect(await statusAndCode({ method: 'POST', query: 'deleteVectorIndex', bucket: null })).toEqual([400, 'InvalidRequest']);
    const deep = await send(em, { method: 'POST', query: 'deleteVectorIndex', bucket: `${BUCKET}/some/key` });
    expect([deep.status, errorCode(deep)]).toEqual([404, 'NoSuchKey']);
  });
});

async function statusAndCode(o: Parameters<typeof send>[1]): Promise<[number, string | undefined]> {
  const r = await send(em, o);
  expect(r.headers['content-type']).toBe('application/json');
  return [r.status, errorCode(r)];
}
