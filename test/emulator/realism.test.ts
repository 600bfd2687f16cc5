import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { OPERATIONS, type OperationName } from '../../contracts/operations.ts';
import { FAULT_NAMES } from '../../emulator/faults.ts';
import { decodeError } from '../../protocol/envelope.ts';
import { createEmulatorInstance, type RunningEmulator } from '../../emulator/index.ts';
import { parseRange, REALISTIC_PROFILE, sample, toRange, TokenBucket } from '../../emulator/realism.ts';
import { call, createIndex, errorCode, hook, send, sleep, start, type Reply } from './helpers.ts';

const opened: RunningEmulator[] = [];
afterEach(async () => { await Promise.all(opened.splice(0).map((e) => e.close())); });
const open = async (opts: Parameters<typeof start>[0]): Promise<RunningEmulator> => {
  const e = await start(opts);
  opened.push(e);
  return e;
};
const status = async (e: RunningEmulator, indexName: string, bucket?: string): Promise<string | undefined> =>
  ((await call(e, 'GetVectorIndex', { indexName }, bucket ? { bucket } : {})).json as { index?: { status: string } }).index?.status;
const indexSpec = (indexName: string) => ({ indexName, dataType: 'float32', dimension: 4, distanceMetric: 'cosine' });
const resolved = (opts: Parameters<typeof createEmulatorInstance>[0]) => createEmulatorInstance({ identities: [], ...opts }).emulator.options;

/** The documented envelope of every emulator error (DESIGN rule 3). */
function expectEnvelope(r: Reply, statusCode: number, code: string): void {
  expect([r.status, errorCode(r)]).toEqual([statusCode, code]);
  expect(r.headers['content-type']).toBe('application/json');
  expect(r.headers['x-oss-request-id']).toHaveLength(24);
  expect(r.headers['x-oss-ec']).toMatch(/^\d{4}-\d{8}$/);
  expect(r.headers.date).toBeDefined();
}

describe('durations: fixed or ranges', () => {
  it('parseRange reads A and A-B, refuses anything else', () => {
    expect(parseRange('0')).toEqual({ min: 0, max: 0 });
    expect(parseRange('200-1500')).toEqual({ min: 200, max: 1500 });
    for (const bad of ['', '-5', '1.5', '5-', '9-3', 'abc', '1-2-3', '100', ' ']) expect(parseRange(bad, 99), bad).toBeNull();
  });

  it('toRange takes a number, {min,max} or [min,max]; refuses negatives, fractions and min > max', () => {
    expect(toRange('x', 7)).toEqual({ min: 7, max: 7 });
    expect(toRange('x', { min: 1, max: 9 })).toEqual({ min: 1, max: 9 });
    expect(toRange('x', [3, 4])).toEqual({ min: 3, max: 4 });
    expect(() => toRange('x', -1)).toThrow(/whole milliseconds/);
    expect(() => toRange('x', 1.5)).toThrow(/whole milliseconds/);
    expect(() => toRange('x', { min: 5, max: 1 })).toThrow(/min <= max/);
    expect(() => toRange('x', 'ten' as unknown as number)).toThrow();
  });

  it('sample stays inside the range and reaches both ends', () => {
    const r = { min: 10, max: 12 };
    expect(sample(r, () => 0)).toBe(10);
    expect(sample(r, () => 0.999999)).toBe(12);
    for (let i = 0; i < 200; i++) {
      const v = sample(r, Math.random);
      expect(v >= 10 && v <= 12 && Number.isInteger(v)).toBe(true);
    }
    expect(sample({ min: 5, max: 5 }, () => 0.7)).toBe(5);
  });

  it('startEmulator keeps the integer forms and accepts ranges; bad values are refused', async () => {
    expect(resolved({ creatingMs: 150 }).creatingMs).toEqual({ min: 150, max: 150 });
    expect(resolved({ deletingMs: [10, 20] }).deletingMs).toEqual({ min: 10, max: 20 });
    expect(resolved({ latencyMs: { min: 1, max: 2 } }).latencyMs).toEqual({ min: 1, max: 2 });
    await expect(start({ creatingMs: -5 })).rejects.toThrow(/creatingMs/);
    await expect(start({ deletingMs: { min: 9, max: 1 } })).rejects.toThrow(/deletingMs/);
    await expect(start({ throttleRps: -1 })).rejects.toThrow(/throttleRps/);
    await expect(start({ indexQuota: 1.5 })).rejects.toThrow(/indexQuota/);
  });

  it("a ranged creating window: each new index is 'creating' for a drawn time, then 'enable'", async () => {
    // A window wide enough that the status read right after the create lands inside it on a loaded machine.
    const e = await open({ creatingMs: { min: 400, max: 600 } });
    await createIndex(e, 'ranged');
    expect(await status(e, 'ranged')).toBe('creating');
    await sleep(900);
    expect(await status(e, 'ranged')).toBe('enable');
  });

  it('the drawn times follow the random source (min at 0, max near 1)', async () => {
    const e = await open({ deletingMs: { min: 1, max: 400 }, random: () => 0 });
    await createIndex(e, 'quick');
    expect((await call(e, 'DeleteVectorIndex', { indexName: 'quick' })).status).toBe(204);
    await sleep(60);
    expect(errorCode(await call(e, 'GetVectorIndex', { indexName: 'quick' }))).toBe('NoSuchVectorIndex');
    const slow = await open({ deletingMs: { min: 1, max: 400 }, random: () => 0.9999 });
    await createIndex(slow, 'slow');
    expect((await call(slow, 'DeleteVectorIndex', { indexName: 'slow' })).status).toBe(204);
    await sleep(60);
    expect(await status(slow, 'slow')).toBe('deleting');
  });
});

describe('latency', () => {
  it('every API request waits; the state hook never does', async () => {
    const e = await open({ latencyMs: 300 });
    let t = performance.now();
    expect((await call(e, 'ListVectorIndexes')).status).toBe(200);
    expect(performance.now() - t).toBeGreaterThanOrEqual(290);
    t = performance.now();
    const errored = await call(e, 'GetVectorIndex', { indexName: 'absent' });
    expect(errorCode(errored)).toBe('NoSuchVectorIndex');
    expect(performance.now() - t).toBeGreaterThanOrEqual(290);
    t = performance.now();
    expect((await hook(e, { state: 'a vector index exists', params: { indexName: 'fast' } })).status).toBe(200);
    expect(performance.now() - t).toBeLessThan(250);
  });
});

describe('throttling', () => {
  it('over --throttle-rps: 503 ServiceUnavailable in the usual envelope with Retry-After: 1; the hook is never throttled', async () => {
    const e = await open({ throttleRps: 3 });
    const replies = await Promise.all(Array.from({ length: 12 }, () => call(e, 'ListVectorIndexes')));
    const ok = replies.filter((r) => r.status === 200);
    const throttled = replies.filter((r) => r.status === 503);
    expect(ok.length).toBeGreaterThanOrEqual(3);
    expect(ok.length).toBeLessThanOrEqual(5);
    expect(ok.length + throttled.length).toBe(12);
    for (const r of throttled) {
      expectEnvelope(r, 503, 'ServiceUnavailable');
      expect(r.headers['retry-after']).toBe('1');
    }
    const hooks = await Promise.all(Array.from({ length: 10 }, (_, i) => hook(e, { state: 'no vector index exists', params: { indexName: `h${i}` } })));
    expect(hooks.map((h) => h.status)).toEqual(hooks.map(() => 200));
    await sleep(1100);
    expect((await call(e, 'ListVectorIndexes')).status).toBe(200);
  });

  it('over --throttle-put-index-rps: only PutVectorIndex is throttled', async () => {
    const e = await open({ throttlePutIndexRps: 2 });
    const puts = await Promise.all(Array.from({ length: 6 }, (_, i) => call(e, 'PutVectorIndex', indexSpec(`t${i}`))));
    expect(puts.filter((r) => r.status === 200).length).toBe(2);
    for (const r of puts.filter((x) => x.status !== 200)) {
      expectEnvelope(r, 503, 'ServiceUnavailable');
      expect(r.headers['retry-after']).toBe('1');
    }
    const lists = await Promise.all(Array.from({ length: 10 }, () => call(e, 'ListVectorIndexes')));
    expect(lists.map((r) => r.status)).toEqual(lists.map(() => 200));
    // A throttled PutVectorIndex changed nothing.
    const names = ((lists[0]!.json as { indexes: Array<{ indexName: string }> }).indexes).map((i) => i.indexName);
    expect(names).toHaveLength(2);
    await sleep(600);
    expect((await call(e, 'PutVectorIndex', indexSpec('later'))).status).toBe(200);
  });

  it('a token bucket holds one second of requests (at least one) and refills at the rate', () => {
    let now = 0;
    const b = new TokenBucket(5, () => now);
    expect(Array.from({ length: 7 }, () => b.take())).toEqual([true, true, true, true, true, false, false]);
    now += 200;
    expect([b.take(), b.take()]).toEqual([true, false]);
    now += 10_000;
    expect(Array.from({ length: 6 }, () => b.take()).filter(Boolean)).toHaveLength(5);
    const slow = new TokenBucket(0.5, () => now);
    expect([slow.take(), slow.take()]).toEqual([true, false]);
    now += 2000;
    expect(slow.take()).toBe(true);
    expect(() => new TokenBucket(0)).toThrow();
  });
});

describe('index quota', () => {
  it("PutVectorIndex beyond the quota is 400 VectorBucketIndexExceedLimit; an index in 'deleting' counts until it is removed", async () => {
    const e = await open({ indexQuota: 2, deletingMs: 150 });
    await createIndex(e, 'q1');
    await createIndex(e, 'q2');
    expectEnvelope(await call(e, 'PutVectorIndex', indexSpec('q3')), 400, 'VectorBucketIndexExceedLimit');
    expect((await call(e, 'DeleteVectorIndex', { indexName: 'q1' })).status).toBe(204);
    expect(errorCode(await call(e, 'PutVectorIndex', indexSpec('q3')))).toBe('VectorBucketIndexExceedLimit');
    await sleep(300);
    expect((await call(e, 'PutVectorIndex', indexSpec('q3'))).status).toBe(200);
  });

  it('the quota is per bucket and defaults to 100', async () => {
    expect(resolved({}).indexQuota).toBe(100);
    const e = await open({ indexQuota: 1, buckets: ['qa', 'qb'] });
    await createIndex(e, 'one', 4, 'cosine', 'qa');
    await createIndex(e, 'one', 4, 'cosine', 'qb');
    expect(errorCode(await call(e, 'PutVectorIndex', indexSpec('two'), { bucket: 'qa' }))).toBe('VectorBucketIndexExceedLimit');
  });
});

describe('realistic profile', () => {
  it('sets latency 5-40, creating and deleting 200-1500, PutVectorIndex at 5/s, quota 100; explicit options override parts', () => {
    const o = resolved({ realistic: true });
    expect([o.latencyMs, o.creatingMs, o.deletingMs, o.throttlePutIndexRps, o.throttleRps, o.indexQuota]).toEqual([
      { min: 5, max: 40 }, { min: 200, max: 1500 }, { min: 200, max: 1500 }, 5, null, 100,
    ]);
    expect(REALISTIC_PROFILE.throttlePutIndexRps).toBe(5);
    const p = resolved({ realistic: true, creatingMs: 0, latencyMs: [1, 2], throttlePutIndexRps: 0, throttleRps: 50, indexQuota: 7 });
    expect([p.latencyMs, p.creatingMs, p.deletingMs, p.throttlePutIndexRps, p.throttleRps, p.indexQuota]).toEqual([
      { min: 1, max: 2 }, { min: 0, max: 0 }, { min: 200, max: 1500 }, null, 50, 7,
    ]);
    const plain = resolved({});
    expect([plain.latencyMs, plain.creatingMs, plain.throttlePutIndexRps, plain.throttleRps]).toEqual([{ min: 0, max: 0 }, { min: 0, max: 0 }, null, null]);
  });

  it("a new index is 'creating' at first, then 'enable' within 1.5 s", async () => {
    const e = await open({ realistic: true });
    await createIndex(e, 'cloudy');
    expect(await status(e, 'cloudy')).toBe('creating');
    await sleep(1600);
    expect(await status(e, 'cloudy')).toBe('enable');
  });
});

describe('provider-state hook states are immune to the timers', () => {
  it("hook-made 'creating' and 'deleting' never move; hook-made 'enable' is 'enable' at once", async () => {
    const e = await open({ creatingMs: 50, deletingMs: 50 });
    await hook(e, { state: 'a vector index exists', params: { indexName: 'hc', status: 'creating' } });
    await hook(e, { state: 'a vector index in deleting exists', params: { indexName: 'hd' } });
    await hook(e, { state: 'a vector index exists', params: { indexName: 'he' } });
    expect(await status(e, 'he')).toBe('enable');
    expect((await call(e, 'PutVectors', { indexName: 'he', vectors: [{ key: 'k', data: { float32: [1, 2, 3, 4] } }] })).status).toBe(200);
    await sleep(200);
    expect([await status(e, 'hc'), await status(e, 'hd'), await status(e, 'he')]).toEqual(['creating', 'deleting', 'enable']);
    // Deleted through the API, the hook's 'enable' index takes the deleting window like any other.
    expect((await call(e, 'DeleteVectorIndex', { indexName: 'he' })).status).toBe(204);
    expect(await status(e, 'he')).toBe('deleting');
    await sleep(150);
    expect(errorCode(await call(e, 'GetVectorIndex', { indexName: 'he' }))).toBe('NoSuchVectorIndex');
  });
});

describe('hook states replace API records without inheriting their timers', () => {
  it("a pending creating or deleting timer of an older record never touches what the hook set up under the same name", async () => {
    const e = await open({ creatingMs: 100, deletingMs: 100 });
    await createIndex(e, 'reused');
    expect(await status(e, 'reused')).toBe('creating');
    await hook(e, { state: 'a vector index in creating exists', params: { indexName: 'reused' } });
    await createIndex(e, 'gone');
    await sleep(150);
    expect((await call(e, 'DeleteVectorIndex', { indexName: 'gone' })).status).toBe(204);
    expect(await status(e, 'gone')).toBe('deleting');
    await hook(e, { state: 'a vector index exists', params: { indexName: 'gone' } });
    await sleep(250);
    expect([await status(e, 'reused'), await status(e, 'gone')]).toEqual(['creating', 'enable']);
  });
});

describe('DeleteVectorBucket and the indexes it holds', () => {
  it("409 VectorBucketNotEmpty while any index exists (creating, enable, deleting); 204 once every index is gone", async () => {
    const e = await open({ deletingMs: 150, buckets: ['ovc-conformance', 'bkt-with-idx'] });
    const bucket = 'bkt-with-idx';
    await hook(e, { state: 'a vector index in creating exists', params: { bucket, indexName: 'c' } });
    await hook(e, { state: 'a vector index in deleting exists', params: { bucket, indexName: 'd' } });
    await createIndex(e, 'live', 4, 'cosine', bucket);
    expectEnvelope(await call(e, 'DeleteVectorBucket', undefined, { bucket }), 409, 'VectorBucketNotEmpty');
    for (const indexName of ['c', 'd']) await hook(e, { action: 'teardown', state: 'a vector index exists', params: { bucket, indexName } });
    expect(errorCode(await call(e, 'DeleteVectorBucket', undefined, { bucket }))).toBe('VectorBucketNotEmpty');
    expect((await call(e, 'DeleteVectorIndex', { indexName: 'live' }, { bucket })).status).toBe(204);
    // Still 'deleting': the bucket is not empty yet.
    expect(errorCode(await call(e, 'DeleteVectorBucket', undefined, { bucket }))).toBe('VectorBucketNotEmpty');
    await sleep(300);
    expect((await call(e, 'DeleteVectorBucket', undefined, { bucket })).status).toBe(204);
    expect(errorCode(await call(e, 'GetVectorBucket', undefined, { bucket }))).toBe('NoSuchBucket');
  });

  it('without a deleting window the bucket can be deleted right after its last index', async () => {
    const e = await open({ buckets: ['ovc-conformance', 'bkt-instant'] });
    await createIndex(e, 'only', 4, 'cosine', 'bkt-instant');
    expect(errorCode(await call(e, 'DeleteVectorBucket', undefined, { bucket: 'bkt-instant' }))).toBe('VectorBucketNotEmpty');
    expect((await call(e, 'DeleteVectorIndex', { indexName: 'only' }, { bucket: 'bkt-instant' })).status).toBe(204);
    expect((await call(e, 'DeleteVectorBucket', undefined, { bucket: 'bkt-instant' })).status).toBe(204);
  });
});

describe('robustness with realism and every fault profile on', () => {
  const names = fc.constantFrom('abc', 'abcd', 'Abc', 'ABC', 'x', `a${'b'.repeat(62)}`, `a${'b'.repeat(63)}`, 'bad-name', '', 'Z9');
  const body = fc.oneof(
    fc.constant(''), fc.constant('{'), fc.constant('[]'), fc.jsonValue().map((v) => JSON.stringify(v)),
    fc.record({ indexName: names, dataType: fc.constant('float32'), dimension: fc.constantFrom(4, 0), distanceMetric: fc.constant('cosine') }, { requiredKeys: [] }).map((v) => JSON.stringify(v)),
  );
  const request = fc.record({
    op: fc.constantFrom<OperationName>('PutVectorIndex', 'DeleteVectorIndex', 'GetVectorIndex', 'ListVectorIndexes', 'DeleteVectorBucket', 'PutVectors', 'ListVectors'),
    bucket: fc.constantFrom('ovc-conformance', 'bkt-two', 'no-such-bucket'),
    body,
  });

  it('random index operations never get a 5xx other than a throttled 503 (500 only for throttle-500), and every error is a JSON envelope', async () => {
    const faults = [null, ...FAULT_NAMES.filter((f) => f !== 'concurrent-deletes-succeed' && f !== 'body-on-204' && f !== 'xml-errors' && f !== 'json-charset' && f !== 'missing-request-id')];
    for (const fault of faults) {
      const e = await open({ fault, latencyMs: [0, 2], creatingMs: [0, 20], deletingMs: [0, 20], throttleRps: 400, throttlePutIndexRps: 50, indexQuota: 3, buckets: ['ovc-conformance', 'bkt-two'] });
      await fc.assert(fc.asyncProperty(fc.array(request, { minLength: 1, maxLength: 6 }), async (batch) => {
        const replies = await Promise.all(batch.map((r) => send(e, { method: OPERATIONS[r.op].method, query: OPERATIONS[r.op].queryKey ?? '', bucket: r.bucket, body: r.body })));
        for (const r of replies) {
          const allowed5xx = fault === 'throttle-500' ? 500 : 503;
          if (r.status >= 500) expect([fault, r.status]).toEqual([fault, allowed5xx]);
          if (r.status >= 400) {
            expect(r.headers['content-type']).toBe('application/json');
            expect(decodeError(r.text).problems).toEqual([]);
          }
        }
      }), { numRuns: 25, seed: 11 });
    }
  });
});
