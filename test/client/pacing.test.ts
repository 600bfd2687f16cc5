// Pacing and throttling (DESIGN rule 5): the token bucket holds its rate, throttled answers (503,
// 429) are retried with backoff honouring Retry-After, nothing else is retried (a 500 is a
// finding), and a request that only ever got throttled is a ThrottledError — an `error` case.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Pacer, TargetClient } from '../../client/client.ts';
import { targetSpec } from '../../client/config.ts';
import { closeTransport } from '../../client/http.ts';
import { backoffDelay, emptyStats, retryAfterMs, ThrottledError, TokenBucket, withThrottleRetry } from '../../client/pacing.ts';

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
