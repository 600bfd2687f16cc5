// Pacing and throttling (DESIGN rule 5): the token bucket holds its rate, throttled answers (503,
// 429) are retried with backoff honouring Retry-After, nothing else is retried (a 500 is a
// finding), and a request that only ever got throttled is a ThrottledError — an `error` case.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Pacer, TargetClient } from '../../client/client.ts';
import { targetSpec } from '../../client/config.ts';
import { closeTransport } from '../../client/http.ts';
import { setEnvironmentData } from 'node:worker_threads';
import { chooseConcurrency } from '../../client/concurrency.ts';
import { AdaptiveWindow, backoffDelay, emptyStats, newSharedLimits, retryAfterMs, SHARED_LIMITS_KEY, SharedRate, SharedSlots, sharedLimits, sleep, ThrottledError, TokenBucket, withThrottleRetry } from '../../client/pacing.ts';
import { IndexBudget } from '../../safety/budget.ts';

describe('token bucket', () => {
  it('holds its rate after the burst: 11 takes at 20/s with burst 1 take ≥ 500 ms', async () => {
    const b = new TokenBucket(20, 1);
    const t = performance.now();
    for (let i = 0; i < 11; i++) await b.take();
    expect(performance.now() - t).toBeGreaterThanOrEqual(480);
  });
  it('rate 0 is unlimited', async () => {
    const b = new TokenBucket(0);
    const t = performance.now();
    for (let i = 0; i < 1000; i++) await b.take();
    expect(performance.now() - t).toBeLessThan(200);
  });
});

describe('backoff', () => {
  it('Retry-After in seconds or as an HTTP date', () => {
    expect(retryAfterMs('2')).toBe(2000);
    expect(retryAfterMs(new Date(Date.now() + 3000).toUTCString(), Date.now())).toBeGreaterThan(1000);
    expect(retryAfterMs('soon')).toBeNull();
    expect(retryAfterMs(undefined)).toBeNull();
  });
  it('full jitter below the exponential cap, never below Retry-After', () => {
    const p = { attempts: 5, budgetMs: 60_000, baseMs: 100, capMs: 10_000 };
    expect(backoffDelay(3, null, { ...p, random: () => 0.999 })).toBeLessThan(400);
    expect(backoffDelay(3, null, { ...p, random: () => 0 })).toBe(0);
    expect(backoffDelay(1, 1000, { ...p, random: () => 0.5 })).toBe(1000);
    expect(backoffDelay(20, null, { ...p, random: () => 0.999 })).toBeLessThan(10_000);
  });
  it('gives up within its time budget', async () => {
    const stats = emptyStats();
    const t = performance.now();
    await expect(withThrottleRetry(async () => ({ status: 503, headers: { 'retry-after': '1' } }), { attempts: 10, budgetMs: 500 }, stats)).rejects.toBeInstanceOf(ThrottledError);
    expect(performance.now() - t).toBeLessThan(600);
    expect(stats.gaveUp).toBe(1);
  });
});

describe('throttled answers through the client', () => {
  let server: Server;
  let plan: number[] = [];
  let seen = 0;
  beforeAll(async () => {
    server = createServer((_req, res) => {
      seen++;
      const status = plan.shift() ?? 404;
      res.writeHead(status, { 'content-type': 'application/json', ...(status === 503 ? { 'retry-after': '0' } : {}) });
      res.end(JSON.stringify({ Error: { Code: status === 503 ? 'ServiceUnavailable' : status === 500 ? 'InternalError' : 'NoSuchVectorIndex', RequestId: 'x' } }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  });
  afterAll(async () => { await closeTransport(); await new Promise((r) => server.close(r)); });
  const client = (): TargetClient => new TargetClient(
    targetSpec({ endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, bucket: 'b-one' }),
    { main: { accessKeyId: 'k', accessKeySecret: 's' }, denied: null },
    new Pacer({ concurrency: 1, maxRps: 0, putIndexRps: 0, throttleAttempts: 4, throttleBudgetMs: 5000 }),
  );

  it('503, 429 then an answer: the answer decides, the throttled ones are counted', async () => {
    plan = [503, 429, 404]; seen = 0;
    const c = client();
    const res = await c.op('DeleteVectorIndex', { indexName: 'a' });
    expect(res.status).toBe(404);
    expect(seen).toBe(3);
    expect(c.pacer.stats).toMatchObject({ throttled: 2, retries: 2, gaveUp: 0 });
  });
  it('only throttled answers: ThrottledError after the attempts', async () => {
    plan = [503, 503, 503, 503, 503]; seen = 0;
    await expect(client().op('DeleteVectorIndex', { indexName: 'a' })).rejects.toBeInstanceOf(ThrottledError);
    expect(seen).toBe(4);
  });
  it('a 500 is never retried: it is a finding', async () => {
    plan = [500, 404]; seen = 0;
    const res = await client().op('DeleteVectorIndex', { indexName: 'a' });
    expect(res.status).toBe(500);
    expect(seen).toBe(1);
  });
});

describe('limits pooled between suite workers (SharedArrayBuffer in the workers\' environment)', () => {
  it('a rate is the sum of the workers\' shares: one worker alone may use all of it', () => {
    const mem = newSharedLimits();
    const a = new SharedRate(mem, 'putIndex', 2.5, 1, 1);
    new SharedRate(mem, 'putIndex', 2.5, 1, 2);
    expect(a.ratePerSec).toBe(5);
    // 11 reservations at the pooled 5/s: the 11th goes 2 s after the first, not 4 s (its own share).
    // As instants (asked + wait): a pause of the test process between two asks shifts no slot.
    const at: number[] = [];
    for (let i = 0; i < 11; i++) { const asked = performance.now(); at.push(asked + a.reserve()); }
    expect(at[10]! - at[0]!).toBeGreaterThan(1_950);
    expect(at[10]! - at[0]!).toBeLessThan(2_050);
  });

  it('two workers drawing together never exceed the pooled rate, and a worker that registers again replaces its share', () => {
    const mem = newSharedLimits();
    const a = new SharedRate(mem, 'all', 5, 1, 1);
    const b = new SharedRate(mem, 'all', 5, 1, 2);
    new SharedRate(mem, 'all', 5, 1, 2);
    expect(a.ratePerSec).toBe(10);
    // Each reservation as the instant it was given (when asked + how long to wait), so a test
    // process paused between two asks (a loaded CI machine: 44 ms once) does not shift the rest.
    const at = Array.from({ length: 20 }, (_, i) => {
      if (i === 10) { const until = performance.now() + 60; while (performance.now() < until); } // such a pause, on purpose
      const asked = performance.now();
      return asked + (i % 2 ? a : b).reserve();
    }).sort((x, y) => x - y);
    // 20 requests at 10/s: spaced 100 ms apart whoever asks.
    at.forEach((t, i) => expect(Math.abs(t - at[0]! - i * 100)).toBeLessThan(30));
  });

  it('index slots: capacity is the sum of the shares, taken atomically, given back', () => {
    const mem = newSharedLimits();
    const a = new SharedSlots(mem, 3, 1);
    const b = new SharedSlots(mem, 3, 2);
    expect(a.capacity).toBe(6);
    expect(a.tryTake(5)).toBe(true);
    expect(b.tryTake(2)).toBe(false);
    expect(b.tryTake(1)).toBe(true);
    b.add(-2);
    expect(a.inUse).toBe(4);
    expect(a.tryTake(2)).toBe(true);
    expect(a.tryTake(1)).toBe(false);
  });

  it('an index budget keeps the pool\'s count equal to its own through create, delete, gone and release', async () => {
    const mem = newSharedLimits();
    setEnvironmentData(SHARED_LIMITS_KEY, mem);
    try {
      const budget = new IndexBudget(4, TargetClient.prototype as unknown as TargetClient, 0);
      const pool = new SharedSlots(mem, 0, 63);
      await budget.acquire(3);
      expect(pool.inUse).toBe(3);
      budget.created('b', 'x');
      budget.created('b', 'y');
      budget.release(1);
      expect(pool.inUse).toBe(2);
      budget.deleted('b', 'x', false);
      expect(pool.inUse).toBe(2);
      budget.gone('b', 'x');
      expect(pool.inUse).toBe(1);
      budget.deleted('b', 'y', true);
      expect(pool.inUse).toBe(0);
      expect(pool.capacity).toBe(4);
    } finally {
      setEnvironmentData(SHARED_LIMITS_KEY, undefined);
    }
  });

  it('outside such a worker the limits stay local', () => {
    expect(sharedLimits()).toBeNull();
  });
});

describe('AIMD window of requests in flight', () => {
  it('halves on a throttled answer (once per round), widens by 1/window on the others, up to its maximum', async () => {
    const w = new AdaptiveWindow(8);
    const sent = await Promise.all(Array.from({ length: 8 }, () => w.acquire()));
    let ninth = false;
    const pending = w.acquire().then((at) => { ninth = true; return at; });
    await sleep(5);
    expect(ninth).toBe(false);
    // Two throttled answers to requests of the same round: one decrease.
    w.done(sent[0]!, true);
    w.done(sent[1]!, true);
    expect(w.window).toBe(4);
    expect(w.decreases).toBe(1);
    // 6 still in flight > 4: the ninth waits until fewer than 4 are.
    for (let i = 2; i < 4; i++) w.done(sent[i]!, false);
    await sleep(5);
    expect(ninth).toBe(false);
    w.done(sent[4]!, false);
    w.done(await pending, false);
    expect(ninth).toBe(true);
    for (let i = 5; i < 8; i++) w.done(sent[i]!, false);
    // Additive increase: about one more per window of answers, never above the maximum.
    for (let i = 0; i < 40; i++) w.done(await w.acquire(), false);
    expect(w.window).toBe(8);
  });

  it('a throttled answer narrows the client\'s window through withThrottleRetry', async () => {
    const w = new AdaptiveWindow(16);
    const answers = [503, 200];
    const res = await withThrottleRetry(async () => ({ status: answers.shift()!, headers: {} }), { attempts: 3, budgetMs: 1_000, baseMs: 1 }, emptyStats(), w);
    expect(res.status).toBe(200);
    expect(w.window).toBe(8);
  });
});

describe('concurrency follows the target', () => {
  it('embedded: by cores; a remote target: from its round trip, within --max-rps; flags win', () => {
    expect(chooseConcurrency({ embedded: true }, null, 2, { maxRps: 0 })).toMatchObject({ workers: 1, concurrency: 8 });
    expect(chooseConcurrency({ embedded: true }, null, 8, { maxRps: 0 })).toMatchObject({ workers: 7, concurrency: 8 });
    // 200 ms × 400 req/s = 80 in flight: 5 workers, 32 per property.
    expect(chooseConcurrency({ embedded: false }, 200, 2, { maxRps: 0 })).toMatchObject({ workers: 5, concurrency: 32 });
    // A near target needs no more than the cores give.
    expect(chooseConcurrency({ embedded: false }, 5, 2, { maxRps: 0 })).toMatchObject({ workers: 1, concurrency: 16 });
    // --max-rps 20 at 200 ms: 4 requests fill the latency (at least 8 in flight).
    expect(chooseConcurrency({ embedded: false }, 200, 2, { maxRps: 20 })).toMatchObject({ workers: 1, concurrency: 16 });
    expect(chooseConcurrency({ embedded: false }, 200, 2, { maxRps: 0, workers: 1, concurrency: 1 })).toMatchObject({ workers: 1, concurrency: 1 });
    // However many cores: the remote run waits on the network, a few threads hold all it needs.
    expect(chooseConcurrency({ embedded: false }, 2_000, 64, { maxRps: 0 }).workers).toBe(6);
    // A target on this machine shares its CPU: by cores, however slow a loaded machine makes it answer;
    // one that answers like a far region (ovc serve --latency-ms) is paced like one.
    expect(chooseConcurrency({ embedded: false, endpoint: 'http://127.0.0.1:9000' }, 47, 2, { maxRps: 0 })).toMatchObject({ workers: 1, concurrency: 8 });
    expect(chooseConcurrency({ embedded: false, endpoint: 'http://x-1.localhost:9000' }, 5, 2, { maxRps: 0 })).toMatchObject({ workers: 1, concurrency: 8 });
    expect(chooseConcurrency({ embedded: false, endpoint: 'http://127.0.0.1:9000' }, 200, 2, { maxRps: 0 })).toMatchObject({ workers: 5, concurrency: 32 });
  });
});
