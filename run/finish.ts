// The end of a run: its summary, the reports (reports/index.ts writes them), and what `ovc run`
// prints — the table of documented responses, the problems, the timing line, the count line — and
// the exit status the reports' gate decides. Also the sentences of a stopped run and of leftovers.
import { observedText, type Matrix } from '../reports/matrix.ts';
import type { CaseResult, Outcome, RunSummary, RunTiming, SettleFigures } from '../reports/model.ts';
import type { RunSpec } from '../client/config.ts';
import type { Baseline } from '../reports/baseline.ts';
import { timingText } from '../reports/timing.ts';
import type { CleanupReport } from '../safety/removeCreated.ts';
import type { WorkerStats } from './workfolder.ts';

/** What the reports are made of. */
export interface RunOutcome {
  results: CaseResult[];
  stats: WorkerStats;
  cleanup: CleanupReport;
  started: Date;
}

function settleFigures(ms: number[]): SettleFigures {
  if (ms.length === 0) return { count: 0, medianMs: null, maxMs: null };
  const s = [...ms].sort((a, b) => a - b);
  return { count: s.length, medianMs: s[Math.floor((s.length - 1) / 2)]!, maxMs: s.at(-1)! };
}

/** The run's time-awareness figures: settle times seen by the cases, throttling, budget. */
export function runTiming(results: readonly CaseResult[], run: Pick<RunSpec, 'settleMs'>, stats: WorkerStats): RunTiming {
  const enable: number[] = [];
  const gone: number[] = [];
  for (const r of results) for (const x of r.settle ?? []) if (x.reached) (x.kind === 'enable' ? enable : gone).push(x.ms);
  return { settleBoundMs: run.settleMs, enable: settleFigures(enable), gone: settleFigures(gone), requests: stats.requests, throttled: stats.throttled, retries: stats.retries, gaveUp: stats.gaveUp, peakIndexes: stats.peakIndexes, ...(stats.evidenceNotKept?.bodies ? { evidenceNotKept: stats.evidenceNotKept } : {}) };
}

/** Writes the reports, prints the run's figures, and returns the exit status (0, 1 or 2). */
export async function writeRunReports(o: RunOutcome, target: { name: string }, run: RunSpec, baseline: Baseline | null): Promise<number> {
  const { results } = o;
  const counts: Record<Outcome, number> = { pass: 0, fail: 0, skip: 0, error: 0 };
  for (const r of results) counts[r.outcome]++;
  const timing = runTiming(results, run, o.stats);
  const { observedPasses } = await import('../reports/matrix.ts');
  const summary: RunSummary = {
    target: target.name, startedAt: o.started.toISOString(), finishedAt: new Date().toISOString(),
    seed: run.seed, strict: run.strict, counts, observedPasses: observedPasses(results, run.strict), cleanup: o.cleanup, timing,
  };
  const { writeReports } = await import('../reports/index.ts');
  const { causeOf } = await import('../generators/labels.ts');
  const { files, gate, matrix } = await writeReports(run.outDir, results, summary, { baseline, causeOf, githubStepSummary: process.env.GITHUB_STEP_SUMMARY ?? null });
  if (process.env.GITHUB_ACTIONS === 'true') {
    const { githubAnnotations } = await import('../reports/github.ts');
    for (const line of githubAnnotations(results)) process.stdout.write(`${line}\n`);
  }
  process.stdout.write(summaryTable(matrix));
  process.stdout.write((await import('../reports/problems.ts')).problemsText(results));
  const secs = ((Date.now() - o.started.getTime()) / 1000).toFixed(1);
  process.stdout.write(`\n${timingLine(timing)}\n`);
  process.stdout.write(`\n${matrix.totals.pass} passed, ${counts.fail} failed, ${counts.skip} skipped, ${counts.error} errors${matrix.observed ? `, ${matrix.observed} observed` : ''} in ${secs} s — reports in ${run.outDir} (${files.length} files)\n`);
  if (results.length > 0 && counts.error === results.length) return 2;
  return gate.exitCode;
}

/** The matrix's rows that have cases, as a terminal table (the counts are the report's own). */
function summaryTable(matrix: Matrix): string {
  const rows = matrix.rows.filter((r) => r.total > 0);
  const w = Math.max(20, ...rows.map((r) => r.label.length));
  const line = (a: string, b: string, c: string, d: string, e: string, f: string, g: string): string => `${a.padEnd(w)}  ${b.padStart(6)}  ${c.padStart(6)}  ${d.padStart(6)}  ${e.padStart(6)}  ${f.padStart(8)}  ${g}\n`;
  let out = `\n${line('documented response', 'pass', 'fail', 'skip', 'error', 'observed', 'state')}`;
  for (const r of rows) out += line(r.label, String(r.counts.pass), String(r.counts.fail), String(r.counts.skip), String(r.counts.error), String(r.observed.cases), r.state === 'observed' ? observedText(r.observed) : r.state.replace('-', ' '));
  return out;
}

/** One line on time: settle times seen, throttling, budget. */
export function timingLine(t: RunTiming): string {
  return `timing: ${timingText(t)}`;
}

/** The last word of a stopped run: what finished, every request sent (`bySuites` of them by the suite workers), what the cleanup did. */
export function stoppedLine(finished: number, sent: number, bySuites: number, c: CleanupReport): string {
  return `ovc: the run was stopped after ${finished} finished case(s) and ${sent} request(s) (${bySuites} by the suites); cleanup removed ${c.removed?.length ?? 0} index(es)${c.removed?.length ? `: ${c.removed.join(', ')}` : ''}${c.failures.length ? `; ${c.failures.length} could not be removed (listed above)` : '; nothing the run created is left'}. The reports cover the finished cases only.`;
}

