// One scenario session: the paced client watched by the ledger and the live-index budget, and the
// target's state hook. The suites' workers (a share of the run each) and the pact verifier (the
// whole run) open theirs the same way.
import { Pacer, TargetClient } from '../client/client.ts';
import type { Identities, RunSpec, TargetSpec } from '../client/config.ts';
import { IndexBudget } from '../safety/budget.ts';
import { Ledger } from '../safety/ledger.ts';
import { tracker, type StateEnv } from './states.ts';
import { stateHookOf, type StateHook } from './hookClient.ts';

export interface Session {
  /** Paced, and watched by the ledger/budget tracker. */
  client: TargetClient;
  hook: StateHook | null;
  ledger: Ledger;
  budget: IndexBudget;
  /** What the scenario layer needs (`setUp`, `scenario`). */
  env: StateEnv;
}

/** `share`: how many sessions split the run's pacing and index budget (the run's workers). */
export function openSession(target: TargetSpec, run: RunSpec, identities: Identities, share = run.workers, ledger = new Ledger(run.ledgerDir, run.prefix)): Session {
  const base = new TargetClient(target, identities, new Pacer(run.pacing, share));
  const budget = new IndexBudget(Math.max(1, Math.floor(run.maxIndexes / share)), base, run.settleMs);
  const client = base.observed(tracker({ ledger, budget, run }));
  const hook = stateHookOf(target);
  return { client, hook, ledger, budget, env: { client, hook, target, run, ledger, budget } };
}
