// The one view every report writer renders: the run's cases (in case-id order), its summary, the
// gate and the matrix, redacted once here (docs/design.md rule 9) so no writer needs the secrets.
import type { Baseline, GateResult } from './baseline.ts';
import { byId } from './cases.ts';
import { buildMatrix, type CauseOf, type Matrix } from './matrix.ts';
import type { CaseResult, RunSummary } from './model.ts';
import { collectSecrets, redactValue } from './redact.ts';
import { storedSummary, type StoredSummary } from './runs.ts';

export interface ReportView {
  /** Redacted, in case-id order. */
  results: CaseResult[];
  summary: RunSummary;
  gate: GateResult;
  matrix: Matrix;
  /** summary.json's content: the summary with the baseline and the source folders. */
  stored: StoredSummary;
}

/** A report file: its name in the output folder and its text for a view (run, diff and merge reports alike). */
export interface ReportWriter<View = ReportView> {
  file: string;
  render(view: View): string;
}

export interface ViewOptions {
  baseline?: Baseline | null;
  /** Maps generator labels to contracts causes for the coverage figure. */
  causeOf?: CauseOf;
  /** Secret values to redact besides those in the environment (collectSecrets(process.env)). */
  secrets?: readonly string[];
  /** Output folders this run was combined from (written into summary.json). */
  sources?: readonly string[];
}

/** The redacted view of a run gated by `gate` (applyBaseline of `opts.baseline`). */
export function reportView(results: readonly CaseResult[], summary: RunSummary, gate: GateResult, opts: ViewOptions = {}): ReportView {
  const secrets = [...collectSecrets(process.env), ...(opts.secrets ?? [])];
  const safe = redactValue({ results: byId(results), summary, gate, stored: storedSummary(summary, opts.baseline ?? null, opts.sources) }, secrets);
  return { ...safe, matrix: buildMatrix(safe.results, opts.causeOf, { strict: summary.strict }) };
}
