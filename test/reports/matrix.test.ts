import { describe, expect, it } from 'vitest';
import { BEHAVIOUR_ROWS, DELETE_VECTOR_INDEX_RESPONSES } from '../../contracts/responses.ts';
import { applyBaseline } from '../../reports/baseline.ts';
import { parseJsonl, toJsonl } from '../../reports/jsonl.ts';
import { buildMatrix, mergeMatrices } from '../../reports/matrix.ts';
import type { CaseResult } from '../../reports/model.ts';
import { FIXTURE_BASELINE, fixtureResults } from './fixtures.ts';

const row = (m: ReturnType<typeof buildMatrix>, key: string) => m.rows.find((r) => r.key === key)!;

describe('buildMatrix', () => {
  it('has every documented response, then the behaviour rows, in catalogue order', () => {
    const m = buildMatrix([]);
    expect(m.rows.map((r) => r.key)).toEqual([...DELETE_VECTOR_INDEX_RESPONSES.map((r) => r.key), ...BEHAVIOUR_ROWS.map((r) => r.key)]);
    expect(m.rows.slice(0, 9).map((r) => r.label)).toEqual(['204 No Content', '400 MalformedJson', '400 VectorIndexParameterInvalid', '403 AccessDenied', '403 signature family', '400 InvalidDigest', '404 NoSuchVectorIndex', '404 NoSuchBucket', '409 VectorIndexOperationConflict']);
  });

  it('counts equal the counts of the JSON lines, row by row and in total', () => {
    const lines = parseJsonl(toJsonl(fixtureResults(), []));
    const m = buildMatrix(lines);
    for (const r of m.rows) {
      for (const o of ['pass', 'fail', 'skip', 'error'] as const) {
        expect(r.counts[o], `${r.label} ${o}`).toBe(lines.filter((l) => l.response === r.label && l.outcome === o).length);
      }
    }
    expect(m.total).toBe(lines.length);
    expect(m.rows.reduce((n, r) => n + r.total, 0)).toBe(lines.length);
    expect(m.totals).toEqual({ pass: 7, fail: 2, skip: 1, error: 1 });
  });

  it('computes the pass rate without skips, and reached = at least one pass or fail', () => {
    const m = buildMatrix(fixtureResults());
    expect(row(m, '204-deleted').passRate).toBe(0.5); // 1 pass, 1 error
    expect(row(m, '403-access-denied')).toMatchObject({ passRate: null, reached: false });
    expect(row(m, '403-access-denied').notReachedBecause).toContain('no denied identity');
    expect(row(m, '403-signature')).toMatchObject({ reached: false, notReachedBecause: 'no case ran' });
    expect(row(m, '409-vector-index-operation-conflict').reached).toBe(true); // a fail reaches the row
    expect(m.coverage.responses).toEqual({ reached: 5, total: 9, missing: ['403 AccessDenied', '403 signature family', '400 InvalidDigest', '404 NoSuchBucket'] });
  });

  it('counts baseline-known failures per row', () => {
    const results = fixtureResults();
    applyBaseline(results, FIXTURE_BASELINE);
    const m = buildMatrix(results);
    expect(row(m, '409-vector-index-operation-conflict').known).toBe(1);
    expect(row(m, '204-deleted').known).toBe(1);
    expect(row(m, '404-no-such-vector-index').known).toBe(0);
  });

  it('covers causes matched directly or through causeOf, and lists labels that map to none', () => {
    const direct = buildMatrix(fixtureResults());
    const byCause = Object.fromEntries(direct.coverage.causes.byCause.map((c) => [c.cause, c]));
    expect(byCause['index-absent']).toMatchObject({ reached: true, cases: 2, response: '404-no-such-vector-index' });
    expect(byCause['no-permission']).toMatchObject({ reached: false, cases: 0 }); // skipped does not count
    expect(byCause['index-with-vectors']).toMatchObject({ reached: false }); // errored does not count
    const generatorVocabulary: CaseResult[] = [{ ...fixtureResults()[0]!, labels: ['name:too-long', 'mystery'] }];
    const mapped = buildMatrix(generatorVocabulary, (l) => (l === 'name:too-long' ? 'index-name-invalid' : undefined));
    expect(mapped.coverage.causes.byCause.find((c) => c.cause === 'index-name-invalid')!.reached).toBe(true);
    expect(mapped.coverage.unmappedLabels).toEqual(['mystery']);
    const strict = buildMatrix(generatorVocabulary, (l) => { if (l !== 'name:too-long') throw new Error(`unknown label '${l}'`); return 'index-name-invalid'; });
    expect(strict.coverage.unmappedLabels).toEqual(['mystery']);
  });

  it('records observed precedence per label set and the unknown-behaviour findings', () => {
    const m = buildMatrix(fixtureResults());
    expect(m.precedence).toContainEqual(expect.objectContaining({ labels: ['body-not-json', 'index-name-invalid'], winner: 'MalformedJson', cases: 1, response: '400 VectorIndexParameterInvalid' }));
    expect(m.precedence).toContainEqual(expect.objectContaining({ labels: ['index-enable'], winner: 'NoSuchVectorIndex', response: 'races' }));
    expect(m.unknown.map((u) => u.id)).toEqual(['delete-vector-index/lifecycle/deleted-name-reusable']);
  });

  it('keeps a row the catalogue lacks, so no case goes uncounted', () => {
    const odd: CaseResult = { ...fixtureResults()[0]!, id: 'x/odd', response: 'pact verification' };
    const m = buildMatrix([odd]);
    expect(m.rows.at(-1)).toMatchObject({ label: 'pact verification', kind: 'other', total: 1 });
  });
});

describe('mergeMatrices', () => {
  it('makes one response × target matrix with an empty cell where a target lacks cases', () => {
    const a = buildMatrix(fixtureResults());
    const b = buildMatrix(fixtureResults().filter((r) => r.response !== 'races'));
    const merged = mergeMatrices([{ target: 'emulator', matrix: a }, { target: 'cn-hangzhou', matrix: b }]);
    expect(merged.targets).toEqual(['emulator', 'cn-hangzhou']);
    const races = merged.rows.find((r) => r.key === 'races')!;
    expect(races.cells.emulator!.total).toBe(1);
    expect(races.cells['cn-hangzhou']!.total).toBe(0);
    expect(merged.rows.find((r) => r.key === '404-no-such-vector-index')!.cells['cn-hangzhou']!.counts).toEqual({ pass: 1, fail: 1, skip: 0, error: 0 });
    expect(() => mergeMatrices([{ target: 'x', matrix: a }, { target: 'x', matrix: b }])).toThrow();
  });
});
