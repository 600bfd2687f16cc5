// What makes the emulator behave like a cloud endpoint instead of a loopback toy (DESIGN rule 5):
// per-request latency, random creating/deleting windows, request-rate throttling (503
// ServiceUnavailable with Retry-After) and the per-bucket index quota. All of it is off by default;
// `realistic: true` (`ovc serve --realistic`) switches on a cloud-like profile. The state hook is
// never delayed nor throttled: the dispatcher answers it before anything here runs.
import { ApiError } from './errors.ts';
import type { FaultName } from './faults.ts';

/** Milliseconds: a fixed value when min === max, else uniform over the whole numbers min..max. */
export interface Range {
  min: number;
  max: number;
}

/** What an option accepts for a duration: a number, `{min,max}` or `[min, max]`. */
export type RangeInput = number | Range | readonly [number, number];

export const ZERO: Range = Object.freeze({ min: 0, max: 0 });

/** Upper bound of any duration option (one day), so a typo cannot park a request forever. */
export const MAX_DURATION_MS = 86_400_000;

/** The `--realistic` profile (explicit options override each part of it). */
export const REALISTIC_PROFILE = Object.freeze({
  latencyMs: Object.freeze({ min: 5, max: 40 }),
  creatingMs: Object.freeze({ min: 200, max: 1500 }),
  deletingMs: Object.freeze({ min: 200, max: 1500 }),
  /** PutVectorIndex's documented rate (spec §4: 5 req/s, beyond it HTTP 503). */
  throttlePutIndexRps: 5,
  throttleRps: null,
  indexQuota: 100,
});

/** Seconds a throttled client is told to wait (the Retry-After header). */
export const RETRY_AFTER_SECONDS = 1;

/** Checks and normalises a duration option; throws one clear sentence when it is not usable. */
export function toRange(name: string, v: RangeInput, max = MAX_DURATION_MS): Range {
  let r: Range;
  if (typeof v === 'number') r = { min: v, max: v };
  else if (Array.isArray(v)) r = { min: v[0] as number, max: v[1] as number };
  else if (typeof v === 'object' && v !== null) r = { min: (v as Range).min, max: (v as Range).max };
  else throw new Error(`${name} must be a number of milliseconds, {min,max} or [min,max]`);
  for (const x of [r.min, r.max]) {
    if (!Number.isInteger(x) || x < 0 || x > max) throw new Error(`${name} must be whole milliseconds in 0..${max}, got ${JSON.stringify(v)}`);
  }
  if (r.min > r.max) throw new Error(`${name} range must have min <= max, got ${r.min}-${r.max}`);
  return r;
}

export function isZero(r: Range): boolean {
  return r.max === 0;
}

/** A whole number of milliseconds drawn uniformly from the range (its bounds included). */
export function sample(r: Range, random: () => number): number {
  if (r.min === r.max) return r.min;
  return r.min + Math.min(r.max - r.min, Math.floor(random() * (r.max - r.min + 1)));
}

export function formatRange(r: Range): string {
  return r.min === r.max ? `${r.min} ms` : `${r.min}-${r.max} ms`;
}

/**
 * Parses a CLI value `A` or `A-B` (whole milliseconds). Returns null when the text is not of
 * that form or out of bounds, so the caller can word its own usage error.
 */
export function parseRange(text: string, max = MAX_DURATION_MS): Range | null {
  const m = /^(\d{1,12})(?:-(\d{1,12}))?$/.exec(text.trim());
  if (!m) return null;
  const min = Number(m[1]);
  const hi = m[2] === undefined ? min : Number(m[2]);
  if (min > hi || hi > max) return null;
  return { min, max: hi };
}

/**
 * A token bucket: `rate` tokens per second, holding at most one second's worth (at least one
 * token), full at start. `take()` spends a token or says the request is over the rate.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;
  readonly capacity: number;

  constructor(readonly rate: number, private readonly clock: () => number = () => performance.now()) {
    if (!(rate > 0) || !Number.isFinite(rate)) throw new Error(`a throttle rate must be a positive number, got ${rate}`);
    this.capacity = Math.max(1, rate);
    this.tokens = this.capacity;
    this.last = clock();
  }

  take(): boolean {
    const now = this.clock();
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

export interface RealismSettings {
  latencyMs: Range;
  throttleRps: number | null;
  throttlePutIndexRps: number | null;
  fault: FaultName | null;
  random: () => number;
  /** Milliseconds, monotonic; for tests. */
  clock?: () => number;
}

/** The error a throttled request gets: 503 ServiceUnavailable + Retry-After, or 500 under `throttle-500`. */
export function throttledError(fault: FaultName | null, what: string): ApiError {
  if (fault === 'throttle-500') return new ApiError('InternalError', `throttled (${what}), answered as an internal error by the throttle-500 fault`);
  return new ApiError('ServiceUnavailable', `the request rate exceeds ${what}; retry later`, undefined, { 'Retry-After': String(RETRY_AFTER_SECONDS) });
}

/** Per-server latency and throttles. Built only when one of them is on (null otherwise: no cost). */
export class Realism {
  private readonly all: TokenBucket | null;
  private readonly putIndex: TokenBucket | null;

  constructor(private readonly s: RealismSettings) {
    this.all = s.throttleRps ? new TokenBucket(s.throttleRps, s.clock) : null;
    this.putIndex = s.throttlePutIndexRps ? new TokenBucket(s.throttlePutIndexRps, s.clock) : null;
  }

  static wanted(s: Pick<RealismSettings, 'latencyMs' | 'throttleRps' | 'throttlePutIndexRps'>): boolean {
    return !isZero(s.latencyMs) || Boolean(s.throttleRps) || Boolean(s.throttlePutIndexRps);
  }

  /** Before an API request is looked at: the latency, then the server-wide throttle (throws when over). */
  async beforeRequest(): Promise<void> {
    const ms = sample(this.s.latencyMs, this.s.random);
    if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
    if (this.all && !this.all.take()) throw throttledError(this.s.fault, `${this.s.throttleRps} requests per second`);
  }

  /** Once the operation is known (after authentication, routing and permission): its own rate. */
  admitOperation(op: string): void {
    if (op === 'PutVectorIndex' && this.putIndex && !this.putIndex.take()) {
      throw throttledError(this.s.fault, `${this.s.throttlePutIndexRps} PutVectorIndex requests per second`);
    }
  }
}
