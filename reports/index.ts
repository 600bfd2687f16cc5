// The reports of one run: applies the baseline (the gate), builds the one redacted view (view.ts), then
// has every writer render it into OUT:
//   results.jsonl  one case per line (docs/design.md record)     summary.json  the RunSummary + baseline
//   junit.xml      one testsuite per matrix row             matrix.json   rows × outcomes, coverage
//   summary.md     verdict, matrix, failing cases           report.html   the self-contained report
//   failures.har   the exchanges of the failing cases
import { join, resolve } from 'node:path';
import { appendText, makeFolder, writeFileAtomic } from '../files/gate.ts';
import { applyBaseline, type GateResult } from './baseline.ts';
import { harWriter } from './har.ts';
import { htmlWriter } from './html.ts';
import { matrixWriter, summaryWriter } from './json.ts';
import { junitWriter } from './junit.ts';
import { resultsWriter } from './jsonl.ts';
import type { Matrix } from './matrix.ts';
import { markdownWriter } from './markdown.ts';
import type { CaseResult, RunSummary } from './model.ts';
import { collectSecrets, redactText } from './redact.ts';
import { reportView, type ReportWriter, type ViewOptions } from './view.ts';

export type { Baseline, BaselineEntry, GateResult } from './baseline.ts';
export { applyBaseline, baselineFromResults, loadBaseline } from './baseline.ts';
export type { Matrix, MergedMatrix } from './matrix.ts';
export { buildMatrix, mergeMatrices } from './matrix.ts';
export { combineShards, mergeRuns, readRun } from './runs.ts';
export { ReportInputError } from './errors.ts';

export interface WriteOptions extends ViewOptions {
  /** Path from $GITHUB_STEP_SUMMARY: summary.md is appended to it. */
  githubStepSummary?: string | null;
}

/** The report files of one run, in the order they are written. */
export const WRITERS: readonly ReportWriter[] = [resultsWriter, summaryWriter, junitWriter, matrixWriter, markdownWriter, htmlWriter, harWriter];

export const REPORT_FILES = {
  results: resultsWriter.file, summaryJson: summaryWriter.file, junit: junitWriter.file, matrix: matrixWriter.file,
  markdown: markdownWriter.file, html: htmlWriter.file, har: harWriter.file,
} as const;

/** GitHub refuses step summaries over 1 MiB; past this the appended summary is cut. */
const STEP_SUMMARY_LIMIT = 1000 * 1024;

/**
 * Writes every report of a run into `outDir` and returns the gate. The baseline marks the known
 * fail/error cases of `results` in place (`baseline` set), so the caller can tell them apart.
 */
export async function writeReports(outDir: string, results: CaseResult[], summary: RunSummary, opts: WriteOptions = {}): Promise<{ files: string[]; matrix: Matrix; gate: GateResult }> {
  const dir = resolve(outDir);
  makeFolder(dir);
  const gate = applyBaseline(results, opts.baseline ?? null);
  for (const r of results) r.target ??= summary.target;
  const view = reportView(results, summary, gate, opts);
  const written: string[] = [];
  for (const writer of WRITERS) {
    const path = join(dir, writer.file);
    const text = writer.render(view);
    writeFileAtomic(path, text);
    written.push(path);
    if (writer === markdownWriter && opts.githubStepSummary) appendStepSummary(opts.githubStepSummary, text, []);
  }
  return { files: written, matrix: view.matrix, gate };
}

export function appendStepSummary(path: string, markdown: string, secrets: readonly string[] = collectSecrets()): void {
  let text = redactText(markdown, secrets);
  if (Buffer.byteLength(text) > STEP_SUMMARY_LIMIT) {
    text = `${Buffer.from(text).subarray(0, STEP_SUMMARY_LIMIT).toString('utf8').replace(/\uFFFD$/, '')}\n\n… cut to fit the step summary; the full text is summary.md in the uploaded reports.\n`;
  }
  appendText(path, `${text}\n`);
}
