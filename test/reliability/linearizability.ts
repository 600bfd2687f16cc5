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
  | 'found' | 'missing'         // get: 200 with / without the key
  | 'conflict';                 // 409 VectorIndexOperationConflict: the index is `creating` or `deleting`

export interface Event { op: Op; invokedAt: number; answeredAt: number; observed: Observed }

/** null: the index does not exist; otherwise the keys it holds (sorted). Initial states are `enable`. */
export type State = readonly string[] | null;

/**
 * The model's state: absent, or an index in a documented state with its keys. `creating` and
 * `deleting` end on their own at an unknown time (spec §5, DESIGN rule 5): the checker lets them
 * end between any two operations, so instant and slow transitions are both explained.
 */
export type Phase = { phase: 'absent' } | { phase: 'creating' | 'enable' | 'deleting'; keys: readonly string[] };

const ABSENT: Phase = { phase: 'absent' };

function fromState(s: State): Phase {
  return s === null ? ABSENT : { phase: 'enable', keys: s };
}

/** What an operation does in a phase (docs/emulator.md U5–U7: not `enable` → 409 for data-plane and delete, 409 AlreadyExist for create). */
export function stepPhase(p: Phase, op: Op): { next: Phase; observed: Observed } {
  if (p.phase === 'absent') {
    if (op.kind === 'create') return { next: { phase: 'creating', keys: [] }, observed: 'created' };
    return { next: p, observed: 'absent' };
  }
  if (op.kind === 'create') return { next: p, observed: 'exists' };
  if (p.phase !== 'enable') return { next: p, observed: 'conflict' };
  switch (op.kind) {
    case 'delete': return { next: { phase: 'deleting', keys: p.keys }, observed: 'deleted' };
    case 'put': return { next: { phase: 'enable', keys: p.keys.includes(op.key) ? p.keys : [...p.keys, op.key].sort() }, observed: 'stored' };
    case 'get': return { next: p, observed: p.keys.includes(op.key) ? 'found' : 'missing' };
  }
}

/** The transition that ends on its own, if the phase has one. */
function settle(p: Phase): Phase | null {
  if (p.phase === 'creating') return { phase: 'enable', keys: p.keys };
  if (p.phase === 'deleting') return ABSENT;
  return null;
}

function keyOf(p: Phase): string {
  return p.phase === 'absent' ? '-' : `${p.phase}:${p.keys.join(',')}`;
}

/** The instant model (no transitional states), kept for readers of the simple case. */
export function step(state: State, op: Op): { next: State; observed: Observed } {
  const r = stepPhase(fromState(state), op);
  let next = r.next;
  for (let s = settle(next); s; s = settle(next)) next = s;
  return { next: next.phase === 'absent' ? null : next.keys, observed: r.observed };
}

export interface Verdict { linearizable: boolean; order?: number[]; explored: number }

/**
 * Searches for a linearization; `limit` bounds the explored configurations (histories here are
 * small). Between operations a `creating` index may become `enable` and a `deleting` one absent.
 */
export function checkHistory(events: readonly Event[], initial: State, limit = 2_000_000): Verdict {
  const n = events.length;
  if (n > 30) throw new Error('checkHistory: at most 30 operations (use checkConcurrentDeletes for larger delete storms)');
  const seen = new Set<string>();
  let explored = 0;
  const order: number[] = [];
  const search = (done: number, state: Phase): boolean => {
    if (done === (2 ** n) - 1) return true;
    const key = `${done}|${keyOf(state)}`;
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
      const r = stepPhase(state, e.op);
      if (r.observed !== e.observed) continue;
      order.push(i);
      if (search(done | (1 << i), r.next)) return true;
      order.pop();
    }
    // Or the transition under way ends first.
    const settled = settle(state);
    return settled !== null && search(done, settled);
  };
  const ok = search(0, fromState(initial));
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
  // While the index is `deleting`, a losing delete may be 409 (spec §12 U5) instead of 404.
  const others = events.filter((e) => e.observed !== 'deleted' && e.observed !== 'absent' && e.observed !== 'conflict');
  if (wins.length !== 1) problems.push(`${wins.length} deletes answered 204 (exactly one must)`);
  if (others.length > 0) problems.push(`${others.length} deletes answered neither 204 nor 404 nor 409`);
  if (wins.length === 1) {
    const early = events.filter((e) => (e.observed === 'absent' || e.observed === 'conflict') && e.answeredAt < wins[0]!.invokedAt);
    if (early.length > 0) problems.push(`${early.length} deletes answered 404/409 before the successful delete was sent`);
  }
  return { linearizable: problems.length === 0, problems };
}
