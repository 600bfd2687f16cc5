// report.html: one self-contained page (reports/assets/report.css and report.js inline, a CSP that
// forbids every fetch, no external fonts): verdict, matrix with pass/fail colours, coverage, the
// failing cases with their redacted exchange, expected vs actual, seed, replay and curl lines,
// known deviations apart, observed precedence, unknown-behaviour findings, and client-side filters
// by row and outcome. Every interpolated value goes through the `html` tag, which escapes it.
import { timingText } from './timing.ts';
import type { BaselineEntry, GateResult } from './baseline.ts';
import { actualText, byId, expectedText, isBad } from './cases.ts';
import { jsonForScript } from './escape.ts';
import { htmlAsset } from './html-assets.ts';
import { html, Raw } from './html-template.ts';
import { isObservation, observedText, type Matrix, type MatrixRow, type MergedMatrix } from './matrix.ts';
import type { CaseResult, Exchange, RunSummary } from './model.ts';
import { groupProblems, problemTitle, type Problem } from './problems.ts';
import { collectSecrets, redactValue } from './redact.ts';
import { percent, verdictOf } from './verdict.ts';
import type { ReportView, ReportWriter } from './view.ts';

export interface HtmlRun {
  summary: RunSummary;
  matrix: Matrix;
  gate: GateResult;
  results: readonly CaseResult[];
  /** Where this run's own reports are (merged reports link to them). */
  dir?: string;
}

export interface HtmlInput {
  runs: readonly HtmlRun[];
  /** The response × target matrix, for a report over several targets. */
  merged?: MergedMatrix | null;
}

/** Cases listed in the case table (failing and known ones first); the rest are counted. */
export const MAX_LISTED_CASES = 3000;
/** Failing cases shown with their full exchange. */
export const MAX_DETAILED_CASES = 200;
/** Problems listed; each shows its smallest example open and its other cases behind a toggle. */
export const MAX_PROBLEMS = 100;
const MAX_BODY_CHARS = 32_768;

type Filterable = 'pass' | 'fail' | 'error' | 'skip' | 'known';
const filterClass = (r: CaseResult): Filterable => (isBad(r) && r.baseline ? 'known' : r.outcome);
const OUTCOME_TITLES: Record<Filterable, string> = { pass: 'pass', fail: 'fail', error: 'error', skip: 'skip', known: 'known deviation' };

/** report.html of one run. */
export const htmlWriter: ReportWriter = {
  file: 'report.html',
  render: (v: ReportView): string => htmlPage({ runs: [{ summary: v.summary, matrix: v.matrix, gate: v.gate, results: v.results }] }),
};

/** The page over several runs (`ovc report merge`), from runs not yet redacted. */
export function toHtml(input: HtmlInput, secrets: readonly string[] = collectSecrets()): string {
  return htmlPage(redactValue(input, secrets));
}

/** The page; `input` is already redacted. */
function htmlPage(input: HtmlInput): string {
  const { runs } = input;
  const multi = runs.length > 1;
  const allRows = new Map<string, string>();
  for (const r of runs) for (const row of r.matrix.rows) if (!allRows.has(row.key)) allRows.set(row.key, row.label);
  const targets = runs.map((r) => r.summary.target);
  const failing = runs.filter((r) => r.gate.exitCode !== 0).length;
  const title = multi ? `ovc conformance: ${runs.length} targets` : `ovc conformance: ${targets[0] ?? ''}`;
  const data = {
    generator: 'oss-vectors-conformance',
    runs: runs.map((r) => ({
      summary: r.summary, matrix: r.matrix,
      gate: { exitCode: r.gate.exitCode, regressions: r.gate.regressions.map((x) => x.id), known: r.gate.known.map((x) => x.id), stale: r.gate.stale, unmatched: r.gate.unmatched },
    })),
    merged: input.merged ?? null,
  };
  const page = html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title}</title>
<style>${new Raw(htmlAsset('reportCss'))}</style>
</head>
<body>
<header>
  <h1>${title}</h1>
  ${multi ? html`<p class="verdict ${failing ? 'bad' : 'good'}">${failing ? `${failing} of ${runs.length} targets not conformant` : 'No target has a regression'}</p>` : ''}
</header>
<nav class="filters" aria-label="Filters">
  <label>Response row <select id="f-row"><option value="all">all rows</option>${[...allRows].map(([k, l]) => html`<option value="${k}">${l}</option>`)}</select></label>
  ${multi ? html`<label>Target <select id="f-target"><option value="all">all targets</option>${targets.map((t, i) => html`<option value="t${i}">${t}</option>`)}</select></label>` : ''}
  <span class="outcomes" role="group" aria-label="Outcome">
    <button type="button" data-outcome-filter="all" aria-pressed="true">all</button>${(['fail', 'error', 'known', 'skip', 'pass'] as const).map((o) => html`<button type="button" class="o-${o}" data-outcome-filter="${o}" aria-pressed="false">${OUTCOME_TITLES[o]}</button>`)}
  </span>
  <span id="f-count" aria-live="polite"></span>
</nav>
<main>
${input.merged && multi ? mergedSection(input.merged) : ''}
${runs.map((r, i) => runSection(r, `t${i}`, multi))}
<p id="f-empty" hidden>No row matches the filter.</p>
</main>
<footer>Written by oss-vectors-conformance from results.jsonl. Authorization, x-oss-security-token and known secret values are redacted. This page fetches nothing.</footer>
<script type="application/json" id="ovc-data">${new Raw(jsonForScript(data))}</script>
<script>${new Raw(htmlAsset('reportJs'))}</script>
</body>
</html>
`;
  return page.html;
}

function mergedSection(m: MergedMatrix): Raw {
  return html`<section id="merged"><h2>Response × target</h2>
<table class="matrix"><thead><tr><th>documented response</th>${m.targets.map((t) => html`<th>${t}</th>`)}</tr></thead><tbody>
${m.rows.map((row) => {
    const present = new Set<Filterable>();
    for (const t of m.targets) { const c = row.cells[t]!; for (const o of ['pass', 'fail', 'skip', 'error'] as const) if (c.counts[o]) present.add(o); if (c.known) present.add('known'); }
    return html`<tr data-filterable data-row="${row.key}" data-outcome="${[...present].join(' ')}"><th scope="row">${row.label}</th>${m.targets.map((t) => {
      const c = row.cells[t]!;
      const bad = c.counts.fail + c.counts.error - c.known;
      const cls = c.total === 0 ? 'none' : bad > 0 ? 'bad' : c.reached ? 'good' : c.state === 'observed' ? 'observed' : 'none';
      return html`<td class="cell ${cls}" title="${`pass ${c.counts.pass}, fail ${c.counts.fail}, skip ${c.counts.skip}, error ${c.counts.error}, known ${c.known}, observed ${c.observed.cases}`}">${c.total === 0 ? '–' : `${c.counts.pass}/${c.total}`}${c.known ? html` <span class="known-n">${c.known} known</span>` : ''}${c.state === 'observed' ? html` <span class="observed-n">${observedText(c.observed)}</span>` : ''}</td>`;
    })}</tr>`;
  })}
</tbody></table>
<p class="note">Cell: passed / total cases (observation cases are in the total, never passed). Green: reached and nothing failing; red: a failure no baseline lists; blue: observed only; grey: not reached.</p></section>`;
}

function runSection(run: HtmlRun, tid: string, multi: boolean): Raw {
  const { summary, matrix, gate } = run;
  const v = verdictOf(summary, gate, matrix);
  const rowKey = new Map(matrix.rows.map((r) => [r.label, r.key]));
  const keyOf = (r: CaseResult | { response: string }): string => rowKey.get(r.response) ?? r.response;
  const results = byId(run.results);
  const regressions = byId(gate.regressions.map((g) => results.find((r) => r.id === g.id) ?? g));
  const known = byId(results.filter((r) => isBad(r) && r.baseline));
  return html`<section class="run" data-target="${tid}" id="${tid}">
<h2>${multi ? summary.target : 'Verdict'}</h2>
<p class="verdict ${v.ok ? 'good' : 'bad'}"><strong>${v.title}</strong> — ${v.detail}</p>
${matrix.coverage.responses.reached < matrix.coverage.responses.total ? html`<p class="verdict partial">${matrix.coverage.responses.reached} of ${matrix.coverage.responses.total} documented responses reached: the verdict covers only what was reached (see Coverage).</p>` : ''}
<p class="meta">target <code>${summary.target}</code> · seed <code>${summary.seed}</code>${summary.strict ? ' · strict' : ''} · ${summary.startedAt} → ${summary.finishedAt} · exit status ${gate.exitCode}${run.dir ? html` · reports in <code>${run.dir}</code>` : ''}</p>
${summary.timing ? html`<p class="meta">timing: ${timingText(summary.timing)}</p>` : ''}
<h3>Matrix</h3>
${matrixTable(matrix, tid)}
<h3>Coverage</h3>
${coverageBlock(matrix)}
${problemsBlock(regressions, keyOf, tid)}
${gate.stale.length ? staleBlock(gate.stale) : ''}
<h3>Known deviations (${known.length}, from the baseline; not gating)</h3>
${known.length === 0 ? html`<p class="none-msg">None.</p>` : known.slice(0, MAX_DETAILED_CASES).map((r) => caseCard(r, keyOf(r), tid, false))}
<h3>Observed precedence</h3>
${matrix.precedence.length === 0 ? html`<p class="none-msg">No case allowed several codes.</p>` : html`<p class="note">Recorded, not asserted: the service does not document which fault wins.</p>
<table><thead><tr><th>row</th><th>labels</th><th>code chosen</th><th>cases</th><th>examples</th></tr></thead><tbody>
${matrix.precedence.map((p) => html`<tr data-filterable data-target="${tid}" data-row="${rowKey.get(p.response) ?? p.response}" data-outcome="pass fail error skip known"><td>${p.response}</td><td>${p.labels.map((l) => html`<code>${l}</code> `)}</td><td><code>${p.winner}</code></td><td class="num">${p.cases}</td><td>${p.examples.map((e) => html`<code>${e}</code> `)}</td></tr>`)}
</tbody></table>`}
<h3>Behaviour the spec leaves open</h3>
${matrix.unknown.length === 0 ? html`<p class="none-msg">No case rests on an unknown.</p>` : html`<p class="note">Asserted only under <code>--strict</code>; otherwise observed.</p>
<table><thead><tr><th>case</th><th>outcome</th><th>expected</th><th>actual</th><th>reason</th></tr></thead><tbody>
${matrix.unknown.map((u) => html`<tr data-filterable data-target="${tid}" data-row="${keyOf(u)}" data-outcome="${u.outcome}"><td><code>${u.id}</code></td><td>${badge(u.outcome)}</td><td>${expectedText(u)}</td><td>${actualText(u)}</td><td>${u.reason ?? ''}</td></tr>`)}
</tbody></table>`}
<h3>All cases (${results.length})</h3>
${caseTable(results, keyOf, tid, summary.strict)}
${summary.cleanup.failures.length ? html`<h3>Cleanup failures</h3><ul>${summary.cleanup.failures.map((f) => html`<li><code>${f}</code></li>`)}</ul>` : ''}
</section>`;
}

function matrixTable(m: Matrix, tid: string): Raw {
  const outcomesOf = (r: MatrixRow): string => {
    const o: Filterable[] = [];
    if (r.counts.pass) o.push('pass');
    if (r.counts.fail + r.counts.error - r.known > 0) { if (r.counts.fail) o.push('fail'); if (r.counts.error) o.push('error'); }
    if (r.counts.skip) o.push('skip');
    if (r.known) o.push('known');
    return o.join(' ');
  };
  return html`<table class="matrix"><thead><tr><th>documented response</th><th>status</th><th>code</th><th class="num">pass</th><th class="num">fail</th><th class="num">skip</th><th class="num">error</th><th class="num">observed</th><th class="num">known</th><th>pass rate</th><th>reached</th><th>source</th></tr></thead><tbody>
${m.rows.map((r) => {
    const bad = r.counts.fail + r.counts.error - r.known > 0;
    const cls = bad ? 'bad' : r.known > 0 ? 'known' : r.reached ? 'good' : r.state === 'observed' ? 'observed' : 'none';
    const rate = r.passRate === null ? 0 : Math.round(r.passRate * 100);
    return html`<tr class="row-${cls}" data-filterable data-target="${tid}" data-row="${r.key}" data-outcome="${outcomesOf(r)}">
<th scope="row"><button type="button" class="rowlink" data-row-filter="${r.key}" title="show only this row">${r.label}</button>${r.kind === 'response' && r.documented === false ? html` <span class="tag" title="the service answers it, the documentation does not list it">not in the docs</span>` : ''}${r.kind === 'other' ? html` <span class="tag">not in the catalogue</span>` : ''}</th>
<td>${r.status ?? ''}</td><td>${r.code ? html`<code>${r.code}</code>` : ''}</td>
<td class="num c-pass">${r.counts.pass}</td><td class="num c-fail">${r.counts.fail || ''}</td><td class="num c-skip">${r.counts.skip || ''}</td><td class="num c-error">${r.counts.error || ''}</td><td class="num c-observed">${r.observed.cases || ''}</td><td class="num c-known">${r.known || ''}</td>
<td><span class="bar" role="img" aria-label="${`pass rate ${percent(r.passRate)}`}"><span style="width:${rate}%" class="${bad ? 'fill-bad' : 'fill-good'}"></span></span> ${percent(r.passRate)}</td>
<td>${r.reached ? 'yes' : r.state === 'observed' ? html`<span class="observed" title="${r.notReachedBecause ?? ''}">${observedText(r.observed)}</span>` : html`<span class="unreached" title="${r.notReachedBecause ?? ''}">no</span>`}</td>
<td>${r.doc ? html`<a href="${r.doc.url}" title="${r.doc.says}" rel="noreferrer">${r.doc.tag}</a>` : ''}</td>
</tr>`;
  })}
<tr class="total"><th scope="row">total</th><td></td><td></td><td class="num">${m.totals.pass}</td><td class="num">${m.totals.fail}</td><td class="num">${m.totals.skip}</td><td class="num">${m.totals.error}</td><td class="num">${m.observed || ''}</td><td class="num">${m.rows.reduce((n, r) => n + r.known, 0) || ''}</td><td colspan="3"></td></tr>
</tbody></table>
<p class="note">Left edge: <span class="c-pass">green</span> reached and nothing failing, <span class="c-fail">red</span> a failure no baseline lists, <span class="c-known">purple</span> only known deviations failing, <span class="c-observed">blue</span> observed only, grey not reached. A documented response is reached only when a case expected its status and code and the target answered exactly that (behaviour rows: a case passed or failed). Observation cases (best-effort races, multi-fault precedence, unknowns without --strict) record what the target answered and never count as passes. Pass rate = pass / (pass + fail + error) over the cases that assert; skipped cases are left out.</p>`;
}

function coverageBlock(m: Matrix): Raw {
  const c = m.coverage;
  return html`<p><strong>${c.responses.reached}/${c.responses.total}</strong> documented responses reached${c.responses.missing.length ? html` — not reached: ${c.responses.missing.map((l, i) => {
    const row = m.rows.find((r) => r.label === l);
    return html`${i ? '; ' : ''}<span class="unreached">${l}</span>${row?.notReachedBecause ? ` (${row.notReachedBecause})` : ''}`;
  })}` : ''}.</p>
${c.responses.observed.length ? html`<p>Observed only (no asserting case got the documented answer): ${c.responses.observed.map((l, i) => html`${i ? '; ' : ''}<span class="observed">${l}</span> (${observedText(m.rows.find((r) => r.label === l)!.observed)})`)}.</p>` : ''}
<p><strong>${c.causes.reached}/${c.causes.total}</strong> causes exercised:</p>
<ul class="chips">${c.causes.byCause.map((x) => html`<li class="${x.reached ? 'good' : x.observed ? 'observed' : 'none'}" title="${`${x.cases} executed asserting cases, ${x.observed} observation cases; leads to ${x.response}`}"><code>${x.cause}</code> ${x.cases}${x.observed ? html` <span class="observed-n">+${x.observed} observed</span>` : ''}</li>`)}</ul>
${c.unmappedLabels.length ? html`<p class="note">Labels that map to no documented cause: ${c.unmappedLabels.map((l) => html`<code>${l}</code> `)}</p>` : ''}
${c.coveragePhase.cases > 0 ? html`<h4>Coverage phase</h4>
<p>${c.coveragePhase.cases} cases: ${c.coveragePhase.pass} passed, ${c.coveragePhase.fail} failed, ${c.coveragePhase.skip} skipped, ${c.coveragePhase.error} errors${c.coveragePhase.observed ? `, ${c.coveragePhase.observed} observed` : ''}.</p>
<table class="coverage-phase"><thead><tr><th>cause</th><th>leads to</th><th class="num">coverage cases</th><th class="num">passed</th></tr></thead><tbody>
${c.causes.byCause.map((x) => html`<tr><td><code>${x.cause}</code></td><td>${m.rows.find((r) => r.key === x.response)?.label ?? x.response}</td><td class="num">${x.coverage.cases}</td><td class="num">${x.coverage.pass}</td></tr>`)}
</tbody></table>` : ''}`;
}

function problemsBlock(regressions: readonly CaseResult[], keyOf: (r: CaseResult) => string, tid: string): Raw {
  const problems = groupProblems(regressions);
  if (problems.length === 0) return html`<h3>Failing cases (0)</h3><p class="none-msg">None.</p>`;
  let budget = MAX_DETAILED_CASES;
  const block = (p: Problem, i: number): Raw => {
    const [first, ...others] = p.cases;
    const shown = others.slice(0, Math.max(0, budget - 1));
    budget -= 1 + shown.length;
    return html`<section class="problem" data-filterable data-target="${tid}" data-row="${keyOf(first!)}" data-outcome="${p.outcome}" data-problem="${p.key}">
<h4>${i + 1}. ${problemTitle(p)}</h4>
<p class="note">${p.count} ${p.count === 1 ? 'case' : 'cases'} · labels ${p.labels.length ? p.labels.map((l) => html`<code>${l}</code> `) : '(none)'} · smallest example first</p>
${caseCard(first!, keyOf(first!), tid, i < 5)}
${others.length ? html`<details class="problem-cases"><summary>all ${p.count} cases of this problem</summary>
${shown.map((r) => caseCard(r, keyOf(r), tid, false))}
${others.length > shown.length ? html`<ul class="ids">${others.slice(shown.length).map((r) => html`<li><code>${r.id}</code></li>`)}</ul>` : ''}
</details>` : ''}
</section>`;
  };
  return html`<h3>Failing cases (${regressions.length} in ${problems.length} ${problems.length === 1 ? 'problem' : 'problems'})</h3>
<p class="note">Cases with the same response row, labels and expected → actual answer are one problem; the smallest example (a shrunk case, else the shortest request body) is shown first, the others behind the toggle.</p>
${problems.slice(0, MAX_PROBLEMS).map(block)}
${problems.length > MAX_PROBLEMS ? html`<p class="note">${problems.length - MAX_PROBLEMS} more problems are in the case list below and in results.jsonl.</p>` : ''}`;
}

function staleBlock(stale: readonly BaselineEntry[]): Raw {
  return html`<h3>Stale baseline entries (${stale.length})</h3>
<p class="verdict bad">Listed in the baseline, but the cases now pass: remove these entries.</p>
<ul>${stale.map((e) => html`<li><code>${e.id}</code> — ${e.reason}${e.link ? html` (<a href="${e.link}" rel="noreferrer">${e.link}</a>)` : ''}</li>`)}</ul>`;
}

function badge(outcome: Filterable): Raw {
  return html`<span class="badge o-${outcome}">${OUTCOME_TITLES[outcome]}</span>`;
}

function caseCard(r: CaseResult, rowKey: string, tid: string, open: boolean): Raw {
  const cls = filterClass(r);
  return html`<details class="case ${cls}" data-filterable data-target="${tid}" data-row="${rowKey}" data-outcome="${cls}" data-case="${r.id}"${open ? new Raw(' open') : ''}>
<summary>${badge(cls)} <code>${r.id}</code> — expected <strong>${expectedText(r)}</strong>, got <strong>${actualText(r)}</strong></summary>
<dl>
<dt>response row</dt><dd>${r.response}</dd>
${r.baseline ? html`<dt>known deviation</dt><dd>${r.baseline.reason}${r.baseline.link ? html` (<a href="${r.baseline.link}" rel="noreferrer">${r.baseline.link}</a>)` : ''}</dd>` : ''}
<dt>reason</dt><dd>${r.reason ?? ''}</dd>
<dt>labels</dt><dd>${r.labels.length ? r.labels.map((l) => html`<code>${l}</code> `) : '(none)'}</dd>
<dt>seed</dt><dd><code>${r.seed}</code></dd>
${r.actual?.requestId ? html`<dt>x-oss-request-id</dt><dd><code>${r.actual.requestId}</code></dd>` : ''}
${r.cites ? html`<dt>enforces</dt><dd>${r.cites}</dd>` : ''}
</dl>
${r.replay ? html`<p class="lbl">replay</p><pre class="cmd">${r.replay}</pre>` : ''}
${r.curl ? html`<p class="lbl">curl (signed when run; no secret printed)</p><pre class="cmd">${r.curl}</pre>` : ''}
${r.exchange ? exchangeBlock(r.exchange) : html`<p class="note">No exchange was recorded for this case.</p>`}
</details>`;
}

function body(text: string, encoding: 'utf8' | 'base64' | undefined): string {
  if (text.length === 0) return '';
  if (encoding === 'base64') return `(not UTF-8; base64) ${text.slice(0, MAX_BODY_CHARS)}`;
  let shown = text;
  try { shown = JSON.stringify(JSON.parse(text), null, 2); } catch { /* not JSON: shown as sent */ }
  return shown.length > MAX_BODY_CHARS ? `${shown.slice(0, MAX_BODY_CHARS)}\n… (${shown.length - MAX_BODY_CHARS} more characters)` : shown;
}

function exchangeBlock(x: Exchange): Raw {
  const headers = (h: Record<string, string>): string => Object.entries(h).map(([k, v]) => `${k}: ${v}`).join('\n');
  const req = `${x.request.method} ${x.request.url}\n${headers(x.request.headers)}${x.request.body ? `\n\n${body(x.request.body, x.request.bodyEncoding)}` : ''}`;
  const res = x.response
    ? `HTTP ${x.response.status}\n${headers(x.response.headers)}${x.response.body ? `\n\n${body(x.response.body, x.response.bodyEncoding)}` : ''}`
    : '(no response)';
  return html`<div class="exchange"><div><p class="lbl">request (redacted) · ${x.startedAt} · ${Math.round(x.durationMs)} ms</p><pre>${req}</pre></div><div><p class="lbl">response</p><pre>${res}</pre></div></div>`;
}

function caseTable(results: readonly CaseResult[], keyOf: (r: CaseResult) => string, tid: string, strict: boolean): Raw {
  const rank: Record<Filterable, number> = { fail: 0, error: 0, known: 1, skip: 2, pass: 3 };
  const listed = [...results].sort((a, b) => rank[filterClass(a)] - rank[filterClass(b)]).slice(0, MAX_LISTED_CASES);
  const shown = byId(listed);
  return html`<table class="cases"><thead><tr><th>case</th><th>outcome</th><th>expected</th><th>actual</th><th>reason</th><th class="num">ms</th></tr></thead><tbody>
${shown.map((r) => {
    const cls = filterClass(r);
    return html`<tr data-filterable data-target="${tid}" data-row="${keyOf(r)}" data-outcome="${cls}" class="o-row-${cls}"><td><code>${r.id}</code></td><td>${badge(cls)}${isObservation(r, strict) ? html` <span class="tag" title="records what the target did; asserts no documented response">observation</span>` : ''}</td><td>${expectedText(r)}</td><td>${actualText(r)}</td><td class="reason">${(r.reason ?? '').slice(0, 300)}</td><td class="num">${Math.round(r.durationMs)}</td></tr>`;
  })}
</tbody></table>
${results.length > shown.length ? html`<p class="note">${results.length - shown.length} passing or skipped cases are not listed here; results.jsonl has every case.</p>` : ''}`;
}
