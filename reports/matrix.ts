// The conformance matrix: one row per documented response (DELETE_VECTOR_INDEX_RESPONSES, in
// catalogue order) and per behaviour row, × the four outcomes; coverage of responses and causes;
// observed precedence and unknown-behaviour findings. Derived from contracts/ (DESIGN.md rule 1).
import { BEHAVIOUR_ROWS, DELETE_VECTOR_INDEX_RESPONSES, type DocReference, type DocumentedResponse } from '../contracts/responses.ts';
import { byId, compareIds, isBad } from './cases.ts';
import type { CaseResult, ObservedResponse, Outcome } from './model.ts';

export type OutcomeCounts = Record<Outcome, number>;

export interface MatrixRow {
  /** `response.key` of the catalogue, the behaviour row's key, or the label itself for a row the catalogue lacks. */
  key: string;
  /** Matched against CaseResult.response. */
  label: string;
  kind: 'response' | 'behaviour' | 'other';
  status: number | null;
  code: string | null;
  documented: boolean | null;
  doc: DocReference | null;
  causes: string[];
  counts: OutcomeCounts;
  total: number;
  /** pass / (pass + fail + error); null when no case of the row executed. Skips are left out. */
  passRate: number | null;
  /** Fail and error cases a baseline lists. */
  known: number;
  /** At least one case of the row passed or failed (skip and error do not reach a response). */
  reached: boolean;
  /** Why an unreached row was not reached: no case, or the first skip/error reason. */
  notReachedBecause: string | null;
}

export interface CauseCoverage {
  cause: string;
  /** Key of the documented response the cause leads to. */
  response: string;
  /** Executed (pass or fail) cases carrying the cause, in any row. */
  cases: number;
  reached: boolean;
}

export interface Coverage {
  /** Documented responses (catalogue rows only) with at least one pass or fail case. */
  responses: { reached: number; total: number; missing: string[] };
  causes: { reached: number; total: number; missing: string[]; byCause: CauseCoverage[] };
  /** Case labels that map to no documented cause (label vocabulary drift shows here). */
  unmappedLabels: string[];
}

export interface PrecedenceObservation {
  /** The labels (faults) of the cases, sorted. */
  labels: string[];
  /** The code the target chose where several were allowed. */
  winner: string;
  response: string;
  cases: number;
  examples: string[];
}

export interface UnknownFinding {
  id: string;
  response: string;
  outcome: Outcome;
  expected: CaseResult['expected'];
  actual: ObservedResponse | null;
  reason: string | null;
  cites: string | null;
}

export interface Matrix {
  /** The target every case names, or null when the cases name none or several. */
  target: string | null;
  totals: OutcomeCounts;
  total: number;
  rows: MatrixRow[];
  coverage: Coverage;
  precedence: PrecedenceObservation[];
  unknown: UnknownFinding[];
}

/** Maps a generator label to a contracts cause; labels equal to a cause match without it. */
export type CauseOf = (label: string) => string | null | undefined;

export const emptyCounts = (): OutcomeCounts => ({ pass: 0, fail: 0, skip: 0, error: 0 });

export function passRate(c: OutcomeCounts): number | null {
  const executed = c.pass + c.fail + c.error;
  return executed === 0 ? null : c.pass / executed;
}

interface RowTemplate { key: string; label: string; kind: MatrixRow['kind']; status: number | null; code: string | null; documented: boolean | null; doc: DocReference | null; causes: string[] }

export function catalogueRows(): RowTemplate[] {
  return [
    ...(DELETE_VECTOR_INDEX_RESPONSES as readonly DocumentedResponse[]).map((r): RowTemplate => ({
      key: r.key, label: r.label, kind: 'response', status: r.status, code: r.code, documented: r.documented, doc: r.doc, causes: [...r.causes],
    })),
    ...BEHAVIOUR_ROWS.map((b): RowTemplate => ({ key: b.key, label: b.label, kind: 'behaviour', status: null, code: null, documented: null, doc: null, causes: [] })),
  ];
}

export function buildMatrix(results: readonly CaseResult[], causeOf?: CauseOf): Matrix {
  const templates = catalogueRows();
  const byLabel = new Map<string, CaseResult[]>();
  for (const r of results) {
    const list = byLabel.get(r.response);
    if (list) list.push(r); else byLabel.set(r.response, [r]);
  }
  const extra = [...byLabel.keys()].filter((l) => !templates.some((t) => t.label === l)).sort(compareIds);
  const allTemplates = [...templates, ...extra.map((l): RowTemplate => ({ key: l, label: l, kind: 'other', status: null, code: null, documented: null, doc: null, causes: [] }))];
  const rows = allTemplates.map((t) => buildRow(t, byLabel.get(t.label) ?? []));

  const totals = emptyCounts();
  for (const r of results) totals[r.outcome]++;
  const targets = new Set(results.map((r) => r.target).filter((t): t is string => !!t));

  return {
    target: targets.size === 1 ? [...targets][0]! : null,
    totals, total: results.length, rows,
    coverage: coverage(rows, results, causeOf),
    precedence: precedence(results),
    unknown: byId(results.filter((r) => r.unknown)).map((r) => ({
      id: r.id, response: r.response, outcome: r.outcome, expected: r.expected, actual: r.actual, reason: r.reason, cites: r.cites ?? null,
    })),
  };
}

function buildRow(t: RowTemplate, cases: readonly CaseResult[]): MatrixRow {
  const counts = emptyCounts();
  for (const c of cases) counts[c.outcome]++;
  const reached = counts.pass + counts.fail > 0;
  let notReachedBecause: string | null = null;
  if (!reached) {
    const first = byId(cases).find((c) => c.reason);
    notReachedBecause = cases.length === 0 ? 'no case ran' : `${counts.skip} skipped, ${counts.error} errors${first?.reason ? `: ${first.reason}` : ''}`;
  }
  return {
    ...t, counts, total: cases.length, passRate: passRate(counts),
    known: cases.filter((c) => isBad(c) && c.baseline).length, reached, notReachedBecause,
  };
}

function coverage(rows: readonly MatrixRow[], results: readonly CaseResult[], causeOf?: CauseOf): Coverage {
  const responseRows = rows.filter((r) => r.kind === 'response');
  const allCauses = new Map<string, string>();
  for (const r of responseRows) for (const c of r.causes) allCauses.set(c, r.key);
  const toCause = (label: string): string | null => {
    let mapped: string | null | undefined;
    try { mapped = causeOf?.(label); } catch { mapped = null; /* a mapper may refuse labels outside its vocabulary */ }
    if (mapped && allCauses.has(mapped)) return mapped;
    return allCauses.has(label) ? label : null;
  };
  const executed = new Map<string, number>();
  const unmapped = new Set<string>();
  for (const r of results) {
    for (const label of r.labels) {
      const cause = toCause(label);
      if (!cause) { unmapped.add(label); continue; }
      if (r.outcome === 'pass' || r.outcome === 'fail') executed.set(cause, (executed.get(cause) ?? 0) + 1);
    }
  }
  const byCause: CauseCoverage[] = [...allCauses].map(([cause, response]) => ({ cause, response, cases: executed.get(cause) ?? 0, reached: (executed.get(cause) ?? 0) > 0 }));
  return {
    responses: {
      reached: responseRows.filter((r) => r.reached).length, total: responseRows.length,
      missing: responseRows.filter((r) => !r.reached).map((r) => r.label),
    },
    causes: {
      reached: byCause.filter((c) => c.reached).length, total: byCause.length,
      missing: byCause.filter((c) => !c.reached).map((c) => c.cause), byCause,
    },
    unmappedLabels: [...unmapped].sort(),
  };
}

function precedence(results: readonly CaseResult[]): PrecedenceObservation[] {
  const groups = new Map<string, PrecedenceObservation>();
  for (const r of byId(results)) {
    if (!r.precedence) continue;
    const labels = [...r.labels].sort();
    const key = JSON.stringify([r.response, labels, r.precedence]);
    const g = groups.get(key) ?? { labels, winner: r.precedence, response: r.response, cases: 0, examples: [] };
    g.cases++;
    if (g.examples.length < 3) g.examples.push(r.id);
    groups.set(key, g);
  }
  return [...groups.values()].sort((a, b) => compareIds(a.response, b.response) || compareIds(a.labels.join(','), b.labels.join(',')) || b.cases - a.cases);
}

// ---- Several targets: one response × target matrix ----

export interface MergedCell {
  counts: OutcomeCounts;
  total: number;
  passRate: number | null;
  known: number;
  reached: boolean;
}

export interface MergedRow {
  key: string;
  label: string;
  kind: MatrixRow['kind'];
  /** One cell per target name (MergedMatrix.targets); a target without the row has an empty cell. */
  cells: Record<string, MergedCell>;
}

export interface MergedMatrix {
  targets: string[];
  rows: MergedRow[];
  perTarget: Record<string, Matrix>;
}

export function mergeMatrices(runs: ReadonlyArray<{ target: string; matrix: Matrix }>): MergedMatrix {
  const targets = runs.map((r) => r.target);
  if (new Set(targets).size !== targets.length) throw new Error('mergeMatrices: each target once (combine shards of one target first)');
  const rowOrder: Array<Pick<MergedRow, 'key' | 'label' | 'kind'>> = [];
  for (const { matrix } of runs) {
    for (const row of matrix.rows) if (!rowOrder.some((r) => r.label === row.label)) rowOrder.push({ key: row.key, label: row.label, kind: row.kind });
  }
  const empty = (): MergedCell => ({ counts: emptyCounts(), total: 0, passRate: null, known: 0, reached: false });
  return {
    targets,
    rows: rowOrder.map((r) => ({
      ...r,
      cells: Object.fromEntries(runs.map(({ target, matrix }) => {
        const row = matrix.rows.find((x) => x.label === r.label);
        return [target, row ? { counts: { ...row.counts }, total: row.total, passRate: row.passRate, known: row.known, reached: row.reached } : empty()];
      })),
    })),
    perTarget: Object.fromEntries(runs.map(({ target, matrix }) => [target, matrix])),
  };
}
