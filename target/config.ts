// The run's view of one target: endpoint, addressing, identities, prefix and property settings.
// Serialised (without secrets) into the environment of the suite workers.
import { randomBytes } from 'node:crypto';
import type { Addressing } from '../protocol/addressing.ts';
import type { Credentials } from '../protocol/signer.ts';

export interface TargetConfig {
  endpoint: string;
  region: string;
  bucket: string;
  accountId: string;
  addressing: Addressing;
  stateHook: string | null;
  /** Alphanumeric run id; every index the run creates starts with `prefix`. */
  runId: string;
  prefix: string;
  seed: number;
  runs: number;
  strict: boolean;
  outDir: string;
  /** Folder the workers append case records and the ledger to. */
  workDir: string;
  /** A bucket name the run assumes absent (for NoSuchBucket); checked in preflight. */
  absentBucket: string;
  embedded: boolean;
  /** Description of the target for reports, e.g. `embedded emulator` or the endpoint. */
  targetName: string;
  /** Per-request timeout. */
  timeoutMs: number;
}

export const CONFIG_ENV = 'OVC_TARGET_CONFIG';

export function newRunId(): string {
  // Letters and digits only: index names allow nothing else.
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return [...randomBytes(6)].map((b) => alphabet[b % alphabet.length]).join('');
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

export function loadConfigFromEnv(env: NodeJS.ProcessEnv = process.env): TargetConfig {
  const raw = env[CONFIG_ENV];
  if (!raw) throw new Error(`${CONFIG_ENV} is not set: the suites are run by 'ovc run', not directly`);
  return JSON.parse(raw) as TargetConfig;
}
