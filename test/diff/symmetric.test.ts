// `ovc diff` runs both sides with the same generation options — seed, runs, strictness, tags, and a
// second bucket only when both sides have one — and says so in one line; so a target diffed
// against itself, or a one-bucket `ovc serve` against the embedded emulator, never differs.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { runArgs } from '../../cli/diff.ts';
import { alignSides, type SideShape } from '../../diff/alignment.ts';
import { compareExchanges, normaliser } from '../../diff/compare.ts';
import type { CassetteMeta } from '../../diff/cassette.ts';
import { startEmulator, type RunningEmulator } from '../../emulator/index.ts';
import { runOvc } from '../selftest/run-cli.ts';
import { exchange, indexBody, metaFor, ok200, rec } from './fixtures.ts';

const embedded: SideShape = { kind: 'run', endpoint: null };
const oneBucket: SideShape = { kind: 'run', endpoint: 'http://127.0.0.1:9000' };
const twoBucket: SideShape = { kind: 'run', endpoint: 'http://127.0.0.1:9000', otherBucket: 'b2' };
const cassette = (m: Partial<CassetteMeta>): SideShape => ({ kind: 'cassette', meta: { format: 'ovc-cassette/1', seed: 7, runs: 30, strict: false, target: 't', prefix: 'ovcabcdef', bucket: 'b', otherBucket: null, absentBucket: 'x', accountId: '1', region: 'r', createdAt: '2026-12-06T00:00:00Z', tags: null, ...m } });
const flags = { strict: false, defaultRuns: 100 };
const never = (): number => { throw new Error('no seed should be picked'); };

describe('ovc diff aligns the generation options of both sides', () => {
  it('an endpoint without a second bucket against the embedded emulator: both run with one bucket, and the line says why', () => {
    const a = alignSides([oneBucket, embedded], { ...flags, seed: 42, runs: 500 }, never);
    expect(a).toMatchObject({ seed: 42, runs: 500, strict: false, twoBuckets: false, warnings: [] });
    expect(a.line).toBe('both sides run with seed 42, runs 500, not strict, every case, one bucket (the target has no second bucket)');
    expect(alignSides([embedded, oneBucket], { ...flags, seed: 1 }, never).line).toMatch(/one bucket \(the other side has no second bucket\)$/);
    expect(alignSides([oneBucket, oneBucket], { ...flags, seed: 1 }, never).line).toMatch(/one bucket \(neither side has a second bucket\)$/);
  });

  it('two buckets only when both sides have one: the embedded emulator, an endpoint with --other-bucket, a cassette recorded with one', () => {
    expect(alignSides([embedded, embedded], { ...flags, seed: 1 }, never).twoBuckets).toBe(true);
    expect(alignSides([twoBucket, embedded], { ...flags, seed: 1 }, never).twoBuckets).toBe(true);
    expect(alignSides([cassette({ otherBucket: 'b2' }), embedded], flags, never)).toMatchObject({ twoBuckets: true, warnings: [] });
    expect(alignSides([cassette({ otherBucket: null }), embedded], flags, never).twoBuckets).toBe(false);
  });

  it('a cassette fixes seed, runs and strictness for the live side, and says which flags it overrode', () => {
    const a = alignSides([twoBucket, cassette({ seed: 7, runs: 30, strict: true, tags: 'races', otherBucket: 'b2' })], { strict: false, seed: 9, runs: 5, defaultRuns: 100 }, never);
    expect(a).toMatchObject({ seed: 7, runs: 30, strict: true, tags: 'races', twoBuckets: true });
    expect(a.line).toBe("both sides run with seed 7, runs 30, strict, tags 'races', two buckets");
    expect(a.warnings.join('\n')).toMatch(/seed 7, not --seed 9[\s\S]*30 runs, not --runs 5/);
  });

  it('what cannot be aligned is said: a two-bucket cassette against a one-bucket side, two cassettes recorded differently', () => {
    expect(alignSides([oneBucket, cassette({ otherBucket: 'b2' })], flags, never).warnings.join('\n')).toMatch(/the other side's cassette was recorded with a second bucket and the target has none/);
    const two = alignSides([cassette({ seed: 1, strict: true }), cassette({ seed: 2, tags: 'races' })], flags, never);
    expect(two.warnings.join('\n')).toMatch(/different seeds or runs[\s\S]*one strict, one not[\s\S]*different tags/);
  });

  it('without a cassette or --seed a seed is picked once, and --runs falls back to the default', () => {
    expect(alignSides([embedded, embedded], flags, () => 123)).toMatchObject({ seed: 123, runs: 100 });
  });

  it('a one-bucket alignment runs the embedded emulator without its second bucket, and an endpoint without --other-bucket', () => {
    const common = { seed: 1, runs: 2, strict: false, twoBuckets: false };
    expect(runArgs({ kind: 'run', endpoint: null, region: 'r', bucket: 'b', accountId: '1' }, common, '/c', '/o')).toContain('--no-other-bucket');
    expect(runArgs({ kind: 'run', endpoint: 'http://x', region: 'r', bucket: 'b', accountId: '1', otherBucket: 'b2' }, common, '/c', '/o')).not.toContain('--other-bucket');
    const both = runArgs({ kind: 'run', endpoint: 'http://x', region: 'r', bucket: 'b', accountId: '1', otherBucket: 'b2' }, { ...common, twoBuckets: true }, '/c', '/o');
    expect(both.join(' ')).toContain('--other-bucket b2');
    expect(runArgs({ kind: 'run', endpoint: null, region: 'r', bucket: 'b', accountId: '1' }, { ...common, twoBuckets: true }, '/c', '/o')).not.toContain('--no-other-bucket');
  });
});

describe('ovc diff pairs the steps of a sequence that waits on two names side by side', () => {
  const A = { runId: 'aaaaaa' };
  const B = { runId: 'bbbbbb', clock: 5 };
  // Two creates side by side, each polled until enabled: the polls are recorded as their answers came.
  const steps = (v: typeof A, gets: readonly string[]) => [
    rec('c', 0, 'when', 'PutVectorIndex', exchange(v, 'putVectorIndex', ok200(v), JSON.stringify({ indexName: `ovc${v.runId}n0` }))),
    rec('c', 1, 'when', 'PutVectorIndex', exchange(v, 'putVectorIndex', ok200(v), JSON.stringify({ indexName: `ovc${v.runId}N0` }))),
    ...gets.map((n, i) => rec('c', 2 + i, 'when', 'GetVectorIndex', exchange(v, 'getVectorIndex', ok200(v, indexBody(v, n)), JSON.stringify({ indexName: `ovc${v.runId}${n}` })))),
    rec('c', 4, 'when', 'DeleteVectorIndex', exchange(v, 'deleteVectorIndex', ok200(v), JSON.stringify({ indexName: `ovc${v.runId}n0` }))),
  ];

  it('the same requests answered in another order are the same steps', () => {
    const d = compareExchanges(steps(A, ['N0', 'n0']), steps(B, ['n0', 'N0']), normaliser(metaFor(A)), normaliser(metaFor(B)));
    expect(d.differences).toEqual([]);
    // The second create sent after the first one's poll, on one side only.
    const interleaved = steps(B, ['n0', 'N0']);
    [interleaved[1], interleaved[2]] = [interleaved[2]!, interleaved[1]!];
    expect(compareExchanges(steps(A, ['N0', 'n0']), interleaved, normaliser(metaFor(A)), normaliser(metaFor(B))).differences).toEqual([]);
  });

  it('a request one side sent and the other did not is where the sequences went apart', () => {
    const right = steps(B, ['n0', 'N0']);
    right[4] = rec('c', 4, 'when', 'GetVectorIndex', exchange(B, 'getVectorIndex', ok200(B, indexBody(B, 'n0')), JSON.stringify({ indexName: 'ovcbbbbbbn0' })));
    const d = compareExchanges(steps(A, ['N0', 'n0']), right, normaliser(metaFor(A)), normaliser(metaFor(B)));
    expect(d.differences).toEqual([expect.objectContaining({ subject: 'step of the sequence', left: 'DeleteVectorIndex 200', right: 'GetVectorIndex 200' })]);
  });

  it('another answer to one of them still differs', () => {
    const right = steps(B, ['n0', 'N0']);
    right[2]!.exchange.response!.body = indexBody(B, 'n0', 'creating');
    const d = compareExchanges(steps(A, ['N0', 'n0']), right, normaliser(metaFor(A)), normaliser(metaFor(B)));
    expect(d.differences.map((x) => `${x.where} ${x.left} ${x.right}`)).toEqual([expect.stringMatching(/^when\[\d\] enable creating$/)]);
  });
});

// ---- end to end: the measurement, bounded for CI (10 seeds × 10 runs by hand: docs/diff.md) --------

const CREDS = { OSS_ACCESS_KEY_ID: 'sym-key', OSS_ACCESS_KEY_SECRET: 'sym-secret-value', OVC_DENIED_ACCESS_KEY_ID: 'sym-denied', OVC_DENIED_ACCESS_KEY_SECRET: 'sym-denied-secret' };
const IDENTITIES = [
  { accessKeyId: CREDS.OSS_ACCESS_KEY_ID, accessKeySecret: CREDS.OSS_ACCESS_KEY_SECRET },
  { accessKeyId: CREDS.OVC_DENIED_ACCESS_KEY_ID, accessKeySecret: CREDS.OVC_DENIED_ACCESS_KEY_SECRET, deniedActions: ['oss:DeleteVectorIndex'] },
];
// The generated sequences (lifecycle) and the cross-bucket case (names): what a second bucket changes.
const TAGS = 'lifecycle || names';
const SEEDS = [1, 2, 3, 4];
const root = mkdtempSync(join(tmpdir(), 'ovc-diff-sym-'));
const running: RunningEmulator[] = [];
afterAll(async () => { await Promise.all(running.map((e) => e.close())); });
const differing = (dir: string): string[] => readFileSync(join(dir, 'diff.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: string; kind: string }).filter((l) => l.kind === 'differs').map((l) => l.id);

describe('ovc diff of targets that behave alike', () => {
  it.each(SEEDS)('a one-bucket ovc serve against the embedded emulator, seed %i: 0 differs, exit 0', { timeout: 240_000 }, async (seed) => {
    const e = await startEmulator({ identities: IDENTITIES, stateHook: true });
    running.push(e);
    expect(e.buckets).toHaveLength(1);
    const dir = join(root, `serve-${seed}`);
    const r = await runOvc(['diff', '--endpoint', e.url, '--state-hook', e.stateHookUrl!, '--against', 'embedded', '--seed', String(seed), '--runs', '5', '--tags', TAGS, '--out', dir], CREDS, 240_000);
    expect(differing(dir), r.stdout).toEqual([]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stderr).toContain(`ovc diff: both sides run with seed ${seed}, runs 5, not strict, tags '${TAGS}', one bucket (the target has no second bucket)`);
  });

  it('a target against itself, strict, seed 5: 0 differs, exit 0', { timeout: 240_000 }, async () => {
    const e = await startEmulator({ identities: IDENTITIES, stateHook: true });
    running.push(e);
    const dir = join(root, 'self');
    const r = await runOvc(['diff', '--endpoint', e.url, '--state-hook', e.stateHookUrl!, '--against', e.url, '--against-state-hook', e.stateHookUrl!, '--seed', '5', '--runs', '5', '--strict', '--tags', TAGS, '--out', dir], CREDS, 240_000);
    expect(differing(dir), r.stdout).toEqual([]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
  });
});
