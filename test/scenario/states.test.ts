// scenario/states.ts: the tracker writes a run name into the ledger before its PutVectorIndex
// leaves (so a run killed mid-request still knows it), and each provider state is set up — through
// the public API or the hook — and torn down against the in-process emulator.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeOf, indexStatusOf, TargetClient } from '../../client/client.ts';
import { targetSpec, type TargetSpec } from '../../client/config.ts';
import { closeTransport } from '../../client/http.ts';
import { STATES } from '../../contracts/provider-states.ts';
import { startEmulator, type RunningEmulator } from '../../emulator/index.ts';
import { IndexBudget, type Slots } from '../../safety/budget.ts';
import { Ledger } from '../../safety/ledger.ts';
import { StateHook } from '../../scenario/hookClient.ts';
import { createWithinBudget, deleteIfPresent, fromProviderState, NEEDS_HOOK, SetupError, setUp, Skip, slotsOf, tracker, type StateEnv } from '../../scenario/states.ts';
import { startFakeTarget, type FakeTarget } from '../fixtures/fake-target.ts';

const KEY = { accessKeyId: 'states-key', accessKeySecret: 'states-secret' };
const BUCKET = 'ovc-conformance';
const PREFIX = 'ovcstates001'; // 'ovc' and a run id, as the delete gate requires

const ledgerLines = (l: Ledger): string[] => {
  try { return readFileSync(l.file, 'utf8').split('\n').filter(Boolean); } catch { return []; }
};
const newLedger = (): Ledger => new Ledger(mkdtempSync(join(tmpdir(), 'ovc-states-')), PREFIX);

afterAll(() => closeTransport());

describe('the tracker', () => {
  let fake: FakeTarget;
  /** The ledger's lines at the moment each PutVectorIndex reached the target. */
  const atArrival: string[][] = [];
  let ledger: Ledger;
  let client: TargetClient;
  let budget: IndexBudget;
  beforeAll(async () => {
    fake = await startFakeTarget((a) => {
      if (a.op === 'putVectorIndex') { atArrival.push(ledgerLines(ledger)); return { status: 200 }; }
      if (a.op === 'deleteVectorIndex') return { status: 204 };
      return { status: 404, body: { Error: { Code: 'NoSuchVectorIndex', Message: 'm', RequestId: 'R'.repeat(24) } } };
    });
    ledger = newLedger();
    const base = new TargetClient(targetSpec({ endpoint: fake.url, bucket: BUCKET }), { main: KEY, denied: null });
    budget = new IndexBudget(5, base, 1_000);
    client = base.observed(tracker({ ledger, budget, run: { prefix: PREFIX, settleMs: 1_000 } }));
  });
  afterAll(() => fake.close());

  it('has the intent in the ledger file before the PutVectorIndex reaches the target, and the 200 after', async () => {
    const name = `${PREFIX}a`;
    await budget.acquire(1);
    await client.op('PutVectorIndex', { indexName: name, dataType: 'float32', dimension: 4, distanceMetric: 'cosine' });
    expect(atArrival.at(-1)!.map((l) => JSON.parse(l) as unknown)).toEqual([{ kind: 'index', bucket: BUCKET, name, event: 'creating' }]);
    expect(ledger.outstanding()).toEqual([{ bucket: BUCKET, name, confirmed: true }]);
    expect(budget.inUse).toBe(1);
  });

  it('strikes a run name out on its DeleteVectorIndex 204, keeping its slot until a 404 says it is gone', async () => {
    const name = `${PREFIX}a`;
    await client.op('DeleteVectorIndex', { indexName: name });
    expect(ledger.outstanding()).toEqual([]);
    expect(budget.inUse).toBe(1);
    await client.op('GetVectorIndex', { indexName: name });
    expect(budget.inUse).toBe(0);
  });

  it('writes nothing for a name outside the run prefix', async () => {
    const before = ledgerLines(ledger).length;
    await client.op('PutVectorIndex', { indexName: 'someoneElses', dataType: 'float32', dimension: 4, distanceMetric: 'cosine' });
    expect(ledgerLines(ledger)).toHaveLength(before);
    expect(atArrival.at(-1)).toHaveLength(before);
  });

  it('writes a run-prefixed bucket down before its PutVectorBucket is sent', async () => {
    fake.answer = (a) => { atArrival.push(ledgerLines(ledger)); return { status: a.method === 'PUT' ? 200 : 204 }; };
    const bucket = `${PREFIX}bkt`;
    await client.op('PutVectorBucket', undefined, { bucket });
    expect(atArrival.at(-1)!.at(-1)).toBe(JSON.stringify({ kind: 'bucket', bucket, name: bucket, event: 'creating' }));
    expect(ledger.outstanding('bucket')).toEqual([{ bucket, name: bucket, confirmed: true }]);
    await client.op('DeleteVectorBucket', undefined, { bucket });
    expect(ledger.outstanding('bucket')).toEqual([]);
  });
});

describe('provider states against the emulator', () => {
  let emulator: RunningEmulator;
  let target: TargetSpec;
  beforeAll(async () => {
    emulator = await startEmulator({ buckets: [BUCKET], stateHook: true, identities: [{ ...KEY }] });
    target = targetSpec({ endpoint: emulator.url, bucket: BUCKET, region: emulator.region, accountId: emulator.accountId });
  });
  afterAll(() => emulator.close());

  /** A state environment as a suite worker has it: the tracker watching every exchange. */
  function env(withHook: boolean): StateEnv & { ledger: Ledger; direct: TargetClient; sent: string[] } {
    const ledger = newLedger();
    const direct = new TargetClient(target, { main: KEY, denied: null });
    const budget = new IndexBudget(10, direct, 0);
    const sent: string[] = [];
    const client = direct.observed(tracker({ ledger, budget, run: { prefix: PREFIX, settleMs: 0 } })).recording((x) => sent.push(`${x.role} ${x.op ?? x.request.method}`), 'given');
    return { client, hook: withHook ? new StateHook(emulator.stateHookUrl!) : null, target, run: { prefix: PREFIX, settleMs: 0 }, ledger, budget, direct, sent };
  }
  const status = async (c: TargetClient, name: string): Promise<string> => {
    const r = await c.op('GetVectorIndex', { indexName: name });
    return r.status === 200 ? indexStatusOf(r)! : `${r.status} ${codeOf(r)}`;
  };

  it('bucket-exists checks the bucket through the public API and refuses a missing one', async () => {
    const e = env(false);
    await expect(setUp(e, { state: 'bucket-exists' })).resolves.toBeDefined();
    await expect(setUp(e, { state: 'bucket-exists', bucket: 'ovc-not-there' })).rejects.toThrow(SetupError);
    await expect(setUp(e, { state: 'bucket-exists', bucket: 'ovc-not-there' })).rejects.toThrow(/^bucket ovc-not-there is not usable: GetVectorBucket answered 404 NoSuchBucket$/);
  });

  it('no-bucket and no-index send nothing without a hook (the run\'s names are fresh)', async () => {
    const e = env(false);
    await setUp(e, { state: 'no-bucket', bucket: 'ovc-absent-x' });
    await setUp(e, { state: 'no-index', indexName: `${PREFIX}fresh` });
    expect(e.sent).toEqual([]);
  });

  it('index without a hook is created through PutVectorIndex, written to the ledger, and deleted by its teardown', async () => {
    const e = env(false);
    const name = `${PREFIX}idx1`;
    const made = await setUp(e, { state: 'index', indexName: name, vectorCount: 3 });
    expect(await status(e.direct, name)).toBe('enable');
    expect(ledgerLines(e.ledger).map((l) => (JSON.parse(l) as { event: string }).event)).toEqual(['creating', 'created']);
    const listed = await e.direct.op('ListVectors', { indexName: name });
    expect((listed.json as { vectors: unknown[] }).vectors).toHaveLength(3);
    expect(e.sent.slice(0, 3)).toEqual(['given PutVectorIndex', 'given GetVectorIndex', 'given PutVectors']);
    expect(await made.teardown()).toBeNull();
    expect(await status(e.direct, name)).toBe('404 NoSuchVectorIndex');
    expect(e.ledger.outstanding()).toEqual([]);
    expect(e.sent.at(-1)).toBe('cleanup DeleteVectorIndex');
  });

  it('index in creating without a hook is a Skip that names the hook, and creates nothing', async () => {
    const e = env(false);
    const err = await setUp(e, { state: 'index', indexName: `${PREFIX}idx2`, status: 'creating' }).catch((x: unknown) => x);
    expect(err).toBeInstanceOf(Skip);
    expect((err as Error).message).toBe(`an index in 'creating' ${NEEDS_HOOK}`);
    expect(e.sent).toEqual([]);
  });

  it('index in creating through the hook reads creating, is in the ledger, and its teardown removes it', async () => {
    const e = env(true);
    const name = `${PREFIX}idx3`;
    const made = await setUp(e, { state: 'index', indexName: name, status: 'creating' });
    expect(await status(e.direct, name)).toBe('creating');
    expect(e.ledger.outstanding()).toEqual([{ bucket: BUCKET, name, confirmed: false }]);
    expect(await made.teardown()).toBeNull();
    expect(await status(e.direct, name)).toBe('404 NoSuchVectorIndex');
    expect(e.ledger.outstanding()).toEqual([]);
  });

  it('deleted-index without a hook leaves a name that answers 404 and nothing in the ledger', async () => {
    const e = env(false);
    const name = `${PREFIX}idx4`;
    await setUp(e, { state: 'deleted-index', indexName: name });
    expect(await status(e.direct, name)).toBe('404 NoSuchVectorIndex');
    expect(e.ledger.outstanding()).toEqual([]);
    expect(e.sent).toContain('given DeleteVectorIndex');
  });

  it('deleted-index through the hook leaves a name that answers 404 and nothing in the ledger', async () => {
    const e = env(true);
    const name = `${PREFIX}idx7`;
    expect(await (await setUp(e, { state: 'deleted-index', indexName: name })).teardown()).toBeNull();
    expect(await status(e.direct, name)).toBe('404 NoSuchVectorIndex');
    expect(e.ledger.outstanding()).toEqual([]);
    expect(e.sent).toEqual([]);
  });

  it('no-index through the hook removes an index of that name', async () => {
    const e = env(true);
    const name = `${PREFIX}idx8`;
    await e.direct.op('PutVectorIndex', { indexName: name, dataType: 'float32', dimension: 4, distanceMetric: 'cosine' });
    await setUp(e, { state: 'no-index', indexName: name });
    expect(await status(e.direct, name)).toBe('404 NoSuchVectorIndex');
  });

  it('a failed create is a SetupError and gives its slot back', async () => {
    const e = env(false);
    const name = `${PREFIX}idx5`;
    await e.direct.op('PutVectorIndex', { indexName: name, dataType: 'float32', dimension: 4, distanceMetric: 'cosine' });
    let held = 0;
    const slots: Slots = { acquire: async (n = 1) => { held += n; }, release: (n = 1) => { held -= n; } };
    const err = await setUp({ ...e, budget: slots }, { state: 'index', indexName: name }).catch((x: unknown) => x);
    expect(err).toBeInstanceOf(SetupError);
    expect((err as Error).message).toBe(`could not create ${name}: PutVectorIndex answered 409 VectorBucketIndexAlreadyExist`);
    expect(held).toBe(0);
    await e.direct.op('DeleteVectorIndex', { indexName: name });
  });

  it('createWithinBudget keeps the slot of a created index', async () => {
    const e = env(false);
    let held = 0;
    const slots: Slots = { acquire: async (n = 1) => { held += n; }, release: (n = 1) => { held -= n; } };
    const res = await createWithinBudget(slots, e.client, BUCKET, { indexName: `${PREFIX}idx6`, dimension: 4, distanceMetric: 'euclidean' });
    expect(res.status).toBe(200);
    expect(held).toBe(1);
    await e.direct.op('DeleteVectorIndex', { indexName: `${PREFIX}idx6` });
  });

  it('deleteIfPresent refuses a name the run did not create on a target that is not the embedded emulator', async () => {
    const e = env(false);
    expect(await deleteIfPresent(e, BUCKET, 'userIndex')).toBe("refusing to delete 'userIndex': not created by this run");
    expect(e.sent).toEqual([]);
  });
});

describe('mapping', () => {
  it('counts one budget slot for an index made through the public API, none through the hook', () => {
    expect(slotsOf({ state: 'index', indexName: 'x' }, false)).toBe(1);
    expect(slotsOf({ state: 'deleted-index', indexName: 'x' }, false)).toBe(1);
    expect(slotsOf({ state: 'index', indexName: 'x' }, true)).toBe(0);
    expect(slotsOf({ state: 'no-index', indexName: 'x' }, false)).toBe(0);
  });

  it('reads the pact\'s provider states, v1 and v2 names alike', () => {
    expect(fromProviderState(STATES.indexCreating, { bucket: 'b', indexName: 'i' })).toMatchObject({ state: 'index', status: 'creating', indexName: 'i' });
    expect(fromProviderState(STATES.indexExists, { indexName: 'i', status: 'deleting' })).toMatchObject({ state: 'index', status: 'deleting' });
    expect(fromProviderState(STATES.indexExists, { indexName: 'i' })).toMatchObject({ state: 'index', status: 'enable' });
    expect(fromProviderState(STATES.noBucket, {})).toBeNull();
    expect(fromProviderState('a state nobody knows', {})).toBeNull();
  });
});
