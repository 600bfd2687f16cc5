// `ovc diff` as a user runs it: exit 0 (agree), 1 (differ), 2 (a side could not be run or read),
// on synthetic cassettes; and end to end through `ovc run --record` once the recorder exists.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../emulator/index.ts';
import { OVC, ROOT, runOvc } from '../selftest/run-cli.ts';
import { buildCassette, errorResponse, IDS, tamper, writeBuilt } from './fixtures.ts';
import { filesUnder, secretForms } from './scan.ts';

const root = mkdtempSync(join(tmpdir(), 'ovc-diff-cli-'));
const A = writeBuilt(join(root, 'a'), buildCassette({ runId: 'aaaaaa' }));
const B = writeBuilt(join(root, 'b'), buildCassette({ runId: 'bbbbbb', clock: 3 }));
const tampered = writeBuilt(join(root, 'tampered'), tamper(buildCassette({ runId: 'cccccc' }), IDS.absent, () => errorResponse({ runId: 'cccccc' }, 404, 'NoSuchIndex'), { outcome: 'fail' }));
const openOnly = writeBuilt(join(root, 'open'), tamper(buildCassette({ runId: 'dddddd' }), IDS.second, () => errorResponse({ runId: 'dddddd' }, 409, 'VectorIndexOperationConflict')));
const out = (name: string): string => join(root, `out-${name}`);
const jsonl = (dir: string): Array<{ id: string; kind: string }> => readFileSync(join(dir, 'diff.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));

describe('ovc diff on cassettes', () => {
  it('a cassette against itself: all same, exit 0', async () => {
    const r = await runOvc(['diff', '--cassette', A, '--against', A, '--out', out('self')]);
    expect(r.code, r.stderr).toBe(0);
    expect(jsonl(out('self')).every((l) => l.kind === 'same')).toBe(true);
    expect(r.stdout).toMatch(/8 same, 0 open, 0 differs/);
  });

  it('two recordings of the same behaviour (other prefix, ids, dates): exit 0', async () => {
    const r = await runOvc(['diff', '--cassette', A, '--against', B, '--out', out('ab')]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
  });

  it('a tampered copy differs: exit 1, the problem printed and written', async () => {
    const r = await runOvc(['diff', '--cassette', A, '--against', tampered, '--out', out('t')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/DIFFERS × 1 delete-vector-index\/404-no-such-vector-index\/generated-name/);
    expect(jsonl(out('t')).find((l) => l.id === IDS.absent)!.kind).toBe('differs');
    expect(readFileSync(join(out('t'), 'diff.md'), 'utf8')).toMatch(/DIFFERS × 1/);
    expect(readFileSync(join(out('t'), 'diff.html'), 'utf8')).toMatch(/DIFFERS × 1/);
  });

  it('a baseline accepting the difference: exit 0; an unused entry is reported stale', async () => {
    const file = join(root, 'accept.yaml');
    writeFileSync(file, `- id: ${IDS.absent}\n  kind: differs\n  reason: known in this fixture\n- id: delete-vector-index/gone*\n  kind: open\n  reason: answered since\n`);
    const r = await runOvc(['diff', '--cassette', A, '--against', tampered, '--baseline', file, '--out', out('bl')]);
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toMatch(/stale baseline entry: delete-vector-index\/gone\*/);
  });

  it('an open difference passes, and fails under --strict', async () => {
    expect((await runOvc(['diff', '--cassette', A, '--against', openOnly, '--out', out('o1')])).code).toBe(0);
    const strict = await runOvc(['diff', '--cassette', A, '--against', openOnly, '--strict', '--out', out('o2')]);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toMatch(/OPEN × 1/);
  });

  it('a side that cannot be read: exit 2', async () => {
    const broken = join(root, 'broken');
    cpSync(A, broken, { recursive: true });
    rmSync(join(broken, 'exchanges.jsonl'));
    const r1 = await runOvc(['diff', '--cassette', A, '--against', broken, '--out', out('b1')]);
    expect(r1.code).toBe(2);
    expect(r1.stderr).toMatch(/exchanges\.jsonl/);
    const r2 = await runOvc(['diff', '--cassette', join(root, 'nope'), '--against', A, '--out', out('b2')]);
    expect(r2.code).toBe(2);
    const r3 = await runOvc(['diff', '--against', join(root, 'nope'), '--out', out('b3')]);
    expect(r3.code).toBe(2);
    expect(r3.stderr).toMatch(/--against must be/);
  });
});

// ---- end to end: `ovc run --record` writes the cassettes both sides are compared on ------------------

const CREDS = { OSS_ACCESS_KEY_ID: 'diff-e2e-key', OSS_ACCESS_KEY_SECRET: 'diff-e2e-secret-value', OVC_DENIED_ACCESS_KEY_ID: 'diff-e2e-denied', OVC_DENIED_ACCESS_KEY_SECRET: 'diff-e2e-denied-secret' };
const IDENTITIES = [
  { accessKeyId: CREDS.OSS_ACCESS_KEY_ID, accessKeySecret: CREDS.OSS_ACCESS_KEY_SECRET },
  { accessKeyId: CREDS.OVC_DENIED_ACCESS_KEY_ID, accessKeySecret: CREDS.OVC_DENIED_ACCESS_KEY_SECRET, deniedActions: ['oss:DeleteVectorIndex'] },
];
const TAGS = '204-deleted || 404-no-such-vector-index || 400-malformed-json';
const running: RunningEmulator[] = [];
afterAll(async () => { await Promise.all(running.map((e) => e.close())); });

async function emulator(fault: string | null, opts: { deletingMs?: number } = {}): Promise<RunningEmulator> {
  const e = await startEmulator({ fault, identities: IDENTITIES, stateHook: true, ...opts });
  running.push(e);
  return e;
}

describe('ovc diff end to end', () => {
  it('`ovc run --help` offers --record', () => {
    const help = spawnSync(process.execPath, [OVC, 'run', '--help'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, PACT_DO_NOT_TRACK: 'true' } });
    expect(help.stdout).toMatch(/--record <dir>/);
  });

  it('the embedded emulator against a faithful emulator: all same, exit 0, no secret in any file', async () => {
    const e = await emulator(null);
    const dir = out('e2e-same');
    // With the sequences (the lifecycle model, the bucket lifecycle): their steps pair across the two
    // targets' addresses (diff/compare.ts askedOf), and answered alike they are the same, not open.
    const r = await runOvc(['diff', '--endpoint', e.url, '--state-hook', e.stateHookUrl!, '--against', 'embedded', '--seed', '7', '--runs', '3', '--tags', `${TAGS} || lifecycle || buckets`, '--out', dir], CREDS, 240_000);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(jsonl(dir).length).toBeGreaterThan(5);
    expect(jsonl(dir).filter((l) => l.id.includes('/lifecycle/') || l.id.includes('/buckets/')).length).toBeGreaterThan(1);
    expect(jsonl(dir).filter((l) => l.kind !== 'same').map((l) => `${l.id}: ${l.kind}`)).toEqual([]);
    for (const f of filesUnder(dir)) {
      const text = readFileSync(f, 'utf8');
      for (const s of [CREDS.OSS_ACCESS_KEY_SECRET, CREDS.OVC_DENIED_ACCESS_KEY_SECRET]) for (const form of secretForms(s)) expect(text.includes(form), `${form} in ${f}`).toBe(false);
    }
  });

  it('a fault profile against the faithful emulator: differs, exit 1', async () => {
    const faithful = await emulator(null);
    const faulty = await emulator('wrong-error-code');
    const dir = out('e2e-fault');
    const r = await runOvc(['diff', '--endpoint', faithful.url, '--state-hook', faithful.stateHookUrl!, '--against', faulty.url, '--against-state-hook', faulty.stateHookUrl!, '--seed', '7', '--runs', '3', '--tags', TAGS, '--out', dir], CREDS, 240_000);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(jsonl(dir).some((l) => l.kind === 'differs' && l.id.startsWith('delete-vector-index/404-no-such-vector-index/'))).toBe(true);
  });

  it('a recorded cassette against the emulator that recorded it: exit 0', async () => {
    const e = await emulator(null);
    const first = out('e2e-rec');
    expect((await runOvc(['diff', '--endpoint', e.url, '--state-hook', e.stateHookUrl!, '--against', 'embedded', '--seed', '11', '--runs', '2', '--tags', TAGS, '--out', first], CREDS, 240_000)).code).toBe(0);
    const r = await runOvc(['diff', '--against', join(first, 'sides', 'target', 'cassette'), '--tags', TAGS, '--out', out('e2e-rec2')], CREDS, 240_000);
    expect(r.code, r.stdout + r.stderr).toBe(0);
  });

  it('an unreachable side: exit 2', async () => {
    const r = await runOvc(['diff', '--endpoint', 'http://127.0.0.1:9', '--against', 'embedded', '--seed', '7', '--runs', '2', '--tags', TAGS, '--out', out('e2e-down')], CREDS, 240_000);
    expect(r.code).toBe(2);
  });
});

// One fault profile per family — a documented response's shape, authentication, name isolation,
// a coverage boundary: the diff of the faithful emulator against it differs exactly on the
// behaviour the profile breaks (an unrelated response's cases run too, and stay same/open); and a
// cassette recorded from the faithful emulator, replayed against the profile, says the same. (Every
// profile's detection is the fault-profile self-test's; two more families here cost CI ~20 s.)
const FAMILIES: Array<{ fault: string; tags: string; breaks: string[] }> = [
  { fault: 'status-200-on-delete', tags: '204-deleted || 404-no-such-bucket', breaks: ['delete-vector-index/204-deleted/'] },
  { fault: 'accept-unsigned', tags: '403-access-denied || 404-no-such-bucket', breaks: ['delete-vector-index/403-access-denied/unsigned'] },
  { fault: 'delete-by-prefix', tags: 'names || 404-no-such-bucket', breaks: ['delete-vector-index/names/prefix-sibling'] },
  { fault: 'accept-64-char-name', tags: 'coverage || 404-no-such-bucket', breaks: ['delete-vector-index/coverage/name-length-64', 'delete-vector-index/coverage/name-too-long/64'] },
];

describe('ovc diff against each fault profile family', () => {
  for (const f of FAMILIES) {
    it.concurrent(`${f.fault}: exit 1, and only ${f.breaks.join(', ')} differ`, async () => {
      const faithful = await emulator(null);
      const faulty = await emulator(f.fault);
      const dir = out(`family-${f.fault}`);
      const r = await runOvc(['diff', '--endpoint', faithful.url, '--state-hook', faithful.stateHookUrl!, '--against', faulty.url, '--against-state-hook', faulty.stateHookUrl!, '--seed', '5', '--runs', '3', '--tags', f.tags, '--out', dir], CREDS, 240_000);
      expect(r.code, r.stdout + r.stderr).toBe(1);
      const differing = jsonl(dir).filter((l) => l.kind === 'differs').map((l) => l.id);
      expect(differing.length).toBeGreaterThan(0);
      expect(differing.filter((id) => !f.breaks.some((b) => id.startsWith(b)))).toEqual([]);
      // The recorded faithful side, replayed against the profile: the same cases differ.
      const replay = out(`family-${f.fault}-cassette`);
      const again = await runOvc(['diff', '--endpoint', faulty.url, '--state-hook', faulty.stateHookUrl!, '--against', join(dir, 'sides', 'target', 'cassette'), '--tags', f.tags, '--out', replay], CREDS, 240_000);
      expect(again.code, again.stdout + again.stderr).toBe(1);
      const differingAgain = jsonl(replay).filter((l) => l.kind === 'differs').map((l) => l.id);
      expect(differingAgain.length).toBeGreaterThan(0);
      expect(differingAgain.filter((id) => !f.breaks.some((b) => id.startsWith(b)))).toEqual([]);
    });
  }
});

describe('ovc diff with a slow target', () => {
  it('a realistic emulator (latency, 200–1500 ms transitions) against the embedded one: nothing differs, exit 0', async () => {
    const slow = await startEmulator({ identities: IDENTITIES, stateHook: true, realistic: true });
    running.push(slow);
    const dir = out('slow');
    const r = await runOvc(['diff', '--endpoint', slow.url, '--state-hook', slow.stateHookUrl!, '--against', 'embedded', '--seed', '9', '--runs', '3', '--tags', '204-deleted || 404-no-such-vector-index || 409-vector-index-operation-conflict || races', '--out', dir], CREDS, 300_000);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const lines = jsonl(dir);
    expect(lines.filter((l) => l.kind === 'differs').map((l) => l.id)).toEqual([]);
    expect(lines.length).toBeGreaterThan(5);
  });
});
