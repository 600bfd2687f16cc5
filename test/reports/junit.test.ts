import { describe, expect, it } from 'vitest';
import { applyBaseline } from '../../reports/baseline.ts';
import { toJUnit } from '../../reports/junit.ts';
import { buildMatrix } from '../../reports/matrix.ts';
import { FAILING_ID, FIXTURE_BASELINE, fixtureResults, fixtureSummary, fixtureView, KNOWN_ID } from './fixtures.ts';
import { findAll, parseXml } from './xml.ts';

function junit(withBaseline: boolean) {
  const results = fixtureResults();
  if (withBaseline) applyBaseline(results, FIXTURE_BASELINE);
  const xml = toJUnit(fixtureView(results));
  return { xml, doc: parseXml(xml), results };
}

describe('junit.xml', () => {
  it('is well-formed XML with one testsuite per matrix row, in matrix order', () => {
    const { doc, results } = junit(false);
    expect(doc.name).toBe('testsuites');
    expect(doc.children.map((s) => s.attrs.name)).toEqual(buildMatrix(results).rows.map((r) => r.label));
    expect(doc.attrs).toMatchObject({ tests: '11', failures: '2', errors: '1' });
    expect(doc.children.reduce((n, s) => n + Number(s.attrs.skipped), 0)).toBe(1);
  });

  it('names every case exactly once, with the response label as classname', () => {
    const { doc, results } = junit(false);
    const cases = findAll(doc, 'testcase');
    expect(cases).toHaveLength(results.length);
    for (const r of results) {
      const found = cases.filter((c) => c.attrs.name === r.id);
      expect(found, r.id).toHaveLength(1);
      expect(found[0]!.attrs.classname).toBe(r.response);
    }
  });

  it('gives the failing case a <failure> with reason, expected vs actual, seed and replay', () => {
    const { doc } = junit(false);
    const tc = findAll(doc, 'testcase').find((c) => c.attrs.name === FAILING_ID)!;
    const failure = tc.children.find((c) => c.name === 'failure')!;
    expect(failure.attrs.type).toBe('expected 404 NoSuchVectorIndex, got 400 VectorIndexParameterInvalid');
    expect(failure.attrs.message).toContain('<script>alert(1)</script> & "quotes"'); // escaped in the file, intact when parsed
    expect(failure.text).toContain('seed:      123');
    expect(failure.text).toContain("replay:    npx ovc run --seed 123 --runs 500 --tags '404-no-such-vector-index'");
    expect(failure.text).toContain('curl:');
  });

  it('writes error and skip cases as <error> and <skipped>, and a known deviation as <skipped> that says so', () => {
    const plain = junit(false).doc;
    const kinds = (doc: typeof plain) => Object.fromEntries(findAll(doc, 'testcase').map((c) => [c.attrs.name, c.children.map((x) => x.name).join(',')]));
    expect(Object.values(kinds(plain)).filter((k) => k === 'error')).toHaveLength(1);
    const known = junit(true).doc;
    const tc = findAll(known, 'testcase').find((c) => c.attrs.name === KNOWN_ID)!;
    expect(tc.children[0]!.name).toBe('skipped');
    expect(tc.children[0]!.attrs.message).toMatch(/^known deviation \(baseline\)/);
    expect(known.attrs).toMatchObject({ failures: '1', errors: '0' });
    expect(known.children.reduce((n, s) => n + Number(s.attrs.skipped), 0)).toBe(3);
  });

  it('strips characters XML cannot hold', () => {
    const results = fixtureResults();
    results[0] = { ...results[0]!, outcome: 'fail', reason: 'bad byte \u0000 and \u001b[31m escape' };
    const xml = toJUnit(fixtureView(results));
    expect(() => parseXml(xml)).not.toThrow();
    expect(xml).toContain('bad byte  and [31m escape');
  });

  it('is stable: the same cases in another order give the same file', () => {
    const results = fixtureResults();
    expect(toJUnit(fixtureView([...results].reverse(), fixtureSummary(results)))).toBe(toJUnit(fixtureView(results)));
  });
});
