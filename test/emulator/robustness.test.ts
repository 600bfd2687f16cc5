import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Agent, request } from 'undici';
import { BUCKET_CONFIG_KEYS, BUCKET_CONFIG_OPERATIONS } from '../../contracts/bucketConfig.ts';
import { OPERATIONS, type Operation } from '../../contracts/operations.ts';
import { parseAddress } from '../../protocol/addressing.ts';
import { decodeError } from '../../protocol/envelope.ts';
import { contentMd5 } from '../../protocol/md5.ts';
import { signRequest } from '../../protocol/signer.ts';
import type { RunningEmulator } from '../../emulator/index.ts';
import { BUCKET, call, createIndex, KEY, rawExchange, start } from './helpers.ts';

let em: RunningEmulator;
/** Only the well-formed branch of the storm addresses this bucket, so its index survives the random deletes. */
const SANE_BUCKET = 'sane-bucket';
beforeAll(async () => {
  em = await start();
  await createIndex(em, 'propIdx');
  await call(em, 'PutVectors', { indexName: 'propIdx', vectors: [{ key: 'a', data: { float32: [1, 2, 3, 4] }, metadata: { c: 'x' } }] });
  await call(em, 'PutVectorBucket', undefined, { bucket: SANE_BUCKET });
  await createIndex(em, 'propIdx', 4, 'cosine', SANE_BUCKET);
});
afterAll(() => em.close());

function checkWellFormed(method: string, status: number, headers: Record<string, string | string[] | undefined>, body: string): void {
  expect(status).toBeLessThan(500);
  expect(headers['x-oss-request-id']).toHaveLength(24);
  if (status >= 400 && method !== 'HEAD') {
    expect(headers['content-type']).toBe('application/json');
    const env = decodeError(body);
    expect(env.problems).toEqual([]);
    expect(env.body!.RequestId).toHaveLength(24);
  } else if (body.length > 0) {
    expect(headers['content-type']).toBe('application/json');
    JSON.parse(body);
  }
}

const queryKeys = [...Object.values(OPERATIONS).flatMap((o): string[] => (o.queryKey === null ? [] : [o.queryKey])), 'vector', 'prefix', 'max-keys', 'marker', 'policy', 'logging', 'x-oss-signature', 'x-oss-date'];
const printable = fc.stringMatching(/^[\x20-\x7e]{0,40}$/);
const name = fc.oneof(fc.constantFrom('propIdx', 'other', 'a', 'bad-name', '', 'Z'.repeat(64)), printable, fc.integer());
const jsonish = fc.oneof(fc.jsonValue(), fc.constant(undefined));
const opBody = fc.record({
  indexName: name, dataType: fc.constantFrom('float32', 'int8', 5), dimension: fc.oneof(fc.integer({ min: -2, max: 5000 }), jsonish),
  distanceMetric: fc.constantFrom('cosine', 'euclidean', 'dot'), keys: fc.oneof(fc.array(printable, { maxLength: 3 }), jsonish),
  vectors: fc.oneof(fc.array(fc.record({ key: printable, data: fc.record({ float32: fc.array(fc.oneof(fc.double(), fc.integer()), { maxLength: 5 }) }), metadata: jsonish }, { requiredKeys: [] }), { maxLength: 3 }), jsonish),
  queryVector: fc.record({ float32: fc.array(fc.double({ noNaN: true }), { minLength: 4, maxLength: 4 }) }), topK: fc.oneof(fc.integer({ min: -1, max: 200 }), jsonish),
  filter: jsonish, maxResults: jsonish, nextToken: jsonish, returnData: jsonish, returnMetadata: jsonish, returnDistance: jsonish,
  segmentCount: jsonish, segmentIndex: jsonish, prefix: jsonish,
}, { requiredKeys: [] });
const bodyArb = fc.oneof(
  fc.constant(Buffer.alloc(0)),
  fc.uint8Array({ maxLength: 120 }).map((a) => Buffer.from(a)),
  fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v))),
  opBody.map((v) => Buffer.from(JSON.stringify(v))),
  // Valid JSON text with invalid UTF-8 spliced into a string.
  opBody.map((v) => Buffer.concat([Buffer.from('{"indexName":"'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from(`",${JSON.stringify(v).slice(1)}`)])),
);

const wildArb = fc.record({
  method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'PATCH', 'OPTIONS'),
  path: fc.constantFrom('/', `/${BUCKET}/`, `/${BUCKET}`, '/no-such-bucket/', '//', `/${BUCKET}/key`, '/%zz/', '/UPPER_case/', '/_ovc/x'),
  host: fc.constantFrom('default', 'virtual', 'other-account', 'junk', 'service'),
  query: fc.array(fc.record({ key: fc.oneof(fc.constantFrom(...queryKeys), printable.map(encodeURIComponent), fc.constant('%E0%A4%A')), value: fc.option(fc.oneof(fc.constant(''), printable.map(encodeURIComponent))) }), { maxLength: 3 }),
  contentType: fc.option(fc.constantFrom('application/json', 'text/plain', 'application/octet-stream', 'application/json; charset=utf-8', '')),
  md5: fc.constantFrom('correct', 'absent', 'wrong', 'garbage'),
  auth: fc.constantFrom('signed', 'signed', 'signed', 'none', 'garbage', 'skewed', 'unknown-key'),
  extraHeader: fc.option(fc.tuple(fc.constantFrom('x-oss-date', 'x-oss-security-token', 'authorization', 'x-oss-content-sha256', 'abc', 'date'), printable)),
  body: bodyArb,
});
type RandomRequest = typeof wildArb extends fc.Arbitrary<infer T> ? T : never;

/** Well-formed, signed calls of each operation with plausible bodies: they reach the handlers' success paths. */
/** Bodies for PutBucketPolicy / PutBucketLogging: valid documents and near misses. */
const configBody = fc.constantFrom(
  { Version: '1', Statement: [{ Effect: 'Deny', Action: ['ossvector:PutVectors'] }] }, { Version: 1, Statement: [] },
  { BucketLoggingStatus: { LoggingEnabled: { TargetBucket: 'no-such-target' } } }, { BucketLoggingStatus: {} }, { BucketLoggingStatus: { LoggingEnabled: { TargetBucket: [] } } },
);
const saneArb: fc.Arbitrary<RandomRequest> = fc.record({
  op: fc.constantFrom(...Object.values(OPERATIONS) as Operation[], ...Object.values(BUCKET_CONFIG_OPERATIONS) as Operation[]),
  body: opBody.map((b) => ({ ...b, indexName: 'propIdx' })),
  configBody,
}).map(({ op, body, configBody }) => ({
  method: op.method, path: op.scope === 'service' ? '/' : `/${SANE_BUCKET}/`, host: 'default', query: op.queryKey ? [{ key: op.queryKey, value: null }] : [],
  contentType: 'application/json', md5: 'correct', auth: 'signed', extraHeader: null,
  body: op.method === 'POST' ? Buffer.from(JSON.stringify(body)) : op.method === 'PUT' && op.queryKey ? Buffer.from(JSON.stringify(configBody)) : Buffer.alloc(0),
} as RandomRequest)).filter((r) => (r.query.some((q) => BUCKET_CONFIG_KEYS.has(q.key)) || (r.method !== 'PUT' && r.method !== 'DELETE')) && !r.query.some((q) => q.key === 'deleteVectorIndex'));

const requestArb = fc.oneof({ weight: 3, arbitrary: wildArb }, { weight: 1, arbitrary: saneArb });

describe('robustness', () => {
  it('thousands of random and malformed requests: never a 5xx, errors always a well-formed JSON envelope', async () => {
    const agent = new Agent({ connections: 8 });
    const seen = new Map<number, number>();
    try {
      await fc.assert(fc.asyncProperty(requestArb, async (r) => {
        const query = r.query.map((q) => (q.value === null ? q.key : `${q.key}=${q.value}`)).join('&');
        const headers: Record<string, string> = {};
        if (r.host === 'virtual') headers.host = `${BUCKET}-${em.accountId}.localhost:${em.port}`;
        if (r.host === 'other-account') headers.host = `${BUCKET}-42.localhost:${em.port}`;
        if (r.host === 'junk') headers.host = 'junk!!:99';
        if (r.host === 'service') headers.host = `${em.region}.oss-vectors.localhost:${em.port}`;
        if (r.contentType !== null) headers['content-type'] = r.contentType;
        if (r.md5 === 'correct') headers['content-md5'] = contentMd5(r.body);
        if (r.md5 === 'wrong') headers['content-md5'] = contentMd5('other');
        if (r.md5 === 'garbage') headers['content-md5'] = '%%%';
        if (r.auth !== 'none' && r.auth !== 'garbage') {
          const bucket = parseAddress(headers.host ?? `127.0.0.1:${em.port}`, r.path).bucket;
          const credentials = r.auth === 'unknown-key' ? { accessKeyId: 'nobody', accessKeySecret: 'x' } : KEY;
          const time = r.auth === 'skewed' ? new Date(Date.now() - 3_600_000) : new Date();
          Object.assign(headers, signRequest({ region: em.region, accountId: em.accountId, bucket, method: r.method, query, headers, credentials, time }).headers);
        }
        if (r.auth === 'garbage') headers.authorization = 'OSS4-HMAC-SHA256 Credential=x,Signature=zz';
        if (r.extraHeader) headers[r.extraHeader[0]] = r.extraHeader[1];
        const withBody = r.body.length > 0 && r.method !== 'GET' && r.method !== 'HEAD';
        const res = await request(`${em.url}${r.path}${query ? `?${query}` : ''}`, { method: r.method as 'POST', headers, body: withBody ? r.body : undefined, dispatcher: agent });
        const text = await res.body.text();
        checkWellFormed(r.method, res.statusCode, res.headers, text);
        seen.set(res.statusCode, (seen.get(res.statusCode) ?? 0) + 1);
      }), { numRuns: 2000 });
    } finally {
      await agent.close();
    }
    // The storm must reach past authentication into the handlers, not only bounce off at 403.
    for (const status of [200, 400, 403, 404, 405]) expect([status, seen.get(status) ?? 0]).not.toEqual([status, 0]);
  });

  it('a delete still works after the storm (the server is healthy)', async () => {
    // The storm may well have deleted the shared bucket (a signed DELETE / is a valid request).
    expect((await call(em, 'PutVectorBucket', undefined, { bucket: 'after-storm' })).status).toBe(200);
    await createIndex(em, 'afterStorm', 4, 'cosine', 'after-storm');
    expect((await call(em, 'DeleteVectorIndex', { indexName: 'afterStorm' }, { bucket: 'after-storm' })).status).toBe(204);
  });
});

function splitResponse(text: string): { statusLine: string; headers: Map<string, string>; body: string } {
  const [head = '', ...rest] = text.split('\r\n\r\n');
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers = new Map(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
  return { statusLine, headers, body: rest.join('\r\n\r\n') };
}

function expectEnvelope(text: string, status: string, code: string): void {
  const r = splitResponse(text);
  expect(r.statusLine).toBe(`HTTP/1.1 ${status}`);
  expect(r.headers.get('content-type')).toBe('application/json');
  expect(r.headers.get('x-oss-request-id')).toHaveLength(24);
  const env = decodeError(r.body);
  expect(env.ok).toBe(true);
  expect(env.body!.Code).toBe(code);
}

describe('raw sockets', () => {
  it('a broken request line → HTTP/1.1 400 Bad Request with a JSON envelope, connection closed', async () => {
    expectEnvelope(await rawExchange(em.port, 'GARBAGE\r\n\r\n'), '400 Bad Request', 'InvalidRequest');
    expectEnvelope(await rawExchange(em.port, 'POST /?deleteVectorIndex HTTP/9.9\r\n\r\n'), '400 Bad Request', 'InvalidRequest');
  });

  it('a malformed header line, and Content-Length with Transfer-Encoding → 400 envelope', async () => {
    expectEnvelope(await rawExchange(em.port, 'POST / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n'), '400 Bad Request', 'InvalidRequest');
    expectEnvelope(await rawExchange(em.port, 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'), '400 Bad Request', 'InvalidRequest');
  });

  it('CONNECT gets an envelope instead of a silent close', async () => {
    expectEnvelope(await rawExchange(em.port, 'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n'), '400 Bad Request', 'InvalidRequest');
  });

  it('an oversized Content-Length is refused at once with 400 EntityTooLarge, without reading the body', async () => {
    const started = Date.now();
    const text = await rawExchange(em.port, `POST /${BUCKET}/?deleteVectorIndex HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 999999999\r\n\r\n{"indexName":`);
    expect(Date.now() - started).toBeLessThan(2500);
    expectEnvelope(text, '400 Bad Request', 'EntityTooLarge');
    expect(splitResponse(text).headers.get('connection')).toBe('close');
  });

  it('a chunked body crossing maxBodyBytes is refused with 400 EntityTooLarge', async () => {
    const small = await start({ maxBodyBytes: 1024 });
    try {
      const chunk = 'a'.repeat(600);
      const text = await rawExchange(small.port, `POST /${BUCKET}/?deleteVectorIndex HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n${(600).toString(16)}\r\n${chunk}\r\n${(600).toString(16)}\r\n${chunk}\r\n0\r\n\r\n`);
      expectEnvelope(text, '400 Bad Request', 'EntityTooLarge');
      // A body under the cap still reaches the handler (and fails on auth, as it is unsigned).
      expectEnvelope(await rawExchange(small.port, `POST /${BUCKET}/?deleteVectorIndex HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`), '403 Forbidden', 'AccessDenied');
    } finally { await small.close(); }
  });
});
