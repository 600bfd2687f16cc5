// Files: write only what is ours (DESIGN rule 6). Every output path of `ovc run` is claimed before
// the run: a file, a folder ovc did not write, an unwritable place or a kernel file system is
// refused with exit 2 and one sentence, within 2 s, and left exactly as it was.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { claimOutputDir, OUTPUT_MARK } from '../../cli/paths.ts';
import { PathRefused } from '../../files/gate.ts';
import { runOvc } from '../selftest/run-cli.ts';

const base = mkdtempSync(join(tmpdir(), 'ovc-outputs-'));
const userFile = join(base, 'notes.txt');
writeFileSync(userFile, 'the user\'s own notes\n');
const foreign = join(base, 'foreign');
mkdirSync(foreign);
writeFileSync(join(foreign, 'keep.me'), 'precious\n');

/** Everything under `dir` with its content, to show it untouched. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of readdirSync(dir, { recursive: true }) as string[]) {
    const p = join(dir, n);
    out[n] = statSync(p).isDirectory() ? '<dir>' : readFileSync(p, 'utf8');
  }
  return out;
}

describe('ovc run refuses output paths that are not its own', () => {
  const before = snapshot(base);
  it.each([
    [['--record', userFile], /--record: '.*notes\.txt' is a file; give a folder/],
    [['--record', foreign], /--record: the folder '.*foreign' holds files ovc did not write \(e\.g\. 'keep\.me'\)/],
    [['--out', userFile], /--out: '.*notes\.txt' is a file; give a folder/],
    [['--out', foreign], /--out: the folder '.*foreign' holds files ovc did not write/],
    [['--out', join(userFile, 'sub')], /--out: cannot create the folder '.*notes\.txt\/sub': a part of the path is a file/],
    [['--out', '/proc/ovc-out'], /--out: '\/proc\/ovc-out' is on the kernel's proc file system/],
    [['--out', '/sys/ovc-out'], /--out: '\/sys\/ovc-out' is on the kernel's sysfs file system/],
    [['--ca-file', base], /--ca-file: '.*' is a folder; give a file/],
    [['--baseline', base], /--baseline: '.*' is a folder; give a file/],
    [['--baseline', join(base, 'missing.yaml')], /--baseline: no such file/],
    [['--state-dir', userFile, '--endpoint', 'http://127.0.0.1:9'], /--state-dir: '.*notes\.txt' is a file; give a folder/],
  ])('%j: exit 2 within 2 s, one sentence, nothing touched', async (args, message) => {
    const started = Date.now();
    const r = await runOvc(['run', '--runs', '1', '--quiet', ...args], { OSS_ACCESS_KEY_ID: 'k', OSS_ACCESS_KEY_SECRET: 's' });
    const took = Date.now() - started;
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    // Node and tsx start-up included (~0.6 s); the refusal itself is a few stat calls.
    expect(took).toBeLessThan(2000);
    expect(snapshot(base)).toEqual(before);
  });
});

describe('the other commands refuse them too', () => {
  const before = snapshot(base);
  it.each([
    [['report', 'merge', base, '--out', foreign], /--out: the folder '.*foreign' holds files ovc did not write/],
    [['report', 'render', '--from', join(base, 'nothing-here')], /--from: no such folder/],
    [['report', 'baseline', '--from', userFile], /--from: '.*notes\.txt' is a file; give a folder/],
    [['serve', '--port', '0', '--client-log', userFile], /--client-log: '.*notes\.txt' exists and was not written by ovc/],
    [['cleanup', '--endpoint', 'http://127.0.0.1:9', '--ca-file', base], /--ca-file: '.*' is a folder; give a file/],
  ])('%j: exit 2, one sentence, nothing touched', async (args, message) => {
    const r = await runOvc(args, { OSS_ACCESS_KEY_ID: 'k', OSS_ACCESS_KEY_SECRET: 's' }, 20_000);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(snapshot(base)).toEqual(before);
  });
});

describe('claimOutputDir', () => {
  it('claims a new folder, an empty one, and one it marked before; refuses one without the mark, whatever its files are called', () => {
    const d = mkdtempSync(join(tmpdir(), 'ovc-claim-'));
    const fresh = join(d, 'a', 'b');
    expect(claimOutputDir('--out', fresh)).toBe(fresh);
    expect(readdirSync(fresh)).toEqual([OUTPUT_MARK]);
    writeFileSync(join(fresh, 'results.jsonl'), '{}\n');
    writeFileSync(join(fresh, 'anything-else'), 'ovc wrote it under its mark');
    expect(claimOutputDir('--out', fresh)).toBe(fresh);
    const named = join(d, 'named');
    mkdirSync(named);
    writeFileSync(join(named, 'results.jsonl'), '{}\n'); // names ovc writes prove nothing: no mark, not ovc's
    expect(() => claimOutputDir('--out', named)).toThrow(PathRefused);
    expect(readdirSync(named)).toEqual(['results.jsonl']);
    const theirs = join(d, 'theirs');
    mkdirSync(theirs);
    writeFileSync(join(theirs, 'results.jsonl'), '{}\n');
    writeFileSync(join(theirs, 'thesis.tex'), '…');
    expect(() => claimOutputDir('--out', theirs)).toThrow(PathRefused);
    expect(readdirSync(theirs).sort()).toEqual(['results.jsonl', 'thesis.tex']);
  });
});

describe('an earlier cassette is replaced whole, a folder of the user never', () => {
  it('--record into an existing cassette rewrites it whole and leaves no staging folder', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'ovc-rec-')), 'cassette');
    const first = await runOvc(['run', '--runs', '1', '--quiet', '--tags', '404-no-such-bucket', '--record', dir, '--out', join(dir, '..', 'out1')]);
    expect(first.code).toBe(0);
    const meta1 = readFileSync(join(dir, 'meta.json'), 'utf8');
    const second = await runOvc(['run', '--runs', '1', '--quiet', '--tags', '404-no-such-bucket', '--record', dir, '--out', join(dir, '..', 'out2')]);
    expect(second.code).toBe(0);
    expect(readFileSync(join(dir, 'meta.json'), 'utf8')).not.toEqual(meta1);
    expect(readdirSync(dir).filter((n) => n.startsWith('.ovc-staging'))).toEqual([]);
  });
});
