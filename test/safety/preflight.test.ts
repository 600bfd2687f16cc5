// safety/preflight.ts: a run that cannot run says why in one sentence (a PreflightError) before
// any case — against the in-process emulator for what a real target answers, and a scripted
// target for what only a broken one does.
import { mkdtempSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Pacer, TargetClient } from '../../client/client.ts';
import { targetSpec, type Identities } from '../../client/config.ts';
import { closeTransport } from '../../client/http.ts';
import { startEmulator, type RunningEmulator } from '../../emulator/index.ts';
import { preflight, PreflightError, preflightQuota } from '../../safety/preflight.ts';
import { StateHook } from '../../scenario/hookClient.ts';
import { Ledger } from '../../safety/ledger.ts';
import { envelope, startFakeTarget, type FakeTarget } from '../fixtures/fake-target.ts';

const KEY = { accessKeyId: 'pre-key', accessKeySecret: 'pre-secret' };
const DENIED = { accessKeyId: 'pre-denied', accessKeySecret: 'pre-denied-secret' };
const NO_LIST = { accessKeyId: 'pre-nolist', accessKeySecret: 'pre-nolist-secret' };
const BUCKET = 'ovc-conformance';
const RUN = { absentBucket: 'ovc-absent-pre1', maxIndexes: 20, prefix: 'ovcpreflight' };

let emulator: RunningEmulator;
let fake: FakeTarget;
let closedUrl: string;
beforeAll(async () => {
  emulator = await startEmulator({
    buckets: [BUCKET], stateHook: true,
    identities: [{ ...KEY }, { ...DENIED, deniedActions: ['oss:DeleteVectorIndex'] }, { ...NO_LIST, deniedActions: ['oss:ListVectorIndexes'] }],
  });
  fake = await startFakeTarget();
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  closedUrl = `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
  await new Promise<void>((r) => s.close(() => r()));
});
afterAll(async () => {
  await emulator.close();
  await fake.close();
  await closeTransport();
});

function client(o: { bucket?: string; otherBucket?: string | null; endpoint?: string; identities?: Partial<Identities> } = {}): TargetClient {
  const endpoint = o.endpoint ?? emulator.url;
  return new TargetClient(
    targetSpec({ endpoint, bucket: o.bucket ?? BUCKET, otherBucket: o.otherBucket ?? null, region: emulator.region, accountId: emulator.accountId }),
    { main: KEY, denied: null, ...o.identities },
  );
}

/** The PreflightError's message; fails the test when it threw anything else or nothing. */
async function refusal(p: Promise<unknown>): Promise<string> {
  const e = await p.then(() => null, (x: unknown) => x);
  expect(e).toBeInstanceOf(PreflightError);
  const message = (e as Error).message;
  expect(message).not.toContain('\n');
  return message;
}

describe('preflight against the emulator', () => {
  it('passes a target whose bucket, other bucket, hook and denied identity all work', async () => {
    const c = client({ identities: { denied: DENIED } });
    await expect(preflight(c, RUN, new StateHook(emulator.stateHookUrl!))).resolves.toBeUndefined();
  });

  it('refuses a missing bucket', async () => {
    expect(await refusal(preflight(client({ bucket: 'ovc-missing' }), RUN)))
      .toBe(`the bucket 'ovc-missing' does not exist on ${emulator.url}; create it or pass --bucket.`);
  });

  it('refuses a secret the target does not accept, naming what to check', async () => {
    expect(await refusal(preflight(client({ identities: { main: { ...KEY, accessKeySecret: 'wrong' } } }), RUN)))
      .toBe(`the target rejects the signature: check OSS_ACCESS_KEY_SECRET and --region (${emulator.region}) and --account-id (${emulator.accountId}).`);
  });

  it('refuses an access key id the target does not know', async () => {
    expect(await refusal(preflight(client({ identities: { main: { accessKeyId: 'nobody', accessKeySecret: 'x' } } }), RUN)))
      .toBe('the target does not know the access key id (OSS_ACCESS_KEY_ID); check the credentials.');
  });

  it('refuses an absent bucket that exists', async () => {
    expect(await refusal(preflight(client(), { ...RUN, absentBucket: BUCKET })))
      .toBe(`the bucket '${BUCKET}' that the run uses as absent answers GetVectorBucket with 200; it must not exist.`);
  });

  it('refuses an other bucket that does not exist', async () => {
    expect(await refusal(preflight(client({ otherBucket: 'ovc-other-missing' }), RUN)))
      .toBe("the other bucket 'ovc-other-missing' (--other-bucket) answers GetVectorBucket with 404 NoSuchBucket; create it or leave the flag out.");
  });

  it('refuses a denied identity the target does not know', async () => {
    expect(await refusal(preflight(client({ identities: { denied: { accessKeyId: 'ghost', accessKeySecret: 'x' } } }), RUN)))
      .toBe('the denied identity (OVC_DENIED_ACCESS_KEY_ID) gets 403 InvalidAccessKeyId on GetVectorBucket; it must be a valid identity that lacks oss:DeleteVectorIndex.');
  });

  it('refuses a run whose identity may not list the bucket\'s indexes (it could not keep to the quota)', async () => {
    expect(await refusal(preflightQuota(client({ identities: { main: NO_LIST } }), RUN)))
      .toBe(`ListVectorIndexes on bucket '${BUCKET}' answered 403 AccessDenied; the run must see the bucket's indexes to stay inside its quota.`);
  });

  it('refuses a run that would not fit beside the indexes already in the bucket', async () => {
    const c = client();
    for (let i = 0; i < 10; i++) await c.op('PutVectorIndex', { indexName: `userIndex${i}`, dataType: 'float32', dimension: 4, distanceMetric: 'cosine' });
    try {
      expect(await refusal(preflightQuota(c, RUN, 25)))
        .toBe(`bucket '${BUCKET}' holds 10 of its 25 indexes, so 15 slot(s) are free but the run may hold up to 20 at once; delete some indexes or lower --max-indexes.`);
      await expect(preflightQuota(c, RUN, 30)).resolves.toEqual({ existingIndexes: 10, existingOtherIndexes: null, maxIndexes: RUN.maxIndexes });
    } finally {
      for (let i = 0; i < 10; i++) await c.op('DeleteVectorIndex', { indexName: `userIndex${i}` });
    }
  });
});

/** A hook on loopback: `forward(state, action)` says which requests go on to the emulator's real hook; the rest get 200 {} and nothing done. */
async function fakeHook(forward: (state: string, action: string) => boolean): Promise<{ url: string; close(): Promise<void> }> {
  const real = new URL(emulator.stateHookUrl!);
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      let parsed: { state?: string; action?: string } = {};
      try { parsed = JSON.parse(body.toString('utf8')) as typeof parsed; } catch { /* answered 200 all the same */ }
      if (!forward(parsed.state ?? '', parsed.action ?? 'setup')) { res.writeHead(200, { 'content-type': 'application/json' }); res.end('{}'); return; }
      const up = httpRequest({ host: real.hostname, port: real.port, path: real.pathname, method: 'POST', headers: { 'content-type': 'application/json' } }, (r) => { res.writeHead(r.statusCode ?? 502, r.headers); r.pipe(res); });
      up.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('a state hook proves itself in the preflight', () => {
  const probe = `${RUN.prefix}hookprobe`;
  const indexes = async (): Promise<string[]> => ((await client().op('ListVectorIndexes', { maxResults: 100 })).json as { indexes: Array<{ indexName: string }> }).indexes.map((i) => i.indexName);

  it('passes a hook that does what it answers, and leaves neither the probe index nor a ledger entry behind', async () => {
    const ledgerDir = mkdtempSync(join(tmpdir(), 'ovc-pre-ledger-'));
    await expect(preflight(client(), { ...RUN, ledgerDir }, new StateHook(emulator.stateHookUrl!))).resolves.toBeUndefined();
    expect(await indexes()).not.toContain(probe);
    expect(new Ledger(ledgerDir, RUN.prefix).outstanding()).toEqual([]);
  });

  it('refuses a hook that answers 200 to every request and does nothing (its set-ups would make every case a false FAIL)', async () => {
    const hook = await fakeHook(() => false);
    try {
      expect(await refusal(preflight(client(), RUN, new StateHook(hook.url))))
        .toBe(`the state hook ${hook.url} (--state-hook) answered the set-up of "a vector index exists" for ${BUCKET}/${probe}, but GetVectorIndex then answers 404 NoSuchVectorIndex: the hook does not act on this target; check the URL.`);
    } finally { await hook.close(); }
  });

  it('refuses a hook whose "no vector index exists" leaves the index, and removes the probe index through the delete gate', async () => {
    const ledgerDir = mkdtempSync(join(tmpdir(), 'ovc-pre-ledger-'));
    const hook = await fakeHook((state, action) => state === 'a vector index exists' && action === 'setup');
    try {
      expect(await refusal(preflight(client(), { ...RUN, ledgerDir }, new StateHook(hook.url))))
        .toBe(`the state hook ${hook.url} (--state-hook) answered the set-up of "no vector index exists" for ${BUCKET}/${probe}, but GetVectorIndex then answers 200 instead of 404: the hook does not act on this target; check the URL.`);
      expect(await indexes()).not.toContain(probe);
      expect(new Ledger(ledgerDir, RUN.prefix).outstanding()).toEqual([]);
    } finally { await hook.close(); }
  });
});

describe('preflight against a scripted target', () => {
  it('refuses a state hook that is not a hook', async () => {
    fake.answer = (a) => (a.op === 'bucketInfo' && a.bucket === BUCKET ? { status: 200, body: {} } : a.op === 'bucketInfo' ? envelope(404, 'NoSuchBucket') : { status: 404, body: 'Not Found', headers: { 'content-type': 'text/plain' } });
    const hookUrl = `${fake.url}/not-a-hook`;
    expect(await refusal(preflight(client({ endpoint: fake.url }), RUN, new StateHook(hookUrl))))
      .toBe(`the state hook ${hookUrl} (--state-hook) refused a set-up: setup 'a vector index exists' answered 404: Not Found; check the URL.`);
  });

  it('refuses a state hook nothing listens on', async () => {
    expect(await refusal(preflight(client(), RUN, new StateHook(`${closedUrl}/hook`))))
      .toBe(`the state hook ${closedUrl}/hook (--state-hook) cannot be reached (ECONNREFUSED); check the URL or leave the flag out.`);
  });

  it('refuses an endpoint nothing listens on', async () => {
    expect(await refusal(preflight(client({ endpoint: closedUrl }), RUN))).toBe(`the endpoint ${closedUrl} cannot be reached (ECONNREFUSED).`);
  });

  it('says an endpoint that accepts the connection and never answers gave no complete answer (not that it cannot be reached)', async () => {
    fake.answer = () => new Promise(() => undefined);
    const c = new TargetClient(targetSpec({ endpoint: fake.url, bucket: BUCKET, timeoutMs: 300 }), { main: KEY, denied: null });
    expect(await refusal(preflight(c, RUN)))
      .toMatch(new RegExp(`^the endpoint ${fake.url.replace(/\./g, '\\.')} gave no complete answer \\(transport error on GET .*: no complete answer within 300 ms \\(--timeout-ms\\)\\)\\.$`));
  });

  it('refuses a server that answers, but not as OSS Vectors', async () => {
    fake.answer = () => ({ status: 204 });
    expect(await refusal(preflight(client({ endpoint: fake.url }), RUN)))
      .toBe(`the endpoint ${fake.url} answered GetVectorBucket with 204; it does not look like an OSS Vectors endpoint.`);
  });

  it('refuses an endpoint that throttles every attempt', async () => {
    fake.answer = () => ({ ...envelope(503, 'ServiceUnavailable'), headers: { 'retry-after': '0' } });
    const pacer = new Pacer({ concurrency: 1, maxRps: 0, putIndexRps: 0, throttleAttempts: 2, throttleBudgetMs: 300 });
    const c = new TargetClient(targetSpec({ endpoint: fake.url, bucket: BUCKET }), { main: KEY, denied: null }, pacer);
    expect(await refusal(preflight(c, RUN))).toMatch(new RegExp(`^the endpoint ${fake.url.replace(/\./g, '\\.')} throttles every attempt \\(.*\\); lower --max-rps or try later\\.$`));
  });

  it('counts the indexes of every page of the listing', async () => {
    fake.answer = (a) => (a.body?.nextToken === 'page2' ? { status: 200, body: { indexes: [{}, {}] } } : { status: 200, body: { indexes: [{}, {}, {}], nextToken: 'page2' } });
    await expect(preflightQuota(client({ endpoint: fake.url }), RUN)).resolves.toEqual({ existingIndexes: 5, existingOtherIndexes: null, maxIndexes: RUN.maxIndexes });
  });
});
