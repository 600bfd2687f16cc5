// Concurrency: parallel deletes of one index, and deletes racing PutVectors and PutVectorIndex of
// the same name. Every answer is recorded with the time its request was sent and the time its
// answer arrived, and the history is checked for linearizability against a sequential model of
// one index (./linearizability.ts). A sibling index must never lose anything. The checker is
// itself shown to reject the non-linearizable `concurrent-deletes-succeed` fault profile.
import fc from 'fast-check';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATIONS, type OperationName } from '../../contracts/operations.ts';
import { contentMd5 } from '../../protocol/md5.ts';
import { signRequest } from '../../protocol/signer.ts';
import { startEmulator, type RunningEmulator } from '../../emulator/index.ts';
import { checkConcurrentDeletes, checkHistory, type Event, type Observed, type Op, type State } from './linearizability.ts';

const KEY = { accessKeyId: 'rel-key', accessKeySecret: 'rel-secret' };
const BUCKET = 'rel-bucket';
const DIM = 4;
// One socket per request in flight, so the server really sees them concurrently.
const agent = new Agent({ connections: 512, pipelining: 1 });

interface Answer { status: number; code: string | null; json: unknown }

async function call(em: RunningEmulator, op: OperationName, body: unknown): Promise<Answer> {
  const text = JSON.stringify(body);
  const query = OPERATIONS[op].queryKey!;
  const headers: Record<string, string> = { 'Content-Type': 'application/json', 'Content-MD5': contentMd5(text) };
  Object.assign(headers, signRequest({ region: em.region, accountId: em.accountId, bucket: BUCKET, method: 'POST', query, headers, credentials: KEY }).headers);
  const res = await request(`${em.url}/${BUCKET}/?${query}`, { method: 'POST', headers, body: text, dispatcher: agent });
  const raw = await res.body.text();
  let json: unknown;
  try { json = raw ? JSON.parse(raw) : undefined; } catch { json = raw; }
  return { status: res.statusCode, code: (json as { Error?: { Code?: string } } | undefined)?.Error?.Code ?? null, json };
}

const vector = (key: string) => ({ key, data: { float32: Array.from({ length: DIM }, (_, j) => j + 1 + key.length) } });

/** Sends one model operation on `name` and reduces the answer to what the model predicts (throws on anything else). */
async function perform(em: RunningEmulator, name: string, op: Op): Promise<Observed> {
  const unexpected = (a: Answer): never => { throw new Error(`${op.kind} ${name}: unexpected ${a.status} ${a.code ?? JSON.stringify(a.json)}`); };
  const conflict = (a: Answer): Observed | null => (a.code === 'VectorIndexOperationConflict' ? 'conflict' : null);
  switch (op.kind) {
    case 'create': {
      const a = await call(em, 'PutVectorIndex', { indexName: name, dataType: 'float32', dimension: DIM, distanceMetric: 'cosine' });
      return a.status === 200 ? 'created' : a.code === 'VectorBucketIndexAlreadyExist' ? 'exists' : unexpected(a);
    }
    case 'delete': {
      const a = await call(em, 'DeleteVectorIndex', { indexName: name });
      return a.status === 204 ? 'deleted' : a.code === 'NoSuchVectorIndex' ? 'absent' : conflict(a) ?? unexpected(a);
    }
    case 'put': {
      const a = await call(em, 'PutVectors', { indexName: name, vectors: [vector(op.key)] });
      return a.status === 200 ? 'stored' : a.code === 'NoSuchVectorIndex' ? 'absent' : conflict(a) ?? unexpected(a);
    }
    case 'get': {
      const a = await call(em, 'GetVectors', { indexName: name, keys: [op.key] });
      if (a.code === 'NoSuchVectorIndex') return 'absent';
      if (a.status !== 200) return conflict(a) ?? unexpected(a);
      return (a.json as { vectors: unknown[] }).vectors.length > 0 ? 'found' : 'missing';
    }
  }
}

/** Fires all operations at once and records each one's interval and answer. */
async function runConcurrently(em: RunningEmulator, name: string, ops: readonly Op[]): Promise<Event[]> {
  return Promise.all(ops.map(async (op) => {
    const invokedAt = performance.now();
    const observed = await perform(em, name, op);
    return { op, invokedAt, answeredAt: performance.now(), observed };
  }));
}

let em: RunningEmulator;
const SIBLING = 'sibling';
const SIBLING_KEYS = Array.from({ length: 50 }, (_, i) => `s${i}`);

async function siblingIntact(target: RunningEmulator): Promise<void> {
  const got = await call(target, 'GetVectors', { indexName: SIBLING, keys: SIBLING_KEYS, returnData: true });
  expect(got.status).toBe(200);
  const vectors = (got.json as { vectors: Array<{ key: string; data: { float32: number[] } }> }).vectors;
  expect(vectors.map((v) => v.key).sort()).toEqual([...SIBLING_KEYS].sort());
  for (const v of vectors) expect(v.data.float32).toEqual(vector(v.key).data.float32);
}

async function withSibling(target: RunningEmulator): Promise<void> {
  expect((await call(target, 'PutVectorIndex', { indexName: SIBLING, dataType: 'float32', dimension: DIM, distanceMetric: 'cosine' })).status).toBe(200);
  expect((await call(target, 'PutVectors', { indexName: SIBLING, vectors: SIBLING_KEYS.map(vector) })).status).toBe(200);
}

beforeAll(async () => {
  em = await startEmulator({ identities: [KEY], buckets: [BUCKET], stateHook: false });
  await withSibling(em);
});
afterAll(async () => {
  await em.close();
  await agent.close();
});

describe('parallel deletes of one index', () => {
  for (const n of [64, 256]) {
    it(`${n} concurrent deletes: exactly one 204, the rest 404, and no 404 answered before the 204 was sent`, async () => {
      const name = `storm${n}`;
      expect(await perform(em, name, { kind: 'create' })).toBe('created');
      const history = await runConcurrently(em, name, Array.from({ length: n }, () => ({ kind: 'delete' }) as const));
      const verdict = checkConcurrentDeletes(history);
      expect(verdict.problems).toEqual([]);
      expect(await perform(em, name, { kind: 'get', key: 'x' })).toBe('absent');
      await siblingIntact(em);
    });
  }
});

describe('deletes racing PutVectors and PutVectorIndex of the same name', () => {
  const opArb: fc.Arbitrary<Op> = fc.oneof(
    { weight: 3, arbitrary: fc.constant({ kind: 'delete' } as const) },
    { weight: 2, arbitrary: fc.constant({ kind: 'create' } as const) },
    { weight: 2, arbitrary: fc.constantFrom('a', 'b').map((key) => ({ kind: 'put', key }) as const) },
    { weight: 2, arbitrary: fc.constantFrom('a', 'b').map((key) => ({ kind: 'get', key }) as const) },
  );

  it('every recorded history is linearizable against one index; the sibling index is untouched', async () => {
    let round = 0;
    let histories = 0;
    let operations = 0;
    await fc.assert(fc.asyncProperty(fc.boolean(), fc.array(opArb, { minLength: 4, maxLength: 12 }), async (startsPresent, ops) => {
      const name = `race${round++}`;
      let initial: State = null;
      if (startsPresent) {
        expect(await perform(em, name, { kind: 'create' })).toBe('created');
        expect(await perform(em, name, { kind: 'put', key: 'a' })).toBe('stored');
        initial = ['a'];
      }
      const history = await runConcurrently(em, name, ops);
      const verdict = checkHistory(history, initial);
      if (!verdict.linearizable) throw new Error(`not linearizable from ${JSON.stringify(initial)}: ${JSON.stringify(history.map((e) => [e.op, e.observed]))}`);
      histories++;
      operations += history.length;
    }), { numRuns: 60, seed: 20260101 });
    expect(histories).toBe(60);
    expect(operations).toBeGreaterThan(240);
    await siblingIntact(em);
  });
});

describe('the same races against slow transitions (creating and deleting last 2–15 ms)', () => {
  it('every history is linearizable once `creating`/`deleting` may end between operations', async () => {
    const slow = await startEmulator({ identities: [KEY], buckets: [BUCKET], stateHook: false, creatingMs: 8, deletingMs: 8 });
    try {
      let round = 0;
      let conflicts = 0;
      const opArb: fc.Arbitrary<Op> = fc.oneof(
        fc.constant({ kind: 'delete' } as const), fc.constant({ kind: 'create' } as const),
        fc.constantFrom('a', 'b').map((key) => ({ kind: 'put', key }) as const), fc.constantFrom('a', 'b').map((key) => ({ kind: 'get', key }) as const),
      );
      await fc.assert(fc.asyncProperty(fc.array(opArb, { minLength: 4, maxLength: 10 }), async (ops) => {
        const name = `slow${round++}`;
        const history = await runConcurrently(slow, name, ops);
        conflicts += history.filter((e) => e.observed === 'conflict').length;
        const verdict = checkHistory(history, null);
        if (!verdict.linearizable) throw new Error(`not linearizable: ${JSON.stringify(history.map((e) => [e.op, e.observed]))}`);
      }), { numRuns: 40, seed: 20261130 });
      // The windows were seen (the 409s are what the transitional states explain).
      expect(conflicts).toBeGreaterThan(0);
    } finally {
      await slow.close();
    }
  });
});

describe('the checker', () => {
  it('knows `deleting`: a 409 while deleting is possible, an index that reads enable again after its delete is not', () => {
    const ev = (op: Op, invokedAt: number, answeredAt: number, observed: Observed): Event => ({ op, invokedAt, answeredAt, observed });
    // delete answered, then a second delete sees it still deleting (409), then gone (404).
    expect(checkHistory([ev({ kind: 'delete' }, 0, 1, 'deleted'), ev({ kind: 'delete' }, 2, 3, 'conflict'), ev({ kind: 'delete' }, 4, 5, 'absent')], []).linearizable).toBe(true);
    // Gone (404) and then deleting again (409) is impossible: a deleted index does not come back.
    expect(checkHistory([ev({ kind: 'delete' }, 0, 1, 'deleted'), ev({ kind: 'delete' }, 2, 3, 'absent'), ev({ kind: 'delete' }, 4, 5, 'conflict')], []).linearizable).toBe(false);
    // After the delete, a put that is stored (the index is enable again) is impossible.
    expect(checkHistory([ev({ kind: 'delete' }, 0, 1, 'deleted'), ev({ kind: 'put', key: 'a' }, 2, 3, 'stored')], []).linearizable).toBe(false);
    // A create is 'creating' first: a put right after it may be refused with 409, later stored.
    expect(checkHistory([ev({ kind: 'create' }, 0, 1, 'created'), ev({ kind: 'put', key: 'a' }, 2, 3, 'conflict'), ev({ kind: 'put', key: 'a' }, 4, 5, 'stored')], null).linearizable).toBe(true);
  });

  const ev = (op: Op, invokedAt: number, answeredAt: number, observed: Observed): Event => ({ op, invokedAt, answeredAt, observed });

  it('accepts overlapping operations in any order that explains the answers, rejects impossible ones', () => {
    // Overlapping create and delete on an absent index: create then delete explains both answers.
    expect(checkHistory([ev({ kind: 'delete' }, 0, 10, 'deleted'), ev({ kind: 'create' }, 1, 5, 'created')], null).linearizable).toBe(true);
    // The same answers in strict sequence (delete finished before create began) are impossible.
    expect(checkHistory([ev({ kind: 'delete' }, 0, 1, 'deleted'), ev({ kind: 'create' }, 2, 3, 'created')], null).linearizable).toBe(false);
    // Vectors must not survive a delete + re-create.
    expect(checkHistory([ev({ kind: 'delete' }, 0, 1, 'deleted'), ev({ kind: 'create' }, 2, 3, 'created'), ev({ kind: 'get', key: 'a' }, 4, 5, 'found')], ['a']).linearizable).toBe(false);
    expect(checkConcurrentDeletes([ev({ kind: 'delete' }, 0, 5, 'deleted'), ev({ kind: 'delete' }, 1, 2, 'absent')]).linearizable).toBe(true);
    expect(checkConcurrentDeletes([ev({ kind: 'delete' }, 3, 5, 'deleted'), ev({ kind: 'delete' }, 1, 2, 'absent')]).linearizable).toBe(false);
  });

  it('rejects the history of the concurrent-deletes-succeed fault profile (so a pass above means something)', async () => {
    const faulty = await startEmulator({ identities: [KEY], buckets: [BUCKET], stateHook: false, fault: 'concurrent-deletes-succeed' });
    try {
      await withSibling(faulty);
      expect(await perform(faulty, 'victim', { kind: 'create' })).toBe('created');
      const history = await runConcurrently(faulty, 'victim', Array.from({ length: 64 }, () => ({ kind: 'delete' }) as const));
      expect(checkConcurrentDeletes(history).linearizable).toBe(false);
      await siblingIntact(faulty);
    } finally {
      await faulty.close();
    }
  });
});
