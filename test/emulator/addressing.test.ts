import { readKat } from '../fixtures/kat.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { contentMd5 } from '../../protocol/md5.ts';
import { signRequest } from '../../protocol/signer.ts';
import type { RunningEmulator } from '../../emulator/index.ts';
import { call, createIndex, errorCode, hook, send, start } from './helpers.ts';

describe('addressing styles and query forms', () => {
  let em: RunningEmulator;
  beforeAll(async () => { em = await start(); });
  afterAll(() => em.close());

  it('virtual-hosted {bucket}-{accountId}.localhost and path-style /{bucket}/ reach the same bucket', async () => {
    await createIndex(em, 'addrA');
    const virtual = await call(em, 'GetVectorIndex', { indexName: 'addrA' }, { addressing: 'virtual' });
    expect(virtual.status).toBe(200);
    const path = await call(em, 'GetVectorIndex', { indexName: 'addrA' }, { addressing: 'path' });
    expect(path.json).toEqual(virtual.json);
  });

  it('virtual-hosted on the IP form {bucket}-{accountId}.127.0.0.1:PORT', async () => {
    await createIndex(em, 'addrIp');
    const r = await call(em, 'DeleteVectorIndex', { indexName: 'addrIp' }, { headers: { host: `${em.buckets[0]}-${em.accountId}.127.0.0.1:${em.port}` }, addressing: 'virtual' });
    expect(r.status).toBe(204);
  });

  it('a virtual host naming another account is refused', async () => {
    const r = await send(em, { method: 'POST', query: 'listVectorIndexes', bucket: null, headers: { host: `${em.buckets[0]}-999.localhost:${em.port}` } });
    expect(r.status).toBe(403);
  });

  it('?op and ?op= route the same (Go and Python forms), with compact and spaced JSON', async () => {
    await createIndex(em, 'formGo');
    await createIndex(em, 'formPy');
    expect((await send(em, { method: 'POST', query: 'deleteVectorIndex', body: '{"indexName":"formGo"}' })).status).toBe(204);
    expect((await send(em, { method: 'POST', query: 'deleteVectorIndex=', body: '{"indexName": "formPy"}' })).status).toBe(204);
  });

  it('no Content-Type is required; ListVectorIndexes with an empty body means no parameters', async () => {
    const r = await send(em, { method: 'POST', query: 'listVectorIndexes', contentType: null });
    expect(r.status).toBe(200);
    expect(Array.isArray((r.json as { indexes: unknown[] }).indexes)).toBe(true);
    await createIndex(em, 'noCt');
    expect((await send(em, { method: 'POST', query: 'deleteVectorIndex', body: '{"indexName":"noCt"}', contentType: null })).status).toBe(204);
  });
});

interface KatCase { name: string; method: string; host: string; path: string; query: string; body: string; headers: [string, string][]; expected: { authorization: string } }
const kat = readKat<{ cases: KatCase[] }>();
const katCase = (needle: string): KatCase => kat.cases.find((c) => c.name.includes(needle))!;
const PINNED = new Date('2023-12-16T16:20:57Z');

describe('the exact wire requests of spec §8 / §9.6, clock pinned to 2023-12-16T16:20:57Z', () => {
  let em: RunningEmulator;
  let sts: RunningEmulator;
  const base = { now: () => PINNED, accountId: '1234567890', region: 'cn-hangzhou', buckets: ['examplebucket'] };
  beforeAll(async () => {
    em = await start({ ...base, identities: [{ accessKeyId: 'ak', accessKeySecret: 'sk' }] });
    sts = await start({ ...base, identities: [{ accessKeyId: 'ak', accessKeySecret: 'sk', securityToken: 'token' }] });
  });
  afterAll(async () => { await em.close(); await sts.close(); });

  async function replay(target: RunningEmulator, c: KatCase, body = c.body, authorization = c.expected.authorization, extraHeaders: [string, string][] = []): Promise<number> {
    const headers: string[] = [];
    for (const [k, v] of [...c.headers, ...extraHeaders, ['Authorization', authorization], ['Host', c.host]] as [string, string][]) headers.push(k, v);
    const res = await request(`${target.url}${c.path}${c.query ? `?${c.query}` : ''}`, { method: c.method as 'POST', headers, body: body || undefined });
    await res.body.text();
    return res.statusCode;
  }
  const makeIndex = (target: RunningEmulator): Promise<unknown> => hook(target, { state: 'a vector index exists', params: { bucket: 'examplebucket', indexName: 'vectorindex1' } });

  it('V1: Go, virtual-hosted, compact body → 204', async () => {
    await makeIndex(em);
    expect(await replay(em, katCase('virtual-hosted, header auth'))).toBe(204);
    expect(await replay(em, katCase('virtual-hosted, header auth'))).toBe(404);
  });
  it("Python form: ?deleteVectorIndex= with the KAT's compact body → 204", async () => {
    await makeIndex(em);
    expect(await replay(em, katCase('Python SDK form'))).toBe(204);
  });
  it('Python form with its spaced body {"indexName": "vectorindex1"} and Content-MD5 Og9348igs4YMya89Jri5mA== → 204', async () => {
    await makeIndex(em);
    const body = '{"indexName": "vectorindex1"}';
    expect(contentMd5(body)).toBe('Og9348igs4YMya89Jri5mA==');
    const c = katCase('Python SDK form');
    const headers: [string, string][] = [['Content-Type', 'application/json'], ['Content-MD5', 'Og9348igs4YMya89Jri5mA==']];
    const signed = signRequest({ region: 'cn-hangzhou', accountId: '1234567890', bucket: 'examplebucket', method: 'POST', query: 'deleteVectorIndex=', headers, credentials: { accessKeyId: 'ak', accessKeySecret: 'sk' }, time: PINNED });
    const all: [string, string][] = [...headers, ...Object.entries(signed.headers).filter(([k]) => k !== 'Authorization') as [string, string][]];
    expect(await replay(em, { ...c, headers: all }, body, signed.headers.Authorization!)).toBe(204);
  });
  it('V3: Go path-style on 127.0.0.1:8080 → 204 (host and path are not signed)', async () => {
    await makeIndex(em);
    expect(await replay(em, katCase('path-style'))).toBe(204);
  });
  it('V2: with STS token → 204 on an identity configured with that token; InvalidAccessKeyId without it', async () => {
    await makeIndex(sts);
    expect(await replay(sts, katCase('STS'))).toBe(204);
    await makeIndex(em);
    expect(await replay(em, katCase('STS'))).toBe(403);
    await makeIndex(sts);
    expect(await replay(sts, katCase('virtual-hosted, header auth'))).toBe(403);
  });
  it('V4: ListVectorBuckets on the service host → 200; V5: PutVectorIndex with additional headers → 200', async () => {
    expect(await replay(em, katCase('ListVectorBuckets'))).toBe(200);
    await hook(em, { state: 'no vector index exists', params: { bucket: 'examplebucket', indexName: 'vectorindex1' } });
    expect(await replay(em, katCase('additional signed headers'))).toBe(200);
    const tampered = katCase('additional signed headers');
    expect(await replay(em, { ...tampered, headers: tampered.headers.map(([k, v]) => [k, k === 'abc' ? 'changed' : v]) })).toBe(403);
  });
  it('one second past the 15-minute window the same request is RequestTimeTooSkewed', async () => {
    const late = await start({ ...base, now: () => new Date(PINNED.getTime() + 15 * 60_000 + 1000), identities: [{ accessKeyId: 'ak', accessKeySecret: 'sk' }] });
    try {
      const r = await send(late, { method: 'POST', query: 'deleteVectorIndex', body: '{"indexName":"vectorindex1"}', credentials: { accessKeyId: 'ak', accessKeySecret: 'sk' }, time: PINNED });
      expect([r.status, errorCode(r)]).toEqual([403, 'RequestTimeTooSkewed']);
    } finally { await late.close(); }
  });
});
