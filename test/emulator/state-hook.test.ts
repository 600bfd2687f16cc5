import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import type { RunningEmulator } from '../../emulator/index.ts';
import { call, errorCode, hook, start } from './helpers.ts';

let em: RunningEmulator;
beforeAll(async () => { em = await start(); });
afterAll(() => em.close());

const indexStatus = async (bucket: string, indexName: string): Promise<string | undefined> => {
  const r = await call(em, 'GetVectorIndex', { indexName }, { bucket });
  return (r.json as { index?: { status: string } }).index?.status;
};

describe('provider-state hook (docs/provider-states.md)', () => {
  it("'a vector bucket exists' creates a bucket and its teardown removes only what setup created", async () => {
    const r = await hook(em, { action: 'setup', state: 'a vector bucket exists', params: { bucket: 'hook-b1' } });
    expect(r).toEqual({ status: 200, json: { bucket: 'hook-b1' } });
    expect((await call(em, 'GetVectorBucket', undefined, { bucket: 'hook-b1' })).status).toBe(200);
    expect((await hook(em, { action: 'teardown', state: 'a vector bucket exists', params: { bucket: 'hook-b1' } })).status).toBe(200);
    expect(errorCode(await call(em, 'GetVectorBucket', undefined, { bucket: 'hook-b1' }))).toBe('NoSuchBucket');
    await hook(em, { state: 'a vector bucket exists', params: { bucket: em.buckets[0] } });
    await hook(em, { action: 'teardown', state: 'a vector bucket exists', params: { bucket: em.buckets[0] } });
    expect((await call(em, 'GetVectorBucket')).status).toBe(200);
  });

  it("'no vector bucket exists' removes the bucket", async () => {
    await hook(em, { state: 'a vector bucket exists', params: { bucket: 'hook-b2' } });
    expect((await hook(em, { state: 'no vector bucket exists', params: { bucket: 'hook-b2' } })).status).toBe(200);
    expect(errorCode(await call(em, 'GetVectorBucket', undefined, { bucket: 'hook-b2' }))).toBe('NoSuchBucket');
  });

  it("'a vector index exists' with defaults: enable, dimension 4, cosine, no vectors; creates a missing bucket", async () => {
    const r = await hook(em, { state: 'a vector index exists', params: { bucket: 'hook-b3', indexName: 'hi1' } });
    expect(r.json).toEqual({ bucket: 'hook-b3', indexName: 'hi1', status: 'enable', dimension: 4, distanceMetric: 'cosine', vectorCount: 0 });
    const idx = (await call(em, 'GetVectorIndex', { indexName: 'hi1' }, { bucket: 'hook-b3' })).json as { index: Record<string, unknown> };
    expect(idx.index).toMatchObject({ status: 'enable', dimension: 4, distanceMetric: 'cosine' });
  });

  it('vectorCount N creates keys k0..k{N-1} with deterministic data of the dimension', async () => {
    await hook(em, { state: 'a vector index exists', params: { indexName: 'hi2', dimension: 3, distanceMetric: 'euclidean', vectorCount: 25 } });
    const listed = (await call(em, 'ListVectors', { indexName: 'hi2', maxResults: 100, returnData: true })).json as { vectors: Array<{ key: string; data: { float32: number[] } }> };
    expect(listed.vectors.map((v) => v.key).sort()).toEqual(Array.from({ length: 25 }, (_, i) => `k${i}`).sort());
    expect(listed.vectors.every((v) => v.data.float32.length === 3)).toBe(true);
    await hook(em, { state: 'a vector index exists', params: { bucket: 'hook-b4', indexName: 'hi2', dimension: 3, distanceMetric: 'euclidean', vectorCount: 25 } });
    const again = (await call(em, 'GetVectors', { indexName: 'hi2', keys: ['k7'], returnData: true }, { bucket: 'hook-b4' })).json;
    expect(again).toEqual((await call(em, 'GetVectors', { indexName: 'hi2', keys: ['k7'], returnData: true })).json);
  });

  it("an index held in 'creating' or 'deleting' stays so (409 on delete) until teardown", async () => {
    for (const status of ['creating', 'deleting']) {
      const name = `held${status}`;
      await hook(em, { state: 'a vector index exists', params: { indexName: name, status } });
      expect(await indexStatus(em.buckets[0]!, name)).toBe(status);
      expect(errorCode(await call(em, 'DeleteVectorIndex', { indexName: name }))).toBe('VectorIndexOperationConflict');
      expect(await indexStatus(em.buckets[0]!, name)).toBe(status);
      expect((await hook(em, { action: 'teardown', state: 'a vector index exists', params: { indexName: name } })).status).toBe(200);
      expect(errorCode(await call(em, 'DeleteVectorIndex', { indexName: name }))).toBe('NoSuchVectorIndex');
    }
  });

  it("v2 named states: 'a vector index in creating/deleting exists' hold that state (409 on delete) until teardown", async () => {
    for (const [state, status] of [['a vector index in creating exists', 'creating'], ['a vector index in deleting exists', 'deleting']] as const) {
      const params = { bucket: 'hook-v2', indexName: `named${status}`, dimension: 8, distanceMetric: 'euclidean' };
      const r = await hook(em, { action: 'setup', state, params });
      expect(r).toEqual({ status: 200, json: { ...params, status, vectorCount: 0 } });
      const idx = (await call(em, 'GetVectorIndex', { indexName: params.indexName }, { bucket: 'hook-v2' })).json as { index: Record<string, unknown> };
      expect(idx.index).toMatchObject({ status, dimension: 8, distanceMetric: 'euclidean' });
      const del = await call(em, 'DeleteVectorIndex', { indexName: params.indexName }, { bucket: 'hook-v2' });
      expect([del.status, errorCode(del)]).toEqual([409, 'VectorIndexOperationConflict']);
      expect(await indexStatus('hook-v2', params.indexName)).toBe(status);
      expect((await hook(em, { action: 'teardown', state, params })).json).toEqual({});
      expect(errorCode(await call(em, 'GetVectorIndex', { indexName: params.indexName }, { bucket: 'hook-v2' }))).toBe('NoSuchVectorIndex');
    }
  });

  it('v2 named states: defaults as v1 (dimension 4, cosine, default bucket); a status param must agree with the name', async () => {
    const r = await hook(em, { state: 'a vector index in creating exists', params: { indexName: 'namedDefaults', status: 'creating' } });
    expect(r.json).toEqual({ bucket: em.buckets[0], indexName: 'namedDefaults', status: 'creating', dimension: 4, distanceMetric: 'cosine', vectorCount: 0 });
    for (const [state, status] of [['a vector index in creating exists', 'deleting'], ['a vector index in deleting exists', 'enable']]) {
      const bad = await hook(em, { state, params: { indexName: 'namedClash', status } });
      expect([bad.status, typeof bad.json.error]).toEqual([400, 'string']);
    }
    expect(errorCode(await call(em, 'GetVectorIndex', { indexName: 'namedClash' }))).toBe('NoSuchVectorIndex');
    for (const params of [{}, { indexName: 'bad-name' }, { indexName: 'x', dimension: 0 }]) {
      expect((await hook(em, { state: 'a vector index in deleting exists', params })).status).toBe(400);
    }
    // The v1 teardown of 'a vector index exists' removes a v2-made index too (same teardown).
    expect((await hook(em, { action: 'teardown', state: 'a vector index exists', params: { indexName: 'namedDefaults' } })).status).toBe(200);
    expect(errorCode(await call(em, 'GetVectorIndex', { indexName: 'namedDefaults' }))).toBe('NoSuchVectorIndex');
  });

  it("setup replaces an existing index in exactly the requested state; 'no vector index exists' removes it", async () => {
    await hook(em, { state: 'a vector index exists', params: { indexName: 'hi3', vectorCount: 5 } });
    await hook(em, { state: 'a vector index exists', params: { indexName: 'hi3', status: 'creating' } });
    expect(await indexStatus(em.buckets[0]!, 'hi3')).toBe('creating');
    expect((await hook(em, { state: 'no vector index exists', params: { indexName: 'hi3' } })).json).toEqual({ bucket: em.buckets[0], indexName: 'hi3' });
    expect(errorCode(await call(em, 'GetVectorIndex', { indexName: 'hi3' }))).toBe('NoSuchVectorIndex');
  });

  it('400 {"error"} for an unknown state, bad params, bad JSON; 405 for another method', async () => {
    for (const body of [
      { state: 'the moon is full' },
      { state: 'a vector index exists', params: { indexName: 'bad-name' } },
      { state: 'a vector index exists', params: {} },
      { state: 'a vector index exists', params: { indexName: 'x', status: 'enabled' } },
      { state: 'a vector index exists', params: { indexName: 'x', dimension: 0 } },
      { state: 'a vector index exists', params: { indexName: 'x', vectorCount: -1 } },
      { state: 'a vector index exists', params: { indexName: 'x', distanceMetric: 'dot' } },
      { state: 'a vector bucket exists', params: { bucket: 'UPPER' } },
      { action: 'verify', state: 'a vector bucket exists' },
    ]) {
      const r = await hook(em, body);
      expect([JSON.stringify(body), r.status, typeof r.json.error]).toEqual([JSON.stringify(body), 400, 'string']);
    }
    const raw = await request(`${em.stateHookUrl}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{nope' });
    expect(raw.statusCode).toBe(400);
    expect(await raw.body.json()).toHaveProperty('error');
    const get = await request(`${em.stateHookUrl}`);
    expect(get.statusCode).toBe(405);
    await get.body.text();
  });

  it('stateHook:false → the path is an unknown route (404), the state is not touched', async () => {
    const off = await start({ stateHook: false });
    try {
      expect(off.stateHookUrl).toBeNull();
      const r = await request(`${off.url}/_ovc/provider-states`, { method: 'POST', body: JSON.stringify({ state: 'no vector bucket exists', params: { bucket: off.buckets[0] } }) });
      expect(r.statusCode).toBe(404);
      expect(r.headers['content-type']).toBe('application/json');
      await r.body.text();
      expect((await call(off, 'GetVectorBucket')).status).toBe(200);
    } finally { await off.close(); }
  });
});
