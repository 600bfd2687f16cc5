// Provider states, set up one way for every caller (suites, pact verification, the CLI): through
// the target's provider-state hook when it has one (docs/provider-states.md v2), otherwise through
// the public API on run-prefixed indexes written to the ledger — and, either way, waited for until
// the state holds. A state the public API cannot reach is a Skip ("needs a provider-state hook");
// a state that does not hold within the settle bound is a SetupError (the case is an `error`).
import { STATE_DEFAULTS, STATES, type StateName, type StateParams } from '../contracts/provider-states.ts';
import type { IndexBudget, Slots } from '../safety/budget.ts';
import { codeOf, type ExchangeWatcher, type TargetClient, type WireResponse } from '../client/client.ts';
import type { RunSpec, TargetSpec } from '../client/config.ts';
import type { Ledger } from '../safety/ledger.ts';
import { awaitEnable, awaitGone, settleProblem } from './settle.ts';
import { deleteIndex, deleteIndexSettled, type DeleteProof } from '../safety/deleteGate.ts';
import type { StateHook } from './hookClient.ts';

/** The case cannot be meaningful on this target (reason required): `skip`. */
export class Skip extends Error {}
/** The precondition could not be set up: the case is an `error`, never a pass. */
export class SetupError extends Error {}

export const NEEDS_HOOK = 'needs a provider-state hook (--state-hook)';

export type IndexStatus = 'enable' | 'creating' | 'deleting';

export type State =
  | { state: 'bucket-exists'; bucket?: string }
  | { state: 'no-bucket'; bucket: string }
  | { state: 'index'; bucket?: string; indexName: string; status?: IndexStatus; dimension?: number; distanceMetric?: 'cosine' | 'euclidean'; vectorCount?: number }
  | { state: 'no-index'; bucket?: string; indexName: string }
  /** Created, deleted, and waited for until gone: "an index deleted just before". */
  | { state: 'deleted-index'; bucket?: string; indexName: string; dimension?: number };

export interface StateEnv {
  /** Sends the set-up requests (a recording view, role `given`). */
  client: TargetClient;
  hook: StateHook | null;
  target: TargetSpec;
  run: Pick<RunSpec, 'prefix' | 'settleMs'>;
  ledger: Ledger;
  budget: Slots;
  /** Settle times seen while setting up (ms), by kind. */
  onSettle?: (kind: 'enable' | 'gone', ms: number) => void;
}

export interface Provisioned {
  /** Undoes what the set-up made (never throws; problems are returned as text). */
  teardown(): Promise<string | null>;
}

const NOTHING: Provisioned = { teardown: async () => null };

/** How many indexes a state creates through the public API (for the budget); hook-made ones are not counted. */
export function slotsOf(s: State, hasHook: boolean): number {
  return !hasHook && (s.state === 'index' || s.state === 'deleted-index') ? 1 : 0;
}

function bucketOf(env: StateEnv, s: { bucket?: string }): string {
  return s.bucket ?? env.target.bucket;
}

/** Sets one state up and waits until it holds. */
export async function setUp(env: StateEnv, s: State): Promise<Provisioned> {
  switch (s.state) {
    case 'bucket-exists': {
      const bucket = bucketOf(env, s);
      if (env.hook) { await env.hook.setup(STATES.bucketExists, { bucket }); return NOTHING; }
      const res = await env.client.op('GetVectorBucket', undefined, { bucket });
      if (res.status !== 200) throw new SetupError(`bucket ${bucket} is not usable: GetVectorBucket answered ${res.status} ${codeOf(res) ?? ''}`.trim());
      return NOTHING;
    }
    case 'no-bucket': {
      // A run-unique name nobody created (checked absent in preflight).
      if (env.hook) await env.hook.setup(STATES.noBucket, { bucket: s.bucket });
      return NOTHING;
    }
    case 'no-index': {
      if (env.hook) await env.hook.setup(STATES.noIndex, { bucket: bucketOf(env, s), indexName: s.indexName });
      // Without a hook: the run's names are fresh, never created before.
      return NOTHING;
    }
    case 'index': return setUpIndex(env, s);
    case 'deleted-index': {
      const made = await setUpIndex(env, { state: 'index', bucket: s.bucket, indexName: s.indexName, dimension: s.dimension });
      const bucket = bucketOf(env, s);
      if (env.hook) {
        await made.teardown();
        return NOTHING;
      }
      const del = await deleteIndex(env.client, bucket, s.indexName, proofOf(env));
      if (del.status !== 204) throw new SetupError(`could not delete ${s.indexName} before the case: ${del.status} ${codeOf(del) ?? ''}`.trim());
      await waitGone(env, bucket, s.indexName);
      return NOTHING;
    }
  }
}

/** What proves a set-up's index is the run's (safety/deleteGate.ts): its ledger, or the run's own emulator. */
function proofOf(env: StateEnv): DeleteProof {
  return env.target.embedded ? { embedded: true } : { ledger: env.ledger };
}

async function waitGone(env: StateEnv, bucket: string, name: string): Promise<void> {
  const gone = await awaitGone(env.client, bucket, name, env.run.settleMs);
  const problem = settleProblem('gone', gone, env.run.settleMs);
  if (problem) throw new SetupError(`set-up: ${problem}`);
  env.onSettle?.('gone', gone.elapsedMs);
}

async function setUpIndex(env: StateEnv, s: Extract<State, { state: 'index' }>): Promise<Provisioned> {
  const bucket = bucketOf(env, s);
  const status = s.status ?? 'enable';
  const dimension = s.dimension ?? STATE_DEFAULTS.dimension;
  const distanceMetric = s.distanceMetric ?? STATE_DEFAULTS.distanceMetric;
  const vectorCount = s.vectorCount ?? 0;
  if (env.hook) {
    // Hook-made indexes are outside the budget (the hook's teardown removes them at once), but in
    // the ledger: a run stopped before the teardown still deletes them in its cleanup.
    const params: StateParams = { bucket, indexName: s.indexName, status, dimension, distanceMetric, vectorCount };
    const ledgered = s.indexName.startsWith(env.run.prefix);
    if (ledgered) env.ledger.creating(bucket, s.indexName);
    await env.hook.setup(STATES.indexExists, params);
    return {
      teardown: async () => {
        try {
          await env.hook!.teardown(STATES.indexExists, { bucket, indexName: s.indexName });
          if (ledgered) env.ledger.deleted(bucket, s.indexName);
          return null;
        } catch (e) { return (e as Error).message; }
      },
    };
  }
  if (status !== 'enable') throw new Skip(`an index in '${status}' ${NEEDS_HOOK}`);
  const created = await createWithinBudget(env.budget, env.client, bucket, { indexName: s.indexName, dimension, distanceMetric });
  if (created.status !== 200) throw new SetupError(`could not create ${s.indexName}: PutVectorIndex answered ${created.status} ${codeOf(created) ?? ''}`.trim());
  const enabled = await awaitEnable(env.client, bucket, s.indexName, env.run.settleMs);
  const problem = settleProblem('enable', enabled, env.run.settleMs);
  if (problem) throw new SetupError(`set-up: ${problem}`);
  env.onSettle?.('enable', enabled.elapsedMs);
  if (vectorCount > 0) await putVectors(env.client, bucket, s.indexName, vectorCount, dimension);
  return { teardown: () => deleteIfPresent(env, bucket, s.indexName) };
}

/**
 * PutVectorIndex within the index budget: a slot is taken first and given back when the index was
 * not created (an error answer, or no answer at all); a 200 turns it into a live index (tracker).
 */
export async function createWithinBudget(slots: Slots, client: TargetClient, bucket: string,
  index: { indexName: string; dimension: number; distanceMetric: 'cosine' | 'euclidean' }): Promise<WireResponse> {
  await slots.acquire(1);
  try {
    const res = await client.op('PutVectorIndex', { indexName: index.indexName, dataType: 'float32', dimension: index.dimension, distanceMetric: index.distanceMetric }, { bucket });
    if (res.status !== 200) slots.release(1);
    return res;
  } catch (e) {
    slots.release(1);
    throw e;
  }
}

/** Vectors `k0`…`k{N-1}` with deterministic values, in requests of at most 500 (spec §4). */
export async function putVectors(client: TargetClient, bucket: string, indexName: string, count: number, dimension: number): Promise<void> {
  for (let start = 0; start < count; start += 500) {
    const vectors = [];
    for (let k = start; k < Math.min(count, start + 500); k++) {
      vectors.push({ key: `k${k}`, data: { float32: Array.from({ length: dimension }, (_, j) => ((k + 1) * (j + 3)) % 97 / 97 + 0.01) } });
    }
    const res = await client.op('PutVectors', { indexName, vectors }, { bucket });
    if (res.status !== 200) throw new SetupError(`could not put vectors into ${indexName}: PutVectors answered ${res.status} ${codeOf(res) ?? ''}`.trim());
  }
}

/**
 * Deletes an index the run made, if it is still there (role `cleanup`). An index still `creating`
 * is waited for first (a delete would be a 409). Returns a problem sentence or null.
 */
export async function deleteIfPresent(env: StateEnv, bucket: string, name: string): Promise<string | null> {
  if (!name.startsWith(env.run.prefix) && !env.target.embedded) return `refusing to delete '${name}': not created by this run`;
  // Nothing of the run's is left under this name when its ledger holds no create of it: the run's
  // own delete was answered 204 (the index is gone or on its way), or it was never created.
  if (!env.target.embedded && !env.ledger.holds('index', bucket, name)) return null;
  const client = env.client.as('cleanup');
  try {
    const settled = await deleteIndexSettled(client, bucket, name, proofOf(env), env.run.settleMs);
    // Never `enable` within the bound: still creating, or already deleting — nothing more to do here.
    if ('still' in settled) return null;
    const { res } = settled;
    if (res.status === 204 || codeOf(res) === 'NoSuchVectorIndex') return null;
    return `${bucket}/${name}: DeleteVectorIndex answered ${res.status} ${codeOf(res) ?? ''}`.trim();
  } catch (e) {
    return `${bucket}/${name}: ${(e as Error).message}`;
  }
}

/**
 * Keeps the ledger and the budget true whoever sent the request: a PutVectorIndex (or
 * PutVectorBucket) of a run name is written down as an intent before it is sent, its 200 as
 * created; a DeleteVectorIndex 204 strikes it out (its slot is held until it is seen gone), a
 * GetVectorIndex 404 frees a leaving slot.
 */
export function tracker(env: { ledger: Ledger; budget: IndexBudget; run: Pick<RunSpec, 'prefix' | 'settleMs'> }): ExchangeWatcher {
  const prefix = env.run.prefix;
  return {
    before(req, op) {
      const bucket = req.bucket;
      if (!bucket) return;
      if (op === null && req.query === '' && req.method === 'PUT') { if (bucket.startsWith(prefix)) env.ledger.bucketCreating(bucket); return; }
      if (op !== 'PutVectorIndex') return;
      const name = indexNameOf(req.body);
      if (name !== null && name.startsWith(prefix)) env.ledger.creating(bucket, name);
    },
    after(x) {
      const bucket = x.request.bucket;
      if (!bucket) return;
      if (x.op === null && x.request.query === '') {
        // PutVectorBucket / DeleteVectorBucket (routed by method alone).
        if (x.request.method === 'PUT' && x.response.status === 200 && bucket.startsWith(prefix)) env.ledger.bucketCreated(bucket);
        else if (x.request.method === 'DELETE' && x.response.status === 204) env.ledger.bucketDeleted(bucket);
        return;
      }
      // Only the answers that change the ledger or the budget are looked at (the body is parsed then only).
      const s = x.response.status;
      const relevant = (x.op === 'PutVectorIndex' && s === 200) || (x.op === 'DeleteVectorIndex' && s === 204) || (x.op === 'GetVectorIndex' && s === 404);
      if (!relevant) return;
      const name = indexNameOf(x.request.body);
      if (name === null) return;
      if (x.op === 'PutVectorIndex') { if (name.startsWith(prefix)) env.ledger.created(bucket, name); env.budget.created(bucket, name); }
      else if (x.op === 'DeleteVectorIndex') { env.ledger.deleted(bucket, name); env.budget.deleted(bucket, name, env.run.settleMs === 0); }
      else if (codeOf(x.response) === 'NoSuchVectorIndex') env.budget.gone(bucket, name);
    },
  };
}

function indexNameOf(body: Buffer): string | null {
  if (body.length === 0 || body.length > 64 * 1024) return null;
  try {
    const name = (JSON.parse(body.toString('utf8')) as { indexName?: unknown }).indexName;
    return typeof name === 'string' ? name : null;
  } catch { return null; }
}

/** A provider state of the pact (v1 or v2 name) as a State; null for names this module does not know. */
export function fromProviderState(name: StateName | string, p: StateParams): State | null {
  switch (name) {
    case STATES.bucketExists: return { state: 'bucket-exists', bucket: p.bucket };
    case STATES.noBucket: return p.bucket ? { state: 'no-bucket', bucket: p.bucket } : null;
    case STATES.noIndex: return { state: 'no-index', bucket: p.bucket, indexName: p.indexName! };
    case STATES.indexExists: return { state: 'index', bucket: p.bucket, indexName: p.indexName!, status: (p.status ?? 'enable') as IndexStatus, dimension: p.dimension, distanceMetric: p.distanceMetric, vectorCount: p.vectorCount };
    case STATES.indexCreating: return { state: 'index', bucket: p.bucket, indexName: p.indexName!, status: 'creating', dimension: p.dimension, distanceMetric: p.distanceMetric };
    case STATES.indexDeleting: return { state: 'index', bucket: p.bucket, indexName: p.indexName!, status: 'deleting', dimension: p.dimension, distanceMetric: p.distanceMetric };
    default: return null;
  }
}
