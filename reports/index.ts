// The reports of one run: applies the baseline (the gate), then writes every file into OUT.
//   results.jsonl  one case per line (DESIGN.md record)     summary.json  the RunSummary + baseline
//   junit.xml      one testsuite per matrix row             matrix.json   rows × outcomes, coverage
//   summary.md     verdict, matrix, failing cases           report.html   the self-contained report
//   failures.har   the exchanges of the failing cases
import { appendFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { applyBaseline, type Baseline, type GateResult } from './baseline.ts';
import { byId } from './cases.ts';
import { writeFileAtomic } from './atomic.ts';
import { toHarText } from './har.ts';
import { toHtml } from './html.ts';
import { toJUnit } from './junit.ts';
import { toJsonl } from './jsonl.ts';
import { buildMatrix, type CauseOf, type Matrix } from './matrix.ts';
import { toMarkdown } from './markdown.ts';
import type { CaseResult, RunSummary } from './model.ts';
import { collectSecrets, redactResult, redactText, redactValue } from './redact.ts';
import { RESULTS_FILE, storedSummary, SUMMARY_FILE } from './runs.ts';

export type { Baseline, BaselineEntry, GateResult } from './baseline.ts';
export { applyBaseline, baselineFromResults, loadBaseline } from './baseline.ts';
export type { Matrix, MergedMatrix } from './matrix.ts';
export { buildMatrix, mergeMatrices } from './matrix.ts';
export { combineShards, mergeRuns, readRun } from './runs.ts';
export { ReportInputError } from './errors.ts';

export interface WriteOptions {
  baseline?: Baseline | null;
  /** Path from $GITHUB_STEP_SUMMARY: summary.md is appended to it. */
  githubStepSummary?: string | null;
  /** Maps generator labels to contracts causes for the coverage figure. */
  causeOf?: CauseOf;
  /** Secret values to redact besides those in the environment (collectSecrets(process.env)). */
  secrets?: readonly string[];
  /** Output folders this run was combined from (written into summary.json). */
  sources?: readonly string[];
}

export const REPORT_FILES = {
  results: RESULTS_FILE, summaryJson: SUMMARY_FILE, junit: 'junit.xml', matrix: 'matrix.json',
  markdown: 'summary.md', html: 'report.html', har: 'failures.har',
} as const;

/** GitHub refuses step summaries over 1 MiB; past this the appended summary is cut. */
const STEP_SUMMARY_LIMIT = 1000 * 1024;

/**
 * Writes every report of a run into `outDir` and returns the gate. The baseline marks the known
 * fail/error cases of `results` in place (`baseline` set), so the caller can tell them apart.
 */
export async function writeReports(outDir: string, results: CaseResult[], summary: RunSummary, opts: WriteOptions = {}): Promise<{ files: string[]; matrix: Matrix; gate: GateResult }> {
  const dir = resolve(outDir);
  mkdirSync(dir, { recursive: true });
  const secrets = [...collectSecrets(process.env), ...(opts.secrets ?? [])];
  const gate = applyBaseline(results, opts.baseline ?? null);
  for (const r of results) r.target ??= summary.target;
  const safe = byId(results.map((r) => redactResult(r, secrets)));
  const safeSummary = redactValue(summary, secrets);
  const safeGate: GateResult = {
    ...gate,
    regressions: gate.regressions.map((r) => redactResult(r, secrets)),
    known: gate.known.map((r) => redactResult(r, secrets)),
  };
  const matrix = buildMatrix(safe, opts.causeOf, { strict: summary.strict });
  const markdown = toMarkdown(matrix, safeSummary, safeGate, secrets);
  const files: Array<[string, string]> = [
    [REPORT_FILES.results, toJsonl(safe, secrets)],
    [REPORT_FILES.summaryJson, `${JSON.stringify(storedSummary(safeSummary, opts.baseline ?? null, opts.sources), null, 2)}\n`],
    [REPORT_FILES.junit, toJUnit(safe, safeSummary, secrets)],
    [REPORT_FILES.matrix, `${JSON.stringify(matrix, null, 2)}\n`],
    [REPORT_FILES.markdown, markdown],
    [REPORT_FILES.html, toHtml({ runs: [{ summary: safeSummary, matrix, gate: safeGate, results: safe }] }, secrets)],
    [REPORT_FILES.har, toHarText(safe, secrets)],
  ];
  const written: string[] = [];
  for (const [name, text] of files) {
    const path = join(dir, name);
    writeFileAtomic(path, redactText(text, secrets));
    written.push(path);
  }
  if (opts.githubStepSummary) appendStepSummary(opts.githubStepSummary, markdown, secrets);
  return { files: written, matrix, gate };
}

export function appendStepSummary(path: string, markdown: string, secrets: readonly string[] = collectSecrets()): void {
  let text = redactText(markdown, secrets);
  if (Buffer.byteLength(text) > STEP_SUMMARY_LIMIT) {
    text = `${Buffer.from(text).subarray(0, STEP_SUMMARY_LIMIT).toString('utf8').replace(/\uFFFD$/, '')}\n\n… cut to fit the step summary; the full text is summary.md in the uploaded reports.\n`;
  }
  appendFileSync(path, `${text}\n`);
}
