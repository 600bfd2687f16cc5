// Pacing and throttling (DESIGN rule 5). A token bucket per rate (all requests; PutVectorIndex),
// and the retry of throttled answers: HTTP 503 and 429 are sent again after an exponential backoff
// with full jitter (AWS architecture blog, "Exponential Backoff And Jitter"), honouring
// Retry-After, bounded in attempts and in time. No other answer is ever retried: a 500 is a finding.
import { getEnvironmentData, threadId } from 'node:worker_threads';

/** A token bucket: `take()` resolves when a token is available. Rate 0 means unlimited. */
export class TokenBucket {
  private tokens: number;
  private last = performance.now();
  private queue: Promise<void> = Promise.resolve();

  constructor(readonly ratePerSec: number, readonly burst = Math.max(1, Math.ceil(ratePerSec))) {
    this.tokens = this.burst;
  }

  take(): Promise<void> {
    if (this.ratePerSec <= 0) return Promise.resolve();
    // Callers queue in order, so one slow taker never starves another.
    const turn = this.queue.then(() => this.wait());
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async wait(): Promise<void> {
    for (;;) {
      const now = performance.now();
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.ratePerSec);
      this.last = now;
      if (this.tokens >= 1) { this.tokens -= 1; return; }
      await sleep(Math.ceil(((1 - this.tokens) / this.ratePerSec) * 1000));
    }
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Waits `ms`, or less: until `signal` is aborted. */
function sleepUnless(ms: number, signal: AbortSignal | null | undefined): Promise<void> {
  if (!signal) return sleep(ms);
  return new Promise((r) => {
    const done = (): void => { clearTimeout(timer); signal.removeEventListener('abort', done); r(); };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Answers that mean "slow down, nothing was done": retried. */
export function isThrottled(status: number): boolean {
  return status === 503 || status === 429;
}

/** Seconds or an HTTP date (RFC 9110 §10.2.3); null when absent or unreadable. */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | null {
  if (value === undefined) return null;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const t = Date.parse(v);
  return Number.isNaN(t) ? null : Math.max(0, t - now);
}

export interface BackoffPolicy {
  attempts: number;
  budgetMs: number;
  /** Once aborted (the run stopped), no further attempt and no wait: the last answer stands as given up. */
  signal?: AbortSignal | null;
  baseMs?: number;
  capMs?: number;
  random?: () => number;
}

/** Delay before attempt `n` (1-based retry number): full jitter, at least what Retry-After asks. */
export function backoffDelay(n: number, retryAfter: number | null, p: BackoffPolicy): number {
  const base = p.baseMs ?? 100;
  const cap = p.capMs ?? 10_000;
  const jitter = Math.floor((p.random ?? Math.random)() * Math.min(cap, base * 2 ** (n - 1)));
  return Math.max(retryAfter ?? 0, jitter);
}

/** Counters of one worker, summed by the run into the summary. */
export interface PacingStats {
  requests: number;
  throttled: number;
  retries: number;
  /** Requests that were still throttled after the last attempt. */
  gaveUp: number;
}

export function emptyStats(): PacingStats {
  return { requests: 0, throttled: 0, retries: 0, gaveUp: 0 };
}

/** Thrown when a request only ever got throttled answers: the case is an `error`, never a verdict. */
export class ThrottledError extends Error {
  constructor(readonly attempts: number, readonly lastStatus: number) {
    super(`throttled: the target answered ${lastStatus} to all ${attempts} attempt(s) (backoff with jitter, Retry-After honoured)`);
  }
}

/**
 * Sends through `attempt` until the answer is not throttled; throws ThrottledError when the
 * attempts or the time budget run out.
 */
export async function withThrottleRetry<T extends { status: number; headers: Record<string, string> }>(
  attempt: () => Promise<T>, policy: BackoffPolicy, stats: PacingStats, window?: AdaptiveWindow,
): Promise<T> {
  const started = performance.now();
  let last: T | null = null;
  let tries = 0;
  for (let n = 1; n <= policy.attempts; n++) {
    tries = n;
    stats.requests++;
    if (window) {
      const sentAt = await window.acquire();
      let throttled = false;
      try { last = await attempt(); throttled = isThrottled(last.status); } finally { window.done(sentAt, throttled); }
    } else last = await attempt();
    if (!isThrottled(last.status)) return last;
    stats.throttled++;
    if (n === policy.attempts) break;
    const delay = backoffDelay(n, retryAfterMs(last.headers['retry-after']), policy);
    if (performance.now() - started + delay > policy.budgetMs || policy.signal?.aborted) break;
    stats.retries++;
    await sleepUnless(delay, policy.signal);
    if (policy.signal?.aborted) break;
  }
  stats.gaveUp++;
  throw new ThrottledError(tries, last!.status);
}

// ---------------------------------------------------------------------------------------------
// One run's limits shared by its suite workers. The workers are threads of one process; the
// suites' vitest config puts a SharedArrayBuffer in the worker environment (node:worker_threads
// setEnvironmentData), and every worker contributes its share of a limit (the rate and the index
// budget the harness gives it: the run's figure ÷ workers) to a common pool that all of them draw
// on. So the run never exceeds the configured figure (the pool is at most the sum of the shares),
// and a worker that needs the whole PutVectorIndex pace or index budget (the lifecycle model) gets
// it while the others need none, instead of a fixed 1/workers slice. Outside such a process (the
// project's tests, `ovc pact verify`) everything stays local.


export const SHARED_LIMITS_KEY = 'ovc:shared-limits';
/** Contribution slots (one per worker thread, by threadId modulo this). */
const SLOTS = 64;
/** Int32 layout: per pool [contributions × SLOTS, inUse]; pools: 0 all-requests rate, 1 PutVectorIndex rate, 2 index budget. */
const POOL_INTS = SLOTS + 1;
const POOLS = 3;
/** BigInt64 region after the pools: per rate pool its theoretical arrival time (µs). */
const I32_BYTES = Math.ceil((POOL_INTS * POOLS * 4) / 8) * 8;
const BYTES = I32_BYTES + 8 * POOLS;

export type SharedPool = 'all' | 'putIndex' | 'indexes';
const POOL_NO: Record<SharedPool, number> = { all: 0, putIndex: 1, indexes: 2 };

/** The memory a process's suite workers share (created once, in the thread that starts them). */
export function newSharedLimits(): SharedArrayBuffer {
  return new SharedArrayBuffer(BYTES);
}

/** The shared memory of this process's workers, or null when this thread is not such a worker. */
export function sharedLimits(): SharedArrayBuffer | null {
  try {
    const m = getEnvironmentData(SHARED_LIMITS_KEY);
    return m instanceof SharedArrayBuffer && m.byteLength === BYTES ? m : null;
  } catch { return null; }
}

/** µs on a clock common to the process's threads (each thread's performance.now has its own origin). */
function nowUs(): number {
  return Math.round((performance.timeOrigin + performance.now()) * 1000);
}

class PoolView {
  readonly ints: Int32Array;
  readonly base: number;
  constructor(mem: SharedArrayBuffer, readonly pool: number) {
    this.ints = new Int32Array(mem, 0, POOL_INTS * POOLS);
    this.base = pool * POOL_INTS;
  }
  /** A thread's contribution (stored, not added: a thread that registers again replaces its own). */
  contribute(value: number, slot: number): void { Atomics.store(this.ints, this.base + (slot % SLOTS), Math.round(value)); }
  total(): number {
    let s = 0;
    for (let i = 0; i < SLOTS; i++) s += Atomics.load(this.ints, this.base + i);
    return s;
  }
  get inUseIndex(): number { return this.base + SLOTS; }
}

/**
 * A rate shared by the workers (GCRA, the "virtual scheduling" form of a token bucket, ITU-T
 * I.371): one theoretical arrival time in shared memory, advanced by compare-and-swap, so each
 * `take` reserves its own instant and waits for it. The rate is the sum of the contributions
 * (milli-requests per second); a burst of `burst` requests may go at once.
 */
export class SharedRate {
  private readonly view: PoolView;
  private readonly tat: BigInt64Array;
  /** `slot`: whose contribution this is (default: this thread's). */
  constructor(mem: SharedArrayBuffer, pool: 'all' | 'putIndex', ratePerSec: number, readonly burst = 1, slot = threadId) {
    this.view = new PoolView(mem, POOL_NO[pool]);
    this.tat = new BigInt64Array(mem, I32_BYTES, POOLS);
    this.view.contribute(ratePerSec * 1000, slot);
  }

  get ratePerSec(): number { return this.view.total() / 1000; }

  /** Reserves the next instant a request may go; returns how many ms from now that is (0: at once). */
  reserve(): number {
    const rate = this.ratePerSec;
    if (rate <= 0) return 0;
    const interval = 1e6 / rate;
    const tolerance = (this.burst - 1) * interval;
    const i = this.view.pool;
    for (;;) {
      const now = nowUs();
      const old = Atomics.load(this.tat, i);
      const start = Math.max(Number(old), now);
      const next = BigInt(Math.round(start + interval));
      if (Atomics.compareExchange(this.tat, i, old, next) !== old) continue;
      return Math.max(0, (start - tolerance - now) / 1000);
    }
  }

  async take(): Promise<void> {
    const wait = this.reserve();
    if (wait > 0) await sleep(Math.ceil(wait));
  }
}

/**
 * Slots shared by the workers (the live-index budget): capacity is the sum of the contributions,
 * `tryTake` takes atomically, `give` hands back; `add` records what was taken without asking
 * (an index the target created beyond a reservation).
 */
export class SharedSlots {
  private readonly view: PoolView;
  constructor(mem: SharedArrayBuffer, capacity: number, slot = threadId) {
    this.view = new PoolView(mem, POOL_NO.indexes);
    this.view.contribute(capacity, slot);
  }
  get capacity(): number { return this.view.total(); }
  get inUse(): number { return Atomics.load(this.view.ints, this.view.inUseIndex); }
  tryTake(n: number): boolean {
    const cap = this.capacity;
    for (;;) {
      const cur = Atomics.load(this.view.ints, this.view.inUseIndex);
      if (cur + n > cap) return false;
      if (Atomics.compareExchange(this.view.ints, this.view.inUseIndex, cur, cur + n) === cur) return true;
    }
  }
  add(n: number): void { if (n !== 0) Atomics.add(this.view.ints, this.view.inUseIndex, n); }
}

/** A rate limiter: shared between the process's suite workers when they share limits, else this worker's own. */
export function rateLimiter(pool: 'all' | 'putIndex', ratePerSec: number, burst: number): { take(): Promise<void> } {
  const mem = ratePerSec > 0 ? sharedLimits() : null;
  return mem ? new SharedRate(mem, pool, ratePerSec, burst) : new TokenBucket(ratePerSec, burst);
}

/**
 * Requests in flight, adapted to throttling: AIMD (additive increase, multiplicative decrease, as
 * TCP's congestion window, RFC 5681). A throttled answer (503/429) halves the window — once per
 * round: only answers to requests sent after the last decrease count — and every answer that was
 * not throttled widens it by 1/window (about one request per window of answers), up to `max`.
 * The window starts at `max`: nothing is held back until the target says so.
 */
export class AdaptiveWindow {
  private w: number;
  private inFlight = 0;
  private lastDecrease = -Infinity;
  private waiters: Array<() => void> = [];
  decreases = 0;
  constructor(readonly max: number, readonly min = 1) { this.w = max; }

  get window(): number { return Math.floor(this.w); }

  /** Waits for room in the window; returns the send time to hand back to `done`. */
  async acquire(): Promise<number> {
    while (this.inFlight >= Math.max(this.min, Math.floor(this.w))) await new Promise<void>((r) => this.waiters.push(r));
    this.inFlight++;
    return performance.now();
  }

  done(sentAt: number, throttled: boolean): void {
    this.inFlight--;
    if (throttled) {
      if (sentAt > this.lastDecrease) {
        this.w = Math.max(this.min, this.w / 2);
        this.lastDecrease = performance.now();
        this.decreases++;
      }
    } else this.w = Math.min(this.max, this.w + 1 / Math.max(1, this.w));
    const room = Math.max(this.min, Math.floor(this.w)) - this.inFlight;
    for (const r of this.waiters.splice(0, Math.max(0, room))) r();
  }
}
