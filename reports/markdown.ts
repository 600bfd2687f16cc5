// summary.md: the verdict, the matrix, coverage, the regressions with their replay lines, and the
// known deviations apart. Also appended to $GITHUB_STEP_SUMMARY (the job's summary page).
import { timingText } from './timing.ts';
import type { BaselineEntry, GateResult } from './baseline.ts';
import { actualText, byId, expectedText } from './cases.ts';
import { observedText, type Matrix, type MatrixRow, type MergedMatrix } from './matrix.ts';
import type { CaseResult, RunSummary } from './model.ts';
import { groupProblems, problemTitle } from './problems.ts';
import { collectSecrets, redactText } from './redact.ts';
import type { ReportView, ReportWriter } from './view.ts';
import { percent, verdictOf } from './verdict.ts';

/** Problems shown with their smallest example in full; the rest are listed in a table up to LISTED. */
const DETAILED = 25;
/** Other case ids named under a problem. */
const IDS_PER_PROBLEM = 20;
const LISTED = 200;

/** Inline text: Markdown and HTML metacharacters escaped, one line. */
export function mdText(s: string): string {
  return s.replace(/\r?\n/g, ' ').replace(/([\\`*_[\]|#~])/g, '\\$1').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** An inline code span that survives backticks and table pipes. */
export function mdCode(s: string): string {
  const one = s.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
  const longest = Math.max(0, ...(one.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(longest + 1);
  const pad = one.startsWith('`') || one.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${one}${pad}${fence}`;
}

export function mdBlock(s: string, lang = ''): string {
  const longest = Math.max(2, ...(s.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${lang}\n${s}\n${fence}`;
}

const ICON = { conformant: '✅', 'known-only': '✅', 'not-conformant': '❌', 'could-not-run': '⚠️', empty: '⚠️' } as const;

export const markdownWriter: ReportWriter = { file: 'summary.md', render: toMarkdown };

export function toMarkdown({ matrix, summary, gate }: ReportView): string {
  const v = verdictOf(summary, gate, matrix);
  const out: string[] = [];
  out.push(`# ${ICON[v.kind]} ${v.title} — ${mdText(summary.target)}`, '');
  out.push(`${v.detail}.`, '');
  const cov = matrix.coverage.responses;
  if (cov.reached < cov.total) out.push(`⚠️ ${cov.reached} of ${cov.total} documented responses reached: a verdict covers only what was reached (see Coverage).`, '');
  out.push(`Seed \`${summary.seed}\`${summary.strict ? ', strict' : ''} · ${mdText(summary.startedAt)} → ${mdText(summary.finishedAt)} · exit status ${gate.exitCode}`, '');
  if (summary.timing) out.push(`Timing: ${mdText(timingText(summary.timing))}.`, '');
  out.push(...matrixSection(matrix), '');
  out.push(...coverageSection(matrix), '');
  out.push(...regressionSection(gate.regressions), '');
  if (gate.stale.length) out.push(...staleSection(gate.stale), '');
  out.push(...knownSection(gate.known), '');
  if (matrix.precedence.length) out.push(...precedenceSection(matrix), '');
  if (matrix.unknown.length) out.push(...unknownSection(matrix), '');
  if (summary.cleanup.failures.length) {
    out.push('## Cleanup failures', '', `The run could not delete ${summary.cleanup.failures.length} index(es) it created:`, '');
    for (const f of summary.cleanup.failures) out.push(`- ${mdText(f)}`);
    out.push('');
  }
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

/** reached / observed: … / not reached, as the matrix tables say it. */
export function rowStateText(r: Pick<MatrixRow, 'state' | 'observed'>): string {
  return r.state === 'reached' ? 'reached' : r.state === 'observed' ? observedText(r.observed) : 'not reached';
}

function matrixSection(m: Matrix): string[] {
  const rows = m.rows.map((r) => {
    const name = r.kind === 'response' && r.documented === false ? `${mdText(r.label)} (not in the docs)` : mdText(r.label);
    const icon = r.counts.fail + r.counts.error - r.known > 0 ? '❌' : r.known > 0 ? '🟣' : r.state === 'reached' ? '✅' : r.state === 'observed' ? '👁️' : '⚪';
    return `| ${icon} ${name} | ${mdText(rowStateText(r))} | ${r.counts.pass} | ${r.counts.fail} | ${r.counts.skip} | ${r.counts.error} | ${r.observed.cases || ''} | ${r.known || ''} | ${percent(r.passRate)} |`;
  });
  const executed = m.totals.pass + m.totals.fail + m.totals.error;
  return [
    '## Matrix', '',
    '| documented response | state | pass | fail | skip | error | observed | known | pass rate |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
    `| **total** | | ${m.totals.pass} | ${m.totals.fail} | ${m.totals.skip} | ${m.totals.error} | ${m.observed || ''} | ${m.rows.reduce((n, r) => n + r.known, 0) || ''} | ${percent(executed ? m.totals.pass / executed : null)} |`,
    '', '✅ reached, nothing failing · ❌ a failure no baseline lists · 🟣 only known deviations failing · 👁️ observed only · ⚪ not reached. '
      + 'A response is reached only when a case expected its status and code and the target answered exactly that. '
      + 'Observation cases (best-effort races, multi-fault precedence, unknowns without --strict) record what the target answered and never count as passes: their answers are in the state column. '
      + 'Pass rate = pass / (pass + fail + error) over the cases that assert; skipped cases are left out.',
  ];
}

function coverageSection(m: Matrix): string[] {
  const c = m.coverage;
  const out = ['## Coverage', ''];
  out.push(`- Documented responses reached: **${c.responses.reached}/${c.responses.total}**${c.responses.missing.length ? ` — not reached: ${c.responses.missing.map((l) => {
    const row = m.rows.find((r) => r.label === l);
    return `${mdText(l)}${row?.notReachedBecause ? ` (${mdText(row.notReachedBecause)})` : ''}`;
  }).join('; ')}` : ''}`);
  if (c.responses.observed.length) out.push(`- Observed only (no asserting case got the documented answer): ${c.responses.observed.map((l) => `${mdText(l)} (${mdText(observedText(m.rows.find((r) => r.label === l)!.observed))})`).join('; ')}`);
  out.push(`- Causes exercised: **${c.causes.reached}/${c.causes.total}**${c.causes.missing.length ? ` — not exercised: ${c.causes.missing.map(mdCode).join(', ')}` : ''}`);
  if (c.unmappedLabels.length) out.push(`- Labels that map to no documented cause: ${c.unmappedLabels.map(mdCode).join(', ')}`);
  const p = c.coveragePhase;
  if (p.cases > 0) {
    out.push('', `### Coverage phase (${p.cases} cases: ${p.pass} passed, ${p.fail} failed, ${p.skip} skipped, ${p.error} errors${p.observed ? `, ${p.observed} observed` : ''})`, '',
      '| cause | leads to | coverage cases | passed |', '|---|---|---:|---:|');
    for (const x of c.causes.byCause) out.push(`| ${mdCode(x.cause)} | ${mdText(m.rows.find((r) => r.key === x.response)?.label ?? x.response)} | ${x.coverage.cases} | ${x.coverage.pass} |`);
  }
  return out;
}

function regressionSection(list: readonly CaseResult[]): string[] {
  if (list.length === 0) return ['## Failing cases', '', 'None.'];
  const problems = groupProblems(list);
  const out = [`## Failing cases (${list.length} in ${problems.length} ${problems.length === 1 ? 'problem' : 'problems'})`, '',
    'Cases with the same response row, labels and expected → actual answer are one problem; its smallest example (a shrunk case, else the shortest request body) is shown. results.jsonl and report.html have every case.', ''];
  problems.slice(0, DETAILED).forEach((p, i) => {
    const r = p.cases[0]!;
    out.push(`### ${i + 1}. ${mdText(problemTitle(p))}`, '');
    out.push(`- response row: ${mdText(p.response)}`);
    out.push(`- expected **${mdText(p.expected)}**, actual **${mdText(p.actual)}** — ${p.count} ${p.count === 1 ? 'case' : 'cases'}`);
    if (p.labels.length) out.push(`- labels: ${p.labels.map(mdCode).join(', ')}`);
    out.push(`- smallest example ${mdCode(r.id)}${r.actual?.requestId ? ` (request id ${mdCode(r.actual.requestId)})` : ''}, seed ${mdCode(String(r.seed))}`);
    if (r.reason) out.push(`- ${mdText(r.reason)}`);
    if (r.cites) out.push(`- enforces: ${mdText(r.cites)}`);
    const others = p.cases.slice(1);
    if (others.length) out.push(`- also: ${others.slice(0, IDS_PER_PROBLEM).map((c) => mdCode(c.id)).join(', ')}${others.length > IDS_PER_PROBLEM ? ` and ${others.length - IDS_PER_PROBLEM} more` : ''}`);
    out.push('');
    if (r.replay) out.push('Replay:', '', mdBlock(r.replay, 'sh'), '');
    if (r.curl) out.push('curl (signed when run, no secret printed):', '', mdBlock(r.curl, 'sh'), '');
  });
  const rest = problems.slice(DETAILED, LISTED);
  if (rest.length) {
    out.push('| problem | cases | smallest example |', '|---|---:|---|');
    for (const p of rest) out.push(`| ${mdText(problemTitle(p))} | ${p.count} | ${mdCode(p.cases[0]!.id)} |`);
    out.push('');
  }
  if (problems.length > LISTED) out.push(`… and ${problems.length - LISTED} more problems: see results.jsonl and report.html.`);
  return out;
}

function staleSection(stale: readonly BaselineEntry[]): string[] {
  return [
    `## Stale baseline entries (${stale.length})`, '',
    'These deviations are listed in the baseline, but their cases now pass: remove the entries.', '',
    ...stale.map((e) => `- ${mdCode(e.id)} — ${mdText(e.reason)}${e.link ? ` (${mdText(e.link)})` : ''}`),
  ];
}

function knownSection(known: readonly CaseResult[]): string[] {
  if (known.length === 0) return [];
  const out = [`## Known deviations (${known.length}, from the baseline; not gating)`, '', '| case | expected | actual | why accepted |', '|---|---|---|---|'];
  for (const r of byId(known).slice(0, LISTED)) {
    out.push(`| ${mdCode(r.id)} | ${mdText(expectedText(r))} | ${mdText(actualText(r))} | ${mdText(r.baseline?.reason ?? '')}${r.baseline?.link ? ` (${mdText(r.baseline.link)})` : ''} |`);
  }
  if (known.length > LISTED) out.push('', `… and ${known.length - LISTED} more.`);
  return out;
}

function precedenceSection(m: Matrix): string[] {
  return [
    '## Observed precedence (recorded, not asserted)', '',
    'Where a request carried several faults, or a race allowed several answers, the code the target chose:', '',
    '| row | labels | code chosen | cases |', '|---|---|---|---:|',
    ...m.precedence.map((p) => `| ${mdText(p.response)} | ${p.labels.map(mdCode).join(' + ') || '–'} | ${mdCode(p.winner)} | ${p.cases} |`),
  ];
}

function unknownSection(m: Matrix): string[] {
  return [
    '## Behaviour the spec leaves open (observed)', '',
    'Asserted only under `--strict`; otherwise these record what the target did.', '',
    '| case | outcome | expected | actual |', '|---|---|---|---|',
    ...m.unknown.slice(0, LISTED).map((u) => `| ${mdCode(u.id)} | ${u.outcome} | ${mdText(expectedText(u))} | ${mdText(actualText(u))} |`),
  ];
}

/** summary.md of `ovc report merge` over several targets: the response × target table, then each target's verdict. */
export function toMergedMarkdown(merged: MergedMatrix, runs: ReadonlyArray<{ summary: RunSummary; gate: GateResult; dir: string }>, secrets: readonly string[] = collectSecrets()): string {
  const out: string[] = [];
  const failing = runs.filter((r) => r.gate.exitCode !== 0);
  out.push(`# ${failing.length ? '❌' : '✅'} ${runs.length} targets — ${failing.length ? `${failing.length} not conformant` : 'no regression'}`, '');
  out.push(`| documented response | ${merged.targets.map(mdText).join(' | ')} |`, `|---|${merged.targets.map(() => '---:').join('|')}|`);
  for (const row of merged.rows) {
    const cells = merged.targets.map((t) => {
      const c = row.cells[t]!;
      if (c.total === 0) return '⚪ –';
      const bad = c.counts.fail + c.counts.error - c.known;
      return `${bad > 0 ? '❌' : c.reached ? '✅' : c.state === 'observed' ? '👁️' : '⚪'} ${c.counts.pass}/${c.total}${c.known ? ` (${c.known} known)` : ''}${c.state === 'observed' ? ` (${mdText(observedText(c.observed))})` : ''}`;
    });
    out.push(`| ${mdText(row.label)} | ${cells.join(' | ')} |`);
  }
  out.push('', 'Cell: passed/total cases (observation cases are in the total, never passed). 👁️ = observed only; ⚪ = not reached.', '');
  out.push('## Targets', '');
  for (const r of runs) {
    const v = verdictOf(r.summary, r.gate, merged.perTarget[r.summary.target]);
    const cov = merged.perTarget[r.summary.target]?.coverage;
    out.push(`- ${ICON[v.kind]} **${mdText(r.summary.target)}**: ${v.title.toLowerCase()} — ${mdText(v.detail)}${cov ? `; responses reached ${cov.responses.reached}/${cov.responses.total}` : ''} (reports in ${mdCode(r.dir)})`);
  }
  for (const r of failing) {
    out.push('', `## Failing cases of ${mdText(r.summary.target)}`, '');
    const problems = groupProblems(r.gate.regressions);
    for (const p of problems.slice(0, DETAILED)) out.push(`- ${mdText(problemTitle(p))}: smallest example ${mdCode(p.cases[0]!.id)}${p.cases[0]!.replay ? ` — replay ${mdCode(p.cases[0]!.replay)}` : ''}`);
    if (problems.length > DETAILED) out.push(`- … and ${problems.length - DETAILED} more problems (see ${mdCode(`${r.dir}/summary.md`)})`);
    if (r.gate.stale.length) out.push(`- stale baseline entries: ${r.gate.stale.map((e) => mdCode(e.id)).join(', ')}`);
  }
  return redactText(`${out.join('\n').trimEnd()}\n`, secrets);
}
