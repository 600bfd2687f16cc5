// diff.html: one self-contained page (reports/assets/diff.css inline, no script, a CSP that forbids
// every fetch): verdict, behaviours × same/open/differs, problems grouped by signature with their
// first example, open questions answered, stale baseline entries. Every interpolated value is
// escaped.
import { htmlAsset } from '../reports/html-assets.ts';
import { html, Raw } from '../reports/html-template.ts';
import type { DiffGate } from './baseline.ts';
import type { DiffResult } from './classify.ts';
import { diffVerdict } from './markdown.ts';
import { behaviourRows, differenceText, problems, questionsAnswered } from './views.ts';

export function toDiffHtml(result: DiffResult, gate: DiffGate, strict: boolean): string {
  const { counts } = result;
  const rows = behaviourRows(result.cases);
  const probs = problems(result.cases);
  const qs = questionsAnswered(result.cases);
  const side = (label: string, s: DiffResult['cases'][number]['left']): Raw => html`<li>${label}: ${s ? `${s.outcome}, ${s.answer ?? 'no answer'} (expected ${s.expected ?? 'n/a'}); headers ${s.headers.join(', ') || 'none'}; body ${s.shape ?? 'none'}` : 'did not run this case'}</li>`;
  const page = html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>ovc diff: ${result.left.label} vs ${result.right.label}</title>
<style>${new Raw(htmlAsset('diffCss'))}</style>
</head>
<body>
<h1>ovc diff: ${result.left.label} vs ${result.right.label}</h1>
<p id="verdict" class="${gate.exitCode === 0 ? 'pass' : 'fail'}"><strong>${gate.exitCode === 0 ? 'PASS' : 'FAIL'}</strong>: ${diffVerdict(gate, strict)}.
${counts.same} same, ${counts.open} open, ${counts.differs} differs${gate.accepted.length ? `, ${gate.accepted.length} accepted by the baseline` : ''}. Seed ${result.left.meta.seed}, runs ${result.left.meta.runs}${strict ? ', strict' : ''}.</p>
<h2>Behaviours</h2>
<table id="behaviours"><thead><tr><th>behaviour</th><th>same</th><th>open</th><th>differs</th></tr></thead><tbody>
${rows.map((r) => html`<tr><td><code>${r.behaviour}</code></td><td class="n${r.counts.same ? ' same' : ''}">${r.counts.same}</td><td class="n${r.counts.open ? ' open' : ''}">${r.counts.open}</td><td class="n${r.counts.differs ? ' differs' : ''}">${r.counts.differs}</td></tr>\n`)}
</tbody></table>
<h2>Problems</h2>
${probs.length === 0 ? html`<p>None: every case answered the same on both sides.</p>` : ''}
${probs.map((p) => html`<details class="problem ${p.kind}"${p.kind === 'differs' ? new Raw(' open') : ''}><summary class="${p.kind}"><strong>${p.kind === 'differs' ? 'DIFFERS' : 'open'} × ${p.count}</strong>${p.accepted ? ` (${p.accepted} accepted)` : ''}: <code>${p.first.behaviour}</code>${p.first.questions.length ? ` — ${p.first.questions.join(', ')}` : ''}</summary>
<p>First example: <code>${p.first.id}</code></p>
<ul>${side(`left (${result.left.label})`, p.first.left)}${side(`right (${result.right.label})`, p.first.right)}</ul>
<ul>${p.first.differences.map((d) => html`<li>${differenceText(d)}</li>`)}${p.first.notes.map((n) => html`<li>note: ${n}</li>`)}${p.first.accepted ? html`<li>accepted: ${p.first.accepted.reason}</li>` : ''}</ul>
${p.count > 1 ? html`<p>Also: ${p.ids.slice(1, 20).map((i) => html`<code>${i}</code> `)}${p.count > 20 ? `… and ${p.count - 20} more` : ''}</p>` : ''}
</details>
`)}
<h2>Open questions answered</h2>
${qs.length === 0 ? html`<p>No case answered an open question differently.</p>` : ''}
${qs.map((q) => html`<h3 id="q-${q.question.id}">${q.question.id}: ${q.question.title} (${q.cases} case(s))</h3>
<table><thead><tr><th>behaviour</th><th>${result.left.label}</th><th>${result.right.label}</th><th>cases</th></tr></thead><tbody>
${q.answers.map((a) => html`<tr><td><code>${a.behaviour}</code></td><td>${a.left}</td><td>${a.right}</td><td class="n">${a.count}</td></tr>\n`)}
</tbody></table>
`)}
${gate.stale.length ? html`<h2>Stale baseline entries</h2><p>These entries accepted no case: remove them.</p><ul>${gate.stale.map((e) => html`<li><code>${e.id}</code> (${e.kind}): ${e.reason}</li>`)}</ul>` : ''}
</body>
</html>
`;
  return page.html;
}
