// safety/budget.ts: the run never holds more live indexes than its budget; a deleted index keeps
// its slot until it is seen gone (and a full budget goes and looks); a case's reservation is taken
// all at once and gives back what it did not use.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TargetClient } from '../../client/client.ts';
import { targetSpec } from '../../client/config.ts';
import { closeTransport } from '../../client/http.ts';
import { BudgetError, IndexBudget, Reservation } from '../../safety/budget.ts';
import { envelope, indexAnswer, startFakeTarget, type FakeTarget } from '../fixtures/fake-target.ts';

let fake: FakeTarget;
let client: TargetClient;
beforeAll(async () => {
  fake = await startFakeTarget();
  client = new TargetClient(targetSpec({ endpoint: fake.url, bucket: 'b' }), { main: { accessKeyId: 'k', accessKeySecret: 's' }, denied: null });
});
beforeEach(() => { fake.arrivals.length = 0; });
afterAll(async () => { await fake.close(); await closeTransport(); });

/** Whether `p` is still pending after `ms`. */
async function pendingAfter(p: Promise<unknown>, ms: number): Promise<boolean> {
  let settled = false;
  void p.then(() => { settled = true; }, () => { settled = true; });
  await new Promise((r) => setTimeout(r, ms));
  return !settled;
}

describe('IndexBudget', () => {
  it('gives slots up to its capacity at once and makes the next one wait for a release', async () => {
    const b = new IndexBudget(2, client, 0);
    await b.acquire(1);
    await b.acquire(1);
    expect(b.inUse).toBe(2);
    const third = b.acquire(1);
    expect(await pendingAfter(third, 80)).toBe(true);
    b.release(1);
    await third;
    expect(b.inUse).toBe(2);
    expect(b.peak).toBe(2);
  });

  it('refuses at once a case that needs more indexes than the whole budget', async () => {
    const b = new IndexBudget(3, client, 0);
    await expect(b.acquire(4)).rejects.toThrow(BudgetError);
    await expect(b.acquire(4)).rejects.toThrow(/^a case needs 4 indexes at once but the budget is 3 \(--max-indexes, shared between workers\)$/);
    expect(b.inUse).toBe(0);
  });

  it('counts a created index until its delete, and a deleted one until it is seen gone', () => {
    const b = new IndexBudget(5, client, 0);
    void b.acquire(2);
    b.created('b', 'ovcx1');
    b.created('b', 'ovcx2');
    expect(b.inUse).toBe(2);
    b.deleted('b', 'ovcx1', false);
    expect(b.inUse).toBe(2);
    b.gone('b', 'ovcx1');
    expect(b.inUse).toBe(1);
    b.deleted('b', 'ovcx2', true);
    expect(b.inUse).toBe(0);
  });

  it('ignores a delete or a 404 of an index it never counted', () => {
    const b = new IndexBudget(5, client, 0);
    void b.acquire(1);
    b.created('b', 'ovcx1');
    b.deleted('b', 'someoneElses', false);
    b.gone('b', 'someoneElses');
    expect(b.inUse).toBe(1);
  });

  it('when full, looks at a deleting index with GetVectorIndex and frees its slot on 404 NoSuchVectorIndex', async () => {
    const b = new IndexBudget(1, client, 0);
    await b.acquire(1);
    b.created('b', 'ovcleaving');
    b.deleted('b', 'ovcleaving', false);
    fake.answer = () => envelope(404, 'NoSuchVectorIndex');
    await b.acquire(1);
    expect(fake.arrivals.map((a) => [a.op, a.body?.indexName])).toEqual([['getVectorIndex', 'ovcleaving']]);
    expect(b.inUse).toBe(1);
  });

  it('keeps waiting while the deleted index still reads deleting, and goes on once it is gone', async () => {
    const b = new IndexBudget(1, client, 0);
    await b.acquire(1);
    b.created('b', 'ovcslow');
    b.deleted('b', 'ovcslow', false);
    let looks = 0;
    fake.answer = () => (++looks < 3 ? indexAnswer('ovcslow', 'deleting') : envelope(404, 'NoSuchVectorIndex'));
    await b.acquire(1);
    expect(looks).toBe(3);
  });
});

describe('Reservation', () => {
  it('takes a case\'s slots at once, draws on them first, and gives back what the case did not use', async () => {
    const b = new IndexBudget(3, client, 0);
    const r = await Reservation.take(b, 2);
    expect(b.inUse).toBe(2);
    await r.acquire(1); // from the reservation: the budget is not asked again
    expect(b.inUse).toBe(2);
    r.close();
    expect(b.inUse).toBe(1);
    r.close();
    expect(b.inUse).toBe(1);
  });

  it('asks the budget for what goes beyond the reservation', async () => {
    const b = new IndexBudget(3, client, 0);
    const r = await Reservation.take(b, 1);
    await r.acquire(2);
    expect(b.inUse).toBe(2);
    r.close();
    expect(b.inUse).toBe(2);
  });

  it('lets two cases that each need two slots of a budget of three run one after the other, never deadlock', async () => {
    const b = new IndexBudget(3, client, 0);
    const first = await Reservation.take(b, 2);
    const second = Reservation.take(b, 2);
    expect(await pendingAfter(second, 60)).toBe(true);
    first.close();
    const r2 = await second;
    expect(b.inUse).toBe(2);
    r2.close();
  });
});
