// The order the suite files start in: the files whose tests wait longest on the target first (the
// lifecycle model's sequences wait out every transition; the coverage phase and the 204 cases wait
// for indexes to be created and gone), so against a far target the longest chain starts at once and
// the short files fill the other workers around it. Without this, vitest starts the largest files
// first, and the lifecycle model (a small file) started late and ended the run alone.
import { basename } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** Longest first, by what they wait for (bench/far-region.ts prints each suite's time). */
export const LONGEST_FIRST = ['lifecycle', 'coverage', '204-deleted', 'names', '404-no-such-vector-index', 'races', '400-malformed-json', '400-vector-index-parameter-invalid', 'buckets', 'index-states', '403-signature', 'multi-fault'];

export function rank(file: string): number {
  const i = LONGEST_FIRST.indexOf(basename(file).replace(/\.suite\.[jt]s$/, ''));
  return i < 0 ? LONGEST_FIRST.length : i;
}

/** `files` ordered by `rankOf` their module id, lowest first; equal ranks keep their order. */
export function byRank(files: readonly TestSpecification[], rankOf: (moduleId: string) => number): TestSpecification[] {
  return files.map((f, i) => ({ f, i, r: rankOf(f.moduleId) })).sort((a, b) => a.r - b.r || a.i - b.i).map((x) => x.f);
}

export class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    return byRank(await super.sort(files), rank);
  }
}
