// The oracle (docs/design.md rule 2): from the labels of a case to the documented response it must get.
// One fault → one status and code. Several faults → the set of codes any of them may cause, with
// the status of the fault spec §12 U2 would check first; which one the target chose is recorded,
// not asserted. An outcome that rests on an unknown is checked under --strict only.
import { ERROR_CODES, type ErrorCode } from '../contracts/errors.ts';
import { responseForCause } from '../contracts/responses.ts';
import { LABELS, STAGES, labelInfo } from './labels.ts';

export interface Expectation {
  status: number;
  /** Empty for 204. */
  codes: string[];
  /** The contracts response key (DELETE_VECTOR_INDEX_RESPONSES). */
  response: string;
  /** True when the outcome rests on a spec §12 unknown. */
  strictOnly: boolean;
  precedence: 'single' | 'multi';
}

/** Codes of the causes whose documented response is a family (403-signature) or not in the catalogue. */
const FAMILY_CODES: Record<string, ErrorCode> = {
  'unknown-key': 'InvalidAccessKeyId',
  'wrong-secret': 'SignatureDoesNotMatch',
  'tampered-header': 'SignatureDoesNotMatch',
  'wrong-scope': 'SignatureDoesNotMatch',
  'stale-date': 'RequestTimeTooSkewed',
  'md5-mismatch': 'InvalidDigest',
};

const SUCCESS = { status: 204, response: '204-deleted' } as const;

interface Fault {
  label: string;
  code: ErrorCode;
  /** Position in the order of checks: stage, then the label's place in LABELS. */
  rank: [number, number];
  response: string;
}

const VOCABULARY = Object.keys(LABELS);

/** The code a label causes on its own; null when it is not a fault. */
export function codeOfLabel(label: string): ErrorCode | null {
  const cause = labelInfo(label).cause;
  if (cause === null) return null;
  const code = responseForCause(cause).code ?? FAMILY_CODES[cause];
  if (code === undefined) throw new Error(`no code for cause '${cause}' of label '${label}'`);
  return code;
}

function faultsOf(labels: readonly string[]): Fault[] {
  const faults: Fault[] = [];
  for (const label of new Set(labels)) {
    const code = codeOfLabel(label);
    if (code === null) continue;
    const info = labelInfo(label);
    faults.push({ label, code, rank: [STAGES.indexOf(info.stage), VOCABULARY.indexOf(label)], response: responseForCause(info.cause!).key });
  }
  return faults.sort((a, b) => a.rank[0] - b.rank[0] || a.rank[1] - b.rank[1]);
}

/** The outcomes a label set allows: its codes, or '204' when nothing is wrong. */
function outcomes(codes: readonly string[]): Set<string> {
  return new Set(codes.length === 0 ? ['204'] : codes);
}

function codesOf(faults: readonly Fault[]): string[] {
  return [...new Set(faults.map((f) => f.code))];
}

/**
 * True when a server that took the other plausible reading of some unknown could answer outside
 * the expected outcomes (e.g. extra fields rejected while the index is absent: 400 instead of 404).
 */
function restsOnUnknown(labels: readonly string[], expected: Set<string>): boolean {
  return labels.some((label) => {
    const unknown = labelInfo(label).unknown;
    if (unknown === null) return false;
    const others = labels.filter((l) => l !== label);
    const alternative = unknown.otherwise === 'ignored'
      ? codesOf(faultsOf(others))
      : [...codesOf(faultsOf(others)), unknown.otherwise];
    return [...outcomes(alternative)].some((o) => !expected.has(o));
  });
}

/** What a DeleteVectorIndex request with these labels must get (no state label: the index exists in `enable`). */
export function expectedFor(labels: readonly string[]): Expectation {
  const faults = faultsOf(labels);
  const codes = codesOf(faults);
  const strictOnly = restsOnUnknown(labels, outcomes(codes));
  const first = faults[0];
  if (first === undefined) return { status: SUCCESS.status, response: SUCCESS.response, codes: [], strictOnly, precedence: 'single' };
  return {
    status: ERROR_CODES[first.code].status,
    codes,
    response: first.response,
    strictOnly,
    precedence: codes.length === 1 ? 'single' : 'multi',
  };
}

/** A short sentence saying what is wrong with a case, e.g. "indexName is empty; the index does not exist." */
export function describeLabels(labels: readonly string[]): string {
  if (labels.length === 0) return 'A valid, correctly signed request for an index in enable.';
  const text = [...new Set(labels)].map((l) => labelInfo(l).says).join('; ');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}
