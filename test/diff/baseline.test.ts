// Diff baselines: parsing (JSON, YAML), accepted cases do not fail, stale entries are reported,
// --strict fails on open cases too.
import { describe, expect, it } from 'vitest';
import { applyDiffBaseline, parseDiffBaseline } from '../../diff/baseline.ts';
import type { CaseDiff, Kind } from '../../diff/classify.ts';
import { ReportInputError } from '../../reports/errors.ts';

const c = (id: string, kind: Kind): CaseDiff => ({ id, behaviour: id.replace(/#\d+$/, ''), response: 'r', kind, left: null, right: null, differences: [], notes: [], questions: [], signature: kind });

describe('diff baseline', () => {
  it('reads a JSON list and a YAML mapping with `accepted`', () => {
    expect(parseDiffBaseline('[{"id":"a/b","kind":"differs","reason":"known"}]', 'b.json')).toEqual([{ id: 'a/b', kind: 'differs', reason: 'known' }]);
    expect(parseDiffBaseline('accepted:\n  - id: a/*\n    kind: open\n    reason: U5 answered otherwise\n', 'b.yaml')).toEqual([{ id: 'a/*', kind: 'open', reason: 'U5 answered otherwise' }]);
  });

  it('refuses entries without a reason, with another kind, or with a * inside', () => {
    expect(() => parseDiffBaseline('[{"id":"a","kind":"differs"}]')).toThrow(ReportInputError);
    expect(() => parseDiffBaseline('[{"id":"a","kind":"same","reason":"x"}]')).toThrow(/kind/);
    expect(() => parseDiffBaseline('[{"id":"a*b","kind":"open","reason":"x"}]')).toThrow(/\*/);
    expect(() => parseDiffBaseline('{"other":1}')).toThrow(ReportInputError);
  });

  it('accepted differences do not fail; the rest do; an unused entry is stale', () => {
    const cases = [c('x/a#1', 'differs'), c('x/a#2', 'differs'), c('x/b', 'differs'), c('x/c', 'open'), c('x/d', 'same')];
    const gate = applyDiffBaseline(cases, [
      { id: 'x/a*', kind: 'differs', reason: 'known emulator gap' },
      { id: 'x/c', kind: 'differs', reason: 'wrong kind: stale' },
      { id: 'x/gone', kind: 'open', reason: 'fixed' },
    ], false);
    expect(gate.failing.map((x) => x.id)).toEqual(['x/b']);
    expect(gate.accepted.map((x) => x.id)).toEqual(['x/a#1', 'x/a#2']);
    expect(cases[0]!.accepted).toEqual({ reason: 'known emulator gap' });
    expect(gate.stale.map((e) => e.id)).toEqual(['x/c', 'x/gone']);
    expect(gate.exitCode).toBe(1);
  });

  it('open cases fail only under --strict', () => {
    expect(applyDiffBaseline([c('x/c', 'open')], [], false).exitCode).toBe(0);
    expect(applyDiffBaseline([c('x/c', 'open')], [], true).exitCode).toBe(1);
    expect(applyDiffBaseline([c('x/c', 'open')], [{ id: 'x/c', kind: 'open', reason: 'U5' }], true).exitCode).toBe(0);
  });
});
