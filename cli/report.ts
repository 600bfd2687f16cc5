// `ovc report`: re-render a run's reports, merge runs (shards of one target, or several targets)
// and record a baseline. Exit status: 0 ok, 1 gate failed, 2 bad input (UsageError).
import { Command } from 'commander';
import { join, resolve } from 'node:path';
import { baselineFromResults, formatBaseline, loadBaseline, type Baseline, type GateResult } from '../reports/baseline.ts';
import { ReportInputError } from '../reports/errors.ts';
import { causeOf } from '../generators/labels.ts';
import { appendStepSummary, writeReports } from '../reports/index.ts';
import { mergeMatrices, type Matrix } from '../reports/matrix.ts';
import { MERGE_WRITERS, type MergeView } from '../reports/merged.ts';
import type { CaseResult, RunSummary } from '../reports/model.ts';
import { collectSecrets, redactText } from '../reports/redact.ts';
import { combineShards, readRun, type StoredRun } from '../reports/runs.ts';
import { UsageError } from './errors.ts';
import { claimOutputs, writeFileAtomic, writeOutputFile } from '../files/gate.ts';
import { checkInputDir, claimOutputDir, inputDir } from './paths.ts';

export function reportCommand(setExit: (code: number) => void): Command {
  const report = new Command('report')
    .description('re-render, merge (shards or targets) and baseline the reports of ovc runs')
    .exitOverride();
  report.addCommand(new Command('render')
    .description('re-write every report of a run from its results.jsonl and summary.json')
    .requiredOption('--from <dir>', 'the --out folder of an ovc run', inputDir('from'))
    .option('--out <dir>', 'where to write (default: the --from folder)')
    .option('--baseline <file>', 'known deviations (JSON or YAML); default: the baseline the run used')
    .exitOverride()
    .action(guard(async (flags: { from: string; out?: string; baseline?: string }) => {
      const run = readRun(flags.from);
      const baseline = flags.baseline ? loadBaseline(flags.baseline) : run.baseline;
      const out = claimOutputDir(flags.out ? '--out' : '--from', flags.out ?? flags.from);
      const { gate, files } = await writeReports(out, run.results, run.summary, { baseline, githubStepSummary: stepSummaryPath(), sources: run.sources, causeOf });
      process.stderr.write(`ovc report render: ${files.length} files in ${resolve(out)}\n`);
      setExit(exitStatus(run.results, gate));
    })));
  report.addCommand(new Command('merge')
    .description('merge the --out folders of several runs: shards of one target into one run, several targets into one response × target matrix')
    .argument('<dirs...>', 'the --out folders of the runs')
    .requiredOption('--out <dir>', 'where to write the merged reports (new, empty, or written by ovc before)')
    .option('--baseline <file>', 'known deviations (JSON or YAML), applied to the target it names (to every target when it names none); default: each run\'s own')
    .exitOverride()
    .action(guard(async (dirs: string[], flags: { out: string; baseline?: string }) => {
      for (const d of dirs) checkInputDir('a run folder', d);
      setExit(await merge(dirs, claimOutputDir('--out', flags.out), flags.baseline ? loadBaseline(flags.baseline) : null));
    })));
  report.addCommand(new Command('baseline')
    .description('write a baseline listing every fail and error case of a run (review each entry\'s reason before committing it)')
    .requiredOption('--from <dir>', 'the --out folder of an ovc run', inputDir('from'))
    .option('--out <file>', 'baseline file to write, .yaml/.yml or .json (default: print YAML); an existing file only if it is a baseline')
    .option('--reason <text>', 'the reason written into every entry')
    .exitOverride()
    .action(guard(async (flags: { from: string; out?: string; reason?: string }) => {
      const run = readRun(flags.from);
      const reason = flags.reason?.trim() || `recorded by ovc report baseline from the run of ${run.summary.finishedAt}; replace with why this deviation is accepted`;
      const baseline = baselineFromResults(run.results, reason, run.summary.target);
      const text = redactText(formatBaseline(baseline, flags.out && /\.json$/i.test(flags.out) ? 'json' : 'yaml'), collectSecrets());
      if (flags.out) {
        // Replaces only a new file or the baseline ovc wrote there before (its mark), never another file of the user's.
        writeOutputFile('--out', claimOutputs([{ flag: '--out', path: flags.out, kind: 'file' }])[0]!, text);
        process.stderr.write(`ovc report baseline: ${baseline.deviations.length} deviations of ${run.summary.target} written to ${flags.out}\n`);
      } else {
        process.stdout.write(text);
      }
      setExit(0);
    })));
  return report;
}

/** Turns report input errors into UsageError (exit 2) with the same sentence. */
function guard<A extends unknown[]>(fn: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try { await fn(...args); } catch (e) {
      if (e instanceof ReportInputError) throw new UsageError(e.message);
      throw e;
    }
  };
}

const stepSummaryPath = (): string | null => process.env.GITHUB_STEP_SUMMARY || null;

/** As `ovc run`: 2 when every case errored (the target could not be used), else the gate's status. */
export function exitStatus(results: readonly CaseResult[], gate: GateResult): number {
  if (results.length > 0 && results.every((r) => r.outcome === 'error')) return 2;
  return gate.exitCode;
}

async function merge(dirs: readonly string[], outDir: string, override: Baseline | null): Promise<number> {
  const runs = combineShards(dirs.map(readRun));
  const targets = runs.map((r) => r.summary.target);
  if (override?.target && runs.length > 1 && !targets.includes(override.target)) {
    throw new UsageError(`--baseline is for target '${override.target}', which none of the runs has (${targets.join(', ')})`);
  }
  const baselineFor = (run: StoredRun): Baseline | null =>
    override && (runs.length === 1 || !override.target || override.target === run.summary.target) ? override : run.baseline;

  if (runs.length === 1) {
    const run = runs[0]!;
    const { gate, files } = await writeReports(outDir, run.results, run.summary, { baseline: baselineFor(run), githubStepSummary: stepSummaryPath(), sources: run.sources, causeOf });
    process.stderr.write(`ovc report merge: ${run.sources.length} folder(s) of ${run.summary.target} → ${files.length} files in ${resolve(outDir)}\n`);
    return exitStatus(run.results, gate);
  }

  const written: Array<{ summary: RunSummary; gate: GateResult; matrix: Matrix; results: CaseResult[]; dir: string }> = [];
  const used = new Set<string>();
  for (const run of runs) {
    const dir = join(outDir, uniqueSlug(run.summary.target, used));
    const { gate, matrix } = await writeReports(dir, run.results, run.summary, { baseline: baselineFor(run), sources: run.sources, causeOf });
    written.push({ summary: run.summary, gate, matrix, results: run.results, dir });
  }
  const merged = mergeMatrices(written.map((w) => ({ target: w.summary.target, matrix: w.matrix })));
  const view: MergeView = { merged, runs: written, secrets: collectSecrets() };
  for (const writer of MERGE_WRITERS) {
    const text = writer.render(view);
    writeFileAtomic(join(outDir, writer.file), text);
    const step = stepSummaryPath();
    if (step && writer.file === 'summary.md') appendStepSummary(step, text, view.secrets);
  }
  process.stderr.write(`ovc report merge: ${runs.length} targets → ${resolve(outDir)} (matrix.json, summary.md, report.html; one folder per target)\n`);
  return Math.max(...written.map((w) => exitStatus(w.results, w.gate)));
}

/** A folder name for a target: `https://x.example (bucket)` → `https-x-example-bucket`. */
export function uniqueSlug(target: string, used: Set<string>): string {
  const base = target.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'target';
  let slug = base;
  for (let i = 2; used.has(slug); i++) slug = `${base}-${i}`;
  used.add(slug);
  return slug;
}
