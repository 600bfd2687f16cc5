// Failing cases grouped into problems, as Schemathesis deduplicates its failures: cases with the
// same response row, the same labels (causes) and the same expected → actual answer are one
// problem, shown once with its count and its smallest example first (a shrunk case, `#shrunk`,
// else the shortest request body). Every case stays in results.jsonl and, behind a toggle, in
// report.html; the terminal summary, summary.md and report.html list problems.
import { actualText, compareIds, expectedText, isBad, isRegression } from './cases.ts';
import type { CaseResult } from './model.ts';

export interface Problem {
  /** Stable key: row, labels, expected, actual, outcome. */
  key: string;
  response: string;
  /** The cases' labels, deduplicated and sorted (empty: a case with no fault label). */
  labels: string[];
  expected: string;
  actual: string;
  /** `fail`, or `error` when the harness could not get an answer. */
  outcome: 'fail' | 'error';
  count: number;
  /** Fail/error cases the baseline lists among them. */
  known: number;
  /** Smallest first: `#shrunk` ids, then shortest request body, then id. */
  cases: CaseResult[];
}

const SHRUNK = '#shrunk';

/** Request body size in bytes (base64 bodies decoded); cases without an exchange sort after those with one. */
function bodySize(r: CaseResult): number {
  const req = r.exchange?.request;
  if (!req) return Number.POSITIVE_INFINITY;
  return req.bodyEncoding === 'base64' ? Buffer.from(req.body, 'base64').length : Buffer.byteLength(req.body);
}

/** Orders the cases of one problem: the smallest example first. */
export function compareExamples(a: CaseResult, b: CaseResult): number {
  const sa = a.id.endsWith(SHRUNK) ? 0 : 1;
  const sb = b.id.endsWith(SHRUNK) ? 0 : 1;
  if (sa !== sb) return sa - sb;
  const da = bodySize(a);
  const db = bodySize(b);
  if (da !== db) return da < db ? -1 : 1;
  return compareIds(a.id, b.id);
}

export function problemKey(r: CaseResult): string {
  return JSON.stringify([r.response, [...new Set(r.labels)].sort(), expectedText(r), actualText(r), r.outcome]);
}

/**
 * Groups the fail and error cases of `cases` (others are left out) into problems: most cases first,
 * then by row, labels and answer, so the order does not depend on the order the cases came in.
 */
export function groupProblems(cases: readonly CaseResult[]): Problem[] {
  const groups = new Map<string, Problem>();
  for (const r of cases) {
    if (!isBad(r)) continue;
    const key = problemKey(r);
    let g = groups.get(key);
    if (!g) {
      g = {
        key, response: r.response, labels: [...new Set(r.labels)].sort(), expected: expectedText(r), actual: actualText(r),
        outcome: r.outcome === 'error' ? 'error' : 'fail', count: 0, known: 0, cases: [],
      };
      groups.set(key, g);
    }
    g.count++;
    if (r.baseline) g.known++;
    g.cases.push(r);
  }
  for (const g of groups.values()) g.cases.sort(compareExamples);
  return [...groups.values()].sort((a, b) => b.count - a.count || compareIds(a.key, b.key));
}

/** One line naming a problem: `404 NoSuchVectorIndex [index-absent]: expected 404 NoSuchVectorIndex, got 400 … (25 cases)`. */
export function problemTitle(p: Problem): string {
  const labels = p.labels.length ? ` [${p.labels.join(', ')}]` : '';
  const n = `${p.count} ${p.count === 1 ? 'case' : 'cases'}`;
  return `${p.outcome === 'error' ? 'ERROR' : 'FAIL'} ${p.response}${labels}: expected ${p.expected}, got ${p.actual} (${n})`;
}

export interface ProblemsTextOptions {
  /** Problems printed in full (default 10); the rest are counted. */
  limit?: number;
  /** Other case ids named per problem (default 3). */
  more?: number;
}

/**
 * The terminal summary of the failing cases: the regressions of `results` (fail/error with no
 * baseline entry) grouped into problems, each with its smallest example's reason, seed, replay and
 * curl lines. Empty when nothing regressed.
 */
export function problemsText(results: readonly CaseResult[], o: ProblemsTextOptions = {}): string {
  const limit = o.limit ?? 10;
  const more = o.more ?? 3;
  const problems = groupProblems(results.filter(isRegression));
  if (problems.length === 0) return '';
  const cases = problems.reduce((n, p) => n + p.count, 0);
  let out = `\n${cases} failing ${cases === 1 ? 'case' : 'cases'} in ${problems.length} ${problems.length === 1 ? 'problem' : 'problems'}:\n`;
  problems.slice(0, limit).forEach((p, i) => {
    const ex = p.cases[0]!;
    out += `\n${i + 1}. ${problemTitle(p)}\n`;
    out += `   smallest example ${ex.id}\n`;
    if (ex.reason) out += `   ${ex.reason}\n`;
    out += `   seed ${ex.seed}\n`;
    if (ex.replay) out += `   replay: ${ex.replay}\n`;
    if (ex.curl) out += `   curl: ${ex.curl}\n`;
    const others = p.cases.slice(1);
    if (others.length) out += `   also: ${others.slice(0, more).map((c) => c.id).join(', ')}${others.length > more ? ` and ${others.length - more} more` : ''}\n`;
  });
  if (problems.length > limit) out += `\n… and ${problems.length - limit} more problems: see summary.md and report.html.\n`;
  return out;
}
