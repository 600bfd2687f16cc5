// The resource ledger: every index (and bucket) the run creates is written down — an intent line
// *before* the create is sent, so a run killed while the request is in flight still knows the name —
// and cleanup deletes exactly those, never anything else (DESIGN.md rule 6). Append-only JSON lines,
// one folder per run; against a remote target the folder lives in the state folder and outlives the
// run and its --out (safety/leftovers.ts), so the next run finds what a killed one left.
import { existsSync, readFileSync } from 'node:fs';
import { appendText, makeFolder } from '../files/gate.ts';
import { join } from 'node:path';

export type LedgerEvent = 'creating' | 'created' | 'deleted';
export interface LedgerEntry { kind: 'index' | 'bucket'; bucket: string; name: string; event: LedgerEvent }

export const LEDGER_FILE = 'ledger.jsonl';

export class Ledger {
  readonly file: string;
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
  outstanding(kind: 'index' | 'bucket' = 'index'): Array<{ bucket: string; name: string; confirmed: boolean }> {
    if (!existsSync(this.file)) return [];
    const live = new Map<string, { bucket: string; name: string; confirmed: boolean }>();
    for (const line of readFileSync(this.file, 'utf8').split('\n')) {
      if (!line) continue;
      let e: LedgerEntry;
      try { e = JSON.parse(line) as LedgerEntry; } catch { continue; } // a line cut by a kill
      if ((e.kind ?? 'index') !== kind) continue;
      const key = `${e.bucket}/${e.name}`;
      if (e.event === 'deleted') live.delete(key);
      else live.set(key, { bucket: e.bucket, name: e.name, confirmed: e.event === 'created' || (live.get(key)?.confirmed ?? false) });
    }
    return [...live.values()];
  }
}
