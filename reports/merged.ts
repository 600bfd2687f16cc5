// The reports of `ovc report merge` over several targets, in the writer shape of the run's reports
// (view.ts ReportWriter): matrix.json, summary.md and report.html render one merged view; each
// target's own folder is written by writeReports. Redaction as the run's: the view's secrets.
import type { GateResult } from './baseline.ts';
import { toHtml, type HtmlRun } from './html.ts';
import { toMergedMarkdown } from './markdown.ts';
import type { MergedMatrix } from './matrix.ts';
import type { RunSummary } from './model.ts';
import { redactText } from './redact.ts';
import type { ReportWriter } from './view.ts';

export interface MergeView {
  merged: MergedMatrix;
  runs: ReadonlyArray<HtmlRun & { summary: RunSummary; gate: GateResult; dir: string }>;
  secrets: readonly string[];
}

export const MERGE_WRITERS: ReadonlyArray<ReportWriter<MergeView>> = [
  { file: 'matrix.json', render: (v) => redactText(`${JSON.stringify(v.merged, null, 2)}\n`, v.secrets) },
  { file: 'summary.md', render: (v) => toMergedMarkdown(v.merged, v.runs, v.secrets) },
  { file: 'report.html', render: (v) => toHtml({ runs: v.runs, merged: v.merged }, v.secrets) },
];
