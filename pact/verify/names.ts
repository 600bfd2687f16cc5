// The pact's names mapped onto the run's: run-prefixed indexes, the target bucket, an absent bucket.
import { INDEX_NAME_MAX } from '../../contracts/limits.ts';

export class NameMap {
  /** The interaction under way's pact index names → the run's. */
  readonly indexes = new Map<string, string>();
  /** The pact bucket → the target bucket; switched to `absentBucket` by 'no vector bucket exists'. */
  readonly buckets = new Map<string, string>();
  private interaction = 0;
  constructor(readonly prefix: string, readonly targetBucket: string, readonly absentBucket: string) {}

  /**
   * The next interaction names its indexes afresh (`<prefix><n><pact name>`), as every case of a
   * run does: an index an earlier interaction deleted may still be `deleting` on the target (its
   * name taken: PutVectorIndex 409), and 'no vector index exists' holds for a name never used.
   */
  nextInteraction(): void {
    this.interaction += 1;
    this.indexes.clear();
  }

  index(name: string): string {
    let mapped = this.indexes.get(name);
    if (!mapped) {
      mapped = `${this.prefix}${this.interaction}${name}`.slice(0, INDEX_NAME_MAX);
      this.indexes.set(name, mapped);
    }
    return mapped;
  }

  bucket(name: string | undefined): string {
    return (name !== undefined ? this.buckets.get(name) : undefined) ?? this.targetBucket;
  }
}
