// A run on disk: OUT/results.jsonl and OUT/summary.json (the RunSummary plus the baseline that was
// applied). Reading runs back, and combining shards of one target into one run.
import { existsSync } from 'node:fs';
import { INPUT_BOUNDS, readTextBounded } from '../files/gate.ts';
import { join } from 'node:path';
import type { Baseline } from './baseline.ts';
import { applyBaseline } from './baseline.ts';
import { ReportInputError } from './errors.ts';
import { readJsonl } from './jsonl.ts';
import { buildMatrix, emptyCounts, mergeMatrices, observedPasses, type CauseOf, type MergedMatrix } from './matrix.ts';
import type { CaseResult, RunSummary, RunTiming, SettleFigures } from './model.ts';

export const RESULTS_FILE = 'results.jsonl';
export const SUMMARY_FILE = 'summary.json';

/** The content of summary.json. */
export interface StoredSummary extends RunSummary {
  /** The baseline applied when the reports were written; `ovc report render` re-applies it. */
  baseline: Baseline | null;
  /** The output folders this run was combined from (shards), when more than one. */
  sources?: string[];
}

export interface StoredRun {
  sources: string[];
  results: CaseResult[];
  summary: RunSummary;
  baseline: Baseline | null;
}

export function storedSummary(summary: RunSummary, baseline: Baseline | null, sources?: readonly string[]): StoredSummary {
  const { baseline: _ignored, sources: _s, ...plain } = summary as StoredSummary;
  return { ...plain, baseline, ...(sources && sources.length > 1 ? { sources: [...sources] } : {}) };
}

export function readRun(dir: string): StoredRun {
  const resultsPath = join(dir, RESULTS_FILE);
  const summaryPath = join(dir, SUMMARY_FILE);
  if (!existsSync(resultsPath)) throw new ReportInputError(`${dir} holds no ${RESULTS_FILE} (is it the --out folder of an ovc run?)`);
  if (!existsSync(summaryPath)) throw new ReportInputError(`${dir} holds no ${SUMMARY_FILE} (is it the --out folder of an ovc run?)`);
  let raw: unknown;
  const text = readTextBounded(summaryPath, INPUT_BOUNDS.runMeta, 'summary');
  try { raw = JSON.parse(text); } catch (e) {
    throw new ReportInputError(`${summaryPath} is not JSON: ${(e as Error).message}`);
  }
  const s = raw as Partial<StoredSummary> | null;
  if (!s || typeof s !== 'object' || typeof s.target !== 'string' || typeof s.startedAt !== 'string' || typeof s.seed !== 'number') {
    throw new ReportInputError(`${summaryPath} is not a run summary (needs target, startedAt, seed)`);
  }
  const results = readJsonl(resultsPath);
  for (const r of results) r.target ??= s.target;
  const strict = s.strict === true;
  const removed = (s.cleanup as { removed?: unknown } | undefined)?.removed;
  const timing = storedTiming(s.timing);
  // In the order `ovc run` writes them, so a run rendered again writes its summary as the run did:
  // the observation passes (counted again from the cases when the run recorded them), the timing
  // and the names the cleanup removed, each when the file holds them well-formed.
  const summary: RunSummary = {
    target: s.target, startedAt: s.startedAt, finishedAt: typeof s.finishedAt === 'string' ? s.finishedAt : s.startedAt,
    seed: s.seed, strict, counts: countOutcomes(results),
    ...(s.observedPasses !== undefined ? { observedPasses: observedPasses(results, strict) } : {}),
    cleanup: {
      deleted: s.cleanup?.deleted ?? 0, failures: [...(s.cleanup?.failures ?? [])],
      ...(Array.isArray(removed) && removed.every((x) => typeof x === 'string') ? { removed: [...removed] as string[] } : {}),
    },
    ...(timing ? { timing } : {}),
  };
  return { sources: [dir], results, summary, baseline: s.baseline ?? null };
}

const isNumber = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

function storedFigures(v: unknown): SettleFigures | null {
  const f = v as Partial<Record<keyof SettleFigures, unknown>> | null;
  if (!f || typeof f !== 'object' || !isNumber(f.count)) return null;
  const orNull = (x: unknown): number | null | undefined => (x === null ? null : isNumber(x) ? x : undefined);
  const medianMs = orNull(f.medianMs);
  const maxMs = orNull(f.maxMs);
  return medianMs === undefined || maxMs === undefined ? null : { count: f.count, medianMs, maxMs };
}

/** A run's timing figures as summary.json holds them; undefined when absent or not well-formed (the line is then left out). */
function storedTiming(v: unknown): RunTiming | undefined {
  const t = v as Partial<Record<keyof RunTiming, unknown>> | null;
  if (!t || typeof t !== 'object') return undefined;
  const enable = storedFigures(t.enable);
  const gone = storedFigures(t.gone);
  const { settleBoundMs, requests, throttled, retries, gaveUp, peakIndexes } = t;
  if (!enable || !gone || !isNumber(settleBoundMs) || !isNumber(requests) || !isNumber(throttled) || !isNumber(retries) || !isNumber(gaveUp) || !isNumber(peakIndexes)) return undefined;
  const timing: RunTiming = { settleBoundMs, enable, gone, requests, throttled, retries, gaveUp, peakIndexes };
  const notKept = t.evidenceNotKept as { bodies?: unknown; bytes?: unknown } | undefined;
  if (notKept && isNumber(notKept.bodies) && isNumber(notKept.bytes)) timing.evidenceNotKept = { bodies: notKept.bodies, bytes: notKept.bytes };
  return timing;
}

export function countOutcomes(results: readonly CaseResult[]): RunSummary['counts'] {
  const c = emptyCounts();
  for (const r of results) c[r.outcome]++;
  return c;
}

/**
 * Runs of the same target (shards of one `ovc run`) become one run: results concatenated, counts
 * summed, the earliest start and latest finish, the baselines' deviations united. A case id seen in
 * two shards means the folders are not shards of one run, and is refused rather than counted twice.
 */
export function combineShards(runs: readonly StoredRun[]): StoredRun[] {
  const byTarget = new Map<string, StoredRun[]>();
  for (const r of runs) {
    const list = byTarget.get(r.summary.target);
    if (list) list.push(r); else byTarget.set(r.summary.target, [r]);
  }
  return [...byTarget.values()].map((group) => (group.length === 1 ? group[0]! : combine(group)));
}

function combine(group: readonly StoredRun[]): StoredRun {
  const seenIn = new Map<string, string>();
  for (const run of group) {
    for (const r of run.results) {
      const other = seenIn.get(r.id);
      if (other !== undefined && other !== run.sources[0]) {
        throw new ReportInputError(`case ${r.id} is in both ${other} and ${run.sources[0]}: shards of one run never share a case; runs to compare need distinct target names`);
      }
      seenIn.set(r.id, run.sources[0]!);
    }
  }
  const results = group.flatMap((g) => g.results);
  const first = group[0]!.summary;
  const deviations = new Map<string, NonNullable<StoredRun['baseline']>['deviations'][number]>();
  let baselineTarget: string | undefined;
  for (const g of group) for (const d of g.baseline?.deviations ?? []) { deviations.set(d.id, d); baselineTarget ??= g.baseline?.target; }
  const anyBaseline = group.some((g) => g.baseline);
  return {
    sources: group.flatMap((g) => g.sources),
    results,
    summary: {
      target: first.target,
      startedAt: group.map((g) => g.summary.startedAt).sort()[0]!,
      finishedAt: group.map((g) => g.summary.finishedAt).sort().at(-1)!,
      seed: first.seed,
      strict: group.some((g) => g.summary.strict),
      counts: countOutcomes(results),
      cleanup: { deleted: group.reduce((n, g) => n + g.summary.cleanup.deleted, 0), failures: group.flatMap((g) => g.summary.cleanup.failures) },
    },
    baseline: anyBaseline ? { ...(baselineTarget ? { target: baselineTarget } : {}), deviations: [...deviations.values()] } : null,
  };
}

/** Several output folders → one response × target matrix (shards of one target combined first). */
export function mergeRuns(dirs: readonly string[], causeOf?: CauseOf): MergedMatrix {
  const runs = combineShards(dirs.map(readRun));
  return mergeMatrices(runs.map((run) => {
    applyBaseline(run.results, run.baseline);
    return { target: run.summary.target, matrix: buildMatrix(run.results, causeOf, { strict: run.summary.strict }) };
  }));
}
