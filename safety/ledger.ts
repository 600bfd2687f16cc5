// The resource ledger: every index (and bucket) the run creates is written down — an intent line
// *before* the create is sent, so a run killed while the request is in flight still knows the name —
// and cleanup deletes exactly those, never anything else (docs/design.md rule 6). Append-only JSON lines,
// one folder per run; against a remote target the folder lives in the state folder and outlives the
// run and its --out (safety/leftovers.ts), so the next run finds what a killed one left. While its
// run is alive the folder also holds a lease (a heartbeat file refreshed every 10 s), so a cleanup on
// another host or in another container sharing the state folder leaves a live run alone.
import { existsSync, statSync } from 'node:fs';
import { appendText, makeFolder, readAppended, removeOurs, writeFileAtomic } from '../files/gate.ts';
import { join } from 'node:path';

export type LedgerEvent = 'creating' | 'created' | 'deleted';
export interface LedgerEntry { kind: 'index' | 'bucket'; bucket: string; name: string; event: LedgerEvent }
export interface Outstanding { bucket: string; name: string; confirmed: boolean }

export const LEDGER_FILE = 'ledger.jsonl';
export const LEASE_FILE = 'lease';
/** How often a live run refreshes its lease. */
export const LEASE_REFRESH_MS = 10_000;
/** A lease refreshed less than this long ago is held by a live run. */
export const LEASE_FRESH_MS = 60_000;

export class Ledger {
  readonly file: string;
  /** What the file said up to `readTo` (bytes), by kind, then `bucket/name`: read on from there, never twice. */
  private readonly live = { index: new Map<string, Outstanding>(), bucket: new Map<string, Outstanding>() };
  private readTo = 0;
  private lease: NodeJS.Timeout | null = null;

  constructor(readonly dir: string, readonly prefix: string) {
    this.file = join(dir, LEDGER_FILE);
  }

  private write(e: LedgerEntry): void {
    if (!e.name.startsWith(this.prefix)) throw new Error(`refusing to track '${e.name}': not under the run prefix '${this.prefix}'`);
    if (!existsSync(this.dir)) makeFolder(this.dir);
    appendText(this.file, `${JSON.stringify(e)}\n`);
  }

  /** Written before a PutVectorIndex of a run name is sent: the index may exist from now on. */
  creating(bucket: string, name: string): void { this.write({ kind: 'index', bucket, name, event: 'creating' }); }
  created(bucket: string, name: string): void { this.write({ kind: 'index', bucket, name, event: 'created' }); }
  /** Written before a PutVectorBucket of a run name is sent. */
  bucketCreating(name: string): void { this.write({ kind: 'bucket', bucket: name, name, event: 'creating' }); }
  /** A vector bucket the run created (its name starts with the prefix too). */
  bucketCreated(name: string): void { this.write({ kind: 'bucket', bucket: name, name, event: 'created' }); }
  bucketDeleted(name: string): void { if (name.startsWith(this.prefix)) this.write({ kind: 'bucket', bucket: name, name, event: 'deleted' }); }
  /** Names outside the prefix were never written down, so there is nothing to strike out. */
  deleted(bucket: string, name: string): void { if (name.startsWith(this.prefix)) this.write({ kind: 'index', bucket, name, event: 'deleted' }); }

  /** Indexes (or buckets) created, or about to be, and not seen deleted, in order; `confirmed`: a create was answered 200. */
  outstanding(kind: 'index' | 'bucket' = 'index'): Outstanding[] {
    this.readOn();
    return [...this.live[kind].values()].map((e) => ({ ...e }));
  }

  /** The ledger's entry for an index (or bucket) not seen deleted; undefined when it holds none. */
  holds(kind: 'index' | 'bucket', bucket: string, name: string): Outstanding | undefined {
    this.readOn();
    return this.live[kind].get(`${bucket}/${name}`);
  }

  /** Reads the lines appended since the last look (other workers of the run append to the same file). */
  private readOn(): void {
    const tail = readAppended(this.file, this.readTo);
    if (!tail) return;
    if (tail.from < this.readTo) { this.readTo = 0; this.live.index.clear(); this.live.bucket.clear(); }
    // Only whole lines: a line still being written (or cut by a kill) is read once it ends.
    const end = tail.bytes.lastIndexOf(0x0a) + 1;
    for (const line of tail.bytes.subarray(0, end).toString('utf8').split('\n')) this.apply(line);
    this.readTo += end;
  }

  private apply(line: string): void {
    if (!line) return;
    let e: LedgerEntry;
    try { e = JSON.parse(line) as LedgerEntry; } catch { return; } // a line cut by a kill, then appended to
    if (typeof e?.name !== 'string' || typeof e.bucket !== 'string') return;
    const live = this.live[e.kind === 'bucket' ? 'bucket' : 'index'];
    const key = `${e.bucket}/${e.name}`;
    if (e.event === 'deleted') live.delete(key);
    else live.set(key, { bucket: e.bucket, name: e.name, confirmed: e.event === 'created' || (live.get(key)?.confirmed ?? false) });
  }

  /** Starts refreshing the run's lease (at once, then every LEASE_REFRESH_MS) until `releaseLease`. */
  holdLease(): void {
    if (this.lease) return;
    const beat = (): void => {
      try { if (!existsSync(this.dir)) makeFolder(this.dir); writeFileAtomic(join(this.dir, LEASE_FILE), `${JSON.stringify({ pid: process.pid, at: new Date().toISOString() })}\n`); } catch { /* the next beat tries again */ }
    };
    beat();
    this.lease = setInterval(beat, LEASE_REFRESH_MS).unref();
  }

  /** Stops the heartbeat and removes the lease: whatever the folder still holds is for the next run. */
  releaseLease(): void {
    if (this.lease) clearInterval(this.lease);
    this.lease = null;
    removeOurs(join(this.dir, LEASE_FILE));
  }
}

/** How long ago the lease in a ledger folder was refreshed (ms); null when the folder holds none. */
export function leaseAge(dir: string, now = Date.now()): number | null {
  try { return Math.max(0, now - statSync(join(dir, LEASE_FILE)).mtimeMs); } catch { return null; }
}
