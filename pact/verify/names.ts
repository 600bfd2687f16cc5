// The pact's names mapped onto the run's: run-prefixed indexes, the target bucket, an absent bucket.
import { INDEX_NAME_MAX } from '../../contracts/limits.ts';

export class NameMap {
  readonly indexes = new Map<string, string>();
  /** The pact bucket → the target bucket; switched to `absentBucket` by 'no vector bucket exists'. */
  readonly buckets = new Map<string, string>();
  constructor(readonly prefix: string, readonly targetBucket: string, readonly absentBucket: string) {}

  index(name: string): string {
    let mapped = this.indexes.get(name);
    if (!mapped) {
      mapped = `${this.prefix}${name}`.slice(0, INDEX_NAME_MAX);
      this.indexes.set(name, mapped);
    }
    return mapped;
  }

  bucket(name: string | undefined): string {
    return (name !== undefined ? this.buckets.get(name) : undefined) ?? this.targetBucket;
  }
}
