import { afterEach, describe, expect, it } from 'vitest';
import { FAULT_NAMES, FAULT_PROFILES, type RunningEmulator } from '../../emulator/index.ts';
import { decodeError } from '../../protocol/envelope.ts';
import { call, createIndex, errorCode, hook, rawExchange, rawSigned, send, start } from './helpers.ts';

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
