// The traffic gauges (client/gauges.ts): every request counted once as it leaves, which answers
// leave the target judgeable, and the hold a stopping run puts on every worker's next request.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Pacer, TargetClient } from '../../client/client.ts';
import { targetSpec } from '../../client/config.ts';
import { TrafficGauges, trafficGauges } from '../../client/gauges.ts';
import { closeTransport } from '../../client/http.ts';
import { ThrottledError } from '../../client/pacing.ts';
import { envelope, startFakeTarget, type Answer, type FakeTarget } from '../fixtures/fake-target.ts';

let fake: FakeTarget;
beforeAll(async () => { fake = await startFakeTarget(); });
afterAll(async () => { await fake.close(); await closeTransport(); });

const key = { accessKeyId: 'k', accessKeySecret: 's' };
const pacing = { concurrency: 8, maxRps: 0, putIndexRps: 0, throttleAttempts: 3, throttleBudgetMs: 5_000 };
const client = (timeoutMs = 5_000, maxResponseBytes = 1 << 20): TargetClient =>
  new TargetClient(targetSpec({ endpoint: fake.url, bucket: 'b', timeoutMs, maxResponseBytes }), { main: key, denied: null }, new Pacer(pacing));

describe('the traffic gauges', () => {
  it('count each request once as it leaves, throttle retries included, exactly what the target received', async () => {
    const before = trafficGauges().sent;
    const arrived = fake.arrivals.length;
    const answers: Answer[] = [envelope(503, 'ServiceUnavailable'), envelope(503, 'ServiceUnavailable'), { status: 200, body: { indexes: [] } }];
    fake.answer = () => answers.shift() ?? { status: 200, body: {} };
    await client().op('ListVectorIndexes', { maxResults: 1 });
    await client().op('GetVectorBucket');
    expect(fake.arrivals.length - arrived).toBe(4);
    expect(trafficGauges().sent - before).toBe(4);
  });

  it('call throttled answers and timeouts unjudgeable, and any other answer judgeable, an answer too large included', async () => {
    const g = trafficGauges();
    fake.answer = () => envelope(503, 'ServiceUnavailable');
    await expect(client().op('GetVectorBucket')).rejects.toBeInstanceOf(ThrottledError);
    fake.answer = () => new Promise((r) => setTimeout(() => r({ status: 200, body: {} }), 600));
    await expect(client(150).op('GetVectorBucket')).rejects.toThrow(/no complete answer within 150 ms/);
    expect(g.stretch().answers).toBe(4); // three throttled attempts and one timeout, nothing else since
    fake.answer = () => ({ status: 200, body: 'x'.repeat(4096) });
    await expect(client(5_000, 1024).op('GetVectorBucket')).rejects.toThrow(/answer too large/);
    expect(g.stretch().answers).toBe(0);
    fake.answer = () => envelope(503, 'ServiceUnavailable');
    await client().op('GetVectorBucket').catch(() => undefined);
    fake.answer = () => envelope(404, 'NoSuchBucket');
    await client().op('GetVectorBucket');
    expect(g.stretch().answers).toBe(0);
  });

  it('measure a stretch from the last judgeable answer, or from their start', () => {
    const g = new TrafficGauges(undefined, 1_000);
    g.answered(false, 2_000);
    g.answered(false, 3_000);
    expect(g.stretch(61_000)).toEqual({ ms: 60_000, answers: 2 });
    g.answered(true, 62_000);
    expect(g.stretch(63_000)).toEqual({ ms: 1_000, answers: 0 });
  });

  it('once held, send nothing more: the next request waits until the process ends', async () => {
    fake.answer = () => ({ status: 200, body: {} });
    const arrived = fake.arrivals.length;
    trafficGauges().hold();
    const pending = client().op('GetVectorBucket').then(() => 'sent');
    const outcome = await Promise.race([pending, new Promise((r) => setTimeout(() => r('held'), 400))]);
    expect(outcome).toBe('held');
    expect(fake.arrivals.length).toBe(arrived);
  });
});
