// Flag parsers: each turns a bad value into a UsageError with one clear sentence.
import { existsSync } from 'node:fs';
import { isValidBucketName } from '../contracts/limits.ts';
import { UsageError } from './errors.ts';
import { DEFAULT_REGION } from '../contracts/defaults.ts';

export function intFlag(name: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  return (v: string): number => {
    if (!/^-?\d+$/.test(v.trim())) throw new UsageError(`--${name} must be a whole number, got '${v}'.`);
    const n = Number(v);
    if (n < min || n > max) throw new UsageError(`--${name} must be between ${min} and ${max}, got ${n}.`);
    return n;
  };
}

/** Where the credentials of each URL flag belong instead of the URL. */
const CREDENTIALS_FROM: Record<string, string> = {
  'broker-url': 'PACT_BROKER_TOKEN (or PACT_BROKER_USERNAME/PACT_BROKER_PASSWORD)',
  pact: 'PACT_BROKER_TOKEN (or PACT_BROKER_USERNAME/PACT_BROKER_PASSWORD)',
  against: 'OVC_AGAINST_ACCESS_KEY_ID/OVC_AGAINST_ACCESS_KEY_SECRET',
};

/** `v` with any `user:password@` part hidden, for a message that must quote it. */
const withoutUserinfo = (v: string): string => v.replace(/^([a-z][a-z0-9+.-]*:\/*)[^/?#]*@/i, '$1…@');

export function urlFlag(name: string) {
  return (v: string): string => {
    let u: URL;
    try { u = new URL(v); } catch { throw new UsageError(`--${name} must be an http(s) URL, got '${withoutUserinfo(v)}'.`); }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new UsageError(`--${name} must be an http(s) URL, got '${withoutUserinfo(v)}'.`);
    // A secret in a URL would be printed, logged and written into every report (issue 25 §5): refused, never echoed.
    if (u.username || u.password || /^[a-z]+:\/*[^/?#]*@/i.test(v)) {
      throw new UsageError(`--${name}: the URL holds a user name or password, which ovc refuses (it would end up in logs and reports); pass credentials through ${CREDENTIALS_FROM[name] ?? 'OSS_ACCESS_KEY_ID/OSS_ACCESS_KEY_SECRET'}.`);
    }
    return v.replace(/\/+$/, '');
  };
}

export function choiceFlag<T extends string>(name: string, choices: readonly T[]) {
  return (v: string): T => {
    if (!(choices as readonly string[]).includes(v)) throw new UsageError(`--${name} must be one of ${choices.join(', ')}, got '${v}'.`);
    return v as T;
  };
}

export function bucketFlag(v: string): string {
  return namedBucketFlag('bucket')(v);
}

export function namedBucketFlag(name: string) {
  return (v: string): string => {
    if (!isValidBucketName(v)) throw new UsageError(`--${name} must be 3–32 characters of a-z, 0-9 and '-', not starting or ending with '-', got '${v}'.`);
    return v;
  };
}

export function accountIdFlag(v: string): string {
  if (!/^\d{1,32}$/.test(v)) throw new UsageError(`--account-id must be the numeric account id, got '${v}'.`);
  return v;
}

export function regionFlag(v: string): string {
  if (!/^[a-z0-9-]{2,40}$/.test(v) || v.startsWith('oss-')) throw new UsageError(`--region must be a plain region id such as ${DEFAULT_REGION} (not oss-${DEFAULT_REGION}), got '${v}'.`);
  return v;
}

export function shardFlag(v: string): string {
  const m = /^(\d+)\/(\d+)$/.exec(v);
  if (!m || +m[1]! < 1 || +m[1]! > +m[2]!) throw new UsageError(`--shard must be i/n with 1 ≤ i ≤ n, got '${v}'.`);
  return v;
}

export function existingFile(name: string) {
  return (v: string): string => {
    if (!existsSync(v)) throw new UsageError(`--${name}: no such file '${v}'.`);
    return v;
  };
}

/** A vitest tag expression over the suites' own tags: an unknown tag is a usage error, not a run that cannot load. */
export function tagsFlag(known: readonly string[]) {
  return (v: string): string => {
    const names = v.match(/[A-Za-z0-9][A-Za-z0-9_-]*/g) ?? [];
    if (names.length === 0) throw new UsageError(`--tags must name at least one tag, got '${v}'.`);
    const unknown = names.filter((n) => !known.includes(n) && !['and', 'or', 'not'].includes(n));
    if (unknown.length) throw new UsageError(`--tags: unknown tag '${unknown[0]}' (known: ${known.join(', ')}).`);
    return v;
  };
}

/** `1500ms`, `90s`, `30m`, `2h` → ms (at least `min`). */
export function durationMsFlag(name: string, min: number, max = Infinity, why = '') {
  return (v: string): number => {
    const m = /^(\d+)\s*(ms|s|m|h)$/.exec(v.trim());
    if (!m) throw new UsageError(`--${name} must be a whole number with a unit ms, s, m or h (e.g. 30m, 2h), got '${v}'.`);
    const ms = Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
    if (ms < min) throw new UsageError(`--${name} must be at least ${min} ms, got '${v}'.`);
    if (ms > max) throw new UsageError(`--${name} must be at most ${max / 3_600_000} h${why}, got '${v}'.`);
    return ms;
  };
}
