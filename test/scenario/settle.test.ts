// scenario/settle.ts against a scripted target whose GetVectorIndex answers change over time: the
// wait ends when the index reads `enable` (or is gone), an answer the documentation does not allow
// on the way ends it at once as a violation, a 200 that is no index fails at once, and the settle
// bound ends the wait.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TargetClient } from '../../client/client.ts';
import { targetSpec } from '../../client/config.ts';
import { closeTransport } from '../../client/http.ts';
import { awaitEnable, awaitGone, deleteSettled, settleProblem } from '../../scenario/settle.ts';
import { envelope, indexAnswer, startFakeTarget, type Answer, type FakeTarget } from '../fixtures/fake-target.ts';

let fake: FakeTarget;
let client: TargetClient;
beforeAll(async () => {
  fake = await startFakeTarget();
  client = new TargetClient(targetSpec({ endpoint: fake.url, bucket: 'b' }), { main: { accessKeyId: 'k', accessKeySecret: 's' }, denied: null });
});
beforeEach(() => { fake.arrivals.length = 0; });
afterAll(async () => { await fake.close(); await closeTransport(); });

/** Answers GetVectorIndex from `script` in turn (the last one for ever after). */
function script(...answers: Answer[]): void {
  let i = 0;
  fake.answer = () => answers[Math.min(i++, answers.length - 1)]!;
}

const NAME = 'ovcsettle1';
const creating = indexAnswer(NAME, 'creating');
const enable = indexAnswer(NAME, 'enable');
const deleting = indexAnswer(NAME, 'deleting');
const gone = envelope(404, 'NoSuchVectorIndex');

describe('awaitEnable', () => {
  it('waits through creating until the index reads enable', async () => {
    script(creating, creating, enable);
    const o = await awaitEnable(client, 'b', NAME, 5_000);
    expect(o).toMatchObject({ reached: true, violation: null, seen: ['creating', 'creating', 'enable'] });
    expect(fake.arrivals.every((a) => a.op === 'getVectorIndex' && a.body?.indexName === NAME && a.bucket === 'b')).toBe(true);
  });

  it('waits for a target that turns enable after 100 ms', async () => {
    const readyAt = Date.now() + 100;
    fake.answer = () => (Date.now() < readyAt ? creating : enable);
    const o = await awaitEnable(client, 'b', NAME, 5_000);
    expect(o.reached).toBe(true);
    expect(o.elapsedMs).toBeGreaterThanOrEqual(90);
    expect(o.seen.at(-1)).toBe('enable');
  });

  it('ends the wait at the bound when the index stays creating, and says so in one sentence', async () => {
    script(creating);
    const started = performance.now();
    const o = await awaitEnable(client, 'b', NAME, 200);
    const took = performance.now() - started;
    expect(o).toMatchObject({ reached: false, violation: null });
    expect(took).toBeGreaterThanOrEqual(195);
    expect(took).toBeLessThan(1_000);
    expect(settleProblem('enable', o, 200)).toMatch(new RegExp(`^the index was still creating \\d+ ms after PutVectorIndex \\(settle bound 200 ms; seen creating ×${o.seen.length}\\)$`));
  });

  it('looks once with a bound of 0 (the transition must already be over)', async () => {
    script(creating, enable);
    const o = await awaitEnable(client, 'b', NAME, 0);
    expect(o.reached).toBe(false);
    expect(fake.arrivals).toHaveLength(1);
  });

  it('fails at once on a 200 whose body is not an index, even if it says enable', async () => {
    script({ status: 200, body: { index: { status: 'enable' } } }, enable);
    const o = await awaitEnable(client, 'b', NAME, 5_000);
    expect(o.reached).toBe(false);
    expect(o.violation).toMatch(/^GetVectorIndex answered 200 with a body that is not an index/);
    expect(fake.arrivals).toHaveLength(1);
  });

  it('fails at once when a just-created index answers 404 or deleting', async () => {
    script(creating, gone);
    const o = await awaitEnable(client, 'b', NAME, 5_000);
    expect(o.violation).toMatch(/answered GetVectorIndex with 404 NoSuchVectorIndex \(only 'creating' or 'enable' are possible\)/);
    expect(o.seen).toEqual(['creating', '404 NoSuchVectorIndex']);
    script(deleting);
    expect((await awaitEnable(client, 'b', NAME, 5_000)).violation).toMatch(/with deleting/);
  });
});

describe('awaitGone', () => {
  it('waits through deleting until GetVectorIndex answers 404 NoSuchVectorIndex', async () => {
    script(deleting, deleting, gone);
    const o = await awaitGone(client, 'b', NAME, 5_000);
    expect(o).toMatchObject({ reached: true, violation: null, seen: ['deleting', 'deleting', '404 NoSuchVectorIndex'] });
  });

  it('takes a 404 with another code for a violation, not for gone', async () => {
    script(envelope(404, 'NoSuchBucket'));
    const o = await awaitGone(client, 'b', NAME, 5_000);
    expect(o.reached).toBe(false);
    expect(o.violation).toMatch(/GetVectorIndex answered 404 NoSuchBucket/);
  });

  it('reports an index that comes back enable after its delete as a violation at once', async () => {
    script(deleting, enable, gone);
    const o = await awaitGone(client, 'b', NAME, 5_000);
    expect(o.reached).toBe(false);
    expect(o.violation).toMatch(/^after DeleteVectorIndex answered 204, GetVectorIndex answered enable/);
    expect(fake.arrivals).toHaveLength(2);
  });

  it('ends at the bound when the index stays deleting, naming --settle-ms', async () => {
    script(deleting);
    const o = await awaitGone(client, 'b', NAME, 120);
    expect(o.reached).toBe(false);
    expect(settleProblem('gone', o, 120)).toMatch(/^the deleted index still read deleting \d+ ms after the 204 \(settle bound 120 ms; seen deleting( ×\d+)?; --settle-ms raises the bound\)$/);
  });

  it('has no problem to report when the state was reached', async () => {
    script(gone);
    expect(settleProblem('gone', await awaitGone(client, 'b', NAME, 0), 0)).toBeNull();
  });
});

describe('deleteSettled', () => {
  /** DeleteVectorIndex answers from `deletes` in turn; GetVectorIndex from `gets`. */
  function byOp(deletes: Answer[], gets: Answer[]): void {
    fake.answer = (a) => (a.op === 'deleteVectorIndex' ? deletes.shift() ?? { status: 204 } : gets.shift() ?? enable);
  }

  it('deletes at once an index that is enable', async () => {
    byOp([{ status: 204 }], []);
    const r = await deleteSettled(client, 'b', NAME, 5_000);
    expect('res' in r && r.res.status).toBe(204);
    expect(fake.arrivals.map((a) => a.op)).toEqual(['deleteVectorIndex']);
  });

  it('after a 409 conflict waits for enable and deletes again', async () => {
    byOp([envelope(409, 'VectorIndexOperationConflict'), { status: 204 }], [creating, enable]);
    const r = await deleteSettled(client, 'b', NAME, 5_000);
    expect('res' in r && r.res.status).toBe(204);
    expect(fake.arrivals.map((a) => a.op)).toEqual(['deleteVectorIndex', 'getVectorIndex', 'getVectorIndex', 'deleteVectorIndex']);
  });

  it('gives up with what the index still read when it never turns enable within the bound', async () => {
    byOp([envelope(409, 'VectorIndexOperationConflict')], [creating, creating, creating, creating, creating, creating]);
    const r = await deleteSettled(client, 'b', NAME, 120);
    expect(r).toEqual({ still: 'creating' });
    expect(fake.arrivals.filter((a) => a.op === 'deleteVectorIndex')).toHaveLength(1);
  });

  it('returns other answers as they are, without waiting', async () => {
    byOp([envelope(404, 'NoSuchVectorIndex')], []);
    const r = await deleteSettled(client, 'b', NAME, 5_000);
    expect('res' in r && r.res.status).toBe(404);
    expect(fake.arrivals).toHaveLength(1);
  });
});
