// Emulator configuration: the public option types and their defaults.
import { LIMITS } from '../contracts/limits.ts';
import type { FaultName } from './faults.ts';

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
  creatingMs?: number;
  deletingMs?: number;
  clientLog?: string | null;
  maxBodyBytes?: number;
  now?: () => Date;
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
  creatingMs: number;
  deletingMs: number;
  clientLog: string | null;
  maxBodyBytes: number;
  now: () => Date;
}

export const DEFAULT_BUCKET = 'ovc-conformance';
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
  return {
    host: o.host ?? '127.0.0.1',
    port: nonNegative('port', o.port, 0),
    region: o.region ?? 'cn-hangzhou',
    accountId: o.accountId ?? '1234567890',
    buckets: [...(o.buckets ?? [DEFAULT_BUCKET])],
    identities: (o.identities ?? defaultIdentities()).map((i) => ({ ...i })),
    stateHook: o.stateHook ?? true,
    fault,
    creatingMs: nonNegative('creatingMs', o.creatingMs, 0),
    deletingMs: nonNegative('deletingMs', o.deletingMs, 0),
    clientLog: o.clientLog ?? null,
    maxBodyBytes: nonNegative('maxBodyBytes', o.maxBodyBytes, LIMITS.maxBodyBytes),
    now: o.now ?? (() => new Date()),
  };
}
