// The run's settings: what `ovc run`'s flags ask for (`RunFlags`), the target and the first draft
// of the run they describe, and the final settings — built once, after the preflight and the
// concurrency probe have said what they decide, and frozen: nothing changes them after the start.
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import type { Addressing } from '../protocol/addressing.ts';
import { DEFAULT_MAX_INDEXES, runSpec, targetSpec, type RunSpec, type TargetSpec } from '../client/config.ts';
import { DEFAULT_OTHER_BUCKET } from '../contracts/defaults.ts';

export interface RunFlags {
  endpoint?: string; region: string; bucket: string; otherBucket?: string | false; accountId: string; addressing?: Addressing;
  stateHook?: string; out: string; seed?: number; runs: number; strict: boolean; tags?: string;
  baseline?: string; shard?: string; timeoutMs: number; quiet: boolean;
  settleMs?: number; concurrency?: number; maxRps: number; putIndexRps?: number; maxIndexes?: number;
  workers?: number; caFile?: string; insecure: boolean; record?: string; stateDir?: string; maxResponseBytes: number;
  /** The run's deadline, ms (--deadline). */
  deadline: number;
}

/** The second bucket the embedded emulator serves, for the cross-bucket cases. */
export const EMBEDDED_OTHER_BUCKET = DEFAULT_OTHER_BUCKET;

/** The target the flags describe. */
export function targetFromFlags(flags: RunFlags, endpoint: string, embedded: boolean, stateHook: string | null): TargetSpec {
  return targetSpec({
    endpoint, region: flags.region, bucket: flags.bucket, otherBucket: flags.otherBucket === false ? null : flags.otherBucket ?? (embedded ? EMBEDDED_OTHER_BUCKET : null),
    accountId: flags.accountId, addressing: flags.addressing, stateHook, embedded, timeoutMs: flags.timeoutMs,
    tls: { caFile: flags.caFile ? resolve(flags.caFile) : null, insecure: flags.insecure },
    maxResponseBytes: flags.maxResponseBytes,
  });
}

/** Where the run keeps its files: named once, before the draft is built. */
export interface RunPlace { runId: string; outDir: string; workDir: string; ledgerDir: string }

/** The run the flags describe, before the preflight and the concurrency probe have decided their part. */
export function draftRun(flags: RunFlags, target: TargetSpec, place: RunPlace): RunSpec {
  return runSpec(target, {
    ...place, seed: flags.seed, runs: flags.runs, strict: flags.strict,
    settleMs: flags.settleMs, maxIndexes: flags.maxIndexes ?? DEFAULT_MAX_INDEXES,
    workers: flags.workers ?? Math.max(1, availableParallelism() - 1),
    pacing: { concurrency: flags.concurrency, maxRps: flags.maxRps, putIndexRps: flags.putIndexRps },
    recordDir: flags.record ? resolve(flags.record) : null,
  });
}

/** What the preflight (the quota) and the concurrency probe decide. */
export interface StartDecisions { maxIndexes: number; workers: number; concurrency: number }

/** The run's final settings: the draft with the start's decisions, frozen (pacing included). */
export function finalRun(draft: RunSpec, d: StartDecisions): Readonly<RunSpec> {
  const pacing = Object.freeze({ ...draft.pacing, concurrency: d.concurrency });
  return Object.freeze({ ...draft, maxIndexes: d.maxIndexes, workers: d.workers, pacing });
}
