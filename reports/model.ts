// The result model: one CaseResult per case, the record of a results.jsonl line (docs/design.md).

export type Outcome = 'pass' | 'fail' | 'skip' | 'error';

export interface ObservedResponse {
  status: number;
  code: string | null;
  requestId: string | null;
}

/** A redacted HTTP exchange kept for failing cases (HAR, HTML report, curl replay). */
export interface Exchange {
  request: { method: string; url: string; headers: Record<string, string>; body: string; bodyEncoding?: 'utf8' | 'base64' };
  response: { status: number; headers: Record<string, string>; body: string; bodyEncoding?: 'utf8' | 'base64' } | null;
  startedAt: string;
  durationMs: number;
}

export interface CaseResult {
  /** `delete-vector-index/<response key>/<behaviour>[#n]`: stable across runs with the same seed. */
  id: string;
  /** Label of the documented response (row of the matrix), e.g. `404 NoSuchVectorIndex`, or `lifecycle model`. */
  response: string;
  outcome: Outcome;
  expected: { status: number; code: string | null; codes?: string[] } | null;
  actual: ObservedResponse | null;
  labels: string[];
  reason: string | null;
  seed: number;
  durationMs: number;
  /** Documentation sentence the case enforces. */
  cites?: string;
  /** True when the expectation rests on a spec §12 unknown (asserted only under --strict). */
  unknown?: boolean;
  /** Which code the target chose where several were allowed (observed precedence). */
  precedence?: string;
  /**
   * This case records what the target did (a best-effort race, a non-strict unknown, multi-fault
   * precedence) and asserts no documented response: it never counts as a pass nor as reaching a
   * row. A case with `unknown: true` in a run without --strict is read the same way.
   */
  observation?: true;
  /** What an observation case saw, e.g. `409 VectorIndexOperationConflict`. */
  observed?: string;
  /** `coverage`: the deterministic phase (one case per cause and boundary); `property`: random generation. */
  phase?: 'coverage' | 'property';
  /** Transitions the case waited through: kind, time until seen (ms), whether it was reached within the bound. */
  settle?: Array<{ kind: 'enable' | 'gone'; ms: number; reached: boolean }>;
  /** Problems tearing the case's states down (reported, never a verdict). */
  cleanup?: string[];
  /** Replay command and curl line, for failing cases. */
  replay?: string;
  curl?: string;
  exchange?: Exchange;
  /** Set by a baseline: the deviation is known for this target. */
  baseline?: { reason: string; link?: string };
  target?: string;
}

export interface RunSummary {
  target: string;
  startedAt: string;
  finishedAt: string;
  seed: number;
  strict: boolean;
  /** Cases by outcome (an observation that held counts under `pass` here: see `observedPasses`). */
  counts: Record<Outcome, number>;
  /** Of `counts.pass`, the observation cases: they asserted no documented response. */
  observedPasses?: number;
  cleanup: { deleted: number; failures: string[] };
  /** Time-awareness figures of the run (rule 5). */
  timing?: RunTiming;
}

export interface RunTiming {
  /** The settle bound of the run, ms. */
  settleBoundMs: number;
  /** Observed `creating` → `enable` and delete → gone times, ms. */
  enable: SettleFigures;
  gone: SettleFigures;
  /** Requests sent, throttled answers (503/429), retries, requests given up as throttled. */
  requests: number;
  throttled: number;
  retries: number;
  gaveUp: number;
  /** Most live indexes one worker held at once. */
  peakIndexes: number;
  /** Bodies of failing cases not kept as evidence: the run's bound was spent (run/evidence.ts). */
  evidenceNotKept?: { bodies: number; bytes: number };
}

export interface SettleFigures { count: number; medianMs: number | null; maxMs: number | null }
