import { describe, expect, it } from 'vitest';
import { applyBaseline, type GateResult } from '../../reports/baseline.ts';
import { toHtml } from '../../reports/html.ts';
import { toMarkdown } from '../../reports/markdown.ts';
import { buildMatrix } from '../../reports/matrix.ts';
import type { CaseResult } from '../../reports/model.ts';
import { groupProblems, problemsText } from '../../reports/problems.ts';
import { fixtureSummary, fixtureView } from './fixtures.ts';

const ROW = '404 NoSuchVectorIndex';

/** A failing generated case: the index is absent, the target answered 400 VectorIndexParameterInvalid. */
function failing(i: number, body: string, more: Partial<CaseResult> = {}): CaseResult {
  return {
    id: `delete-vector-index/404-no-such-vector-index/generated-name#${i}`, response: ROW, outcome: 'fail',
    expected: { status: 404, code: 'NoSuchVectorIndex' }, actual: { status: 400, code: 'VectorIndexParameterInvalid', requestId: null },
    labels: ['index-absent'], reason: `expected HTTP 404, got 400 (case ${i})`, seed: 7, durationMs: 1,
    replay: `npx ovc run --seed 7 --tags '404-no-such-vector-index' # ${i}`,
    exchange: {
      request: { method: 'POST', url: 'http://127.0.0.1/b/?deleteVectorIndex', headers: {}, body, bodyEncoding: 'utf8' },
      response: { status: 400, headers: {}, body: '' }, startedAt: '2026-01-01T00:00:00.000Z', durationMs: 1,
    },
    ...more,
  };
}

/** 25 cases of one problem, bodies of decreasing then increasing size, case #13 the shortest. */
function problemOf25(): CaseResult[] {
  return Array.from({ length: 25 }, (_, i) => failing(i + 1, JSON.stringify({ indexName: `ovcabsent${'x'.repeat(Math.abs(12 - i) + 1)}` })));
}

function gateOf(results: CaseResult[]): GateResult {
  return applyBaseline(results, null);
}

describe('groupProblems', () => {
  it('25 failing cases of one problem are one group of 25, the shortest request body first', () => {
    const problems = groupProblems(problemOf25());
    expect(problems).toHaveLength(1);
    const [p] = problems;
    expect(p!.count).toBe(25);
    expect(p!.cases).toHaveLength(25);
    expect(p!).toMatchObject({ response: ROW, labels: ['index-absent'], expected: '404 NoSuchVectorIndex', actual: '400 VectorIndexParameterInvalid', outcome: 'fail' });
    expect(p!.cases[0]!.id).toBe('delete-vector-index/404-no-such-vector-index/generated-name#13');
    const sizes = p!.cases.map((c) => c.exchange!.request.body.length);
    expect(sizes).toEqual([...sizes].sort((a, b) => a - b));
  });

  it('puts a shrunk case first whatever its size', () => {
    const cases = [...problemOf25(), failing(99, JSON.stringify({ indexName: 'x'.repeat(200) }), { id: 'delete-vector-index/404-no-such-vector-index/generated-name#shrunk' })];
    expect(groupProblems(cases)[0]!.cases[0]!.id).toMatch(/#shrunk$/);
  });

  it('splits by row, labels and expected → actual answer, and leaves passing cases out', () => {
    const cases = [
      ...problemOf25(),
      failing(30, '{}', { actual: { status: 500, code: 'InternalError', requestId: null } }),
      failing(31, '{}', { labels: ['index-deleted'] }),
      failing(32, '{}', { labels: ['index-absent', 'index-absent'] }), // same labels once deduplicated
      failing(33, '{}', { outcome: 'error', actual: null, reason: 'ECONNRESET' }),
      failing(34, '{}', { outcome: 'pass', actual: { status: 404, code: 'NoSuchVectorIndex', requestId: null } }),
    ];
    const problems = groupProblems(cases);
    expect(problems.map((p) => p.count)).toEqual([26, 1, 1, 1]);
    expect(problems.reduce((n, p) => n + p.count, 0)).toBe(29);
    expect(groupProblems([...cases].reverse()).map((p) => p.key)).toEqual(problems.map((p) => p.key));
  });
});

describe('problems in the reports', () => {
  it('the terminal summary names one problem with its count and its smallest example', () => {
    const text = problemsText(problemOf25());
    expect(text).toContain('25 failing cases in 1 problem:');
    expect(text).toContain('1. FAIL 404 NoSuchVectorIndex [index-absent]: expected 404 NoSuchVectorIndex, got 400 VectorIndexParameterInvalid (25 cases)');
    expect(text).toContain('smallest example delete-vector-index/404-no-such-vector-index/generated-name#13');
    expect(text).toContain('and 21 more');
    expect(text.match(/^\d+\. /gm)).toHaveLength(1);
    // Known deviations are not regressions.
    expect(problemsText(problemOf25().map((c) => ({ ...c, baseline: { reason: 'known' } })))).toBe('');
  });

  it('summary.md shows one problem of 25 cases', () => {
    const results = problemOf25();
    const gate = gateOf(results);
    const md = toMarkdown(fixtureView(results, fixtureSummary(results), gate));
    expect(md).toContain('## Failing cases (25 in 1 problem)');
    expect(md.match(/^### \d+\. /gm)).toHaveLength(1);
    expect(md).toContain('(25 cases)');
    expect(md).toContain('smallest example `delete-vector-index/404-no-such-vector-index/generated-name#13`');
  });

  it('report.html shows one problem, every case behind a toggle', () => {
    const results = problemOf25();
    const gate = gateOf(results);
    const page = toHtml({ runs: [{ summary: fixtureSummary(results), matrix: buildMatrix(results), gate, results }] }, []);
    expect(page.match(/<section class="problem"/g)).toHaveLength(1);
    expect(page).toContain('all 25 cases of this problem');
    const problem = page.slice(page.indexOf('<section class="problem"'), page.indexOf('</section>', page.indexOf('<section class="problem"')));
    for (const r of results) expect(problem).toContain(`data-case="${r.id}"`);
    const toggle = problem.slice(problem.indexOf('<details class="problem-cases">'));
    expect(toggle).not.toContain('data-case="delete-vector-index/404-no-such-vector-index/generated-name#13"');
  });
});
