// diff.jsonl: one line per case, in id order.
import type { CaseDiff } from './classify.ts';

export function toDiffJsonLine(c: CaseDiff): string {
  return JSON.stringify({
    id: c.id, kind: c.kind, behaviour: c.behaviour, response: c.response, questions: c.questions,
    left: c.left, right: c.right, differences: c.differences, notes: c.notes,
    ...(c.accepted ? { accepted: c.accepted } : {}),
  });
}

export function toDiffJsonl(cases: readonly CaseDiff[]): string {
  return cases.map((c) => `${toDiffJsonLine(c)}\n`).join('');
}
