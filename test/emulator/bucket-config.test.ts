// Bucket policy, bucket logging, the plain-OSS log-target namespace, reported endpoints and
// ListVectors segments (the operations and behaviours the official SDKs' integration tests use).
import { createHmac, createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { segmentOf } from '../../emulator/handlers/vectors.ts';
import type { RunningEmulator } from '../../emulator/index.ts';
import { BUCKET, call, createIndex, errorCode, KEY, send, start, type Reply } from './helpers.ts';

let em: RunningEmulator;
beforeAll(async () => { em = await start({ buckets: [BUCKET, 'second-bucket'] }); });
afterAll(() => em.close());

const POLICY = '{\n "Version":"1",\n "Statement":[{"Action":["ossvector:PutVectors"],"Effect":"Deny","Principal":["1234567890"],"Resource":["acs:ossvector:*:*:ovc-conformance"]}]}';

const policy = (method: string, body?: string, bucket?: string): Promise<Reply> => send(em, { method, query: 'policy', body, bucket });
const logging = (method: string, body?: unknown, bucket?: string): Promise<Reply> =>
  send(em, { method, query: 'logging', body: body === undefined ? undefined : JSON.stringify(body), bucket });

/** A plain OSS V4 request (canonical URI `/{bucket}/`), written from the OSS V4 documentation, not from the emulator's code. */
async function plainOss(method: string, bucket: string | null, query = ''): Promise<Reply> {
  const resource = bucket === null ? '/' : `/${bucket}/`;
  const t = new Date();
  const datetime = t.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const date = datetime.slice(0, 8);
  const headers: Record<string, string> = { 'x-oss-date': datetime, 'x-oss-content-sha256': 'UNSIGNED-PAYLOAD' };
  const canonical = `${method}\n${resource}\n${query}\nx-oss-content-sha256:UNSIGNED-PAYLOAD\nx-oss-date:${datetime}\n\n\nUNSIGNED-PAYLOAD`;
  const scope = `${date}/${em.region}/oss/aliyun_v4_request`;
  const sts = `OSS4-HMAC-SHA256\n${datetime}\n${scope}\n${createHash('sha256').update(canonical).digest('hex')}`;
  let k = createHmac('sha256', `aliyun_v4${KEY.accessKeySecret}`).update(date).digest();
  for (const part of [em.region, 'oss', 'aliyun_v4_request']) k = createHmac('sha256', k).update(part).digest();
  headers.Authorization = `OSS4-HMAC-SHA256 Credential=${KEY.accessKeyId}/${scope},Signature=${createHmac('sha256', k).update(sts).digest('hex')}`;
  const res = await request(`${em.url}${resource}${query ? `?${query}` : ''}`, { method: method as 'PUT', headers });
  const text = await res.body.text();
  let json: unknown;
  try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
  return { status: res.statusCode, headers: res.headers as Record<string, string>, text, json };
}

describe('bucket policy', () => {
  it('Put → Get returns the document byte for byte → Delete → Get is 404 NoSuchBucketPolicy', async () => {
    expect((await policy('GET')).status).toBe(404);
    const put = await policy('PUT', POLICY);
    expect(put.status).toBe(200);
    expect(put.headers['x-oss-request-id']).toHaveLength(24);
    const get = await policy('GET');
    expect(get.status).toBe(200);
    expect(get.headers['content-type']).toBe('application/json');
    expect(get.text).toBe(POLICY);
    const del = await policy('DELETE');
    expect(del.status).toBe(204);
    const after = await policy('GET');
    expect([after.status, errorCode(after)]).toEqual([404, 'NoSuchBucketPolicy']);
    // Deleting when there is none is still 204.
    expect((await policy('DELETE')).status).toBe(204);
  });

  it('every method on a missing bucket is 404 NoSuchBucket with the SDK-tested message', async () => {
    for (const [m, b] of [['PUT', POLICY], ['GET', undefined], ['DELETE', undefined]] as const) {
      const r = await policy(m, b, 'go-sdk-test-bucket--not-exist');
      expect([r.status, errorCode(r)]).toEqual([404, 'NoSuchBucket']);
      expect((r.json as { Error: { Message: string } }).Error.Message).toBe('The specified bucket does not exist.');
    }
  });

  it('a body that is not a policy document is 400 InvalidPolicyDocument and changes nothing', async () => {
    await policy('PUT', POLICY);
    for (const bad of ['', 'not json', '[]', '{"Version":1,"Statement":[{}]}', '{"Version":"1"}', '{"Version":"1","Statement":[]}']) {
      const r = await policy('PUT', bad);
      expect([r.status, errorCode(r)], bad).toEqual([400, 'InvalidPolicyDocument']);
    }
    expect((await policy('GET')).text).toBe(POLICY);
    await policy('DELETE');
  });

  it('goes with its bucket: a re-created bucket has no policy', async () => {
    await send(em, { method: 'PUT', query: '', bucket: 'policy-gone' });
    expect((await policy('PUT', POLICY, 'policy-gone')).status).toBe(200);
    expect((await send(em, { method: 'DELETE', query: '', bucket: 'policy-gone' })).status).toBe(204);
    await send(em, { method: 'PUT', query: '', bucket: 'policy-gone' });
    expect(errorCode(await policy('GET', undefined, 'policy-gone'))).toBe('NoSuchBucketPolicy');
  });

  it('a wrong method is 405, several sub-resources 400 InvalidRequest, the service level 400', async () => {
    expect((await policy('POST', '{}')).status).toBe(405);
    expect(errorCode(await send(em, { method: 'GET', query: 'policy&logging' }))).toBe('InvalidRequest');
    expect(errorCode(await send(em, { method: 'DELETE', query: 'policy&putVectorIndex' }))).toBe('InvalidRequest');
    expect(errorCode(await send(em, { method: 'GET', query: 'policy', bucket: null }))).toBe('InvalidRequest');
    // An unknown sub-resource still never falls through to DeleteVectorBucket.
    expect(errorCode(await send(em, { method: 'DELETE', query: 'acl', bucket: 'second-bucket' }))).toBe('InvalidRequest');
    expect((await call(em, 'GetVectorBucket', undefined, { bucket: 'second-bucket' })).status).toBe(200);
  });
});

describe('bucket logging and the plain-OSS log target', () => {
  const target = 'python-sdk-test-bucket-abcd-1733390000';
  const enabled = { BucketLoggingStatus: { LoggingEnabled: { TargetBucket: target, TargetPrefix: 'log-prefix', LoggingRole: 'AliyunOSSLoggingDefaultRole' } } };

  it('plain OSS PutBucket/DeleteBucket (signed over /{bucket}/) make and remove a log target', async () => {
    const put = await plainOss('PUT', target);
    expect(put.status).toBe(200);
    expect(put.headers['x-oss-request-id']).toHaveLength(24);
    expect(errorCode(await plainOss('PUT', target))).toBe('BucketAlreadyExists');
    // It is not a vector bucket.
    expect(errorCode(await call(em, 'GetVectorBucket', undefined, { bucket: target.slice(0, 30) }))).toBe('NoSuchBucket');
    expect((await plainOss('DELETE', target)).status).toBe(204);
    expect(errorCode(await plainOss('DELETE', target))).toBe('NoSuchBucket');
    // Anything else signed for plain OSS is refused, never a vectors operation.
    expect(errorCode(await plainOss('GET', target, 'acl'))).toBe('InvalidRequest');
    expect(errorCode(await plainOss('PUT', 'Bad_Name'))).toBe('InvalidArgument');
    expect(errorCode(await plainOss('PUT', null))).toBe('InvalidRequest');
  });

  it('an SDK fixture\'s clean-up: plain OSS ListBuckets (prefix honoured, endpoints pointing back here) and the empty listings of a bucket', async () => {
    expect((await plainOss('PUT', target)).status).toBe(200);
    expect((await plainOss('PUT', 'other-bucket-name')).status).toBe(200);
    const list = await plainOss('GET', null, 'prefix=python-sdk-test-bucket-');
    expect([list.status, list.headers['content-type']]).toEqual([200, 'application/xml']);
    expect(list.text).toContain(`<Name>${target}</Name>`);
    expect(list.text).not.toContain('other-bucket-name');
    expect(list.text).toContain(`<ExtranetEndpoint>${em.url}</ExtranetEndpoint>`);
    for (const query of ['', 'versions', 'uploads', 'encoding-type=url&prefix=a']) {
      const r = await plainOss('GET', target, query);
      expect([query, r.status, r.text]).toEqual([query, 200, expect.stringContaining('<IsTruncated>false</IsTruncated>')]);
    }
    expect(errorCode(await plainOss('GET', 'no-such-oss-bucket', 'versions'))).toBe('NoSuchBucket');
    expect(errorCode(await plainOss('GET', null, 'acl'))).toBe('InvalidRequest');
    expect((await plainOss('DELETE', target)).status).toBe(204);
    expect((await plainOss('DELETE', 'other-bucket-name')).status).toBe(204);
    expect((await plainOss('GET', null, 'prefix=python-sdk-test-bucket-')).text).not.toContain('<Bucket>');
  });

  it('a signature valid for neither vectors nor plain OSS is still 403 SignatureDoesNotMatch', async () => {
    const r = await send(em, { method: 'PUT', query: '', bucket: 'tampered-one', afterSign: (h) => { h.Authorization = h.Authorization!.replace(/Signature=\w+/, `Signature=${'0'.repeat(64)}`); } });
    expect([r.status, errorCode(r)]).toEqual([403, 'SignatureDoesNotMatch']);
  });

  it('Put → Get → Delete → Get shows an empty LoggingEnabled', async () => {
    await plainOss('PUT', target);
    const get0 = await logging('GET');
    expect(get0.json).toEqual({ BucketLoggingStatus: { LoggingEnabled: {} } });
    const put = await logging('PUT', enabled);
    expect(put.status).toBe(200);
    expect((await logging('GET')).json).toEqual(enabled);
    expect((await logging('DELETE')).status).toBe(204);
    expect((await logging('GET')).json).toEqual({ BucketLoggingStatus: { LoggingEnabled: {} } });
    await plainOss('DELETE', target);
  });

  it('a target that does not exist is 400 InvalidTargetBucketForLogging; bad bodies 400; missing bucket 404', async () => {
    const r = await logging('PUT', { BucketLoggingStatus: { LoggingEnabled: { TargetBucket: 'nowhere-bucket' } } });
    expect([r.status, errorCode(r)]).toEqual([400, 'InvalidTargetBucketForLogging']);
    expect(errorCode(await logging('PUT', { BucketLoggingStatus: { LoggingEnabled: {} } }))).toBe('InvalidArgument');
    expect(errorCode(await logging('PUT', { Other: 1 }))).toBe('InvalidArgument');
    expect(errorCode(await logging('PUT', { BucketLoggingStatus: { LoggingEnabled: { TargetBucket: 5 } } }))).toBe('InvalidArgument');
    expect(errorCode(await send(em, { method: 'PUT', query: 'logging', body: '{broken' }))).toBe('MalformedJson');
    for (const m of ['PUT', 'GET', 'DELETE']) {
      const nb = await logging(m, m === 'PUT' ? enabled : undefined, 'logging-bucket-not-exist');
      expect([nb.status, errorCode(nb)]).toEqual([404, 'NoSuchBucket']);
    }
  });

  it('an empty BucketLoggingStatus switches logging off', async () => {
    await plainOss('PUT', target);
    await logging('PUT', enabled);
    expect((await logging('PUT', { BucketLoggingStatus: {} })).status).toBe(200);
    expect((await logging('GET')).json).toEqual({ BucketLoggingStatus: { LoggingEnabled: {} } });
  });
});

describe('reported endpoints lead back to the emulator', () => {
  it('GetVectorBucket and ListVectorBuckets report the emulator\'s own host:port', async () => {
    const own = new URL(em.url).host;
    const info = (await call(em, 'GetVectorBucket')).json as { BucketInfo: Record<string, string> };
    expect(info.BucketInfo.ExtranetEndpoint).toBe(own);
    expect(info.BucketInfo.IntranetEndpoint).toBe(own);
    const list = (await call(em, 'ListVectorBuckets', undefined, { addressing: 'virtual' })).json as { ListAllMyBucketsResult: { Buckets: Array<Record<string, string>> } };
    for (const b of list.ListAllMyBucketsResult.Buckets) expect([b.ExtranetEndpoint, b.IntranetEndpoint]).toEqual([own, own]);
  });

  it('--advertised-endpoint (advertisedEndpoint) overrides it', async () => {
    const other = await start({ advertisedEndpoint: 'https://vectors.example.test:8443' });
    try {
      const info = (await call(other, 'GetVectorBucket')).json as { BucketInfo: Record<string, string> };
      expect([info.BucketInfo.ExtranetEndpoint, info.BucketInfo.IntranetEndpoint]).toEqual(['vectors.example.test:8443', 'vectors.example.test:8443']);
    } finally { await other.close(); }
    await expect(start({ advertisedEndpoint: 'ftp://x' })).rejects.toThrow(/http/);
  });

  it('bound to every interface, the request\'s Host without the bucket label is reported', async () => {
    const any = await start({ host: '0.0.0.0' });
    try {
      const info = (await call(any, 'GetVectorBucket', undefined, { addressing: 'virtual' })).json as { BucketInfo: Record<string, string> };
      expect(info.BucketInfo.ExtranetEndpoint).toBe(`localhost:${any.port}`);
    } finally { await any.close(); }
  });
});

describe('ListVectors segments', () => {
  const keys = Array.from({ length: 300 }, (_, i) => `k-${i}-${'x'.repeat(i % 7)}`);
  beforeAll(async () => {
    await createIndex(em, 'segIdx', 2, 'euclidean', 'second-bucket');
    for (let i = 0; i < keys.length; i += 100) {
      const r = await call(em, 'PutVectors', { indexName: 'segIdx', vectors: keys.slice(i, i + 100).map((key) => ({ key, data: { float32: [1, 2] } })) }, { bucket: 'second-bucket' });
      expect(r.status).toBe(200);
    }
  });

  async function listSegment(count: number, index: number): Promise<string[]> {
    const out: string[] = [];
    let nextToken: string | undefined;
    do {
      const r = await call(em, 'ListVectors', { indexName: 'segIdx', maxResults: 37, segmentCount: count, segmentIndex: index, ...(nextToken ? { nextToken } : {}) }, { bucket: 'second-bucket' });
      const j = r.json as { vectors: Array<{ key: string }>; nextToken?: string };
      out.push(...j.vectors.map((v) => v.key));
      nextToken = j.nextToken;
    } while (nextToken);
    return out;
  }

  it.each([1, 2, 3, 16])('with %i segments every key is in exactly one, the union is the whole list', async (count) => {
    const seen = new Map<string, number>();
    for (let s = 0; s < count; s++) for (const k of await listSegment(count, s)) seen.set(k, (seen.get(k) ?? 0) + 1);
    expect([...seen.keys()].sort()).toEqual([...keys].sort());
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
  });

  it('puts the Python SDK test\'s one key, vector-key-1, in segment 1 of 2 (CRC-32)', () => {
    expect(segmentOf('vector-key-1', 2)).toBe(1);
    // CRC-32 of "123456789" is the standard check value 0xCBF43926.
    expect(segmentOf('123456789', 0x100000000)).toBe(0xcbf43926);
  });
});
