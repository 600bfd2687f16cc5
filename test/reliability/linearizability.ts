// A linearizability checker for one index name seen as a register: the index is absent or present
// with a set of vector keys. Operations: PutVectorIndex (create), DeleteVectorIndex (delete),
// PutVectors (put one key), GetVectors (get one key). A history is linearizable when some total
// order of its operations, consistent with real time (a before b when a answered before b was
// sent), replays on the sequential model with exactly the observed answers (Wing & Gong search,
// memoised on (operations done, model state), as in Lowe's / Porcupine's variant).

export type Op =
  | { kind: 'create' }
  | { kind: 'delete' }
  | { kind: 'put'; key: string }
  | { kind: 'get'; key: string };

/** What an operation answered, reduced to what the model predicts. */
export type Observed =
  | 'created' | 'exists'        // create: 200 | 409 VectorBucketIndexAlreadyExist
  | 'deleted' | 'absent'        // delete: 204 | 404 NoSuchVectorIndex (also put/get on an absent index)
  | 'stored'                    // put: 200
  | 'found' | 'missing';        // get: 200 with / without the key

export interface Event { op: Op; invokedAt: number; answeredAt: number; observed: Observed }

/** null: the index does not exist; otherwise the keys it holds (sorted). */
export type State = readonly string[] | null;

export function step(state: State, op: Op): { next: State; observed: Observed } {
  switch (op.kind) {
    case 'create': return state === null ? { next: [], observed: 'created' } : { next: state, observed: 'exists' };
    case 'delete': return state === null ? { next: null, observed: 'absent' } : { next: null, observed: 'deleted' };
    case 'put':
      if (state === null) return { next: null, observed: 'absent' };
      return { next: state.includes(op.key) ? state : [...state, op.key].sort(), observed: 'stored' };
    case 'get':
      if (state === null) return { next: null, observed: 'absent' };
      return { next: state, observed: state.includes(op.key) ? 'found' : 'missing' };
  }
}

export interface Verdict { linearizable: boolean; order?: number[]; explored: number }

/** Searches for a linearization; `limit` bounds the explored configurations (histories here are small). */
export function checkHistory(events: readonly Event[], initial: State, limit = 2_000_000): Verdict {
  const n = events.length;
  if (n > 30) throw new Error('checkHistory: at most 30 operations (use checkConcurrentDeletes for larger delete storms)');
  const seen = new Set<string>();
  let explored = 0;
  const order: number[] = [];
  const search = (done: number, state: State): boolean => {
    if (done === (2 ** n) - 1) return true;
    const key = `${done}|${state === null ? '-' : state.join(',')}`;
    if (seen.has(key)) return false;
    seen.add(key);
    if (++explored > limit) throw new Error(`checkHistory: more than ${limit} configurations`);
    // An operation may go next only if no pending operation answered before it was invoked.
    let earliestAnswer = Infinity;
    for (let i = 0; i < n; i++) if (!(done & (1 << i))) earliestAnswer = Math.min(earliestAnswer, events[i]!.answeredAt);
    for (let i = 0; i < n; i++) {
      if (done & (1 << i)) continue;
      const e = events[i]!;
      if (e.invokedAt > earliestAnswer) continue;
      const r = step(state, e.op);
      if (r.observed !== e.observed) continue;
      order.push(i);
      if (search(done | (1 << i), r.next)) return true;
      order.pop();
    }
    return false;
  };
  const ok = search(0, initial);
  return ok ? { linearizable: true, order: [...order], explored } : { linearizable: false, explored };
}

/**
 * Many deletes of one present index, and nothing else: linearizable iff exactly one answered
 * 'deleted', all others 'absent', and no 'absent' answer arrived before the successful delete was
 * sent (that one would have seen the index still present). Exact for this history shape.
 */
export function checkConcurrentDeletes(events: readonly Event[]): { linearizable: boolean; problems: string[] } {
  const problems: string[] = [];
  const wins = events.filter((e) => e.observed === 'deleted');
  const others = events.filter((e) => e.observed !== 'deleted' && e.observed !== 'absent');
  if (wins.length !== 1) problems.push(`${wins.length} deletes answered 204 (exactly one must)`);
  if (others.length > 0) problems.push(`${others.length} deletes answered neither 204 nor 404`);
  if (wins.length === 1) {
    const early = events.filter((e) => e.observed === 'absent' && e.answeredAt < wins[0]!.invokedAt);
    if (early.length > 0) problems.push(`${early.length} deletes answered 404 before the successful delete was sent`);
  }
  return { linearizable: problems.length === 0, problems };
}
