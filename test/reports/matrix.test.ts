import { describe, expect, it } from 'vitest';
import { BEHAVIOUR_ROWS, DELETE_VECTOR_INDEX_RESPONSES } from '../../contracts/responses.ts';
import { applyBaseline } from '../../reports/baseline.ts';
import { parseJsonl, toJsonl } from '../../reports/jsonl.ts';
import { buildMatrix, mergeMatrices } from '../../reports/matrix.ts';
import type { CaseResult } from '../../reports/model.ts';
import { causeOf as causeOfLabel } from '../../generators/labels.ts';
import { FIXTURE_BASELINE, fixtureResults } from './fixtures.ts';

const row = (m: ReturnType<typeof buildMatrix>, key: string) => m.rows.find((r) => r.key === key)!;

describe('buildMatrix', () => {
  it('has every documented response, then the behaviour rows, in catalogue order', () => {
    const m = buildMatrix([]);
    expect(m.rows.map((r) => r.key)).toEqual([...DELETE_VECTOR_INDEX_RESPONSES.map((r) => r.key), ...BEHAVIOUR_ROWS.map((r) => r.key)]);
    expect(m.rows.slice(0, 9).map((r) => r.label)).toEqual(['204 No Content', '400 MalformedJson', '400 VectorIndexParameterInvalid', '403 AccessDenied', '403 signature family', '400 InvalidDigest', '404 NoSuchVectorIndex', '404 NoSuchBucket', '409 VectorIndexOperationConflict']);
  });

  it('counts equal the counts of the JSON lines, row by row and in total', () => {
    const lines = parseJsonl(toJsonl(fixtureResults()));
    const m = buildMatrix(lines);
    // A passing case with unknown: true in a run without --strict is observed, not counted as a pass.
    const observedPass = (l: CaseResult): boolean => l.outcome === 'pass' && (l.observation === true || l.unknown === true);
    for (const r of m.rows) {
      for (const o of ['pass', 'fail', 'skip', 'error'] as const) {
        expect(r.counts[o], `${r.label} ${o}`).toBe(lines.filter((l) => l.response === r.label && l.outcome === o && !observedPass(l)).length);
      }
      expect(r.counts.pass + r.counts.fail + r.counts.skip + r.counts.error + lines.filter((l) => l.response === r.label && observedPass(l)).length, r.label).toBe(r.total);
    }
    expect(m.total).toBe(lines.length);
    expect(m.rows.reduce((n, r) => n + r.total, 0)).toBe(lines.length);
    expect(m.totals).toEqual({ pass: 6, fail: 2, skip: 1, error: 1 });
    expect(m.observed).toBe(1);
    expect(buildMatrix(lines, undefined, { strict: true }).totals).toEqual({ pass: 7, fail: 2, skip: 1, error: 1 });
  });

  it('computes the pass rate without skips; a response is reached only by a case that got exactly the documented answer', () => {
    const m = buildMatrix(fixtureResults());
    expect(row(m, '204-deleted').passRate).toBe(0.5); // 1 pass, 1 error
    expect(row(m, '403-access-denied')).toMatchObject({ passRate: null, reached: false, state: 'not-reached' });
    expect(row(m, '403-access-denied').notReachedBecause).toContain('no denied identity');
    expect(row(m, '403-signature')).toMatchObject({ reached: false, notReachedBecause: 'no case ran' });
    // The 409 case failed with a 204: the target was never seen answering 409.
    expect(row(m, '409-vector-index-operation-conflict')).toMatchObject({ reached: false, state: 'not-reached' });
    expect(row(m, '409-vector-index-operation-conflict').notReachedBecause).toContain('no case got the documented answer (204 ×1)');
    // The two-fault case passed with MalformedJson, an allowed code, not the row's VectorIndexParameterInvalid.
    expect(row(m, '400-vector-index-parameter-invalid')).toMatchObject({ reached: false, passRate: 1 });
    expect(row(m, '404-no-such-vector-index').reached).toBe(true);
    expect(m.coverage.responses).toEqual({
      reached: 3, total: 9, observed: [],
      missing: ['400 VectorIndexParameterInvalid', '403 AccessDenied', '403 signature family', '400 InvalidDigest', '404 NoSuchBucket', '409 VectorIndexOperationConflict'],
    });
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
    expect(byCause['index-absent']).toMatchObject({ reached: true, cases: 2, response: '404-no-such-vector-index', observed: 0, coverage: { cases: 0, pass: 0 } });
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

describe('observed versus reached', () => {
  let n = 0;
  const mk = (response: string, expected: CaseResult['expected'], actual: { status: number; code: string | null } | null, more: Partial<CaseResult> = {}): CaseResult => ({
    id: `delete-vector-index/x/case#${++n}`, response, outcome: 'pass', expected, actual: actual && { ...actual, requestId: null },
    labels: [], reason: null, seed: 1, durationMs: 1, ...more,
  });
  const CONFLICT = '409 VectorIndexOperationConflict';
  const race = (actual: { status: number; code: string | null }) =>
    mk(CONFLICT, { status: 409, code: 'VectorIndexOperationConflict', codes: ['VectorIndexOperationConflict', 'NoSuchVectorIndex'] }, actual, { observation: true, labels: ['index-deleting'] });

  it('without a state hook, a best-effort race that never saw a 409 leaves the 409 row observed, never reached', () => {
    const m = buildMatrix([race({ status: 204, code: null }), race({ status: 204, code: null }), race({ status: 404, code: 'NoSuchVectorIndex' })]);
    const r = row(m, '409-vector-index-operation-conflict');
    expect(r).toMatchObject({ reached: false, state: 'observed', passRate: null, counts: { pass: 0, fail: 0, skip: 0, error: 0 }, total: 3 });
    expect(r.observed).toEqual({ cases: 3, seen: [{ answer: '204', cases: 2 }, { answer: '404 NoSuchVectorIndex', cases: 1 }] });
    expect(m.coverage.responses.observed).toEqual([CONFLICT]);
    expect(m.coverage.responses.missing).toContain(CONFLICT);
    expect(m.totals.pass).toBe(0);
    expect(m.observed).toBe(3);
  });

  it('an observation that happens to see a 409 still does not reach the row; a hook case that gets 409 does', () => {
    const lucky = buildMatrix([race({ status: 409, code: 'VectorIndexOperationConflict' })]);
    expect(row(lucky, '409-vector-index-operation-conflict')).toMatchObject({ reached: false, state: 'observed' });
    const hook = mk(CONFLICT, { status: 409, code: 'VectorIndexOperationConflict' }, { status: 409, code: 'VectorIndexOperationConflict' }, { labels: ['index-creating'] });
    expect(row(buildMatrix([race({ status: 204, code: null }), hook]), '409-vector-index-operation-conflict')).toMatchObject({ reached: true, state: 'reached', passRate: 1 });
  });

  it('against a target that ignores Content-MD5, non-strict InvalidDigest cases are observed, not 100 %', () => {
    const digest = (i: number) => mk('400 InvalidDigest', { status: 400, code: 'InvalidDigest' }, { status: 204, code: null }, { unknown: true, labels: ['md5-mismatch'], id: `d#${i}` });
    const cases = Array.from({ length: 5 }, (_, i) => digest(i));
    const loose = row(buildMatrix(cases), '400-invalid-digest');
    expect(loose).toMatchObject({ reached: false, state: 'observed', passRate: null });
    expect(loose.observed.seen).toEqual([{ answer: '204', cases: 5 }]);
    // Under --strict the same cases assert: had they passed with 204 they would still not reach the row.
    const strict = row(buildMatrix(cases, undefined, { strict: true }), '400-invalid-digest');
    expect(strict).toMatchObject({ reached: false, state: 'not-reached', passRate: 1 });
    const honest = cases.map((c) => ({ ...c, actual: { status: 400, code: 'InvalidDigest', requestId: null } }));
    expect(row(buildMatrix(honest, undefined, { strict: true }), '400-invalid-digest')).toMatchObject({ reached: true, passRate: 1 });
    expect(row(buildMatrix(honest), '400-invalid-digest')).toMatchObject({ reached: false, state: 'observed' });
  });

  it('an observation that fails or errors still counts as a fail or an error', () => {
    const m = buildMatrix([race({ status: 500, code: 'InternalError' }), { ...race({ status: 500, code: 'InternalError' }), outcome: 'fail' }, { ...race({ status: 204, code: null }), outcome: 'error', actual: null, reason: 'ECONNRESET' }]);
    expect(row(m, '409-vector-index-operation-conflict').counts).toEqual({ pass: 0, fail: 1, skip: 0, error: 1 });
    expect(m.observed).toBe(1);
  });

  it('counts coverage-phase cases by cause through causeOf', () => {
    const cover = (labels: string[], outcome: CaseResult['outcome']) => mk('404 NoSuchVectorIndex', { status: 404, code: 'NoSuchVectorIndex' }, { status: 404, code: 'NoSuchVectorIndex' }, { labels, outcome, phase: 'coverage' });
    const m = buildMatrix([
      cover(['index-absent'], 'pass'), cover(['index-deleted'], 'pass'), cover(['index-deleted'], 'fail'),
      mk('404 NoSuchVectorIndex', { status: 404, code: 'NoSuchVectorIndex' }, { status: 404, code: 'NoSuchVectorIndex' }, { labels: ['index-absent'], phase: 'property' }),
    ], causeOfLabel);
    const by = Object.fromEntries(m.coverage.causes.byCause.map((c) => [c.cause, c]));
    expect(by['index-absent']!.coverage).toEqual({ cases: 1, pass: 1 });
    expect(by['index-deleted']!.coverage).toEqual({ cases: 2, pass: 1 });
    expect(by['index-creating']!.coverage).toEqual({ cases: 0, pass: 0 });
    expect(m.coverage.coveragePhase).toEqual({ cases: 3, pass: 2, fail: 1, skip: 0, error: 0, observed: 0 });
  });
});

describe('multi-fault cases that name no code of their own', () => {
  it('are observations: a multi-fault pass never reaches a row nor counts as a pass', () => {
    const multi: CaseResult = {
      id: 'delete-vector-index/multi-fault/md5-mismatch+index-absent#3', response: '400 InvalidDigest', outcome: 'pass',
      expected: { status: 400, code: null, codes: ['InvalidDigest', 'NoSuchVectorIndex'] }, actual: { status: 400, code: 'InvalidDigest', requestId: null },
      labels: ['md5-mismatch', 'index-absent'], reason: null, seed: 1, durationMs: 1, precedence: 'InvalidDigest',
    };
    const m = buildMatrix([multi, { ...multi, id: 'x#2' }]);
    expect(row(m, '400-invalid-digest')).toMatchObject({ reached: false, state: 'observed', passRate: null, counts: { pass: 0, fail: 0, skip: 0, error: 0 } });
    expect(row(m, '400-invalid-digest').observed.seen).toEqual([{ answer: '400 InvalidDigest', cases: 2 }]);
    // A 204 with other codes allowed (a race) is not inferred to be one: the suites flag those.
    expect(buildMatrix([{ ...multi, response: 'races', expected: { status: 204, code: null, codes: ['NoSuchVectorIndex', 'VectorIndexOperationConflict'] }, actual: { status: 204, code: null, requestId: null } }]).totals.pass).toBe(1);
  });
});
