// diff.md: verdict, behaviours × same/open/differs, problems (grouped), open questions answered,
// accepted and stale baseline entries.
import type { DiffGate } from './baseline.ts';
import type { DiffResult } from './classify.ts';
import { behaviourRows, differenceText, problems, questionsAnswered } from './views.ts';

/** A table cell: pipes and line breaks would break the table. */
const cell = (s: string | number | null | undefined): string => String(s ?? '').replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');

export function diffVerdict(gate: DiffGate, strict: boolean): string {
  if (gate.exitCode === 0) return strict ? 'the targets agree (no differences, no open answers outside the baseline)' : 'the targets agree on every documented behaviour';
  return `${gate.failing.length} case(s) ${strict ? 'differ or answer an open question differently' : 'differ'}`;
}

export function toDiffMarkdown(result: DiffResult, gate: DiffGate, strict: boolean): string {
  const { counts } = result;
  const lines: string[] = [
    `# ovc diff: ${result.left.label} vs ${result.right.label}`,
    '',
    `**${gate.exitCode === 0 ? 'PASS' : 'FAIL'}**: ${diffVerdict(gate, strict)}. ${counts.same} same, ${counts.open} open, ${counts.differs} differs${gate.accepted.length ? `, ${gate.accepted.length} accepted by the baseline` : ''}.`,
    '',
    `Seed ${result.left.meta.seed}, runs ${result.left.meta.runs}${strict ? ', strict' : ''}. Left: ${result.left.label}; right: ${result.right.label}.`,
    '',
    '## Behaviours',
    '',
    '| behaviour | same | open | differs |',
    '|---|---:|---:|---:|',
    ...behaviourRows(result.cases).map((r) => `| ${cell(r.behaviour)} | ${r.counts.same} | ${r.counts.open} | ${r.counts.differs} |`),
    '',
  ];
  const probs = problems(result.cases);
  lines.push('## Problems', '');
  if (probs.length === 0) lines.push('None: every case answered the same on both sides.', '');
  for (const p of probs) {
    const c = p.first;
    lines.push(`### ${p.kind === 'differs' ? 'DIFFERS' : 'open'} × ${p.count}${p.accepted ? ` (${p.accepted} accepted)` : ''}: ${cell(c.behaviour)}`, '');
    lines.push(`First example: \`${c.id}\`${c.questions.length ? ` — speaks to ${c.questions.join(', ')}` : ''}`, '');
    lines.push(`- left (${cell(result.left.label)}): ${c.left ? `${c.left.outcome}, ${c.left.answer ?? 'no answer'} (expected ${c.left.expected ?? 'n/a'})` : 'did not run this case'}`);
    lines.push(`- right (${cell(result.right.label)}): ${c.right ? `${c.right.outcome}, ${c.right.answer ?? 'no answer'} (expected ${c.right.expected ?? 'n/a'})` : 'did not run this case'}`);
    for (const d of c.differences) lines.push(`- ${cell(differenceText(d))}`);
    for (const n of c.notes) lines.push(`- note: ${cell(n)}`);
    if (c.accepted) lines.push(`- accepted: ${cell(c.accepted.reason)}`);
    if (p.count > 1) lines.push(`- also: ${p.ids.slice(1, 6).map((i) => `\`${i}\``).join(', ')}${p.count > 6 ? ` … and ${p.count - 6} more` : ''}`);
    lines.push('');
  }
  const qs = questionsAnswered(result.cases);
  lines.push('## Open questions answered', '');
  if (qs.length === 0) lines.push('No case answered an open question differently.', '');
  for (const q of qs) {
    lines.push(`### ${q.question.id}: ${cell(q.question.title)} (${q.cases} case(s))`, '', '| behaviour | left | right | cases |', '|---|---|---|---:|');
    for (const a of q.answers) lines.push(`| ${cell(a.behaviour)} | ${cell(a.left)} | ${cell(a.right)} | ${a.count} |`);
    lines.push('');
  }
  if (gate.stale.length) {
    lines.push('## Stale baseline entries', '', 'These entries accepted no case: the difference is gone (or changed kind). Remove them.', '');
    for (const e of gate.stale) lines.push(`- \`${e.id}\` (${e.kind}): ${cell(e.reason)}`);
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}
