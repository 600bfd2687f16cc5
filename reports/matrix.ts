// The conformance matrix: one row per documented response (DELETE_VECTOR_INDEX_RESPONSES, in
// catalogue order) and per behaviour row, × the four outcomes; coverage of responses and causes;
// observed precedence and unknown-behaviour findings. Derived from contracts/ (docs/design.md rule 1).
//
// Honest figures: a documented-response row is *reached* only when a case that asserts a response
// expected that row's status and code and the target answered exactly that. Observation cases
// (`observation: true`, or `unknown: true` in a run without --strict) record what the target did
// and are shown as *observed* with what was seen; they never count as passes nor reach a row.
import { BEHAVIOUR_ROWS, DELETE_VECTOR_INDEX_RESPONSES, type DocReference, type DocumentedResponse } from '../contracts/responses.ts';
import { actualText, byId, compareIds, isBad } from './cases.ts';
import type { CaseResult, ObservedResponse, Outcome } from './model.ts';

export type OutcomeCounts = Record<Outcome, number>;

/** What observation cases of a row saw: one entry per answer (`204`, `409 VectorIndexOperationConflict`, `no response`). */
export interface Observed {
  /** Observation cases of the row (any outcome). */
  cases: number;
  /** Answers seen, most frequent first. */
  seen: Array<{ answer: string; cases: number }>;
}

/** reached: a case asserted the row's response and got exactly it; observed: only observation cases saw the target; not-reached: neither. */
export type RowState = 'reached' | 'observed' | 'not-reached';

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
  /** Outcomes of the cases that assert (observation cases that passed are left out: see `observed`). */
  counts: OutcomeCounts;
  /** Every case of the row, observation cases included. */
  total: number;
  /** pass / (pass + fail + error) over asserting cases; null when none executed. Skips are left out. */
  passRate: number | null;
  /** Fail and error cases a baseline lists. */
  known: number;
  /**
   * Response rows: an asserting case expected this status and code and the target answered exactly
   * that. Behaviour and other rows: an asserting case passed or failed. Never set by observation cases.
   */
  reached: boolean;
  state: RowState;
  observed: Observed;
  /** Why an unreached row was not reached: no case, only observations, or the first skip/error reason. */
  notReachedBecause: string | null;
}

export interface CauseCoverage {
  cause: string;
  /** Key of the documented response the cause leads to. */
  response: string;
  /** Executed (pass or fail) asserting cases carrying the cause, in any row. */
  cases: number;
  /** At least one executed asserting case carries the cause. */
  reached: boolean;
  /** Observation cases carrying the cause. */
  observed: number;
  /** Coverage-phase cases (`phase: 'coverage'`) carrying the cause, and how many of them passed. */
  coverage: { cases: number; pass: number };
}

export interface Coverage {
  /** Documented responses (catalogue rows only) reached; `observed` lists rows only observation cases saw (also in `missing`). */
  responses: { reached: number; total: number; missing: string[]; observed: string[] };
  /** Cases the coverage phase ran (`phase: 'coverage'`); 0 when no case says its phase. */
  coveragePhase: { cases: number; pass: number; fail: number; skip: number; error: number; observed: number };
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
  /** Outcomes of the asserting cases (as rows count them). */
  totals: OutcomeCounts;
  /** Every case. */
  total: number;
  /** Observation cases that are not counted in `totals` (those that passed). */
  observed: number;
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

export interface MatrixOptions {
  /** The run's --strict: without it, a case with `unknown: true` is an observation. Default false. */
  strict?: boolean;
}

/**
 * True when the case records what the target did rather than asserting a documented response:
 * flagged `observation`, an unknown in a run without --strict, or a multi-fault case that names
 * no code of its own (`expected.code` null for an error status, several codes allowed: which one
 * the target chose is precedence, recorded and not asserted).
 */
export function isObservation(r: Pick<CaseResult, 'observation' | 'unknown' | 'expected'>, strict = false): boolean {
  if (r.observation === true || (r.unknown === true && !strict)) return true;
  const e = r.expected;
  return !!e && e.code === null && e.status !== 204 && (e.codes?.length ?? 0) > 1;
}

/** Counted as an observation (not as an outcome): an observation case that passed. Its fail, error and skip still count. */
function observedOnly(r: CaseResult, strict: boolean): boolean {
  return isObservation(r, strict) && r.outcome === 'pass';
}

/** How many of the cases are observations that passed (a run's summary `observedPasses`). */
export function observedPasses(results: readonly CaseResult[], strict: boolean): number {
  let n = 0;
  for (const r of results) if (observedOnly(r, strict)) n++;
  return n;
}

/** The case asserted `status code` and the target answered exactly that. */
function answeredAsExpected(r: CaseResult): boolean {
  return !!r.expected && !!r.actual && (r.outcome === 'pass' || r.outcome === 'fail')
    && r.actual.status === r.expected.status && (r.actual.code ?? null) === (r.expected.code ?? null);
}

export function buildMatrix(results: readonly CaseResult[], causeOf?: CauseOf, options: MatrixOptions = {}): Matrix {
  const strict = options.strict ?? false;
  const templates = catalogueRows();
  const byLabel = new Map<string, CaseResult[]>();
  for (const r of results) {
    const list = byLabel.get(r.response);
    if (list) list.push(r); else byLabel.set(r.response, [r]);
  }
  const extra = [...byLabel.keys()].filter((l) => !templates.some((t) => t.label === l)).sort(compareIds);
  const allTemplates = [...templates, ...extra.map((l): RowTemplate => ({ key: l, label: l, kind: 'other', status: null, code: null, documented: null, doc: null, causes: [] }))];
  const rows = allTemplates.map((t) => buildRow(t, byLabel.get(t.label) ?? [], strict));

  const totals = emptyCounts();
  let observed = 0;
  for (const r of results) { if (observedOnly(r, strict)) observed++; else totals[r.outcome]++; }
  const targets = new Set(results.map((r) => r.target).filter((t): t is string => !!t));

  return {
    target: targets.size === 1 ? [...targets][0]! : null,
    totals, total: results.length, observed, rows,
    coverage: coverage(rows, results, causeOf, strict),
    precedence: precedence(results),
    unknown: byId(results.filter((r) => r.unknown)).map((r) => ({
      id: r.id, response: r.response, outcome: r.outcome, expected: r.expected, actual: r.actual, reason: r.reason, cites: r.cites ?? null,
    })),
  };
}

function observedOf(cases: readonly CaseResult[]): Observed {
  const seen = new Map<string, number>();
  for (const c of cases) {
    if (c.outcome !== 'pass' && c.outcome !== 'fail') continue;
    const answer = actualText(c);
    seen.set(answer, (seen.get(answer) ?? 0) + 1);
  }
  return {
    cases: cases.length,
    seen: [...seen].map(([answer, n]) => ({ answer, cases: n })).sort((a, b) => b.cases - a.cases || compareIds(a.answer, b.answer)),
  };
}

/** `observed: 204 ×3, 404 NoSuchVectorIndex ×1` (or `observed: no answer`). */
export function observedText(o: Observed): string {
  return `observed: ${o.seen.length ? o.seen.map((s) => `${s.answer} ×${s.cases}`).join(', ') : 'no answer'}`;
}

function buildRow(t: RowTemplate, cases: readonly CaseResult[], strict: boolean): MatrixRow {
  const counts = emptyCounts();
  const observations = cases.filter((c) => isObservation(c, strict));
  const asserting = cases.filter((c) => !isObservation(c, strict));
  for (const c of cases) if (!observedOnly(c, strict)) counts[c.outcome]++;
  const reached = t.kind === 'response'
    ? asserting.some((c) => answeredAsExpected(c) && c.expected!.status === t.status && (t.code === null || c.expected!.code === t.code))
    // A behaviour row is reached by a case that asserted it and held: a target that fails every case
    // (a 500 to everything) reaches nothing (rule 6: no verdict from nothing).
    : asserting.some((c) => c.outcome === 'pass');
  const observed = observedOf(observations);
  const state: RowState = reached ? 'reached' : observed.seen.length > 0 ? 'observed' : 'not-reached';
  let notReachedBecause: string | null = null;
  if (!reached) {
    const first = byId(cases).find((c) => c.reason && (c.outcome === 'skip' || c.outcome === 'error'));
    const executed = asserting.filter((c) => c.outcome === 'pass' || c.outcome === 'fail');
    const parts: string[] = [];
    if (cases.length === 0) parts.push('no case ran');
    if (executed.length) parts.push(`no case got the documented answer (${observedOf(executed).seen.map((s) => `${s.answer} ×${s.cases}`).join(', ')})`);
    if (observed.seen.length) parts.push(observedText(observed));
    if (counts.skip || counts.error) parts.push(`${counts.skip} skipped, ${counts.error} errors${first?.reason ? `: ${first.reason}` : ''}`);
    notReachedBecause = parts.join('; ') || 'no case ran';
  }
  return {
    ...t, counts, total: cases.length, passRate: passRate(counts),
    known: cases.filter((c) => isBad(c) && c.baseline).length, reached, state, observed, notReachedBecause,
  };
}

function coverage(rows: readonly MatrixRow[], results: readonly CaseResult[], causeOf: CauseOf | undefined, strict: boolean): Coverage {
  const responseRows = rows.filter((r) => r.kind === 'response');
  const allCauses = new Map<string, string>();
  for (const r of responseRows) for (const c of r.causes) allCauses.set(c, r.key);
  const toCause = (label: string): string | null => {
    let mapped: string | null | undefined;
    try { mapped = causeOf?.(label); } catch { mapped = null; /* a mapper may refuse labels outside its vocabulary */ }
    if (mapped && allCauses.has(mapped)) return mapped;
    return allCauses.has(label) ? label : null;
  };
  const bump = (m: Map<string, number>, k: string): void => { m.set(k, (m.get(k) ?? 0) + 1); };
  const executed = new Map<string, number>();
  const observedBy = new Map<string, number>();
  const phaseCases = new Map<string, number>();
  const phasePass = new Map<string, number>();
  const unmapped = new Set<string>();
  const phase = { cases: 0, pass: 0, fail: 0, skip: 0, error: 0, observed: 0 };
  for (const r of results) {
    const observation = isObservation(r, strict);
    if (r.phase === 'coverage') {
      phase.cases++;
      if (observedOnly(r, strict)) phase.observed++; else phase[r.outcome]++;
    }
    // A cause counts once per case, however many of its labels lead to it.
    const causes = new Set<string>();
    for (const label of r.labels) {
      const cause = toCause(label);
      if (!cause) { unmapped.add(label); continue; }
      causes.add(cause);
    }
    for (const cause of causes) {
      if (observation) bump(observedBy, cause);
      else if (r.outcome === 'pass' || r.outcome === 'fail') bump(executed, cause);
      if (r.phase === 'coverage') {
        bump(phaseCases, cause);
        if (r.outcome === 'pass' && !observation) bump(phasePass, cause);
      }
    }
  }
  const byCause: CauseCoverage[] = [...allCauses].map(([cause, response]) => ({
    cause, response, cases: executed.get(cause) ?? 0, reached: (executed.get(cause) ?? 0) > 0,
    observed: observedBy.get(cause) ?? 0, coverage: { cases: phaseCases.get(cause) ?? 0, pass: phasePass.get(cause) ?? 0 },
  }));
  return {
    responses: {
      reached: responseRows.filter((r) => r.reached).length, total: responseRows.length,
      missing: responseRows.filter((r) => !r.reached).map((r) => r.label),
      observed: responseRows.filter((r) => r.state === 'observed').map((r) => r.label),
    },
    coveragePhase: phase,
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
  state: RowState;
  observed: Observed;
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
  const empty = (): MergedCell => ({ counts: emptyCounts(), total: 0, passRate: null, known: 0, reached: false, state: 'not-reached', observed: { cases: 0, seen: [] } });
  return {
    targets,
    rows: rowOrder.map((r) => ({
      ...r,
      cells: Object.fromEntries(runs.map(({ target, matrix }) => {
        const row = matrix.rows.find((x) => x.label === r.label);
        return [target, row ? { counts: { ...row.counts }, total: row.total, passRate: row.passRate, known: row.known, reached: row.reached, state: row.state, observed: row.observed } : empty()];
      })),
    })),
    perTarget: Object.fromEntries(runs.map(({ target, matrix }) => [target, matrix])),
  };
}
