// The reports of `ovc diff`: applies the diff baseline (the gate) and writes diff.jsonl, diff.md
// and diff.html into OUT, every file redacted (the secrets of both sides).
import { makeFolder, writeFileAtomic } from '../files/gate.ts';
import { join, resolve } from 'node:path';
import { collectSecrets, redactText, redactValue } from '../reports/redact.ts';
import { applyDiffBaseline, type DiffBaselineEntry, type DiffGate } from './baseline.ts';
import type { DiffResult } from './classify.ts';
import { toDiffHtml } from './html.ts';
import { toDiffJsonl } from './jsonl.ts';
import { toDiffMarkdown } from './markdown.ts';

export { readCassette, writeCassette, isCassetteDir, CASSETTE_FORMAT, CASSETTE_FILES, type Cassette, type CassetteMeta, type RecordedExchange } from './cassette.ts';
export { diffCassettes, type CaseDiff, type DiffResult, type Kind } from './classify.ts';
export { loadDiffBaseline, parseDiffBaseline, applyDiffBaseline, type DiffBaselineEntry, type DiffGate } from './baseline.ts';

export const DIFF_FILES = { jsonl: 'diff.jsonl', markdown: 'diff.md', html: 'diff.html' } as const;

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
  const safe = redactValue(result, secrets);
  const safeGate = redactValue(gate, secrets);
  const files: Array<[string, string]> = [
    [DIFF_FILES.jsonl, toDiffJsonl(safe.cases)],
    [DIFF_FILES.markdown, toDiffMarkdown(safe, safeGate, strict)],
    [DIFF_FILES.html, toDiffHtml(safe, safeGate, strict)],
  ];
  const written: string[] = [];
  for (const [name, text] of files) {
    const path = join(dir, name);
    writeFileAtomic(path, redactText(text, secrets));
    written.push(path);
  }
  return { files: written, gate };
}
