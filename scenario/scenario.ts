// The scenario layer: given(state) → when(request) → expect(response), in the type-state shape
// pact-js uses for interactions, so a wrong order does not compile (`expect` exists only after
// `when`; `run` only after `expect`). Every caller — the suites, pact verification, the CLI — sets
// states up through `states.ts` (hook, or public API and waiting), and every exchange a case sends
// goes to that case's own record: there is no shared "last exchange".
import type { OperationName } from '../contracts/operations.ts';
import { Reservation, type IndexBudget } from '../safety/budget.ts';
import type { OpOptions, SentExchange, TargetClient, WireRequest, WireResponse } from '../client/client.ts';
import type { RunSpec, TargetSpec } from '../client/config.ts';
import type { Ledger } from '../safety/ledger.ts';
import { awaitEnable, awaitGone, type SettleOutcome } from './settle.ts';
import { setUp, slotsOf, type Provisioned, type State } from './states.ts';
import type { StateHook } from './hookClient.ts';

/** Bytes of an answer's body a record keeps: all that evidence and recordings keep (run/evidence.ts). */
const KEPT_BODY_BYTES = 64 * 1024;

/**
 * The exchange as a record keeps it: a large answer's body cut to its first bytes (its length kept).
 * The case judged the whole answer where it got it; a record lives until the case ends, and a
 * hostile target's 900 KiB answers held by every case in flight would fill the worker.
 */
function kept(x: SentExchange): SentExchange {
  const b = x.response.body;
  if (b.length <= KEPT_BODY_BYTES) return x;
  return { ...x, response: { ...x.response, body: Buffer.from(b.subarray(0, KEPT_BODY_BYTES)), bodyBytes: b.length } };
}

/** Everything a case sent and waited for, in order. */
export class CaseRecord {
  readonly exchanges: SentExchange[] = [];
  readonly settles: Array<{ kind: 'enable' | 'gone'; ms: number; reached: boolean }> = [];
  readonly cleanupProblems: string[] = [];
  readonly listener = (x: SentExchange): void => { this.exchanges.push(kept(x)); };

  /** The request under test, or the last exchange when the case has no `when`. */
  evidence(): SentExchange | null {
    for (let i = this.exchanges.length - 1; i >= 0; i--) if (this.exchanges[i]!.role === 'when') return this.exchanges[i]!;
    return this.exchanges.at(-1) ?? null;
  }
}

export interface ScenarioEnv {
  /** The worker's client (unrecorded); the scenario makes recording views of it. */
  client: TargetClient;
  hook: StateHook | null;
  target: TargetSpec;
  run: Pick<RunSpec, 'prefix' | 'settleMs' | 'strict'>;
  ledger: Ledger;
  budget: IndexBudget;
}

/** What `when` sends: built (and signed, or deliberately not) from the case's client. */
export type RequestSpec = (client: TargetClient) => WireRequest;

export const request = {
  /** One operation, signed by the main identity (or `identity`), at send time. */
  op(op: OperationName, body?: unknown, o: OpOptions = {}): RequestSpec {
    return (c) => c.buildSigned(op, body, o);
  },
  /** Anything else (signature faults, exact bytes). */
  raw(build: RequestSpec): RequestSpec { return build; },
};

/** What an expectation may use besides the answer: follow-up requests and time-aware waits. */
export class Then {
  constructor(readonly env: ScenarioEnv, readonly record: CaseRecord, readonly exchange: SentExchange) {}

  /** The case's client for follow-up checks (role `then`). */
  get client(): TargetClient { return this.env.client.recording(this.record.listener, 'then'); }

  /** Waits until a deleted index is gone (404), allowing `deleting` on the way, within the settle bound. */
  async awaitGone(name: string, bucket = this.env.target.bucket): Promise<SettleOutcome> {
    const o = await awaitGone(this.client, bucket, name, this.env.run.settleMs);
    this.record.settles.push({ kind: 'gone', ms: o.elapsedMs, reached: o.reached });
    return o;
  }

  async awaitEnable(name: string, bucket = this.env.target.bucket): Promise<SettleOutcome> {
    const o = await awaitEnable(this.client, bucket, name, this.env.run.settleMs);
    this.record.settles.push({ kind: 'enable', ms: o.elapsedMs, reached: o.reached });
    return o;
  }
}

export type Expectation = (res: WireResponse, then: Then) => Promise<void> | void;

/** A case with nothing set up yet. */
export class Scenario {
  constructor(protected readonly env: ScenarioEnv, protected readonly record: CaseRecord = new CaseRecord()) {}

  given(...states: State[]): Given { return new Given(this.env, this.record, states); }
  when(req: RequestSpec): When { return new When(this.env, this.record, [], req); }

  /** The case's own recording client (for cases that are not one request: races, sequences). */
  client(role: 'given' | 'when' | 'then' = 'when'): TargetClient { return this.env.client.recording(this.record.listener, role); }
}

export class Given {
  constructor(private readonly env: ScenarioEnv, private readonly record: CaseRecord, private readonly states: State[]) {}
  given(...more: State[]): Given { return new Given(this.env, this.record, [...this.states, ...more]); }
  when(req: RequestSpec): When { return new When(this.env, this.record, this.states, req); }
}

export class When {
  constructor(private readonly env: ScenarioEnv, private readonly record: CaseRecord, private readonly states: State[], private readonly req: RequestSpec) {}
  expect(fn: Expectation): Ready { return new Ready(this.env, this.record, this.states, this.req, fn); }
}

export class Ready {
  constructor(private readonly env: ScenarioEnv, private readonly record: CaseRecord, private readonly states: State[],
    private readonly req: RequestSpec, private readonly fn: Expectation) {}

  /**
   * Sets every state up (waiting until each holds), sends the request once, runs the expectation,
   * then tears the states down. Throws Skip / SetupError / ThrottledError / TransportError for the
   * caller to classify; the expectation's own findings are the caller's (its checks).
   */
  async run(): Promise<SentExchange> {
    const { env, record } = this;
    const givenClient = env.client.recording(record.listener, 'given');
    const made: Provisioned[] = [];
    const reservation = await Reservation.take(env.budget, slotsNeeded(this.states, env.hook !== null));
    const stateEnv = Object.assign({}, env, { budget: reservation, client: givenClient, onSettle: (kind: 'enable' | 'gone', ms: number) => { record.settles.push({ kind, ms, reached: true }); } });
    try {
      for (const s of this.states) made.push(await setUp(stateEnv, s));
      const whenClient = env.client.recording(record.listener, 'when');
      const x = await whenClient.exchange(this.req(whenClient));
      await this.fn(x.response, new Then(env, record, x));
      return x;
    } finally {
      for (const m of made.reverse()) {
        const problem = await m.teardown();
        if (problem) record.cleanupProblems.push(problem);
      }
      reservation.close();
    }
  }
}

/** Live indexes a list of states needs at once. */
export function slotsNeeded(states: readonly State[], hasHook: boolean): number {
  return states.reduce((n, s) => n + slotsOf(s, hasHook), 0);
}
