// Reading the verifier's result, on verifier output recorded from real runs of `ovc pact verify`
// (test/pact/fixtures/verifier-*.json: the JSON pact-core resolved or rejected with). The expected
// results were written by the reader as it was before the verifier was split into its parts
// (expected-results.json), so these tests also pin that the split changed no outcome.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NEEDS_HOOK } from '../../scenario/states.ts';
import { readPact } from '../../pact/verify/source.ts';
import { exitCodeOf, interactionResults, parseVerifierOutput, summaryText, type InteractionResult } from '../../pact/verify/result.ts';

const FIXTURES = new URL('./fixtures/', import.meta.url);
const fixture = (name: string): string => readFileSync(new URL(name, FIXTURES), 'utf8');
const { pact, needsHook } = readPact(new URL('../../contracts/pacts/ovc-reference-client-oss-vectors.json', import.meta.url).pathname);
const expected = JSON.parse(fixture('expected-results.json')) as Record<string, InteractionResult[]>;

function read(name: string): InteractionResult[] {
  return interactionResults(pact, name.includes('no-hook') ? needsHook : [], parseVerifierOutput(fixture(name)));
}
const outcomes = (rs: readonly InteractionResult[]): Record<string, string> => Object.fromEntries(rs.map((r) => [r.description, r.outcome]));

describe('the verifier result reader, on recorded verifier output', () => {
  it.each(Object.keys(expected))('%s: the same outcomes and mismatch texts as before the split', (name) => {
    const got = read(name);
    const before = expected[name]!;
    expect(outcomes(got)).toEqual(outcomes(before));
    expect(got.map((r) => r.mismatches)).toEqual(before.map((r) => r.mismatches));
    // The reason of a replay's own answer is now read whole from its body (it was cut at the first quote).
    got.forEach((r, i) => expect(r.reason?.startsWith(before[i]!.reason ?? '') ?? before[i]!.reason === null, r.description).toBe(true));
  });

  it('all pass: every interaction passes, exit 0', () => {
    const rs = read('verifier-all-pass.json');
    expect(rs).toHaveLength(pact.interactions!.length);
    expect(rs.every((r) => r.outcome === 'pass')).toBe(true);
    expect(exitCodeOf(rs, { unreachable: false, crashed: false })).toBe(0);
  });

  it('a fault of the target is a fail with the verifier\'s mismatch text, exit 1', () => {
    const rs = read('verifier-fault-status-200-on-delete.json');
    const failed = rs.filter((r) => r.outcome === 'fail');
    expect(failed.map((r) => r.description).sort()).toEqual(['a delete of an enable index is answered 204', 'a delete of an index holding vectors is answered 204']);
    expect(failed[0]!.mismatches).toContain('expected 204 but was 200');
    expect(exitCodeOf(rs, { unreachable: false, crashed: false })).toBe(1);
    expect(summaryText('t', 'p.json', rs, null, [])).toContain('FAILED: "a delete of an enable index is answered 204", "a delete of an index holding vectors is answered 204"');
  });

  it('a failed state set-up is the error the verifier reports itself (its state-change call not answered 2xx), never a fail', () => {
    // Recorded from pact-core with the state-change call of 'a vector index exists' answered 500 and
    // a stand-in target answering 204 to everything (so the other interactions are plain fails); the
    // verifier reports a 422 (what ovc answers now) with the same message.
    const rs = read('verifier-state-change-failed.json');
    const errored = rs.filter((r) => r.outcome === 'error');
    expect(errored.map((r) => r.description).sort()).toEqual(['a delete of an enable index is answered 204', 'a delete of an index holding vectors is answered 204', 'an unsigned delete is answered 403 AccessDenied']);
    expect(errored.every((r) => r.reason === 'provider state setup failed (One or more of the setup state change handlers has failed)')).toBe(true);
    expect(summaryText('t', 'p.json', rs, null, [])).toContain('(error: provider state setup failed');
    expect(exitCodeOf(errored, { unreachable: false, crashed: false })).toBe(2);
  });

  it('no answer status decides error: a target answering 599 is a plain mismatch', () => {
    const raw = JSON.parse(fixture('verifier-fault-status-200-on-delete.json')) as { errors: Array<{ mismatch: { mismatches: Array<Record<string, unknown>> } }> };
    raw.errors[0]!.mismatch.mismatches.push({ type: 'StatusMismatch', expected: 204, actual: 599, mismatch: 'expected 204 but was 599', actualBody: 'ovc: provider state setup failed' });
    expect(interactionResults(pact, [], raw).filter((r) => r.outcome === 'error')).toEqual([]);
  });

  it('interactions left out for want of a state hook are skips with the one NEEDS_HOOK text', () => {
    const rs = read('verifier-no-hook-public-api.json');
    expect(rs.filter((r) => r.outcome === 'skip').map((r) => r.reason)).toEqual([NEEDS_HOOK, NEEDS_HOOK]);
    expect(exitCodeOf(rs, { unreachable: false, crashed: false })).toBe(0);
  });

  it('no verifier output at all: every interaction an error; unreachable with no pass: exit 2', () => {
    expect(parseVerifierOutput('Error: the verifier crashed')).toBeNull();
    const rs = interactionResults(pact, [], null);
    expect(rs.every((r) => r.outcome === 'error' && r.reason === 'the verifier did not run')).toBe(true);
    expect(exitCodeOf(read('verifier-fault-status-200-on-delete.json'), { unreachable: true, crashed: false })).toBe(1);
    expect(exitCodeOf(rs, { unreachable: true, crashed: false })).toBe(2);
    expect(exitCodeOf(read('verifier-all-pass.json'), { unreachable: false, crashed: true })).toBe(2);
  });
});
