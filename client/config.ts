// What describes the target (where it is, how to address and sign for it, how it is paced) and
// what describes one run against it (prefix, seed, settle bound, budgets, where reports go) are two
// types; `ovc run` hands both, with the identities, to the suite workers as one typed value
// (`RunChannel`, passed through vitest's `provide`/`inject`, never through the environment or disk).
import { randomBytes } from 'node:crypto';
import type { Addressing } from '../protocol/addressing.ts';
import { defaultAddressing } from '../protocol/addressing.ts';
import type { Credentials } from '../protocol/signer.ts';
import { DEFAULT_ACCOUNT_ID, DEFAULT_REGION } from '../contracts/defaults.ts';

/** The documented PutVectorIndex rate (spec §4): 5 requests per second. */
export const DOCUMENTED_PUT_INDEX_RPS = 5;
/** The documented quota of indexes per vector bucket (spec §4). */
export const DOCUMENTED_INDEX_QUOTA = 100;
/** Default bound for `creating`/`deleting` to end on a target that is not the embedded emulator. */
export const DEFAULT_SETTLE_MS = 60_000;
/** Largest answer body a run reads (`--max-response-bytes`): the service's answers are a few KiB. */
export const DEFAULT_MAX_RESPONSE_BYTES = 1 << 20;
/** The one source of the run's defaults; the CLI's options show and use these. */
export const DEFAULT_RUNS = 500;
export const DEFAULT_TIMEOUT_MS = 15_000;
export const DEFAULT_CONCURRENCY = 8;
/**
 * How long a run may last in all (`--deadline`): the longest run measured against a far region,
 * one case at a time (`--workers 1 --concurrency 1`), took 591 s (docs/performance.md §2.1); two
 * hours is twelve times that, and still ends a CI job before a runner's usual 6 h timeout.
 */
export const DEFAULT_DEADLINE_MS = 2 * 3_600_000;
/**
 * The early stop: a run ends when, for this long, every answer of the target was throttled
 * (503/429) or none came (timeout, failed connection) — at least EARLY_STOP_MIN_ANSWERS of them.
 */
export const EARLY_STOP_WINDOW_MS = 60_000;
export const EARLY_STOP_MIN_ANSWERS = 20;
/**
 * Live indexes a run may hold at once when `--max-indexes` is not given: this many, or what its
 * buckets have free if that is less (never fewer than MIN_FITTED_INDEXES: then the preflight
 * refuses). 40 of the documented 100 per bucket lets the lifecycle model run its sequences side by
 * side against a far target; an explicit `--max-indexes` is checked, never fitted.
 */
export const DEFAULT_MAX_INDEXES = 40;
export const MIN_FITTED_INDEXES = 4;

export interface TlsOptions {
  /** PEM file of a private CA to trust (in addition to the system's). */
  caFile: string | null;
  /** Accept any certificate (test deployments only; `ovc` warns loudly). */
  insecure: boolean;
}

/** Where the target is and how to talk to it. Nothing in here changes between runs. */
export interface TargetSpec {
  endpoint: string;
  region: string;
  bucket: string;
  /** A second bucket of the same target (optional): cross-bucket cases skip without it. */
  otherBucket: string | null;
  accountId: string;
  addressing: Addressing;
  stateHook: string | null;
  /** True for the emulator `ovc run` started in-process (instant transitions, no rate limits). */
  embedded: boolean;
  /** Description for reports, e.g. `embedded emulator` or the endpoint and bucket. */
  name: string;
  /** Per-request timeout: bounds the whole exchange, the answer's body included. */
  timeoutMs: number;
  /** Largest answer body read; a larger one is an error of its case ("answer too large"). */
  maxResponseBytes: number;
  tls: TlsOptions;
}

/** Pacing of the requests a run sends (whole run: shared out between its workers). */
export interface Pacing {
  /** Cases in flight at once per property (and upper bound of the suites' own concurrency). */
  concurrency: number;
  /** Requests per second over the whole run; 0 = unlimited. */
  maxRps: number;
  /** PutVectorIndex per second over the whole run (set-up, cleanup and cases); 0 = unlimited. */
  putIndexRps: number;
  /** Attempts of a throttled (503, 429) request before the case is an `error` ("throttled"). */
  throttleAttempts: number;
  /** Time bound of those attempts, ms. */
  throttleBudgetMs: number;
}

/** One run against a target. */
export interface RunSpec {
  /** Alphanumeric run id; every index the run creates starts with `prefix`. */
  runId: string;
  prefix: string;
  seed: number;
  runs: number;
  strict: boolean;
  outDir: string;
  /** Folder the workers append case records and stats to (run/workfolder.ts). */
  workDir: string;
  /** Folder of the run's ledger: outlives the run and its --out (safety/leftovers.ts). */
  ledgerDir: string;
  /** A bucket name the run assumes absent (for NoSuchBucket); checked in preflight. */
  absentBucket: string;
  /** Bound on how long `creating`/`deleting` may last before the case fails (or errors in set-up). */
  settleMs: number;
  /** Live indexes the run may hold at once (counting `deleting` ones until they are gone). */
  maxIndexes: number;
  /** Suite worker threads; rates and the index budget are divided between them. */
  workers: number;
  pacing: Pacing;
  /** Cassette folder (`ovc run --record`), or null. */
  recordDir: string | null;
}

export interface Identities {
  main: Credentials;
  /** An identity without oss:DeleteVectorIndex, for the permission case; null: that case skips. */
  denied: Credentials | null;
}

/** Everything a suite worker needs, as one value. */
export interface RunChannel {
  target: TargetSpec;
  run: RunSpec;
  identities: Identities;
}

/**
 * A run id says when its run started, so a name the run created can be dated without its ledger
 * (`ovc cleanup`): five base-36 digits of the start minute since the Unix epoch (good until 2084),
 * then four random ones. Lower-case letters and digits only: index names allow nothing else, and
 * the user's own names rarely take this exact shape (docs/safety.md).
 */
export function newRunId(now = Date.now()): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const minute = Math.floor(now / 60_000).toString(36).padStart(RUN_ID_TIME_DIGITS, '0').slice(-RUN_ID_TIME_DIGITS);
  return minute + [...randomBytes(4)].map((b) => alphabet[b % alphabet.length]).join('');
}

const RUN_ID_TIME_DIGITS = 5;

/** The shape of every name a run creates: `ovc`, the run id (start minute + 4 random), then the case's own part. */
export const RUN_NAME = /^ovc([0-9a-z]{5})([0-9a-z]{4})/;

/** When the run that created `name` started (epoch ms), or null when the name does not have the run shape. */
export function runStartOf(name: string): number | null {
  const m = RUN_NAME.exec(name);
  return m ? parseInt(m[1]!, 36) * 60_000 : null;
}

export function prefixFor(runId: string): string {
  return `ovc${runId}`;
}

export function credentialsFromEnv(env: NodeJS.ProcessEnv = process.env): Credentials | null {
  const id = env.OSS_ACCESS_KEY_ID;
  const secret = env.OSS_ACCESS_KEY_SECRET;
  if (!id || !secret) return null;
  return { accessKeyId: id, accessKeySecret: secret, securityToken: env.OSS_SESSION_TOKEN || undefined };
}

export function deniedCredentialsFromEnv(env: NodeJS.ProcessEnv = process.env): Credentials | null {
  const id = env.OVC_DENIED_ACCESS_KEY_ID;
  const secret = env.OVC_DENIED_ACCESS_KEY_SECRET;
  return id && secret ? { accessKeyId: id, accessKeySecret: secret } : null;
}

export interface TargetInput {
  endpoint: string;
  region?: string;
  bucket: string;
  otherBucket?: string | null;
  accountId?: string;
  addressing?: Addressing;
  stateHook?: string | null;
  embedded?: boolean;
  name?: string;
  timeoutMs?: number;
  maxResponseBytes?: number;
  tls?: Partial<TlsOptions>;
}

/** The one way to describe a target (CLI, pact verification, tests and benches all use it). */
export function targetSpec(i: TargetInput): TargetSpec {
  return {
    endpoint: i.endpoint,
    region: i.region ?? DEFAULT_REGION,
    bucket: i.bucket,
    otherBucket: i.otherBucket ?? null,
    accountId: i.accountId ?? DEFAULT_ACCOUNT_ID,
    addressing: i.addressing ?? defaultAddressing(i.endpoint),
    stateHook: i.stateHook ?? null,
    embedded: i.embedded ?? false,
    name: i.name ?? (i.embedded ? 'embedded emulator' : `${i.endpoint} (${i.bucket})`),
    timeoutMs: i.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    maxResponseBytes: i.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
    tls: { caFile: i.tls?.caFile ?? null, insecure: i.tls?.insecure ?? false },
  };
}

export interface RunInput {
  runId?: string;
  seed?: number;
  runs?: number;
  strict?: boolean;
  outDir: string;
  workDir?: string;
  ledgerDir?: string;
  settleMs?: number;
  maxIndexes?: number;
  workers?: number;
  pacing?: Partial<Pacing>;
  recordDir?: string | null;
}

/** The one way to describe a run; defaults depend on the target (rule 5: real endpoints take time). */
export function runSpec(target: TargetSpec, i: RunInput): RunSpec {
  const runId = i.runId ?? newRunId();
  return {
    runId,
    prefix: prefixFor(runId),
    seed: i.seed ?? Math.floor(Math.random() * 2 ** 31),
    runs: i.runs ?? DEFAULT_RUNS,
    strict: i.strict ?? false,
    outDir: i.outDir,
    workDir: i.workDir ?? `${i.outDir}/.work`,
    ledgerDir: i.ledgerDir ?? i.workDir ?? `${i.outDir}/.work`,
    absentBucket: `ovc-absent-${runId}`,
    settleMs: i.settleMs ?? (target.embedded ? 0 : DEFAULT_SETTLE_MS),
    maxIndexes: i.maxIndexes ?? DEFAULT_MAX_INDEXES,
    workers: Math.max(1, i.workers ?? 2),
    pacing: {
      concurrency: i.pacing?.concurrency ?? DEFAULT_CONCURRENCY,
      maxRps: i.pacing?.maxRps ?? 0,
      putIndexRps: i.pacing?.putIndexRps ?? (target.embedded ? 0 : DOCUMENTED_PUT_INDEX_RPS),
      throttleAttempts: i.pacing?.throttleAttempts ?? 8,
      throttleBudgetMs: i.pacing?.throttleBudgetMs ?? 60_000,
    },
    recordDir: i.recordDir ?? null,
  };
}
