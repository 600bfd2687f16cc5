// client/concurrency.ts: how many workers and cases in flight a run uses. The table below is worked
// out by hand from the rule the module states (in flight = rate × round trip, between 8 and 128;
// workers = in flight / 16 between cores − 1 and 6; cases per property = twice the even share,
// at least 8) — the figures are written out, never recomputed with the module's own formula.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Pacer, TargetClient } from '../../client/client.ts';
import { chooseConcurrency, fitToTarget, isLoopback, measureRtt } from '../../client/concurrency.ts';
import { targetSpec } from '../../client/config.ts';
import { closeTransport } from '../../client/http.ts';
import { sleep } from '../../client/pacing.ts';
import { startFakeTarget, type FakeTarget } from '../fixtures/fake-target.ts';

const REMOTE = { embedded: false, endpoint: 'https://cn-hangzhou.oss-vectors.aliyuncs.com' };
const LOOPBACK = { embedded: false, endpoint: 'http://127.0.0.1:9000' };
const EMBEDDED = { embedded: true, endpoint: 'http://127.0.0.1:9000' };
const NO_FLAGS = { maxRps: 0 };

describe('chooseConcurrency', () => {
  it.each([
    // target, rtt, cores, flags → workers, concurrency, why
    ['embedded on 4 cores', EMBEDDED, null, 4, NO_FLAGS, 3, 8, /^embedded emulator: by cores$/],
    ['embedded on 1 core (never 0 workers)', EMBEDDED, null, 1, NO_FLAGS, 1, 8, /^embedded emulator: by cores$/],
    ['embedded ignores a measured round trip', EMBEDDED, 500, 8, NO_FLAGS, 7, 8, /embedded emulator/],
    ['loopback answering like a local server', LOOPBACK, 5, 4, NO_FLAGS, 3, 8, /^a target on this machine: by cores$/],
    ['loopback not measured', LOOPBACK, null, 4, NO_FLAGS, 3, 8, /^a target on this machine: by cores$/],
    ['remote, round trip unknown', REMOTE, null, 4, NO_FLAGS, 3, 8, /^round trip unknown: by cores$/],
    // 400 req/s × 10 ms = 4 → at least 8 in flight; 1 worker on 2 cores; 2 × 8 / 1 = 16 per property.
    ['remote, near (10 ms) on 2 cores', REMOTE, 10, 2, NO_FLAGS, 1, 16, /round trip 10 ms × 400 req\/s ≈ 8 in flight/],
    // 400 × 0.15 = 60 in flight → 4 workers (60/16); 2 × 60 / 4 = 30 per property.
    ['loopback slowed like a far region (150 ms)', LOOPBACK, 150, 2, NO_FLAGS, 4, 30, /round trip 150 ms × 400 req\/s ≈ 60 in flight/],
    ['remote, far (150 ms)', REMOTE, 150, 2, NO_FLAGS, 4, 30, /≈ 60 in flight/],
    // 400 × 2 s = 800 → capped at 128 in flight; workers capped at 6; 256 / 6 → 43 per property.
    ['remote, very far (2 s): bounded', REMOTE, 2000, 2, NO_FLAGS, 6, 43, /≈ 128 in flight/],
    // --max-rps 50 × 300 ms = 15 in flight → 1 worker; 30 per property.
    ['remote, far but --max-rps 50', REMOTE, 300, 2, { maxRps: 50 }, 1, 30, /× 50 req\/s \(--max-rps\) ≈ 15 in flight/],
    // Many cores: cores − 1 = 15 workers, capped at 6; 2 × 8 / 6 → the least share, 8.
    ['remote, near, 16 cores: at most 6 workers', REMOTE, 10, 16, NO_FLAGS, 6, 8, /≈ 8 in flight/],
    ['flags win over the round trip', REMOTE, 2000, 2, { maxRps: 0, workers: 2, concurrency: 5 }, 2, 5, /≈ 128 in flight/],
    ['flags win on the embedded emulator', EMBEDDED, null, 8, { maxRps: 0, workers: 1, concurrency: 3 }, 1, 3, /embedded/],
  ] as const)('%s', (_name, target, rtt, cores, flags, workers, concurrency, why) => {
    const c = chooseConcurrency(target, rtt, cores, flags);
    expect([c.workers, c.concurrency]).toEqual([workers, concurrency]);
    expect(c.why).toMatch(why);
  });

  // The machine's 1-minute load average: at 2 per core or more, a slow loopback round trip is the
  // load, not a simulated distance (the fresh-clone CI run that measured 358 ms and took 6 workers).
  it.each([
    // target, rtt, cores, load → workers, concurrency, why
    ['loopback at 358 ms, load 6 on 2 cores: busy, by cores', LOOPBACK, 358, 2, 6, 1, 8, /^a target on this machine, busy \(round trip 358 ms, load 6\.0 on 2 cores\): by cores$/],
    ['loopback at 150 ms, load 4 on 2 cores: busy, by cores', LOOPBACK, 150, 2, 4, 1, 8, /busy \(round trip 150 ms, load 4\.0 on 2 cores\)/],
    ['loopback at 150 ms, load 3.9 on 2 cores: a far region still', LOOPBACK, 150, 2, 3.9, 4, 30, /round trip 150 ms × 400 req\/s ≈ 60 in flight/],
    ['loopback at 150 ms, load 6 on 4 cores: a far region still', LOOPBACK, 150, 4, 6, 4, 30, /≈ 60 in flight/],
    ['loopback at 5 ms, load 6 on 2 cores: by cores, as any fast local target', LOOPBACK, 5, 2, 6, 1, 8, /^a target on this machine: by cores$/],
    ['remote at 150 ms, load 6 on 2 cores: the load does not make it near', REMOTE, 150, 2, 6, 4, 30, /≈ 60 in flight/],
  ] as const)('%s', (_name, target, rtt, cores, load, workers, concurrency, why) => {
    const c = chooseConcurrency(target, rtt, cores, NO_FLAGS, load);
    expect([c.workers, c.concurrency]).toEqual([workers, concurrency]);
    expect(c.why).toMatch(why);
  });

  it('never puts fewer requests in flight for a farther target', () => {
    let last = 0;
    for (let rtt = 1; rtt <= 3000; rtt += 7) {
      const c = chooseConcurrency(REMOTE, rtt, 2, NO_FLAGS);
      const inFlight = c.workers * c.concurrency;
      expect(inFlight).toBeGreaterThanOrEqual(last);
      last = inFlight;
    }
  });

  it('puts fewer requests in flight under a lower --max-rps', () => {
    const slow = chooseConcurrency(REMOTE, 400, 2, { maxRps: 20 });
    const fast = chooseConcurrency(REMOTE, 400, 2, { maxRps: 200 });
    expect(slow.workers * slow.concurrency).toBeLessThan(fast.workers * fast.concurrency);
  });
});

describe('isLoopback', () => {
  it.each([
    ['http://127.0.0.1:8080', true], ['http://127.1.2.3', true], ['http://localhost:1', true], ['http://api.localhost', true],
    ['http://[::1]:9000', true], ['https://cn-hangzhou.oss-vectors.aliyuncs.com', false], ['http://10.0.0.1', false],
    ['http://128.0.0.1', false], ['http://localhost.example.com', false], ['not a url', false],
  ])('%s → %s', (endpoint, loopback) => {
    expect(isLoopback(endpoint)).toBe(loopback);
  });
});

describe('fitToTarget and measureRtt against a loopback target', () => {
  let fake: FakeTarget;
  let delayMs = 0;
  beforeAll(async () => {
    fake = await startFakeTarget(async () => { await sleep(delayMs); return { status: 200, body: { indexes: [] } }; });
  });
  afterEach(() => { fake.arrivals.length = 0; });
  afterAll(async () => { await fake.close(); await closeTransport(); });

  const key = { accessKeyId: 'k', accessKeySecret: 's' };

  it('paces a fast loopback target by cores, after measuring it with ListVectorIndexes', async () => {
    delayMs = 0;
    const target = targetSpec({ endpoint: fake.url, bucket: 'b' });
    const fit = await fitToTarget(new TargetClient(target, { main: key, denied: null }), target, NO_FLAGS, 2);
    // Three samples sent together; no warm-up request: the preflight before it opened the connections.
    expect(fake.arrivals.map((a) => a.op)).toEqual(Array(3).fill('listVectorIndexes'));
    expect([fit.workers, fit.concurrency]).toEqual([1, 8]);
    expect(fit.line).toBe('ovc: 1 worker(s), 8 case(s) in flight per property (a target on this machine: by cores)');
  });

  it('treats a loopback target answering in 150 ms like a far region on a quiet machine: more workers than cores', async () => {
    delayMs = 150;
    const target = targetSpec({ endpoint: fake.url, bucket: 'b' });
    const fit = await fitToTarget(new TargetClient(target, { main: key, denied: null }), target, NO_FLAGS, 2, 0.5);
    expect(fit.workers).toBeGreaterThan(1);
    expect(fit.line).toMatch(/round trip 1\d\d ms × 400 req\/s/);
  });

  it('sends nothing to the embedded emulator', async () => {
    const target = targetSpec({ endpoint: fake.url, bucket: 'b', embedded: true });
    const fit = await fitToTarget(new TargetClient(target, { main: key, denied: null }), target, NO_FLAGS, 4);
    expect(fake.arrivals).toEqual([]);
    expect(fit.workers).toBe(3);
  });

  // A loopback target that throttles the first attempts: timed whole, each sample held the backoff
  // before its retry (100 ms and up, Retry-After 1 s here) and the run took it for a far region.
  it('times the answered attempt, not the throttle: retries and their backoff are not the round trip', async () => {
    let throttled = 3;
    fake.answer = async () => (throttled-- > 0
      ? { status: 503, headers: { 'retry-after': '1' }, body: { Code: 'ServiceUnavailable', Message: 'slow down' } }
      : { status: 200, body: { indexes: [] } });
    const target = targetSpec({ endpoint: fake.url, bucket: 'b' });
    const fit = await fitToTarget(new TargetClient(target, { main: key, denied: null }), target, NO_FLAGS, 2);
    expect(fake.arrivals.length).toBe(6);
    expect(fit.line).toBe('ovc: 1 worker(s), 8 case(s) in flight per property (a target on this machine: by cores)');
  });

  it('has no round trip for a target that throttles every attempt: by cores', async () => {
    fake.answer = async () => ({ status: 503, body: { Code: 'ServiceUnavailable', Message: 'slow down' } });
    const target = targetSpec({ endpoint: fake.url, bucket: 'b' });
    const client = new TargetClient(target, { main: key, denied: null }, new Pacer({ concurrency: 8, maxRps: 0, putIndexRps: 0, throttleAttempts: 2, throttleBudgetMs: 5_000 }));
    expect(await measureRtt(client, 'b')).toBeNull();
  });

  it('takes the median of its samples, so one slow answer does not decide the round trip', async () => {
    // The first request opens the connection; of the three samples sent together, one is slow.
    const delays = [0, 20, 20, 600];
    fake.answer = async () => { await sleep(delays.shift() ?? 20); return { status: 200, body: { indexes: [] } }; };
    const target = targetSpec({ endpoint: fake.url, bucket: 'b' });
    const rtt = await measureRtt(new TargetClient(target, { main: key, denied: null }), 'b');
    expect(rtt).not.toBeNull();
    expect(rtt!).toBeGreaterThanOrEqual(15);
    expect(rtt!).toBeLessThan(150);
  });
});
