// From two cassettes to one verdict per case (docs/diff.md):
//   same     the two targets answered alike (after normalisation; volatile parts ignored);
//   open     they differ, but both answers are allowed by the documentation: the case's expected
//            codes contain both, the case rests on a spec §12 unknown, or the difference is in a
//            part the documentation leaves open; each names the question it speaks to;
//   differs  at least one side answers outside what is allowed: its case failed, its answer is
//            outside the expected set, or a documented header or body part differs.
import type { CaseResult, Outcome } from '../reports/model.ts';
import type { Cassette, CassetteMeta } from './cassette.ts';
import { answerOf, bodyShape, compareExchanges, normaliser, shapeSummary, type Difference } from './compare.ts';
import { questionsOfCase } from './questions.ts';

export type Kind = 'same' | 'open' | 'differs';
export const KINDS: readonly Kind[] = ['same', 'open', 'differs'];

export interface SideSummary {
  outcome: Outcome;
  /** What the case expected (`204`, `404 NoSuchVectorIndex`, `400 MalformedJson|VectorIndexParameterInvalid`). */
  expected: string | null;
  /** The answer to the request under test (several, joined, for parallel requests). */
  answer: string | null;
  /** Response header names of the request under test. */
  headers: string[];
  shape: string | null;
}

export interface CaseDiff {
  id: string;
  /** The case id without its `#n`: the row of the behaviours table. */
  behaviour: string;
  response: string;
  kind: Kind;
  left: SideSummary | null;
  right: SideSummary | null;
  differences: Difference[];
  notes: string[];
  /** The §12 (or other open) questions an `open` case speaks to; first = main. */
  questions: string[];
  /** Same signature → same problem (grouped in the reports). */
  signature: string;
  /** Set when a diff baseline accepts the difference. */
  accepted?: { reason: string };
}

export const behaviourOf = (id: string): string => id.replace(/#\d+$/, '');

function expectedAnswers(r: CaseResult): string[] {
  if (!r.expected) return [];
  const codes = r.expected.codes && r.expected.codes.length > 0 ? [...r.expected.codes] : [];
  if (r.expected.code !== null && !codes.includes(r.expected.code)) codes.push(r.expected.code);
  // A success (races: 204 for the winner) is expected as its status.
  if (r.expected.code === null && r.expected.status < 300) codes.push(String(r.expected.status));
  return codes;
}

function expectedText(r: CaseResult): string | null {
  if (!r.expected) return null;
  const list = expectedAnswers(r);
  return r.expected.code === null && !r.expected.codes ? String(r.expected.status) : `${r.expected.status} ${list.join('|')}`;
}

/** Whether an answer (`404 NoSuchVectorIndex`, `204`) is one the case's expectation lists. */
function inExpected(r: CaseResult, answer: string): boolean {
  const [status, code] = answer.split(' ');
  const allowed = expectedAnswers(r);
  return allowed.includes(code ?? status!) || (code === undefined && allowed.includes(status!));
}

function summary(r: CaseResult, c: Cassette): SideSummary {
  const when = (c.exchanges.get(r.id) ?? []).filter((x) => x.role === 'when');
  const first = when[0]?.exchange;
  const answers = [...new Set(when.map((x) => answerOf(x.exchange)))];
  return {
    outcome: r.outcome,
    expected: expectedText(r),
    answer: answers.length ? answers.join(' / ') : (r.actual ? `${r.actual.status}${r.actual.code ? ` ${r.actual.code}` : ''}` : null),
    headers: first?.response ? Object.keys(first.response.headers).map((h) => h.toLowerCase()).sort() : [],
    shape: first?.response ? shapeSummary(bodyShape(first.response.body, first.response.bodyEncoding)) : null,
  };
}

const isBad = (o: Outcome): boolean => o === 'fail' || o === 'error';

/** The verdict on one case both sides ran. */
export function classifyCase(left: CaseResult, right: CaseResult, lc: Cassette, rc: Cassette): CaseDiff {
  const nl = normaliser(lc.meta);
  const nr = normaliser(rc.meta);
  const compared = compareExchanges(lc.exchanges.get(left.id) ?? [], rc.exchanges.get(right.id) ?? [], nl, nr);
  const notes = compared.notes;
  let differences = compared.differences;
  const caseQuestions = questionsOfCase(left);
  if (left.outcome !== right.outcome) {
    const skipped = left.outcome === 'skip' || right.outcome === 'skip';
    const outcome: Difference = { where: 'case', aspect: 'outcome', subject: 'case outcome', left: left.outcome, right: right.outcome, documented: false, question: skipped && !isBad(left.outcome) && !isBad(right.outcome) ? 'not-comparable' : null };
    // A side that skipped sent nothing worth comparing: the skip is the whole difference.
    differences = skipped ? [outcome] : [outcome, ...differences];
    if (skipped) notes.push(`skipped on the ${left.outcome === 'skip' ? 'target' : 'other side'}: ${(left.outcome === 'skip' ? left.reason : right.reason) ?? ''}`);
  }
  for (const d of differences) {
    if (d.aspect !== 'answer' || d.left === null || d.right === null) continue;
    const both = [d.left, d.right].every((a) => a.split(', ').every((part) => inExpected(left, part.replace(/ ×\d+$/, ''))));
    if (both && expectedAnswers(left).length > 1 && !d.question) d.question = left.id.includes('/multi-fault/') || left.labels.length > 1 ? 'U2' : caseQuestions[0] ?? null;
    // A case without a single expectation (the lifecycle model) decides by itself: its outcome.
    const ownModel = left.expected === null || right.expected === null;
    // A side that only observed (a race, a transitional state seen or not) allows either answer.
    const observed = left.observation === true || right.observation === true;
    const allowed = both || ownModel || observed || left.unknown === true || right.unknown === true || (d.question !== null && caseQuestions.includes(d.question));
    if (!allowed) d.documented = true;
  }
  const kind: Kind = differences.length === 0 ? 'same'
    : differences.some((d) => d.documented) || isBad(left.outcome) || isBad(right.outcome) ? 'differs' : 'open';
  const questions = kind === 'open'
    ? [...new Set([...differences.map((d) => d.question).filter((q): q is string => q !== null), ...caseQuestions])]
    : [];
  if (kind === 'open' && questions.length === 0) questions.push('undocumented');
  return {
    id: left.id, behaviour: behaviourOf(left.id), response: left.response, kind,
    left: summary(left, lc), right: summary(right, rc), differences, notes,
    questions, signature: signatureOf(kind, differences),
  };
}

/**
 * Same kind and the same differences → same problem. The case outcome counts only when it is the
 * whole difference, and a changed answer is described by what changed (`code lost`, `A→B`), so
 * one deviation seen through several documented responses (XML errors everywhere) is one problem.
 */
export function signatureOf(kind: Kind, differences: readonly Difference[]): string {
  if (kind === 'same') return 'same';
  const relevant = differences.length > 1 ? differences.filter((d) => d.aspect !== 'outcome') : differences;
  const parts = relevant.map((d) => `${d.where.replace(/\(.*\)$/, '')}:${d.aspect}:${d.subject}=${d.aspect === 'answer' ? answerChange(d.left, d.right) : `${d.left ?? ''}≠${d.right ?? ''}`}`);
  return `${kind}|${[...new Set(parts)].sort().join('|')}`;
}

function answerChange(left: string | null, right: string | null): string {
  const split = (a: string | null): [string, string | null] => {
    const [status, ...code] = (a ?? '').split(' ');
    return [status ?? '', code.length ? code.join(' ') : null];
  };
  const [ls, lc] = split(left);
  const [rs, rc] = split(right);
  if (left?.includes('×') || right?.includes('×')) return `${left ?? ''}≠${right ?? ''}`;
  const status = ls === rs ? 'same status' : `${ls}→${rs}`;
  const code = lc === rc ? 'same code' : lc && !rc ? 'code lost' : !lc && rc ? `code ${rc} added` : `${lc}→${rc}`;
  return `${status}, ${code}`;
}

function oneSided(r: CaseResult, c: Cassette, side: 'left' | 'right'): CaseDiff {
  const d: Difference = { where: 'case', aspect: 'missing-case', subject: 'case', left: side === 'left' ? r.outcome : 'absent', right: side === 'right' ? r.outcome : 'absent', documented: true, question: null };
  const s = summary(r, c);
  return {
    id: r.id, behaviour: behaviourOf(r.id), response: r.response, kind: 'differs',
    left: side === 'left' ? s : null, right: side === 'right' ? s : null,
    differences: [d], notes: [`only the ${side === 'left' ? 'target' : 'other side'} ran this case`], questions: [], signature: signatureOf('differs', [d]),
  };
}

export interface DiffSide { label: string; meta: CassetteMeta }

export interface DiffResult {
  left: DiffSide;
  right: DiffSide;
  cases: CaseDiff[];
  counts: Record<Kind, number>;
}

/** Compares two cassettes case by case (matched by id; a case on one side only differs). */
export function diffCassettes(left: Cassette, right: Cassette, labels: { left: string; right: string } = { left: left.meta.target, right: right.meta.target }): DiffResult {
  const rightById = new Map(right.results.map((r) => [r.id, r]));
  const leftIds = new Set(left.results.map((r) => r.id));
  const cases: CaseDiff[] = [];
  for (const l of left.results) {
    const r = rightById.get(l.id);
    cases.push(r ? classifyCase(l, r, left, right) : oneSided(l, left, 'left'));
  }
  for (const r of right.results) if (!leftIds.has(r.id)) cases.push(oneSided(r, right, 'right'));
  cases.sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
  const counts: Record<Kind, number> = { same: 0, open: 0, differs: 0 };
  for (const c of cases) counts[c.kind]++;
  return { left: { label: labels.left, meta: left.meta }, right: { label: labels.right, meta: right.meta }, cases, counts };
}
