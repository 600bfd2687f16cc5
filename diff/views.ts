// What the diff writers show, computed once: behaviours × kinds, problems (cases with the same
// difference signature grouped, with a count and the first example), and the answers each side
// gave per open question.
import type { CaseDiff, Kind } from './classify.ts';
import { question, type Question } from './questions.ts';

export interface BehaviourRow { behaviour: string; counts: Record<Kind, number>; total: number }

export function behaviourRows(cases: readonly CaseDiff[]): BehaviourRow[] {
  const rows = new Map<string, BehaviourRow>();
  for (const c of cases) {
    const row = rows.get(c.behaviour) ?? { behaviour: c.behaviour, counts: { same: 0, open: 0, differs: 0 }, total: 0 };
    row.counts[c.kind]++;
    row.total++;
    rows.set(c.behaviour, row);
  }
  return [...rows.values()].sort((a, b) => a.behaviour.localeCompare(b.behaviour));
}

export interface Problem { kind: Exclude<Kind, 'same'>; signature: string; count: number; accepted: number; first: CaseDiff; ids: string[] }

/** Non-same cases grouped by signature: differs first, then by count. */
export function problems(cases: readonly CaseDiff[]): Problem[] {
  const groups = new Map<string, Problem>();
  for (const c of cases) {
    if (c.kind === 'same') continue;
    const g = groups.get(c.signature) ?? { kind: c.kind, signature: c.signature, count: 0, accepted: 0, first: c, ids: [] };
    g.count++;
    if (c.accepted) g.accepted++;
    g.ids.push(c.id);
    groups.set(c.signature, g);
  }
  return [...groups.values()].sort((a, b) => (a.kind === b.kind ? b.count - a.count : a.kind === 'differs' ? -1 : 1));
}

export interface QuestionAnswers { question: Question; cases: number; answers: Array<{ behaviour: string; left: string; right: string; count: number }> }

/** Per open question: which behaviours spoke to it and what each side answered there. */
export function questionsAnswered(cases: readonly CaseDiff[]): QuestionAnswers[] {
  const byQ = new Map<string, QuestionAnswers>();
  for (const c of cases) {
    if (c.kind !== 'open') continue;
    for (const q of c.questions) {
      const entry = byQ.get(q) ?? { question: question(q), cases: 0, answers: [] };
      entry.cases++;
      const diffs = c.differences.filter((d) => d.question === q);
      const l = diffs.length ? diffs.map((d) => `${d.subject}: ${d.left ?? ''}`).join('; ') : c.left?.answer ?? '';
      const r = diffs.length ? diffs.map((d) => `${d.subject}: ${d.right ?? ''}`).join('; ') : c.right?.answer ?? '';
      const found = entry.answers.find((a) => a.behaviour === c.behaviour && a.left === l && a.right === r);
      if (found) found.count++;
      else entry.answers.push({ behaviour: c.behaviour, left: l, right: r, count: 1 });
      byQ.set(q, entry);
    }
  }
  const order = (id: string): number => (/^U\d+$/.test(id) ? Number(id.slice(1)) : 100);
  return [...byQ.values()].sort((a, b) => order(a.question.id) - order(b.question.id) || a.question.id.localeCompare(b.question.id));
}

const SUBJECT_PREFIX: Partial<Record<string, string>> = { 'header-name': 'header ', 'header-value': 'header ', 'body-shape': 'body field ', 'body-value': 'body field ' };

/** One line per difference, for text outputs: `when: header content-type: a ≠ b (documented part) [U16]`. */
export function differenceText(d: CaseDiff['differences'][number]): string {
  return `${d.where}: ${SUBJECT_PREFIX[d.aspect] ?? ''}${d.subject}: ${d.left ?? '—'} ≠ ${d.right ?? '—'}${d.documented ? ' (documented part)' : ''}${d.question ? ` [${d.question}]` : ''}`;
}
