// results.jsonl: one case per line, the docs/design.md record fields first in their documented order,
// then the optional ones, so a line reads the same whoever wrote it.
import { INPUT_BOUNDS, readTextBounded } from '../files/gate.ts';
import { ReportInputError } from './errors.ts';
import type { CaseResult, Outcome } from './model.ts';
import type { ReportWriter } from './view.ts';

const RECORD_FIELDS = ['id', 'response', 'outcome', 'expected', 'actual', 'labels', 'reason', 'seed', 'durationMs'] as const;
const OPTIONAL_FIELDS = ['cites', 'unknown', 'observation', 'phase', 'precedence', 'replay', 'curl', 'exchange', 'baseline', 'target'] as const;
const OUTCOMES: readonly Outcome[] = ['pass', 'fail', 'skip', 'error'];

export function toJsonLine(result: CaseResult): string {
  const source = result as unknown as Record<string, unknown>;
  const ordered: Record<string, unknown> = {};
  for (const k of RECORD_FIELDS) ordered[k] = source[k] ?? (k === 'labels' ? [] : null);
  for (const k of OPTIONAL_FIELDS) if (source[k] !== undefined) ordered[k] = source[k];
  for (const [k, v] of Object.entries(source)) if (!(k in ordered) && v !== undefined) ordered[k] = v;
  return JSON.stringify(ordered);
}

export function toJsonl(results: readonly CaseResult[]): string {
  return results.map((r) => `${toJsonLine(r)}\n`).join('');
}

export const resultsWriter: ReportWriter = { file: 'results.jsonl', render: (v) => toJsonl(v.results) };

/** Parses results.jsonl; a line that is not a case record is a ReportInputError naming the line. */
export function parseJsonl(text: string, source = 'results.jsonl'): CaseResult[] {
  const out: CaseResult[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let value: unknown;
    try { value = JSON.parse(line); } catch (e) {
      throw new ReportInputError(`${source} line ${i + 1} is not JSON: ${(e as Error).message}`);
    }
    const problem = recordProblem(value);
    if (problem) throw new ReportInputError(`${source} line ${i + 1} is not a case record: ${problem}`);
    out.push(value as CaseResult);
  });
  return out;
}

export function readJsonl(path: string): CaseResult[] {
  return parseJsonl(readTextBounded(path, INPUT_BOUNDS.runRecords, 'results'), path);
}

function recordProblem(v: unknown): string | null {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return 'not an object';
  const r = v as Record<string, unknown>;
  if (typeof r.id !== 'string' || r.id === '') return 'id must be a non-empty string';
  if (typeof r.response !== 'string') return 'response must be a string';
  if (!OUTCOMES.includes(r.outcome as Outcome)) return `outcome must be one of ${OUTCOMES.join(', ')}`;
  if (!Array.isArray(r.labels) || r.labels.some((l) => typeof l !== 'string')) return 'labels must be an array of strings';
  if (typeof r.seed !== 'number') return 'seed must be a number';
  if (r.expected !== null && (typeof r.expected !== 'object' || typeof (r.expected as { status?: unknown }).status !== 'number')) return 'expected must be null or {status, code}';
  if (r.actual !== null && (typeof r.actual !== 'object' || typeof (r.actual as { status?: unknown }).status !== 'number')) return 'actual must be null or {status, code, requestId}';
  return null;
}
