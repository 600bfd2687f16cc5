// What both sides of `ovc diff` run with: the options that decide which cases are generated — seed,
// runs, strictness, tags and whether there is a second bucket — the same on both sides, and the one
// line that says what was aligned (docs/diff.md "Both sides alike"). A cassette fixes what it was
// recorded with; a live side follows it. A second bucket is used only when both sides have one:
// the lifecycle model generates other command sequences with two buckets than with one.
import type { CassetteMeta } from './cassette.ts';

/** One side as far as generation goes: a live run (endpoint null = the embedded emulator) or a cassette. */
export type SideShape =
  | { kind: 'run'; endpoint: string | null; otherBucket?: string }
  | { kind: 'cassette'; meta: CassetteMeta };

/** The command's flags that shape generation; `defaultRuns` when neither a cassette nor --runs gives the runs. */
export interface GenerationFlags { seed?: number; runs?: number; strict: boolean; tags?: string; defaultRuns: number }

/** The options both live sides run with, and what `ovc diff` says about them. */
export interface Alignment {
  seed: number;
  runs: number;
  /** The runs are strict (a cassette's recording decides; else --strict). */
  strict: boolean;
  tags: string | undefined;
  /** Both sides have a second bucket: the cross-bucket cases and two-bucket sequences run on both. */
  twoBuckets: boolean;
  /** The one line saying what both sides run with. */
  line: string;
  /** What could not be aligned (two cassettes recorded differently, a flag a cassette overrides). */
  warnings: string[];
}

const SIDE_NAMES = ['the target', 'the other side'] as const;

/** Whether a side has a second bucket: the embedded emulator always serves one, an endpoint with --other-bucket, a cassette if it was recorded with one. */
export function hasSecondBucket(side: SideShape): boolean {
  if (side.kind === 'cassette') return side.meta.otherBucket !== null;
  return side.endpoint === null || Boolean(side.otherBucket);
}

/** The generation options of both sides (`pickSeed` when neither a cassette nor --seed gives one). */
export function alignSides(sides: readonly [SideShape, SideShape], flags: GenerationFlags, pickSeed: () => number): Alignment {
  const warnings: string[] = [];
  const metas = sides.flatMap((s) => (s.kind === 'cassette' ? [s.meta] : []));
  const meta = metas[0];
  if (meta && flags.seed !== undefined && flags.seed !== meta.seed) warnings.push(`using the cassette's seed ${meta.seed}, not --seed ${flags.seed}`);
  if (meta && flags.runs !== undefined && flags.runs !== meta.runs) warnings.push(`using the cassette's ${meta.runs} runs, not --runs ${flags.runs}`);
  if (meta && flags.strict && !meta.strict) warnings.push('the cassette was recorded without --strict; the runs are not strict, the gate is');
  if (metas.length === 2) {
    const [a, b] = metas as [CassetteMeta, CassetteMeta];
    if (a.seed !== b.seed || a.runs !== b.runs) warnings.push(`the two cassettes were recorded with different seeds or runs (${a.seed}/${a.runs} vs ${b.seed}/${b.runs}); generated cases will not match`);
    if (a.strict !== b.strict) warnings.push(`the two cassettes were recorded one strict, one not; strict-only cases will not match`);
    if ((a.tags ?? null) !== (b.tags ?? null)) warnings.push(`the two cassettes were recorded with different tags (${a.tags ?? 'all'} vs ${b.tags ?? 'all'}); cases on one side only differ`);
  }
  const seed = meta?.seed ?? flags.seed ?? pickSeed();
  const runs = meta?.runs ?? flags.runs ?? flags.defaultRuns;
  const strict = meta ? meta.strict : flags.strict;
  // A cassette recorded with --tags holds those cases only: the other side runs them (--tags overrides).
  const tags = flags.tags ?? meta?.tags ?? undefined;

  const second = sides.map(hasSecondBucket);
  const twoBuckets = second.every(Boolean);
  // A cassette cannot drop its second bucket: a live side without one generates other sequences.
  sides.forEach((s, i) => {
    if (s.kind === 'cassette' && second[i] && !twoBuckets) warnings.push(`${SIDE_NAMES[i]}'s cassette was recorded with a second bucket and ${SIDE_NAMES[1 - i]} has none: two-bucket sequences will not match (give it --${i === 0 ? 'against-' : ''}other-bucket)`);
  });
  const missing = SIDE_NAMES.filter((_, i) => !second[i]);
  const buckets = twoBuckets ? 'two buckets' : `one bucket (${missing.length === 2 ? 'neither side has a' : `${missing[0]} has no`} second bucket)`;
  const line = `both sides run with seed ${seed}, runs ${runs}, ${strict ? 'strict' : 'not strict'}, ${tags ? `tags '${tags}'` : 'every case'}, ${buckets}`;
  return { seed, runs, strict, tags, twoBuckets, line, warnings };
}

