// Emulator configuration: the public option types and their defaults.
import { LIMITS } from '../contracts/limits.ts';
import { FAULT_IMPLIED_OPTIONS, type FaultName } from './faults.ts';
import { DEFAULT_MAX_INFLIGHT_BODY_MB } from './inflight.ts';
import { DEFAULT_MAX_MEMORY_MB, MAX_MEMORY_MB_LIMIT } from './memory.ts';
import { isZero, REALISTIC_PROFILE, toRange, ZERO, type Range, type RangeInput } from './realism.ts';
import { DEFAULT_ACCOUNT_ID, DEFAULT_BUCKET, DEFAULT_REGION } from '../contracts/defaults.ts';

export interface Identity {
  accessKeyId: string;
  accessKeySecret: string;
  /** When set, requests of this identity must carry exactly this x-oss-security-token. */
  securityToken?: string;
  /** RAM actions this identity may not call, e.g. ['oss:DeleteVectorIndex']. */
  deniedActions?: string[];
}

export interface EmulatorOptions {
  host?: string;
  port?: number;
  region?: string;
  accountId?: string;
  buckets?: string[];
  identities?: Identity[];
  stateHook?: boolean;
  fault?: string | null;
  /** How long a new index stays 'creating': ms, or a range {min,max} / [min,max] drawn per index. Default 0. */
  creatingMs?: RangeInput;
  /** How long a deleted index stays 'deleting' (same forms). Default 0: gone at once. */
  deletingMs?: RangeInput;
  /** Delay before each API request is handled (same forms). The state hook is never delayed. */
  latencyMs?: RangeInput;
  /** Requests per second over the whole server (token bucket); beyond it 503 ServiceUnavailable. null/0: off. */
  throttleRps?: number | null;
  /** PutVectorIndex requests per second (documented: 5); beyond it 503 ServiceUnavailable. null/0: off. */
  throttlePutIndexRps?: number | null;
  /** Live indexes per bucket (those in 'deleting' count); beyond it 400 VectorBucketIndexExceedLimit. Default 100. */
  indexQuota?: number;
  /** The cloud-like profile (REALISTIC_PROFILE); the explicit options above override its parts. */
  realistic?: boolean;
  /** Random source of the ranges, [0, 1) (default Math.random); for reproducible tests. */
  random?: () => number;
  clientLog?: string | null;
  maxBodyBytes?: number;
  /** Total of request bodies held at once, in MiB (emulator/inflight.ts); default DEFAULT_MAX_INFLIGHT_BODY_MB. */
  maxInflightBodyMb?: number;
  /** Memory budget of the vectors held, in MiB (emulator/memory.ts); default DEFAULT_MAX_MEMORY_MB. */
  maxMemoryMb?: number;
  now?: () => Date;
  /**
   * The endpoint the emulator reports as a bucket's ExtranetEndpoint/IntranetEndpoint (e.g. behind a
   * proxy or in a container). Default: its own address once listening; without a listener, the
   * Host of the request (without the `{bucket}-{account}.` label).
   */
  advertisedEndpoint?: string | null;
}

/** Options with every default filled in and the fault name checked. */
export interface ResolvedOptions {
  host: string;
  port: number;
  region: string;
  accountId: string;
  buckets: string[];
  identities: Identity[];
  stateHook: boolean;
  fault: FaultName | null;
  creatingMs: Range;
  deletingMs: Range;
  latencyMs: Range;
  throttleRps: number | null;
  throttlePutIndexRps: number | null;
  indexQuota: number;
  realistic: boolean;
  random: () => number;
  clientLog: string | null;
  maxBodyBytes: number;
  maxInflightBodyMb: number;
  maxMemoryMb: number;
  now: () => Date;
  /** `host[:port]` reported as bucket endpoints; null: the request's own Host (see EmulatorOptions). */
  advertisedHost: string | null;
}

export const DEFAULT_ACCESS_KEY_ID = 'ovc-test-key';
export const DEFAULT_ACCESS_KEY_SECRET = 'ovc-test-secret';
export const DEFAULT_DENIED_KEY_ID = 'ovc-denied-key';
export const DEFAULT_DENIED_KEY_SECRET = 'ovc-denied-secret';

/**
 * The identities of a default emulator: the main one from the official SDKs' variables (or the
 * built-in test key), and a second one that may not call DeleteVectorIndex (for the 403 case).
 */
export function defaultIdentities(env: NodeJS.ProcessEnv = process.env): Identity[] {
  const fromEnv = Boolean(env.OSS_ACCESS_KEY_ID && env.OSS_ACCESS_KEY_SECRET);
  const main: Identity = fromEnv
    ? { accessKeyId: env.OSS_ACCESS_KEY_ID!, accessKeySecret: env.OSS_ACCESS_KEY_SECRET! }
    : { accessKeyId: DEFAULT_ACCESS_KEY_ID, accessKeySecret: DEFAULT_ACCESS_KEY_SECRET };
  if (fromEnv && env.OSS_SESSION_TOKEN) main.securityToken = env.OSS_SESSION_TOKEN;
  const deniedFromEnv = Boolean(env.OVC_DENIED_ACCESS_KEY_ID && env.OVC_DENIED_ACCESS_KEY_SECRET);
  const denied: Identity = {
    accessKeyId: deniedFromEnv ? env.OVC_DENIED_ACCESS_KEY_ID! : DEFAULT_DENIED_KEY_ID,
    accessKeySecret: deniedFromEnv ? env.OVC_DENIED_ACCESS_KEY_SECRET! : DEFAULT_DENIED_KEY_SECRET,
    deniedActions: ['oss:DeleteVectorIndex'],
  };
  return denied.accessKeyId === main.accessKeyId ? [main] : [main, denied];
}

export function resolveOptions(o: EmulatorOptions, isFault: (name: string) => name is FaultName): ResolvedOptions {
  const fault = o.fault ?? null;
  if (fault !== null && !isFault(fault)) throw new Error(`unknown fault profile '${fault}'`);
  const nonNegative = (name: string, v: number | undefined, dflt: number): number => {
    const n = v ?? dflt;
    if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer`);
    return n;
  };
  const rate = (name: string, v: number | null | undefined, dflt: number | null): number | null => {
    const n = v === undefined ? dflt : v;
    if (n === null || n === 0) return null;
    if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) throw new Error(`${name} must be a positive number of requests per second (0 or null: off)`);
    return n;
  };
  const realistic = o.realistic ?? false;
  const base = realistic ? REALISTIC_PROFILE : { creatingMs: ZERO, deletingMs: ZERO, latencyMs: ZERO, throttleRps: null, throttlePutIndexRps: null, indexQuota: LIMITS.indexesPerBucket };
  let creatingMs = o.creatingMs === undefined ? base.creatingMs : toRange('creatingMs', o.creatingMs);
  let deletingMs = o.deletingMs === undefined ? base.deletingMs : toRange('deletingMs', o.deletingMs);
  let throttleRps = rate('throttleRps', o.throttleRps, base.throttleRps);
  const throttlePutIndexRps = rate('throttlePutIndexRps', o.throttlePutIndexRps, base.throttlePutIndexRps);
  // A profile that is only visible with a window or a throttle brings its own when none is set.
  const implied = fault === null ? undefined : FAULT_IMPLIED_OPTIONS[fault];
  if (implied?.creatingMs && isZero(creatingMs)) creatingMs = implied.creatingMs;
  if (implied?.deletingMs && isZero(deletingMs)) deletingMs = implied.deletingMs;
  if (implied?.throttleRps && throttleRps === null && throttlePutIndexRps === null) throttleRps = implied.throttleRps;
  return {
    host: o.host ?? '127.0.0.1',
    port: nonNegative('port', o.port, 0),
    region: o.region ?? DEFAULT_REGION,
    accountId: o.accountId ?? DEFAULT_ACCOUNT_ID,
    buckets: [...(o.buckets ?? [DEFAULT_BUCKET])],
    identities: (o.identities ?? defaultIdentities()).map((i) => ({ ...i })),
    stateHook: o.stateHook ?? true,
    fault,
    creatingMs,
    deletingMs,
    latencyMs: o.latencyMs === undefined ? base.latencyMs : toRange('latencyMs', o.latencyMs),
    throttleRps,
    throttlePutIndexRps,
    indexQuota: nonNegative('indexQuota', o.indexQuota, base.indexQuota),
    realistic,
    random: o.random ?? Math.random,
    clientLog: o.clientLog ?? null,
    maxBodyBytes: nonNegative('maxBodyBytes', o.maxBodyBytes, LIMITS.maxBodyBytes),
    maxMemoryMb: memoryMb(o.maxMemoryMb),
    maxInflightBodyMb: inflightMb(o.maxInflightBodyMb),
    now: o.now ?? (() => new Date()),
    advertisedHost: o.advertisedEndpoint ? advertisedHostOf(o.advertisedEndpoint) : null,
  };
}

function inflightMb(n: number | undefined): number {
  if (n === undefined) return DEFAULT_MAX_INFLIGHT_BODY_MB;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > MAX_MEMORY_MB_LIMIT) throw new Error(`maxInflightBodyMb must be an integer number of MiB in 1..${MAX_MEMORY_MB_LIMIT}`);
  return n;
}

function memoryMb(v: number | undefined): number {
  const n = v ?? DEFAULT_MAX_MEMORY_MB;
  if (typeof n !== 'number' || !Number.isFinite(n) || n <= 0 || n > MAX_MEMORY_MB_LIMIT) throw new Error(`maxMemoryMb must be a number of MiB in (0, ${MAX_MEMORY_MB_LIMIT}]`);
  return n;
}

/** `host[:port]` of an http(s) URL given as the advertised endpoint (the form ExtranetEndpoint takes). */
export function advertisedHostOf(endpoint: string): string {
  let u: URL;
  try { u = new URL(endpoint); } catch { throw new Error(`advertised endpoint '${endpoint}' is not a URL (e.g. http://vectors.example:8080)`); }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error(`advertised endpoint '${endpoint}' must be an http:// or https:// URL`);
  if (u.username || u.password) throw new Error('the advertised endpoint must not hold a user name or password (it is sent to every client); pass credentials through OSS_ACCESS_KEY_ID/OSS_ACCESS_KEY_SECRET');
  if (u.pathname !== '/' || u.search || u.hash) throw new Error(`advertised endpoint '${endpoint}' must be scheme://host[:port] only`);
  return u.host;
}
