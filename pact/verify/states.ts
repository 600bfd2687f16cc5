// State handlers: Pact's provider states set up and torn down through the scenario layer
// (scenario/states.ts: the target's state hook, or the public API on run-prefixed indexes, and
// waiting until the state holds). Pact names are mapped onto the run's first; a set-up problem is
// kept for the replay, which then answers the interaction's request itself (an error, never a pass).
import { STATES, type StateName, type StateParams } from '../../contracts/provider-states.ts';
import { fromProviderState, setUp, type Provisioned, type StateEnv } from '../../scenario/states.ts';
import type { InteractionUnderWay, Reachability } from './interaction.ts';
import type { NameMap } from './names.ts';

type Action = 'setup' | 'teardown';
export interface StateHandler {
  setup: (params?: unknown) => Promise<Record<string, unknown>>;
  teardown: (params?: unknown) => Promise<Record<string, unknown>>;
}

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
  ) {}

  /** Pact's `stateHandlers`: one per provider state of contracts/provider-states.ts. */
  handlers(): Record<StateName, StateHandler> {
    const out = {} as Record<StateName, StateHandler>;
    for (const state of Object.values(STATES)) {
      out[state] = { setup: (params) => this.handle('setup', state, params), teardown: (params) => this.handle('teardown', state, params) };
    }
    return out;
  }

  private async handle(action: Action, state: StateName, params: unknown): Promise<Record<string, unknown>> {
    this.interaction.handlerCalled(action);
    const p = this.runParams(state, params as Record<string, unknown> | undefined);
    try {
      if (action === 'setup') await this.setUp(state, p);
      else await this.tearDown();
    } catch (e) {
      const msg = `${action} of '${state}' ${JSON.stringify(p)} failed: ${(e as Error).message}`;
      this.reach.note(e);
      if (action === 'setup') this.interaction.setupProblems.push(msg);
      else this.log(`ovc pact: ${msg}`);
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
