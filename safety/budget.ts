// The live-index budget (issue: quotas). A run never holds more live indexes than `--max-indexes`
// (shared out between its workers); an index counts from its creation until it is seen gone, so a
// deleted index still `deleting` keeps its slot. When the budget is full, `acquire` looks at the
// indexes waiting to go (GetVectorIndex → 404 frees the slot) with backoff, up to the settle bound.
import type { TargetClient } from '../client/client.ts';
import { codeOf } from '../client/client.ts';
import { SharedSlots, sharedLimits, sleep } from '../client/pacing.ts';

export class BudgetError extends Error {}

export class IndexBudget {
  /** Slots taken for indexes about to be created. */
  private reserved = 0;
  /** Created and not deleted: bucket/name. */
  private readonly live = new Set<string>();
  /** Deleted (204), not yet seen gone. */
  private readonly leaving = new Map<string, { bucket: string; name: string }>();
  private waiters: Array<() => void> = [];
  peak = 0;

  /** The pool this worker's share joins when the run's workers share limits (client/pacing.ts). */
  private readonly shared: SharedSlots | null;
  /** What of `inUse` the shared pool already counts. */
  private synced = 0;

  constructor(readonly capacity: number, private readonly client: TargetClient, private readonly settleMs: number) {
    const mem = sharedLimits();
    this.shared = mem ? new SharedSlots(mem, capacity) : null;
  }

  get inUse(): number { return this.reserved + this.live.size + this.leaving.size; }

  /** The slots this budget may draw on: its own, or the pool of every worker's shares. */
  private get limit(): number { return this.shared ? this.shared.capacity : this.capacity; }

  /** Takes `n` slots if they are free (in the pool, when shared). */
  private tryTake(n: number): boolean {
    if (this.shared) {
      if (!this.shared.tryTake(n)) return false;
      this.synced += n;
    } else if (this.inUse + n > this.capacity) return false;
    this.reserved += n;
    return true;
  }

  /** Brings the pool's count in line with this budget's (after a release, a creation, a gone index). */
  private sync(): void {
    if (!this.shared) return;
    const d = this.inUse - this.synced;
    this.shared.add(d);
    this.synced += d;
  }

  /** Takes `n` slots at once for indexes about to be created. */
  async acquire(n = 1): Promise<void> {
    if (n > this.limit) throw new BudgetError(`a case needs ${n} indexes at once but the budget is ${this.limit} (--max-indexes, shared between workers)`);
    const started = performance.now();
    let delay = 50;
    while (!this.tryTake(n)) {
      if (this.leaving.size > 0) await this.sweep();
      if (this.tryTake(n)) break;
      const waited = performance.now() - started;
      if (waited > Math.max(this.settleMs, 0) + 120_000) throw new BudgetError(`no free index slot after ${Math.round(waited)} ms: ${this.live.size} live, ${this.leaving.size} still deleting, ${this.reserved} reserved (budget ${this.limit}${this.shared ? `, ${this.shared.inUse} in use by the run's workers` : ''})`);
      // Someone else's release wakes us (another worker's only through the backoff); otherwise look again after a backoff.
      await Promise.race([new Promise<void>((r) => this.waiters.push(r)), sleep(this.shared ? Math.min(delay, 200) : delay)]);
      delay = Math.min(delay * 2, 2_000);
    }
    this.peak = Math.max(this.peak, this.inUse);
  }

  /** Reserved slots not used (the create failed, or the case needed fewer). */
  release(n = 1): void {
    this.reserved = Math.max(0, this.reserved - n);
    this.sync();
    this.wake();
  }

  /** PutVectorIndex answered 200: a reserved slot becomes a live index. */
  created(bucket: string, name: string): void {
    this.reserved = Math.max(0, this.reserved - 1);
    this.live.add(`${bucket}/${name}`);
    this.sync();
    this.peak = Math.max(this.peak, this.inUse);
  }

  /** DeleteVectorIndex answered 204: the index keeps its slot until it is seen gone, unless `gone`. */
  deleted(bucket: string, name: string, gone: boolean): void {
    const key = `${bucket}/${name}`;
    if (!this.live.delete(key)) return;
    if (!gone) this.leaving.set(key, { bucket, name });
    this.sync();
    this.wake();
  }

  /** GetVectorIndex answered 404: a leaving index is gone. */
  gone(bucket: string, name: string): void {
    if (this.leaving.delete(`${bucket}/${name}`)) { this.sync(); this.wake(); }
  }

  /** The sweep in progress: one at a time per worker, the other waiters share it. */
  private sweeping: Promise<void> | null = null;

  /**
   * Looks once at each index waiting to go. Wakes the waiters only when a slot was freed: a sweep
   * that freed nothing woke every other waiter into its own sweep at once, and against a target
   * whose deleted indexes never go, the waiters kept one another polling GetVectorIndex without a
   * pause (hundreds of thousands of requests a minute); now they back off.
   */
  private sweep(): Promise<void> {
    this.sweeping ??= (async () => {
      let freed = false;
      for (const [key, { bucket, name }] of [...this.leaving]) {
        const res = await this.client.as('cleanup').op('GetVectorIndex', { indexName: name }, { bucket });
        if (res.status === 404 && codeOf(res) === 'NoSuchVectorIndex' && this.leaving.delete(key)) freed = true;
      }
      if (freed) { this.sync(); this.wake(); }
    })().finally(() => { this.sweeping = null; });
    return this.sweeping;
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const r of w) r();
  }
}

/** What set-up code needs of a budget. */
export interface Slots {
  acquire(n?: number): Promise<void>;
  release(n?: number): void;
}

/**
 * Slots taken for one case all at once (so two cases that each need two indexes never hold one
 * each and wait for ever); the case's own acquisitions draw on them first. `close` gives back
 * what the case did not use.
 */
export class Reservation implements Slots {
  private left: number;
  private constructor(private readonly budget: IndexBudget, n: number) { this.left = n; }

  static async take(budget: IndexBudget, n: number): Promise<Reservation> {
    if (n > 0) await budget.acquire(n);
    return new Reservation(budget, n);
  }

  async acquire(n = 1): Promise<void> {
    const own = Math.min(n, this.left);
    this.left -= own;
    if (n > own) await this.budget.acquire(n - own);
  }

  release(n = 1): void { this.budget.release(n); }

  close(): void {
    if (this.left > 0) this.budget.release(this.left);
    this.left = 0;
  }
}
