// The suite worker's context: the run channel handed over by `ovc run` (vitest's provide/inject),
// the worker's paced client watched by the ledger and budget tracker, and the fixtures cases share
// (fresh run-prefixed names, creating and deleting indexes within the budget). Each suite file
// takes the context once (`const ctx = suiteContext()`) and hands it to the shared helpers, which
// never look it up themselves.
import { makeFolder } from '../files/gate.ts';
import { inject } from 'vitest';
import { INDEX_NAME_MAX } from '../contracts/limits.ts';
import type { RunChannel, RunSpec, TargetSpec } from '../client/config.ts';
import { Pacer, TargetClient, type WireResponse } from '../client/client.ts';
import { configureTls } from '../client/http.ts';
import { IndexBudget } from '../safety/budget.ts';
import { Ledger } from '../safety/ledger.ts';
import type { ScenarioEnv } from '../scenario/scenario.ts';
import { createWithinBudget, tracker } from '../scenario/states.ts';
import { stateHookOf, type StateHook } from '../scenario/hookClient.ts';
import { bindRecorder } from '../run/recorder.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The run, the target and the identities, handed over by `ovc run` (run/runner.ts). */
    ovc: RunChannel;
  }
}

export interface SuiteContext {
  target: TargetSpec;
  run: RunSpec;
  /** The worker's client: paced, and watched by the ledger/budget tracker. Cases use their own recording views. */
  client: TargetClient;
  hook: StateHook | null;
  ledger: Ledger;
  budget: IndexBudget;
  hasDenied: boolean;
  /** What the scenario layer needs. */
  env: ScenarioEnv;
  /** Secret values to keep out of every record. */
  secrets: string[];
  /** How many names each tag has given out (freshName). */
  names: Map<string, number>;
}

/**
 * The worker's one context. Suite files share a worker thread (vitest `isolate: false`), and the
 * worker's budget and pacer are one: every file gets the same context.
 */
let worker: SuiteContext | null = null;

/** The run as the suite files see it; a suite file calls it once, at its top. */
export function suiteContext(): SuiteContext {
  if (worker) return worker;
  const channel = inject('ovc');
  if (!channel) throw new Error("the suites are run by 'ovc run', not directly (no run channel was provided)");
  return initContext(channel);
}

/** Builds the worker's context from a run channel (the project's tests call it directly). */
export function initContext(channel: RunChannel): SuiteContext {
  const { target, run, identities } = channel;
  makeFolder(run.workDir);
  configureTls(target.tls);
  const pacer = new Pacer(run.pacing, run.workers);
  const base = new TargetClient(target, identities, pacer);
  const budget = new IndexBudget(Math.max(1, Math.floor(run.maxIndexes / run.workers)), base, run.settleMs);
  const ledger = new Ledger(run.ledgerDir, run.prefix);
  const client = base.observed(tracker({ ledger, budget, run }));
  const hook = stateHookOf(target);
  worker = {
    target, run, client, hook, ledger, budget, hasDenied: identities.denied !== null,
    env: { client, hook, target, run, ledger, budget },
    secrets: [identities.main.accessKeySecret, identities.main.securityToken, identities.denied?.accessKeySecret].filter((v): v is string => typeof v === 'string' && v.length > 0),
    names: new Map(),
  };
  // The case recorder writes into this worker's channel of the work folder (run/recorder.ts).
  bindRecorder({ workDir: run.workDir, workers: run.workers, stats: () => ({ ...client.pacer.stats, peakIndexes: budget.peak }) });
  return worker;
}

/**
 * A fresh index name under the run prefix: prefix + tag + a counter of that tag. Each suite file
 * uses its own tags, so names are unique in the run and equal between runs up to the prefix
 * (what `ovc diff` compares).
 */
export function freshName(ctx: Pick<SuiteContext, 'run' | 'names'>, tag: string): string {
  const n = ctx.names.get(tag) ?? 0;
  ctx.names.set(tag, n + 1);
  return `${ctx.run.prefix}${tag}${n.toString(36)}`.slice(0, INDEX_NAME_MAX);
}

/**
 * Creates an index (PutVectorIndex) within the run's index budget; the tracker writes it into the
 * ledger. The client is the caller's (a case's recording view); the bucket defaults to its target's.
 */
export function createIndex(ctx: Pick<SuiteContext, 'budget'>, name: string, dimension: number, bucket: string | undefined, client: TargetClient): Promise<WireResponse> {
  return createWithinBudget(ctx.budget, client, bucket ?? client.target.bucket, { indexName: name, dimension, distanceMetric: 'cosine' });
}

export async function deleteIndex(name: string, bucket: string | undefined, client: TargetClient): Promise<WireResponse> {
  return client.op('DeleteVectorIndex', { indexName: name }, { bucket: bucket ?? client.target.bucket });
}

export function vectorsFor(keys: string[], dimension = 4): Array<{ key: string; data: { float32: number[] } }> {
  return keys.map((key, i) => ({ key, data: { float32: Array.from({ length: dimension }, (_, j) => ((i + 1) * (j + 2)) % 7 + 0.5) } }));
}

