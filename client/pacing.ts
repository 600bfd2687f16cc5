// Pacing and throttling (DESIGN rule 5). A token bucket per rate (all requests; PutVectorIndex),
// and the retry of throttled answers: HTTP 503 and 429 are sent again after an exponential backoff
// with full jitter (AWS architecture blog, "Exponential Backoff And Jitter"), honouring
// Retry-After, bounded in attempts and in time. No other answer is ever retried: a 500 is a finding.

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
  attempt: () => Promise<T>, policy: BackoffPolicy, stats: PacingStats,
): Promise<T> {
  const started = performance.now();
  let last: T | null = null;
  let tries = 0;
  for (let n = 1; n <= policy.attempts; n++) {
    tries = n;
    stats.requests++;
    last = await attempt();
    if (!isThrottled(last.status)) return last;
    stats.throttled++;
    if (n === policy.attempts) break;
    const delay = backoffDelay(n, retryAfterMs(last.headers['retry-after']), policy);
    if (performance.now() - started + delay > policy.budgetMs) break;
    stats.retries++;
    await sleep(delay);
  }
  stats.gaveUp++;
  throw new ThrottledError(tries, last!.status);
}
