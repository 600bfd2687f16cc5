// Classification: same / open (with the §12 question) / differs, on synthetic cassettes.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCassette } from '../../diff/cassette.ts';
import { diffCassettes, type CaseDiff } from '../../diff/classify.ts';
import { buildCassette, errorResponse, IDS, noContent, tamper, writeBuilt, type Built } from './fixtures.ts';

const A = { runId: 'aaaaaa' };
const B = { runId: 'bbbbbb', clock: 5 };

function diff(left: Built, right: Built) {
  const root = mkdtempSync(join(tmpdir(), 'ovc-diff-cls-'));
  return diffCassettes(readCassette(writeBuilt(join(root, 'l'), left)), readCassette(writeBuilt(join(root, 'r'), right)));
}
const find = (cases: CaseDiff[], id: string): CaseDiff => {
  const c = cases.find((x) => x.id === id);
  if (!c) throw new Error(`no case ${id}`);
  return c;
};

describe('classification', () => {
  it('two faithful runs with other prefixes, request ids and dates are all same', () => {
    const r = diff(buildCassette(A), buildCassette(B));
    expect(r.cases.filter((c) => c.kind !== 'same').map((c) => [c.id, c.differences])).toEqual([]);
    expect(r.counts).toEqual({ same: 8, open: 0, differs: 0 });
  });

  it('a second delete answered 409 on one side (unknown case, both pass) is open and speaks to U5', () => {
    const right = tamper(buildCassette(B), IDS.second, () => errorResponse(B, 409, 'VectorIndexOperationConflict'));
    const c = find(diff(buildCassette(A), right).cases, IDS.second);
    expect(c.kind).toBe('open');
    expect(c.questions[0]).toBe('U5');
  });

  it('a multi-fault case answered with the other allowed code is open and speaks to U2', () => {
    const right = tamper(buildCassette(B), IDS.multi, () => errorResponse(B, 404, 'NoSuchVectorIndex'));
    const c = find(diff(buildCassette(A), right).cases, IDS.multi);
    expect(c.kind).toBe('open');
    expect(c.questions).toContain('U2');
  });

  it('a wrong error code (the side fails) differs', () => {
    const right = tamper(buildCassette(B), IDS.absent, () => errorResponse(B, 404, 'NoSuchIndex'), { outcome: 'fail', reason: 'expected Error.Code NoSuchVectorIndex, got NoSuchIndex' });
    const c = find(diff(buildCassette(A), right).cases, IDS.absent);
    expect(c.kind).toBe('differs');
    expect(c.differences[0]).toMatchObject({ aspect: 'outcome', left: 'pass', right: 'fail' });
  });

  it('an answer outside the expected set differs even if the side claims a pass', () => {
    const right = tamper(buildCassette(B), IDS.deleted, () => ({ ...noContent(B), status: 200 }));
    const c = find(diff(buildCassette(A), right).cases, IDS.deleted);
    expect(c.kind).toBe('differs');
    expect(c.differences).toEqual([expect.objectContaining({ aspect: 'answer', left: '204', right: '200', documented: true })]);
  });

  it('an undocumented extra header on one side is open (undocumented)', () => {
    const right = tamper(buildCassette(B), IDS.malformed, () => errorResponse(B, 400, 'MalformedJson', { headers: { 'x-oss-extra': 'v' } }));
    const c = find(diff(buildCassette(A), right).cases, IDS.malformed);
    expect(c.kind).toBe('open');
    expect(c.questions).toEqual(['undocumented']);
  });

  it('a case on one side only differs; skipped on one side is open and not comparable', () => {
    const right = buildCassette(B);
    right.results = right.results.filter((r) => r.id !== IDS.noBucket).map((r) => (r.id === IDS.malformed ? { ...r, outcome: 'skip' as const, reason: 'no state hook' } : r));
    right.exchanges = right.exchanges.filter((x) => x.caseId !== IDS.noBucket && x.caseId !== IDS.malformed);
    const cases = diff(buildCassette(A), right).cases;
    expect(find(cases, IDS.noBucket)).toMatchObject({ kind: 'differs', right: null });
    expect(find(cases, IDS.malformed)).toMatchObject({ kind: 'open', questions: expect.arrayContaining(['not-comparable']) });
  });

  it('the same difference on several cases has one signature', () => {
    let right = buildCassette(B);
    for (const id of [IDS.absent, IDS.absent1]) right = tamper(right, id, () => errorResponse(B, 404, 'NoSuchIndex'), { outcome: 'fail' });
    const cases = diff(buildCassette(A), right).cases;
    expect(find(cases, IDS.absent).signature).toBe(find(cases, IDS.absent1).signature);
    expect(find(cases, IDS.absent).signature).not.toBe(find(cases, IDS.deleted).signature);
  });

  it('parallel deletes: another allowed loser code is open (U5), a second winner differs', () => {
    const conflicted = tamper(buildCassette(B), IDS.race, (x) => (x.seq === 4 ? noContent(B) : errorResponse(B, 409, 'VectorIndexOperationConflict')));
    expect(find(diff(buildCassette(A), conflicted).cases, IDS.race)).toMatchObject({ kind: 'open', questions: expect.arrayContaining(['U5']) });
    const twoWinners = tamper(buildCassette(B), IDS.race, (x) => (x.seq <= 5 && x.seq >= 4 ? noContent(B) : errorResponse(B, 404, 'NoSuchVectorIndex')), { outcome: 'fail' });
    expect(find(diff(buildCassette(A), twoWinners).cases, IDS.race).kind).toBe('differs');
  });

  it('a case with its own model (expected null, e.g. the lifecycle) that passes on both sides is open, and differs once a side fails', () => {
    const life = 'delete-vector-index/lifecycle/sequence#0';
    const withLife = (b: Built, code: string, over: Partial<Built['results'][number]> = {}): Built => ({
      meta: b.meta,
      exchanges: [...b.exchanges, { caseId: life, seq: 0, role: 'when', op: 'DeleteVectorIndex', exchange: { request: { method: 'POST', url: 'u', headers: {}, body: '' }, response: errorResponse(B, code === 'NoSuchVectorIndex' ? 404 : 409, code), startedAt: '', durationMs: 0 } }],
      results: [...b.results, { id: life, response: 'lifecycle model', outcome: 'pass', expected: null, actual: null, labels: [], reason: null, seed: 7, durationMs: 1, ...over }],
    });
    const open = find(diff(withLife(buildCassette(A), 'NoSuchVectorIndex'), withLife(buildCassette(B), 'VectorIndexOperationConflict')).cases, life);
    expect(open).toMatchObject({ kind: 'open', questions: expect.arrayContaining(['U5', 'U6']) });
    const failed = find(diff(withLife(buildCassette(A), 'NoSuchVectorIndex'), withLife(buildCassette(B), 'VectorIndexOperationConflict', { outcome: 'fail' })).cases, life);
    expect(failed.kind).toBe('differs');
  });
});
