import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyBaseline, baselineFromResults, formatBaseline, loadBaseline, parseBaseline, type Baseline } from '../../reports/baseline.ts';
import { ReportInputError } from '../../reports/errors.ts';
import { ERROR_ID, FAILING_ID, FIXTURE_BASELINE, fixtureResults, KNOWN_ID } from './fixtures.ts';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'ovc-baseline-'));

describe('the gate', () => {
  it('without a baseline: exit 1 when any case fails or errors, every such case a regression', () => {
    const gate = applyBaseline(fixtureResults(), null);
    expect(gate.exitCode).toBe(1);
    expect(gate.regressions.map((r) => r.id).sort()).toEqual([ERROR_ID, FAILING_ID, KNOWN_ID].sort());
    expect(gate.known).toEqual([]);
  });

  it('without a baseline: exit 0 when nothing fails or errors', () => {
    const ok = fixtureResults().filter((r) => r.outcome === 'pass' || r.outcome === 'skip');
    expect(applyBaseline(ok, null).exitCode).toBe(0);
  });

  it('a regression (a failure no entry lists) → 1; listed failures are marked and shown apart', () => {
    const results = fixtureResults();
    const gate = applyBaseline(results, FIXTURE_BASELINE);
    expect(gate.exitCode).toBe(1);
    expect(gate.regressions.map((r) => r.id)).toEqual([FAILING_ID]);
    expect(gate.known.map((r) => r.id).sort()).toEqual([ERROR_ID, KNOWN_ID].sort());
    expect(results.find((r) => r.id === KNOWN_ID)!.baseline).toEqual({ reason: FIXTURE_BASELINE.deviations[0]!.reason, link: 'https://example.invalid/issues/1' });
    expect(results.find((r) => r.id === ERROR_ID)!.baseline?.reason).toBe('vectors cannot be written on this target'); // prefix entry
    expect(results.find((r) => r.id === FAILING_ID)!.baseline).toBeUndefined();
  });

  it('all failures known → 0', () => {
    const baseline: Baseline = { deviations: [...FIXTURE_BASELINE.deviations, { id: FAILING_ID, reason: 'emulator quirk' }] };
    const gate = applyBaseline(fixtureResults(), baseline);
    expect(gate).toMatchObject({ exitCode: 0, regressions: [], stale: [] });
    expect(gate.known).toHaveLength(3);
  });

  it('a stale entry (its case now passes) → 1; an entry matching no case is neither stale nor known', () => {
    const passing = 'delete-vector-index/400-malformed-json/generated-body#2';
    const baseline: Baseline = { deviations: [...FIXTURE_BASELINE.deviations, { id: FAILING_ID, reason: 'r' }, { id: passing, reason: 'was broken' }, { id: 'delete-vector-index/other-shard/x', reason: 'r' }] };
    const gate = applyBaseline(fixtureResults(), baseline);
    expect(gate.exitCode).toBe(1);
    expect(gate.regressions).toEqual([]);
    expect(gate.stale.map((e) => e.id)).toEqual([passing]);
    expect(gate.unmatched.map((e) => e.id)).toEqual(['delete-vector-index/other-shard/x']);
  });

  it('re-applying clears marks from an earlier baseline', () => {
    const results = fixtureResults();
    applyBaseline(results, FIXTURE_BASELINE);
    applyBaseline(results, null);
    expect(results.some((r) => r.baseline)).toBe(false);
  });
});

describe('baseline files', () => {
  it('loads YAML and JSON and both give the same baseline', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'b.yaml'), `# known deviations of the emulator\ntarget: embedded emulator\ndeviations:\n  - id: ${KNOWN_ID}\n    reason: the state hook cannot hold an index in creating on this target\n    link: https://example.invalid/issues/1\n  - id: "delete-vector-index/204-deleted/with-*"\n    reason: vectors cannot be written on this target\n`);
    writeFileSync(join(dir, 'b.json'), JSON.stringify(FIXTURE_BASELINE));
    writeFileSync(join(dir, 'b.txt'), JSON.stringify(FIXTURE_BASELINE));
    expect(loadBaseline(join(dir, 'b.yaml'))).toEqual(FIXTURE_BASELINE);
    expect(loadBaseline(join(dir, 'b.json'))).toEqual(FIXTURE_BASELINE);
    expect(loadBaseline(join(dir, 'b.txt'))).toEqual(FIXTURE_BASELINE); // sniffed by content
  });

  it('round-trips what baselineFromResults writes, in both formats', () => {
    const b = baselineFromResults(fixtureResults(), 'accepted for now', 'embedded emulator');
    expect(b.deviations.map((d) => d.id)).toEqual([ERROR_ID, FAILING_ID, KNOWN_ID].sort());
    expect(parseBaseline(formatBaseline(b, 'yaml'), 'x.yaml')).toEqual(b);
    expect(parseBaseline(formatBaseline(b, 'json'), 'x.json')).toEqual(b);
    expect(applyBaseline(fixtureResults(), b).exitCode).toBe(0);
  });

  it('refuses malformed baselines with a sentence naming the file', () => {
    const bad: Array<[string, RegExp]> = [
      ['deviations: [{id: a}]', /reason/],
      ['deviations: [{id: "a*b", reason: r}]', /only at the end/],
      ['deviations: [{id: a, reason: r}, {id: a, reason: s}]', /twice/],
      ['deviations: {id: a}', /must be a list/],
      ['deviation: []', /unknown key 'deviation'/],
      ['deviations: [{id: a, reason: r, why: x}]', /unknown key 'why'/],
      ['{ "deviations": [', /not valid JSON/],
      ['deviations: [', /not valid YAML/],
    ];
    for (const [text, message] of bad) {
      expect(() => parseBaseline(text, 'known.yaml'), text).toThrow(ReportInputError);
      expect(() => parseBaseline(text, 'known.yaml'), text).toThrow(message);
    }
    expect(() => loadBaseline('/nonexistent/baseline.yaml')).toThrow(/baseline: no such file/);
  });

  it('an empty file is an empty baseline', () => {
    expect(parseBaseline('', 'empty.yaml')).toEqual({ deviations: [] });
  });
});
