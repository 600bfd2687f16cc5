// The reports of `ovc diff`: applies the diff baseline (the gate) and writes diff.jsonl, diff.md
// and diff.html into OUT, every file redacted (the secrets of both sides).
import { makeFolder, writeFileAtomic } from '../files/gate.ts';
import { join, resolve } from 'node:path';
import { collectSecrets, redactText, redactValue } from '../reports/redact.ts';
import type { ReportWriter } from '../reports/view.ts';
import { applyDiffBaseline, type DiffBaselineEntry, type DiffGate } from './baseline.ts';
import type { DiffResult } from './classify.ts';
import { toDiffHtml } from './html.ts';
import { toDiffJsonl } from './jsonl.ts';
import { toDiffMarkdown } from './markdown.ts';

export { readCassette, writeCassette, isCassetteDir, CASSETTE_FORMAT, CASSETTE_FILES, type Cassette, type CassetteMeta, type RecordedExchange } from './cassette.ts';
export { diffCassettes, type CaseDiff, type DiffResult, type Kind } from './classify.ts';
export { loadDiffBaseline, parseDiffBaseline, applyDiffBaseline, type DiffBaselineEntry, type DiffGate } from './baseline.ts';

export const DIFF_FILES = { jsonl: 'diff.jsonl', markdown: 'diff.md', html: 'diff.html' } as const;

/** What every diff report renders: the result and the gate, redacted once (writeDiffReports). */
export interface DiffView { result: DiffResult; gate: DiffGate; strict: boolean }

/** The diff's report files, in the shape of the run's (reports/view.ts ReportWriter). */
export const DIFF_WRITERS: ReadonlyArray<ReportWriter<DiffView>> = [
  { file: DIFF_FILES.jsonl, render: (v) => toDiffJsonl(v.result.cases) },
  { file: DIFF_FILES.markdown, render: (v) => toDiffMarkdown(v.result, v.gate, v.strict) },
  { file: DIFF_FILES.html, render: (v) => toDiffHtml(v.result, v.gate, v.strict) },
];

/** Secret values of the environment, including the other side's (OVC_AGAINST_*). */
export function diffSecrets(env: Record<string, string | undefined> = process.env): string[] {
  const against = ['OVC_AGAINST_ACCESS_KEY_SECRET', 'OVC_AGAINST_SESSION_TOKEN', 'OVC_AGAINST_DENIED_ACCESS_KEY_SECRET'].map((k) => env[k]).filter((v): v is string => !!v);
  return [...collectSecrets(env), ...against];
}

export function writeDiffReports(outDir: string, result: DiffResult, opts: { baseline?: readonly DiffBaselineEntry[]; strict?: boolean; secrets?: readonly string[] } = {}): { files: string[]; gate: DiffGate } {
  const dir = resolve(outDir);
  makeFolder(dir);
  const secrets = [...diffSecrets(), ...(opts.secrets ?? [])];
  const strict = opts.strict ?? false;
  const gate = applyDiffBaseline(result.cases, opts.baseline ?? [], strict);
  const view: DiffView = { result: redactValue(result, secrets), gate: redactValue(gate, secrets), strict };
  const written: string[] = [];
  for (const writer of DIFF_WRITERS) {
    const path = join(dir, writer.file);
    writeFileAtomic(path, redactText(writer.render(view), secrets));
    written.push(path);
  }
  return { files: written, gate };
}
