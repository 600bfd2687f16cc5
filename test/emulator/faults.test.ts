import { afterEach, describe, expect, it } from 'vitest';
import { FAULT_NAMES, FAULT_PROFILES, type RunningEmulator } from '../../emulator/index.ts';
import { decodeError } from '../../protocol/envelope.ts';
import { call, createIndex, errorCode, hook, rawExchange, rawSigned, send, sleep, start } from './helpers.ts';

let em: RunningEmulator | undefined;
afterEach(async () => { await em?.close(); em = undefined; });
const withFault = async (fault: string | null): Promise<RunningEmulator> => (em = await start({ fault }));
const put = (e: RunningEmulator, indexName: string, keys: string[]): ReturnType<typeof call> =>
  call(e, 'PutVectors', { indexName, vectors: keys.map((key, i) => ({ key, data: { float32: [1, i + 1, 0, 0] } })) });
const count = async (e: RunningEmulator, indexName: string): Promise<number> =>
  ((await call(e, 'ListVectors', { indexName })).json as { vectors: unknown[] }).vectors.length;

describe('fault profiles: each changes the behaviour it names', () => {
  it('every profile has a description and the documented behaviour it breaks', () => {
    expect(FAULT_NAMES.length).toBeGreaterThanOrEqual(16);
    for (const n of FAULT_NAMES) {
      expect(FAULT_PROFILES[n].description.length).toBeGreaterThan(10);
      expect(FAULT_PROFILES[n].breaks.length).toBeGreaterThan(10);
    }
  });

  it('an unknown profile name is refused', async () => {
    await expect(start({ fault: 'no-such-fault' })).rejects.toThrow(/unknown fault/);
  });

  it('status-200-on-delete: 200 instead of 204, the index is still deleted', async () => {
    const e = await withFault('status-200-on-delete');
    await createIndex(e, 'a');
    expect((await call(e, 'DeleteVectorIndex', { indexName: 'a' })).status).toBe(200);
    expect(errorCode(await call(e, 'GetVectorIndex', { indexName: 'a' }))).toBe('NoSuchVectorIndex');
    expect((await call(e, 'DeleteVectors', { indexName: 'a', keys: ['x'] })).status).toBe(404);
  });

  it('body-on-204: a JSON body follows the 204 status line', async () => {
    const e = await withFault('body-on-204');
    await createIndex(e, 'a');
    const text = await rawExchange(e.port, rawSigned(e, 'POST', 'deleteVectorIndex', '{"indexName":"a"}'));
    expect(text).toMatch(/^HTTP\/1\.1 204 /);
    expect(text.split('\r\n\r\n')[1]).toMatch(/^\{.*\}$/);
    const clean = await start();
    await createIndex(clean, 'a');
    const ok = await rawExchange(clean.port, rawSigned(clean, 'POST', 'deleteVectorIndex', '{"indexName":"a"}'));
    expect(ok).toMatch(/^HTTP\/1\.1 204 /);
    expect(ok.split('\r\n\r\n')[1]).toBe('');
    await clean.close();
  });

  it('vectors-survive-delete: re-creating the name brings the old vectors back', async () => {
    const e = await withFault('vectors-survive-delete');
    await createIndex(e, 'a');
    await put(e, 'a', ['k1', 'k2']);
    expect((await call(e, 'DeleteVectorIndex', { indexName: 'a' })).status).toBe(204);
    expect(errorCode(await call(e, 'GetVectorIndex', { indexName: 'a' }))).toBe('NoSuchVectorIndex');
    await createIndex(e, 'a');
    expect(await count(e, 'a')).toBe(2);
  });

  it('deleted-index-visible: GetVectorIndex and ListVectorIndexes still show the deleted index', async () => {
    const e = await withFault('deleted-index-visible');
    await createIndex(e, 'a');
    expect((await call(e, 'DeleteVectorIndex', { indexName: 'a' })).status).toBe(204);
    expect((await call(e, 'GetVectorIndex', { indexName: 'a' })).status).toBe(200);
    expect(((await call(e, 'ListVectorIndexes')).json as { indexes: Array<{ indexName: string }> }).indexes.map((i) => i.indexName)).toContain('a');
    expect(errorCode(await call(e, 'DeleteVectorIndex', { indexName: 'a' }))).toBe('NoSuchVectorIndex');
  });

  it('accept-invalid-names: a malformed name is 404 instead of 400; a missing name is still 400', async () => {
    const e = await withFault('accept-invalid-names');
    expect(errorCode(await call(e, 'DeleteVectorIndex', { indexName: 'bad-name!' }))).toBe('NoSuchVectorIndex');
    expect(errorCode(await call(e, 'DeleteVectorIndex', {}))).toBe('VectorIndexParameterInvalid');
    expect(errorCode(await call(e, 'GetVectorIndex', { indexName: 'bad-name!' }))).toBe('VectorIndexParameterInvalid');
  });

  it('malformed-json-wrong-code: broken JSON is VectorIndexParameterInvalid', async () => {
    const e = await withFault('malformed-json-wrong-code');
    const r = await call(e, 'DeleteVectorIndex', '{"indexName":');
    expect([r.status, errorCode(r)]).toEqual([400, 'VectorIndexParameterInvalid']);
    expect(errorCode(await call(e, 'DeleteVectorIndex', { indexName: 'absent' }))).toBe('NoSuchVectorIndex');
  });

  it('xml-errors: errors are XML with Content-Type application/xml; successes unchanged', async () => {
    const e = await withFault('xml-errors');
    const r = await call(e, 'GetVectorIndex', { indexName: 'absent' });
    expect(r.status).toBe(404);
    expect(r.headers['content-type']).toBe('application/xml');
    expect(r.text).toMatch(/<Code>NoSuchVectorIndex<\/Code>/);
    expect((await call(e, 'ListVectorIndexes')).headers['content-type']).toBe('application/json');
  });

  it('json-charset: error Content-Type is application/json; charset=utf-8', async () => {
    const e = await withFault('json-charset');
    const r = await call(e, 'GetVectorIndex', { indexName: 'absent' });
    expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(decodeError(r.text).ok).toBe(true);
  });

  it('accept-unsigned: a request without Authorization is served; a bad signature is still refused', async () => {
    const e = await withFault('accept-unsigned');
    await createIndex(e, 'a');
    expect((await call(e, 'DeleteVectorIndex', { indexName: 'a' }, { credentials: null })).status).toBe(204);
    expect(errorCode(await call(e, 'ListVectorIndexes', undefined, { credentials: { accessKeyId: 'ovc-test-key', accessKeySecret: 'wrong' } }))).toBe('SignatureDoesNotMatch');
  });

  it('accept-bad-signature: a wrong secret is served; an unknown key and an unsigned request are still refused', async () => {
    const e = await withFault('accept-bad-signature');
    expect((await call(e, 'ListVectorIndexes', undefined, { credentials: { accessKeyId: 'ovc-test-key', accessKeySecret: 'wrong' } })).status).toBe(200);
    expect(errorCode(await call(e, 'ListVectorIndexes', undefined, { credentials: { accessKeyId: 'nobody', accessKeySecret: 'x' } }))).toBe('InvalidAccessKeyId');
    expect(errorCode(await call(e, 'ListVectorIndexes', undefined, { credentials: null }))).toBe('AccessDenied');
  });

  it("delete-creating-succeeds: an index in 'creating' or 'deleting' is deleted with 204", async () => {
    const e = await withFault('delete-creating-succeeds');
    for (const status of ['creating', 'deleting']) {
      await hook(e, { state: 'a vector index exists', params: { indexName: 'held', status } });
      expect((await call(e, 'DeleteVectorIndex', { indexName: 'held' })).status).toBe(204);
      expect(errorCode(await call(e, 'GetVectorIndex', { indexName: 'held' }))).toBe('NoSuchVectorIndex');
    }
  });

  it('wrong-error-code: NoSuchVectorIndex is reported as NoSuchIndex; other codes unchanged', async () => {
    const e = await withFault('wrong-error-code');
    const r = await call(e, 'DeleteVectorIndex', { indexName: 'absent' });
    expect([r.status, errorCode(r)]).toEqual([404, 'NoSuchIndex']);
    expect(errorCode(await call(e, 'DeleteVectorIndex', { indexName: 'x' }, { bucket: 'no-bucket' }))).toBe('NoSuchBucket');
  });

  it('missing-request-id: no x-oss-request-id header', async () => {
    const e = await withFault('missing-request-id');
    const r = await call(e, 'GetVectorIndex', { indexName: 'absent' });
    expect(r.headers['x-oss-request-id']).toBeUndefined();
    expect(r.headers.date).toBeDefined();
  });

  it('delete-touches-other: deleting one index empties the other indexes of the bucket', async () => {
    const e = await withFault('delete-touches-other');
    await createIndex(e, 'a');
    await createIndex(e, 'b');
    await put(e, 'b', ['k1', 'k2']);
    expect((await call(e, 'DeleteVectorIndex', { indexName: 'a' })).status).toBe(204);
    expect((await call(e, 'GetVectorIndex', { indexName: 'b' })).status).toBe(200);
    expect(await count(e, 'b')).toBe(0);
  });

  it('second-delete-204: an absent well-formed name is 204; malformed names still 400', async () => {
    const e = await withFault('second-delete-204');
    expect((await call(e, 'DeleteVectorIndex', { indexName: 'absent' })).status).toBe(204);
    expect(errorCode(await call(e, 'DeleteVectorIndex', { indexName: 'bad-name' }))).toBe('VectorIndexParameterInvalid');
  });

  it('concurrent-deletes-succeed: parallel deletes of one index all get 204; one at a time is still correct', async () => {
    const e = await withFault('concurrent-deletes-succeed');
    await createIndex(e, 'a');
    const statuses = (await Promise.all(Array.from({ length: 16 }, () => call(e, 'DeleteVectorIndex', { indexName: 'a' })))).map((r) => r.status);
    expect(statuses.filter((s) => s === 204).length).toBeGreaterThan(1);
    expect(errorCode(await call(e, 'DeleteVectorIndex', { indexName: 'a' }))).toBe('NoSuchVectorIndex');
  });

  it("status-enabled-literal: a usable index is reported 'enabled' by Get and List; creating stays 'creating'", async () => {
    const e = await withFault('status-enabled-literal');
    await createIndex(e, 'a');
    expect(((await call(e, 'GetVectorIndex', { indexName: 'a' })).json as { index: { status: string } }).index.status).toBe('enabled');
    expect(((await call(e, 'ListVectorIndexes', {})).json as { indexes: Array<{ status: string }> }).indexes.map((i) => i.status)).toEqual(['enabled']);
    await hook(e, { state: 'a vector index exists', params: { bucket: 'ovc-conformance', indexName: 'c', status: 'creating' } });
    expect(((await call(e, 'GetVectorIndex', { indexName: 'c' })).json as { index: { status: string } }).index.status).toBe('creating');
  });

  const spec = (indexName: string) => ({ indexName, dataType: 'float32', dimension: 4, distanceMetric: 'cosine' });
  const statusOf = async (e: RunningEmulator, indexName: string, bucket?: string): Promise<string | undefined> =>
    ((await call(e, 'GetVectorIndex', { indexName }, bucket ? { bucket } : {})).json as { index?: { status: string } }).index?.status;
  const listed = async (e: RunningEmulator, bucket?: string): Promise<Array<{ indexName: string; status: string }>> =>
    ((await call(e, 'ListVectorIndexes', {}, bucket ? { bucket } : {})).json as { indexes: Array<{ indexName: string; status: string }> }).indexes;

  it("enable-during-deleting: a deleted index reads 'enable' in Get and List during its window, then is gone; hook-held 'deleting' is unchanged", async () => {
    const e = await withFault('enable-during-deleting');
    await createIndex(e, 'a');
    expect((await call(e, 'DeleteVectorIndex', { indexName: 'a' })).status).toBe(204);
    expect(await statusOf(e, 'a')).toBe('enable');
    expect((await listed(e)).find((i) => i.indexName === 'a')?.status).toBe('enable');
    // Internally still 'deleting': a second delete is 409.
    expect(errorCode(await call(e, 'DeleteVectorIndex', { indexName: 'a' }))).toBe('VectorIndexOperationConflict');
    await hook(e, { state: 'a vector index in deleting exists', params: { indexName: 'held' } });
    expect(await statusOf(e, 'held')).toBe('deleting');
    await sleep(650); // the profile's own 500 ms window
    expect(errorCode(await call(e, 'GetVectorIndex', { indexName: 'a' }))).toBe('NoSuchVectorIndex');
  });

  it("deleting-forever: a deleted index stays 'deleting'; the name is never free again", async () => {
    const e = (em = await start({ fault: 'deleting-forever', deletingMs: 50 }));
    await createIndex(e, 'a');
    expect((await call(e, 'DeleteVectorIndex', { indexName: 'a' })).status).toBe(204);
    await sleep(200);
    expect(await statusOf(e, 'a')).toBe('deleting');
    expect(errorCode(await call(e, 'PutVectorIndex', spec('a')))).toBe('VectorBucketIndexAlreadyExist');
    expect(errorCode(await call(e, 'DeleteVectorIndex', { indexName: 'a' }))).toBe('VectorIndexOperationConflict');
    expect(errorCode(await call(e, 'DeleteVectorBucket'))).toBe('VectorBucketNotEmpty');
  });

  it("creating-deleted-204: an index 'creating' by the timer is deleted with 204; a hook-held 'creating' one is still 409", async () => {
    const e = await withFault('creating-deleted-204');
    await createIndex(e, 'young');
    expect(await statusOf(e, 'young')).toBe('creating');
    expect((await call(e, 'DeleteVectorIndex', { indexName: 'young' })).status).toBe(204);
    expect(errorCode(await call(e, 'GetVectorIndex', { indexName: 'young' }))).toBe('NoSuchVectorIndex');
    await hook(e, { state: 'a vector index in creating exists', params: { indexName: 'held' } });
    expect(errorCode(await call(e, 'DeleteVectorIndex', { indexName: 'held' }))).toBe('VectorIndexOperationConflict');
  });

  it('throttle-500: over the rate (its own 20/s when none is set) the answer is 500 InternalError, never 503', async () => {
    const e = await withFault('throttle-500');
    const replies = await Promise.all(Array.from({ length: 60 }, () => call(e, 'ListVectorIndexes')));
    const statuses = replies.map((r) => r.status);
    expect(statuses).not.toContain(503);
    expect(statuses.filter((x) => x === 200).length).toBeGreaterThanOrEqual(20);
    const failed = replies.filter((r) => r.status === 500);
    expect(failed.length).toBeGreaterThan(0);
    for (const r of failed) expect([errorCode(r), r.headers['content-type'], r.headers['retry-after']]).toEqual(['InternalError', 'application/json', undefined]);
    const withPutThrottle = await start({ fault: 'throttle-500', throttlePutIndexRps: 1 });
    try {
      const puts = await Promise.all([spec('p1'), spec('p2'), spec('p3')].map((b) => call(withPutThrottle, 'PutVectorIndex', b)));
      expect(puts.map((r) => r.status).sort()).toEqual([200, 500, 500]);
      const lists = await Promise.all(Array.from({ length: 40 }, () => call(withPutThrottle, 'ListVectorIndexes')));
      expect(lists.every((r) => r.status === 200)).toBe(true);
    } finally { await withPutThrottle.close(); }
  });

  it('empty-body-parameter-invalid: an empty body is VectorIndexParameterInvalid; broken JSON is still MalformedJson', async () => {
    const e = await withFault('empty-body-parameter-invalid');
    const r = await send(e, { method: 'POST', query: 'deleteVectorIndex', body: '' });
    expect([r.status, errorCode(r)]).toEqual([400, 'VectorIndexParameterInvalid']);
    expect(errorCode(await send(e, { method: 'POST', query: 'deleteVectorIndex', body: '{"indexName":' }))).toBe('MalformedJson');
    expect((await send(e, { method: 'POST', query: 'listVectorIndexes', body: '' })).status).toBe(200);
  });

  it('json-before-bucket: broken JSON to a missing bucket is MalformedJson; valid JSON to a missing bucket is still NoSuchBucket', async () => {
    const e = await withFault('json-before-bucket');
    const r = await call(e, 'DeleteVectorIndex', '{"indexName":', { bucket: 'no-such-bucket' });
    expect([r.status, errorCode(r)]).toEqual([400, 'MalformedJson']);
    expect(errorCode(await call(e, 'DeleteVectorIndex', { indexName: 'a' }, { bucket: 'no-such-bucket' }))).toBe('NoSuchBucket');
    expect(errorCode(await call(e, 'DeleteVectorIndex', '[]', { bucket: 'no-such-bucket' }))).toBe('NoSuchBucket');
  });

  it('bucket-counts-deleted-indexes: a bucket that held an index is never deleted; one that never did is', async () => {
    const e = (em = await start({ fault: 'bucket-counts-deleted-indexes', buckets: ['held-one', 'never-held'] }));
    await createIndex(e, 'a', 4, 'cosine', 'held-one');
    expect((await call(e, 'DeleteVectorIndex', { indexName: 'a' }, { bucket: 'held-one' })).status).toBe(204);
    expect(await listed(e, 'held-one')).toEqual([]);
    const r = await call(e, 'DeleteVectorBucket', undefined, { bucket: 'held-one' });
    expect([r.status, errorCode(r)]).toEqual([409, 'VectorBucketNotEmpty']);
    expect((await call(e, 'DeleteVectorBucket', undefined, { bucket: 'never-held' })).status).toBe(204);
  });

  it("delete-by-prefix: deleting 'abc' also deletes 'abcd' and 'abcX', not 'ab' or 'xabc'", async () => {
    const e = await withFault('delete-by-prefix');
    for (const n of ['abc', 'abcd', 'abcX', 'ab', 'xabc']) await createIndex(e, n);
    expect((await call(e, 'DeleteVectorIndex', { indexName: 'abc' })).status).toBe(204);
    expect((await listed(e)).map((i) => i.indexName)).toEqual(['ab', 'xabc']);
  });

  it("delete-case-insensitive: deleting 'Abc' also deletes 'abc'; deleting 'ABC' finds 'abc'", async () => {
    const e = await withFault('delete-case-insensitive');
    for (const n of ['Abc', 'abc', 'other']) await createIndex(e, n);
    expect((await call(e, 'DeleteVectorIndex', { indexName: 'Abc' })).status).toBe(204);
    expect((await listed(e)).map((i) => i.indexName)).toEqual(['other']);
    await createIndex(e, 'lower');
    expect((await call(e, 'DeleteVectorIndex', { indexName: 'LOWER' })).status).toBe(204);
    expect(errorCode(await call(e, 'GetVectorIndex', { indexName: 'lower' }))).toBe('NoSuchVectorIndex');
  });

  it('delete-in-all-buckets: deleting a name in one bucket deletes it in every bucket', async () => {
    const e = (em = await start({ fault: 'delete-in-all-buckets', buckets: ['bkt-one', 'bkt-two', 'bkt-three'] }));
    for (const b of ['bkt-one', 'bkt-two', 'bkt-three']) await createIndex(e, 'same', 4, 'cosine', b);
    await createIndex(e, 'other', 4, 'cosine', 'bkt-two');
    expect((await call(e, 'DeleteVectorIndex', { indexName: 'same' }, { bucket: 'bkt-one' })).status).toBe(204);
    expect(errorCode(await call(e, 'GetVectorIndex', { indexName: 'same' }, { bucket: 'bkt-two' }))).toBe('NoSuchVectorIndex');
    expect(errorCode(await call(e, 'GetVectorIndex', { indexName: 'same' }, { bucket: 'bkt-three' }))).toBe('NoSuchVectorIndex');
    expect(await statusOf(e, 'other', 'bkt-two')).toBe('enable');
  });

  it('reject-63-char-name: a valid 63-character name is 400; 62 characters still work', async () => {
    const e = await withFault('reject-63-char-name');
    const n63 = `a${'b'.repeat(62)}`;
    for (const r of [await call(e, 'PutVectorIndex', spec(n63)), await call(e, 'DeleteVectorIndex', { indexName: n63 })]) {
      expect([r.status, errorCode(r)]).toEqual([400, 'VectorIndexParameterInvalid']);
    }
    await createIndex(e, n63.slice(0, 62));
    expect((await call(e, 'DeleteVectorIndex', { indexName: n63.slice(0, 62) })).status).toBe(204);
  });

  it('accept-64-char-name: a 64-character name is created and deleted; 65 characters and bad characters are still 400', async () => {
    const e = await withFault('accept-64-char-name');
    const n64 = `a${'b'.repeat(63)}`;
    expect((await call(e, 'PutVectorIndex', spec(n64))).status).toBe(200);
    expect((await call(e, 'DeleteVectorIndex', { indexName: n64 })).status).toBe(204);
    expect(errorCode(await call(e, 'DeleteVectorIndex', { indexName: `${n64}c` }))).toBe('VectorIndexParameterInvalid');
    expect(errorCode(await call(e, 'DeleteVectorIndex', { indexName: `${'b'.repeat(63)}-` }))).toBe('VectorIndexParameterInvalid');
  });

  it('without a fault none of the above deviations happen', async () => {
    const e = await withFault(null);
    await createIndex(e, 'a');
    await createIndex(e, 'b');
    await put(e, 'b', ['k1']);
    const r = await call(e, 'DeleteVectorIndex', { indexName: 'a' });
    expect(r.status).toBe(204);
    expect(await count(e, 'b')).toBe(1);
    const missing = await call(e, 'DeleteVectorIndex', { indexName: 'a' });
    expect([missing.status, errorCode(missing), missing.headers['content-type']]).toEqual([404, 'NoSuchVectorIndex', 'application/json']);
    expect(errorCode(await send(e, { method: 'POST', query: 'deleteVectorIndex', body: '{' }))).toBe('MalformedJson');
    expect(((await call(e, 'GetVectorIndex', { indexName: 'b' })).json as { index: { status: string } }).index.status).toBe('enable');
  });
});
