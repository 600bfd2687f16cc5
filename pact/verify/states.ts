// State handlers: Pact's provider states set up and torn down through the scenario layer
// (scenario/states.ts: the target's state hook, or the public API on run-prefixed indexes, and
// waiting until the state holds). Pact names are mapped onto the run's first. A set-up that fails
// throws, and Pact's state-change call is answered 422 (stateChange): the verifier then reports the
// interaction as an error ("One or more of the setup state change handlers has failed") without
// replaying its request. Not 500: the verifier sends a state-change call that got a 5xx twice more,
// with back-off (~1.1 s per interaction), and the set-up's requests reached the target three times;
// the client has already retried what a retry can mend (throttled answers), and a target that
// cannot be reached makes the verification exit 2 either way. pact-js's own state route answers
// 200 to a handler that throws (since pact-js #1585; 16.5.0 here): the interaction would be
// replayed without its state.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { STATES, type StateName, type StateParams } from '../../contracts/provider-states.ts';
import { fromProviderState, setUp, type Provisioned, type StateEnv } from '../../scenario/states.ts';
import type { InteractionUnderWay, Reachability } from './interaction.ts';
import type { NameMap } from './names.ts';

type Action = 'setup' | 'teardown';

/** The answer to a state-change call whose set-up failed: not a 5xx, which the verifier retries. */
export const SETUP_FAILED = 422;

export class ProviderStates {
  /** The states set up for the interaction under way, torn down after it. */
  private readonly provisioned: Provisioned[] = [];

  /** `env.client` sends the set-up requests (role `given`). */
  constructor(
    private readonly env: StateEnv,
    private readonly names: NameMap,
    private readonly interaction: InteractionUnderWay,
    private readonly reach: Reachability,
    private readonly log: (line: string) => void,
    /** Aborted: the verification is stopping (no set-up, no teardown: the cleanup removes what is left). */
    private readonly stopSignal: AbortSignal | null = null,
  ) {}

  /**
   * Pact's state-change call (`POST /_pactSetup`, `{state, action, params}`), answered here ahead of
   * pact-js's route: the values for `fromProviderState`, or 422 naming the failed set-up.
   */
  readonly stateChange = (req: IncomingMessage & { body?: unknown }, res: ServerResponse): void => {
    const { state, action, params } = (req.body ?? {}) as { state?: string; action?: string; params?: unknown };
    const answer = (status: number, body: unknown): void => { res.writeHead(status, { 'content-type': 'application/json' }); res.end(JSON.stringify(body)); };
    const known = (Object.values(STATES) as string[]).includes(state ?? '');
    if (this.stopSignal?.aborted) {
      if (action === 'setup') answer(SETUP_FAILED, { error: 'the verification is stopping' });
      else answer(200, {});
      return;
    }
    const run = known && (action === 'setup' || action === 'teardown')
      ? this.handle(action, state as StateName, params)
      : Promise.reject(new Error(`unknown provider state '${state}' (${action})`));
    void run.then((values) => answer(200, values), (e: unknown) => answer(SETUP_FAILED, { error: (e as Error).message }));
  };

  /** Sets up or tears down one state; a failed set-up throws (a failed teardown is logged). */
  async handle(action: Action, state: StateName, params: unknown): Promise<Record<string, unknown>> {
    if (this.interaction.handlerCalled(action)) this.names.nextInteraction();
    const p = this.runParams(state, params as Record<string, unknown> | undefined);
    try {
      if (action === 'setup') await this.setUp(state, p);
      else await this.tearDown();
    } catch (e) {
      const msg = `${action} of '${state}' ${JSON.stringify(p)} failed: ${(e as Error).message}`;
      this.reach.note(e);
      this.log(`ovc pact: ${msg}`);
      if (action === 'setup') throw new Error(`provider state ${msg}`);
    }
    // Values the pact's fromProviderState expressions read.
    const values: Record<string, unknown> = { bucket: p.bucket };
    if (p.indexName !== undefined) values.indexName = p.indexName;
    return values;
  }

  /** The state's pact parameters with the run's bucket and index names. */
  private runParams(state: StateName, params: Record<string, unknown> | undefined): StateParams {
    const p = { ...(params ?? {}) } as StateParams & Record<string, unknown>;
    const pactBucket = typeof p.bucket === 'string' ? p.bucket : undefined;
    if (pactBucket !== undefined) this.interaction.pactBucket = pactBucket;
    // 'no vector bucket exists' never names the target's bucket: a run-unique one that does not exist.
    const runBucket = state === STATES.noBucket ? this.names.absentBucket : this.names.targetBucket;
    if (pactBucket !== undefined) this.names.buckets.set(pactBucket, runBucket);
    p.bucket = runBucket;
    if (typeof p.indexName === 'string') p.indexName = this.names.index(p.indexName);
    return p;
  }

  private async setUp(state: StateName, p: StateParams): Promise<void> {
    const s = fromProviderState(state, p);
    if (!s) throw new Error(`unknown provider state '${state}'`);
    this.provisioned.push(await setUp(this.env, s));
  }

  private async tearDown(): Promise<void> {
    for (const m of this.provisioned.splice(0).reverse()) {
      const problem = await m.teardown();
      if (problem) this.log(`ovc pact: teardown: ${problem}`);
    }
  }
}
