// safety/removeCreated.ts: deletes exactly what the ledger holds (never anything else), keeps in the
// ledger what it could not remove or had no time for, and looks again after the grace at a name
// whose create may still have been on its way.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { codeOf, TargetClient } from '../../client/client.ts';
import { targetSpec } from '../../client/config.ts';
import { closeTransport } from '../../client/http.ts';
import { startEmulator, type RunningEmulator } from '../../emulator/index.ts';
import { STATES } from '../../contracts/provider-states.ts';
import { cleanup } from '../../safety/removeCreated.ts';
import { Ledger } from '../../safety/ledger.ts';
import { StateHook } from '../../scenario/hookClient.ts';
import { envelope, startFakeTarget, type FakeTarget } from '../fixtures/fake-target.ts';

const KEY = { accessKeyId: 'cleanup-key', accessKeySecret: 'cleanup-secret' };
const BUCKET = 'ovc-conformance';
const PREFIX = 'ovccleanup01'; // 'ovc' and a run id, as the delete gate requires
const newLedger = (): Ledger => new Ledger(mkdtempSync(join(tmpdir(), 'ovc-cleanup-')), PREFIX);

afterAll(() => closeTransport());

describe('cleanup against the emulator', () => {
  let emulator: RunningEmulator;
  let client: TargetClient;
  beforeAll(async () => {
    emulator = await startEmulator({ buckets: [BUCKET], stateHook: true, identities: [{ ...KEY }] });
    client = new TargetClient(targetSpec({ endpoint: emulator.url, bucket: BUCKET, region: emulator.region, accountId: emulator.accountId }), { main: KEY, denied: null });
  });
  afterAll(() => emulator.close());

  const create = async (name: string): Promise<void> => {
    const r = await client.op('PutVectorIndex', { indexName: name, dataType: 'float32', dimension: 4, distanceMetric: 'cosine' });
    expect(r.status).toBe(200);
  };
  const names = async (): Promise<string[]> => {
    const r = await client.op('ListVectorIndexes', { maxResults: 100 });
    return ((r.json as { indexes: Array<{ indexName: string }> }).indexes).map((i) => i.indexName).sort();
  };
  beforeEach(async () => {
    for (const n of await names()) await client.op('DeleteVectorIndex', { indexName: n });
  });

  it('deletes every index the ledger holds and nothing else', async () => {
    const ledger = newLedger();
    await create(`${PREFIX}a`); ledger.created(BUCKET, `${PREFIX}a`);
    await create(`${PREFIX}b`); ledger.created(BUCKET, `${PREFIX}b`);
    await create(`${PREFIX}notmine`); // the same prefix, but never written down
    await create('usersOwnIndex');
    const report = await cleanup(client, ledger);
    expect(report).toEqual({ deleted: 2, failures: [], removed: [`${BUCKET}/${PREFIX}a`, `${BUCKET}/${PREFIX}b`] });
    expect(await names()).toEqual([`${PREFIX}notmine`, 'usersOwnIndex']);
    expect(ledger.outstanding()).toEqual([]);
  });

  it('strikes out an index that is already gone without calling it a failure', async () => {
    const ledger = newLedger();
    ledger.created(BUCKET, `${PREFIX}gone`);
    const report = await cleanup(client, ledger);
    expect(report).toMatchObject({ deleted: 0, failures: [] });
    expect(ledger.outstanding()).toEqual([]);
  });

  it('deletes the buckets the run created after their indexes', async () => {
    const ledger = newLedger();
    const bucket = `${PREFIX}bkt`;
    expect((await client.op('PutVectorBucket', undefined, { bucket })).status).toBe(200);
    ledger.bucketCreated(bucket);
    const name = `${PREFIX}inbkt`;
    expect((await client.op('PutVectorIndex', { indexName: name, dataType: 'float32', dimension: 4, distanceMetric: 'cosine' }, { bucket })).status).toBe(200);
    ledger.created(bucket, name);
    const report = await cleanup(client, ledger);
    expect(report).toEqual({ deleted: 2, failures: [], removed: [`${bucket}/${name}`, `${bucket}/(bucket)`] });
    expect(codeOf(await client.op('GetVectorBucket', undefined, { bucket }))).toBe('NoSuchBucket');
    expect(ledger.outstanding('bucket')).toEqual([]);
  });

  it('removes through the hook an index a stopped run left held in creating', async () => {
    const ledger = newLedger();
    const hook = new StateHook(emulator.stateHookUrl!);
    const name = `${PREFIX}held`;
    await hook.setup(STATES.indexExists, { bucket: BUCKET, indexName: name, status: 'creating', dimension: 4, distanceMetric: 'cosine' });
    ledger.creating(BUCKET, name);
    const report = await cleanup(client, ledger, { hook });
    expect(report).toMatchObject({ deleted: 1, failures: [] });
    expect(await names()).toEqual([]);
    expect(ledger.outstanding()).toEqual([]);
  });

  it('looks again after the grace at an unconfirmed create that read absent, and deletes it once it landed', async () => {
    const ledger = newLedger();
    const name = `${PREFIX}late`;
    ledger.creating(BUCKET, name); // intent written, no 200 seen: the create may still be on its way
    const landed = new Promise<void>((resolve) => setTimeout(() => void create(name).then(resolve), 60));
    const report = await cleanup(client, ledger, { inFlightGraceMs: 250 });
    await landed;
    expect(report).toEqual({ deleted: 1, failures: [], removed: [`${BUCKET}/${name}`] });
    expect(await names()).toEqual([]);
    expect(ledger.outstanding()).toEqual([]);
  });

  it('keeps an unconfirmed create in the ledger when the grace would end after the deadline', async () => {
    const ledger = newLedger();
    const name = `${PREFIX}nolook`;
    ledger.creating(BUCKET, name);
    const deadline = Date.now() + 5_000;
    const report = await cleanup(client, ledger, { deadline: () => deadline, inFlightGraceMs: 60_000 });
    expect(report.failures).toEqual([`${BUCKET}/${name}: its create may still land; kept in the ledger for the next run to look again`]);
    expect(ledger.outstanding()).toEqual([{ bucket: BUCKET, name, confirmed: false }]);
  });
  it('ends the grace at once when the deadline moves during it (a second signal), and rechecks nothing', async () => {
    const ledger = newLedger();
    const name = `${PREFIX}cut`;
    ledger.creating(BUCKET, name);
    let deadline = Infinity;
    setTimeout(() => { deadline = Date.now(); }, 200);
    const started = Date.now();
    const report = await cleanup(client, ledger, { deadline: () => deadline, inFlightGraceMs: 10_000 });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(report.failures).toEqual([`${BUCKET}/${name}: its create may still land; kept in the ledger for the next run to look again`]);
    expect(ledger.outstanding()).toEqual([{ bucket: BUCKET, name, confirmed: false }]);
  });
});

describe('cleanup against a scripted target', () => {
  let fake: FakeTarget;
  let client: TargetClient;
  beforeAll(async () => {
    fake = await startFakeTarget();
    client = new TargetClient(targetSpec({ endpoint: fake.url, bucket: BUCKET }), { main: KEY, denied: null });
  });
  beforeEach(() => { fake.arrivals.length = 0; });
  afterAll(() => fake.close());

  it('starts nothing after its deadline, and keeps what it did not attempt in the ledger', async () => {
    const ledger = newLedger();
    for (const n of ['a', 'b', 'c']) ledger.created(BUCKET, `${PREFIX}${n}`);
    fake.answer = async () => { await new Promise((r) => setTimeout(r, 80)); return { status: 204 }; };
    const deadline = Date.now() + 40; // passes while the first delete is under way
    const report = await cleanup(client, ledger, { deadline: () => deadline });
    expect(fake.arrivals).toHaveLength(1);
    expect(report.deleted).toBe(1);
    expect(report.failures).toEqual([
      `${BUCKET}/${PREFIX}b: not attempted, out of time (kept in the ledger for the next run)`,
      `${BUCKET}/${PREFIX}c: not attempted, out of time (kept in the ledger for the next run)`,
    ]);
    expect(ledger.outstanding().map((o) => o.name)).toEqual([`${PREFIX}b`, `${PREFIX}c`]);
  });

  it('sends nothing at all when the deadline has already passed', async () => {
    const ledger = newLedger();
    ledger.created(BUCKET, `${PREFIX}late0`);
    ledger.bucketCreated(`${PREFIX}bkt`);
    // A deadline a second gone (not `Date.now() - 1` read at each call: a millisecond that ticks
    // between cleanup's clock read and the deadline's made it "not yet passed" on a loaded machine).
    const passed = Date.now() - 1000;
    const report = await cleanup(client, ledger, { deadline: () => passed });
    // Nothing of this ledger's reached the target (a straggler of the test before — once seen on a
    // loaded CI machine: that test's delete of `a` — is not this cleanup's).
    expect(fake.arrivals.filter((a) => a.body?.indexName === `${PREFIX}late0` || a.bucket === `${PREFIX}bkt`)).toEqual([]);
    expect(report.failures).toHaveLength(2);
    expect(ledger.outstanding()).toHaveLength(1);
    expect(ledger.outstanding('bucket')).toHaveLength(1);
  });

  it('reports a refused delete and keeps the index in the ledger', async () => {
    const ledger = newLedger();
    ledger.created(BUCKET, `${PREFIX}a`);
    fake.answer = () => envelope(403, 'AccessDenied');
    const report = await cleanup(client, ledger);
    expect(report).toMatchObject({ deleted: 0, failures: [`${BUCKET}/${PREFIX}a: 403 AccessDenied`] });
    expect(ledger.outstanding()).toHaveLength(1);
  });

  it('strikes out an unconfirmed name the target rejects as invalid (it was never made), but not a confirmed one', async () => {
    const ledger = newLedger();
    ledger.creating(BUCKET, `${PREFIX}unconfirmed`);
    ledger.created(BUCKET, `${PREFIX}confirmed`);
    fake.answer = () => envelope(400, 'VectorIndexParameterInvalid');
    const report = await cleanup(client, ledger);
    expect(report.failures).toEqual([`${BUCKET}/${PREFIX}confirmed: 400 VectorIndexParameterInvalid`]);
    expect(ledger.outstanding().map((o) => o.name)).toEqual([`${PREFIX}confirmed`]);
  });
});
