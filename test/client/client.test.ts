// client/client.ts: the worker's watcher sees each request before it is sent and each exchange
// after, with the operation it names; signing yields the known answer of the shared V4 KATs and is
// accepted by the emulator; codeOf reads the envelope's code and nothing else.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeOf, indexStatusOf, opOfQuery, TargetClient, type ExchangeWatcher, type SentExchange } from '../../client/client.ts';
import { targetSpec } from '../../client/config.ts';
import { closeTransport } from '../../client/http.ts';
import { startEmulator, type RunningEmulator } from '../../emulator/index.ts';
import { readKat } from '../fixtures/kat.ts';
import { envelope, indexAnswer, startFakeTarget, type FakeTarget } from '../fixtures/fake-target.ts';

const KEY = { accessKeyId: 'client-test-key', accessKeySecret: 'client-test-secret' };

let fake: FakeTarget;
let emulator: RunningEmulator;
beforeAll(async () => {
  fake = await startFakeTarget();
  emulator = await startEmulator({ buckets: ['ovc-conformance'], stateHook: false, identities: [{ ...KEY }] });
});
afterAll(async () => {
  await fake.close();
  await emulator.close();
  await closeTransport();
});

const fakeClient = (): TargetClient => new TargetClient(targetSpec({ endpoint: fake.url, bucket: 'ovc-conformance' }), { main: KEY, denied: null });

describe('the exchange watcher', () => {
  it('calls before ahead of the send and after once the answer is read, each with the operation', async () => {
    fake.arrivals.length = 0;
    fake.answer = () => ({ status: 204 });
    const events: string[] = [];
    const watcher: ExchangeWatcher = {
      before: (req, op) => events.push(`before ${op} ${req.bucket} (arrived: ${fake.arrivals.length})`),
      after: (x) => events.push(`after ${x.op} ${x.response.status} ${x.role} (arrived: ${fake.arrivals.length})`),
    };
    const client = fakeClient().observed(watcher);
    await client.op('DeleteVectorIndex', { indexName: 'ovcwatch1' });
    expect(events).toEqual([
      'before DeleteVectorIndex ovc-conformance (arrived: 0)',
      'after DeleteVectorIndex 204 when (arrived: 1)',
    ]);
  });

  it('passes a null operation for a request routed by method alone', async () => {
    fake.answer = () => ({ status: 200 });
    const ops: Array<string | null> = [];
    const client = fakeClient().observed({ before: (_r, op) => ops.push(op), after: (x) => ops.push(x.op) });
    await client.op('PutVectorBucket', undefined, { bucket: 'ovcsomebucket' });
    expect(ops).toEqual([null, null]);
  });

  it('gives the recording listener the same exchange, marked with the view\'s role', async () => {
    fake.answer = () => indexAnswer('ovcrole1', 'enable');
    const seen: SentExchange[] = [];
    const after: SentExchange[] = [];
    const client = fakeClient().observed({ after: (x) => after.push(x) }).recording((x) => seen.push(x), 'given');
    await client.op('GetVectorIndex', { indexName: 'ovcrole1' });
    await client.as('cleanup').op('GetVectorIndex', { indexName: 'ovcrole1' });
    expect(seen.map((x) => `${x.role} ${x.op}`)).toEqual(['given GetVectorIndex', 'cleanup GetVectorIndex']);
    expect(after).toEqual(seen);
  });
});

describe('requests as built', () => {
  it('sends the operation as a bare query key by default and with = in the eq form', () => {
    const client = fakeClient();
    expect(client.build('DeleteVectorIndex', { indexName: 'a' }).query).toBe('deleteVectorIndex');
    expect(client.build('DeleteVectorIndex', { indexName: 'a' }, { queryForm: 'eq' }).query).toBe('deleteVectorIndex=');
    expect(client.build('ListVectorBuckets').bucket).toBeNull();
  });

  it('names the operation of a query by its first key, with or without =', () => {
    expect(opOfQuery('deleteVectorIndex')).toBe('DeleteVectorIndex');
    expect(opOfQuery('getVectorIndex=&x=1')).toBe('GetVectorIndex');
    expect(opOfQuery('x=1&deleteVectorIndex')).toBeNull();
    expect(opOfQuery('')).toBeNull();
  });
});

describe('signing', () => {
  interface KatCase { name: string; query: string; body: string; headers: Array<[string, string]>; expected: { authorization: string } }
  const kat = readKat<{ inputs: { accessKeyId: string; accessKeySecret: string; region: string; accountId: string }; cases: KatCase[] }>();
  const deleteCase = kat.cases.find((c) => c.query === 'deleteVectorIndex' && c.body === '{"indexName":"vectorindex1"}')!;

  it('gives the known Authorization of the shared V4 answers for a DeleteVectorIndex built by the client', () => {
    const { inputs } = kat;
    const client = new TargetClient(
      targetSpec({ endpoint: 'https://cn-hangzhou.oss-vectors.aliyuncs.com', region: inputs.region, accountId: inputs.accountId, bucket: 'examplebucket' }),
      { main: { accessKeyId: inputs.accessKeyId, accessKeySecret: inputs.accessKeySecret }, denied: null },
    );
    const built = client.build('DeleteVectorIndex', { indexName: 'vectorindex1' });
    // The client's own Content-MD5 of the body is the KAT's.
    expect(built.headers['Content-MD5']).toBe(deleteCase.headers.find(([k]) => k === 'Content-MD5')![1]);
    const signed = client.sign(built, client.credentials, new Date('2023-12-16T16:20:57Z'));
    expect(signed.headers.Authorization).toBe(deleteCase.expected.authorization);
    expect(signed.headers['x-oss-date']).toBe('20231216T162057Z');
  });

  it('is accepted by the emulator for the main identity, refused for a wrong secret and absent for identity none', async () => {
    const target = targetSpec({ endpoint: emulator.url, region: emulator.region, accountId: emulator.accountId, bucket: 'ovc-conformance' });
    const good = new TargetClient(target, { main: KEY, denied: null });
    const wrong = new TargetClient(target, { main: { ...KEY, accessKeySecret: 'not-the-secret' }, denied: null });
    const ok = await good.op('GetVectorBucket');
    expect(ok.status).toBe(200);
    const bad = await wrong.op('GetVectorBucket');
    expect([bad.status, codeOf(bad)]).toEqual([403, 'SignatureDoesNotMatch']);
    const none = good.buildSigned('GetVectorBucket', undefined, { identity: 'none' });
    expect(none.headers.Authorization).toBeUndefined();
    const anon = await good.send(none);
    expect([anon.status, codeOf(anon)]).toEqual([403, 'AccessDenied']);
  });

  it('refuses to sign with the denied identity when none is configured', () => {
    expect(() => fakeClient().buildSigned('DeleteVectorIndex', { indexName: 'a' }, { identity: 'denied' })).toThrow(/no denied identity/);
  });
});

describe('codeOf', () => {
  it('is the Error.Code of an error envelope', async () => {
    fake.answer = () => envelope(404, 'NoSuchVectorIndex');
    const res = await fakeClient().op('GetVectorIndex', { indexName: 'ovcx' });
    expect(codeOf(res)).toBe('NoSuchVectorIndex');
    expect(res.envelopeProblems).toEqual([]);
  });

  it('is null for a success, even one whose body holds an Error object', async () => {
    fake.answer = () => ({ status: 200, body: { Error: { Code: 'NoSuchVectorIndex' } } });
    expect(codeOf(await fakeClient().op('GetVectorIndex', { indexName: 'ovcx' }))).toBeNull();
  });

  it('is null for an error whose body is not an envelope', async () => {
    fake.answer = () => ({ status: 500, body: 'Internal Server Error', headers: { 'content-type': 'text/plain' } });
    const res = await fakeClient().op('GetVectorIndex', { indexName: 'ovcx' });
    expect(codeOf(res)).toBeNull();
    expect(res.envelopeProblems.length).toBeGreaterThan(0);
  });

  it('still reads the code of an envelope that breaks the schema, and lists what it breaks', async () => {
    fake.answer = () => ({ status: 409, body: { Error: { Code: 'VectorIndexOperationConflict', Message: 'm' } } });
    const res = await fakeClient().op('DeleteVectorIndex', { indexName: 'ovcx' });
    expect(codeOf(res)).toBe('VectorIndexOperationConflict');
    expect(res.envelopeProblems.join('; ')).toMatch(/RequestId/);
  });

  it('leaves indexStatusOf to the index of a GetVectorIndex answer', async () => {
    fake.answer = () => indexAnswer('ovcx', 'deleting');
    expect(indexStatusOf(await fakeClient().op('GetVectorIndex', { indexName: 'ovcx' }))).toBe('deleting');
    fake.answer = () => ({ status: 200, body: { indexes: [] } });
    expect(indexStatusOf(await fakeClient().op('GetVectorIndex', { indexName: 'ovcx' }))).toBeUndefined();
  });
});
