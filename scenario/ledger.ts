// The resource ledger: every index the run creates is written down (append-only, one JSON line),
// and cleanup deletes exactly those, never anything else (DESIGN.md rule 5).
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface LedgerEntry { kind: 'index' | 'bucket'; bucket: string; name: string; event: 'created' | 'deleted' }

export class Ledger {
  readonly file: string;
  constructor(workDir: string, readonly prefix: string) {
    this.file = join(workDir, 'ledger.jsonl');
  }

  private write(e: LedgerEntry): void {
    if (!e.name.startsWith(this.prefix)) throw new Error(`refusing to track '${e.name}': not under the run prefix '${this.prefix}'`);
    appendFileSync(this.file, `${JSON.stringify(e)}\n`);
  }

  created(bucket: string, name: string): void { this.write({ kind: 'index', bucket, name, event: 'created' }); }
  /** A vector bucket the run created (its name starts with the prefix too). */
  bucketCreated(name: string): void { this.write({ kind: 'bucket', bucket: name, name, event: 'created' }); }
  bucketDeleted(name: string): void { if (name.startsWith(this.prefix)) this.write({ kind: 'bucket', bucket: name, name, event: 'deleted' }); }
  /** Names outside the prefix were never written down, so there is nothing to strike out. */
  deleted(bucket: string, name: string): void { if (name.startsWith(this.prefix)) this.write({ kind: 'index', bucket, name, event: 'deleted' }); }

  /** Indexes created and not seen deleted, in creation order. */
  outstanding(kind: 'index' | 'bucket' = 'index'): Array<{ bucket: string; name: string }> {
    if (!existsSync(this.file)) return [];
    const live = new Map<string, { bucket: string; name: string }>();
    for (const line of readFileSync(this.file, 'utf8').split('\n')) {
      if (!line) continue;
      const e = JSON.parse(line) as LedgerEntry;
      if ((e.kind ?? 'index') !== kind) continue;
      const key = `${e.bucket}/${e.name}`;
      if (e.event === 'created') live.set(key, { bucket: e.bucket, name: e.name });
      else live.delete(key);
    }
    return [...live.values()];
  }
}
