// Generated attacks on the file gate (issue 25 §7): fast-check builds file-system layouts in a
// temporary folder — user files (one starting with `{`, one with a `deviations:` line), foreign
// folders, folders whose files carry ovc's output names, symlinks to decoy files and folders outside,
// ovc marks (real, and planted as links to a decoy), paths under files — and points every path flag
// of every command at them. Each run of the compiled `ovc` must either refuse (exit 2, one
// sentence, the whole tree incl. the decoys unchanged by lstat and content) or succeed having
// changed only what was ovc's: a path that existed before changed only when it lay in a marked
// folder (or was an empty file), a new path only inside a marked folder or as a marked file.
//
// Cost: OVC_ATTACK_RUNS cases (default 40). Commands without a target run on fixtures (report
// merge / render / baseline, diff of two cassettes, pact openapi, serve --client-log killed once it
// listens); `ovc run` uses the embedded emulator with --runs 1 and one narrow tag; `pact verify
// --state-dir` an emulator this test starts. `pact generate`
// (a minute of Pact mock servers) and `sdk-test` (an SDK checkout and toolchain) are not run here:
// they claim through the same gate (test/files/gate.test.ts checks the gate functions directly).
// OVC_ATTACK_ONLY=<command label> restricts the commands (to show one defect at a time).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../emulator/index.ts';
import { writeReports } from '../../reports/index.ts';
import { buildCassette, writeBuilt } from '../diff/fixtures.ts';
import { fixtureResults, fixtureSummary } from '../reports/fixtures.ts';
import { OVC } from '../selftest/run-cli.ts';

const MARK = '.ovc-output';
const OPENAPI_NAME = 'oss-vectors.openapi.json';

/** What one name in the layout is. */
const KINDS = [
  'absent', 'file', 'empty-file', 'json-file', 'baseline-like-file', 'empty-folder', 'foreign-folder', 'ovc-names-folder',
  'marked-folder', 'planted-mark-folder', 'link-to-file', 'link-to-folder', 'link-in-folder',
] as const;
type Kind = typeof KINDS[number];

/** Each command, with the flags that take a path (folder or file). */
interface Command { label: string; flags: Array<{ flag: string; file?: string }>; args: (paths: string[], fx: Fixtures) => string[]; serve?: boolean }
interface Fixtures { run: string; cassette: string; endpoint: string }
const COMMANDS: Command[] = [
  { label: 'report merge', flags: [{ flag: '--out' }], args: ([p], fx) => ['report', 'merge', fx.run, '--out', p!] },
  { label: 'report render', flags: [{ flag: '--out' }], args: ([p], fx) => ['report', 'render', '--from', fx.run, '--out', p!] },
  { label: 'report baseline', flags: [{ flag: '--out', file: 'yaml' }], args: ([p], fx) => ['report', 'baseline', '--from', fx.run, '--out', p!] },
  { label: 'diff', flags: [{ flag: '--out' }], args: ([p], fx) => ['diff', '--cassette', fx.cassette, '--against', fx.cassette, '--out', p!] },
  { label: 'pact openapi', flags: [{ flag: '--out' }], args: ([p]) => ['pact', 'openapi', '--out', p!] },
  { label: 'serve', flags: [{ flag: '--client-log', file: 'log' }], args: ([p]) => ['serve', '--port', '0', '--client-log', p!], serve: true },
  { label: 'run', flags: [{ flag: '--out' }, { flag: '--record' }], args: ([o, r]) => ['run', '--runs', '1', '--quiet', '--tags', '404-no-such-bucket', '--out', o!, '--record', r!] },
  // The ledger folder of a verification against a target (an emulator of this process, its hook on).
  { label: 'pact verify', flags: [{ flag: '--state-dir' }], args: ([p], fx) => ['pact', 'verify', '--endpoint', fx.endpoint, '--state-hook', `${fx.endpoint}/_ovc/provider-states`, '--state-dir', p!] },
];
const ONLY = process.env.OVC_ATTACK_ONLY;
const USED = ONLY ? COMMANDS.filter((c) => c.label === ONLY) : COMMANDS;

/** One generated attack: the layout of `work/` and, per path flag, which name (and whether a path under it). */
interface Attack { command: Command; layout: Kind[]; targets: Array<{ entry: number; under: boolean }> }

const describeAttack = (a: Attack): string => {
  const names = a.layout.map((k, i) => `work/e${i} = ${k}`).join(', ');
  const ext = (i: number): string => (a.command.flags[i]!.file ? `.${a.command.flags[i]!.file}` : '');
  const paths = a.targets.map((t, i) => `${a.command.flags[i]!.flag} work/e${t.entry}${ext(i)}${t.under ? `/sub${ext(i)}` : ''}`).join(' ');
  return `{ layout: ${names}; ovc ${a.command.label} ${paths} }`;
};

const attackArb = fc.constantFrom(...USED).chain((command) => fc.record({
  command: fc.constant(command),
  layout: fc.array(fc.constantFrom(...KINDS), { minLength: 1, maxLength: 3 }),
  targets: fc.tuple(...command.flags.map(() => fc.record({ entry: fc.nat({ max: 2 }), under: fc.boolean() }))),
}).map((a) => {
  const attack = { ...a, targets: a.targets.map((t) => ({ ...t, entry: t.entry % a.layout.length })) } as Attack;
  return Object.assign(attack, { [fc.toStringMethod]: () => describeAttack(attack) });
}));

/** Builds `kind` at `path`; decoys live in `decoys/`, outside every path flag. */
function build(kind: Kind, name: string, decoys: string): void {
  const path = name;
  switch (kind) {
    case 'absent': return;
    case 'file': writeFileSync(name, 'the user\'s own notes\n'); return;
    case 'empty-file': writeFileSync(name, ''); return;
    case 'json-file': writeFileSync(name, '{ "name": "the-users-package", "private": true }\n'); return;
    case 'baseline-like-file': writeFileSync(name, '# my notes\ndeviations: are what I call my own list\n'); return;
    case 'empty-folder': mkdirSync(path); return;
    case 'foreign-folder': mkdirSync(path); writeFileSync(join(path, 'thesis.tex'), 'precious\n'); return;
    case 'ovc-names-folder': mkdirSync(path); for (const n of ['summary.json', 'results.jsonl', 'diff.md', OPENAPI_NAME]) writeFileSync(join(path, n), 'the user\'s file with an ovc name\n'); mkdirSync(join(path, 'sides', 'target'), { recursive: true }); writeFileSync(join(path, 'sides', 'target', 'data.csv'), 'a,b\n'); return;
    case 'marked-folder': mkdirSync(path); writeFileSync(join(path, MARK), 'This folder was written by ovc (oss-vectors-conformance); ovc may write it again.\n'); return;
    case 'planted-mark-folder': mkdirSync(path); symlinkSync(join(decoys, 'precious.txt'), join(path, MARK)); writeFileSync(join(path, 'mine.txt'), 'mine\n'); return;
    case 'link-to-file': symlinkSync(join(decoys, 'precious.txt'), name); return;
    case 'link-to-folder': symlinkSync(join(decoys, 'dir'), path); return;
    case 'link-in-folder': mkdirSync(path); writeFileSync(join(path, MARK), 'This folder was written by ovc (oss-vectors-conformance); ovc may write it again.\n'); for (const n of ['summary.md', OPENAPI_NAME, 'diff.md', 'meta.json']) symlinkSync(join(decoys, 'precious.txt'), join(path, n)); return;
  }
}

interface Entry { type: 'file' | 'dir' | 'link' | 'other'; digest: string }
/** Every path under `root` by lstat (links not followed) with a digest of what it holds. */
function snapshot(root: string): Map<string, Entry> {
  const out = new Map<string, Entry>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      const st = lstatSync(p);
      const rel = relative(root, p);
      if (st.isSymbolicLink()) out.set(rel, { type: 'link', digest: readlinkSync(p) });
      else if (st.isDirectory()) { out.set(rel, { type: 'dir', digest: '' }); walk(p); }
      else if (st.isFile()) out.set(rel, { type: 'file', digest: createHash('sha256').update(readFileSync(p)).digest('hex') });
      else out.set(rel, { type: 'other', digest: '' });
    }
  };
  walk(root);
  return out;
}

/** Whether `rel` lies inside a folder of `snap` that holds the mark as a regular file. */
function inMarkedFolder(snap: Map<string, Entry>, rel: string): boolean {
  for (let d = dirname(rel); d !== '.' && d !== '/'; d = dirname(d)) if (snap.get(join(d, MARK))?.type === 'file') return true;
  return false;
}
/** Whether `rel` is a file with a file mark beside it (`.name.ovc-output`, a regular file). */
const fileMarked = (snap: Map<string, Entry>, rel: string): boolean => snap.get(rel)?.type === 'file' && snap.get(join(dirname(rel), `.${rel.split('/').pop()}${MARK}`))?.type === 'file';
const isFileMark = (snap: Map<string, Entry>, rel: string): boolean => /^\..*\.ovc-output$/.test(rel.split('/').pop()!) && snap.get(rel)?.type === 'file';

/** What the attack changed that was not ovc's, in words (empty: nothing). */
function foreignChanges(before: Map<string, Entry>, after: Map<string, Entry>): string[] {
  const bad: string[] = [];
  for (const [rel, b] of before) {
    const a = after.get(rel);
    const same = a && a.type === b.type && a.digest === b.digest;
    if (same) continue;
    const wasOurs = inMarkedFolder(before, rel) || fileMarked(before, rel) || isFileMark(before, rel) || (b.type === 'file' && b.digest === createHash('sha256').update('').digest('hex'));
    if (!wasOurs) bad.push(`${a ? 'changed' : 'removed'} ${rel} (${b.type}), which was not ovc's`);
  }
  // A new path is ovc's inside a marked folder, as a marked file or a mark; a new folder above an
  // output (made for it) when everything in it is new and ovc's.
  const newOurs = (rel: string): boolean => {
    if (inMarkedFolder(after, rel) || fileMarked(after, rel) || isFileMark(after, rel) || (rel.endsWith(MARK) && after.get(rel)?.type === 'file')) return true;
    if (after.get(rel)?.type !== 'dir') return false;
    const inside = [...after.keys()].filter((k) => dirname(k) === rel);
    return inside.length > 0 && inside.every((k) => !before.has(k) && newOurs(k));
  };
  // OVC_ATTACK_EXISTING_ONLY=1: judge only what existed before (to show on an older ovc, which marked
  // none of the files it wrote, what it changed of the user's).
  if (process.env.OVC_ATTACK_EXISTING_ONLY) return bad;
  for (const rel of after.keys()) if (!before.has(rel) && !newOurs(rel)) bad.push(`created ${rel} outside anything marked as ovc's`);
  return bad;
}

function ovc(args: string[], cwd: string, serve: boolean): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [OVC, ...args], { cwd, env: { ...process.env, GITHUB_ACTIONS: '', GITHUB_STEP_SUMMARY: '', OSS_ACCESS_KEY_ID: 'attack-key', OSS_ACCESS_KEY_SECRET: 'attack-secret' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let out = '';
    child.stderr.on('data', (d) => { stderr += d; });
    child.stdout.on('data', (d) => { out += d; if (serve && out.includes('listening')) child.kill('SIGTERM'); });
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('close', (code) => { clearTimeout(timer); resolve({ code: serve && out.includes('listening') ? 0 : code, stderr }); });
  });
}

let fixtures: Fixtures;
let emulator: RunningEmulator | undefined;
const scratch = mkdtempSync(join(tmpdir(), 'ovc-attacks-'));
beforeAll(async () => {
  const run = join(scratch, 'fixture-run');
  mkdirSync(run);
  writeFileSync(join(run, MARK), 'This folder was written by ovc (oss-vectors-conformance); ovc may write it again.\n');
  await writeReports(run, fixtureResults(), fixtureSummary(), { secrets: [] } as never);
  emulator = await startEmulator({ identities: [{ accessKeyId: 'attack-key', accessKeySecret: 'attack-secret' }], stateHook: true });
  fixtures = { run, cassette: writeBuilt(join(scratch, 'fixture-cassette'), buildCassette({ runId: 'attack01' })), endpoint: emulator.url };
});
afterAll(async () => { await emulator?.close(); rmSync(scratch, { recursive: true, force: true }); });

describe('generated file-system attacks on every output flag', () => {
  it('each command either refuses with exit 2 and changes nothing, or changes only what is ovc\'s', async () => {
    let n = 0;
    await fc.assert(fc.asyncProperty(attackArb, async (attack) => {
      const root = join(scratch, `t${n++}`);
      const work = join(root, 'work');
      const decoys = join(root, 'decoys');
      mkdirSync(work, { recursive: true });
      mkdirSync(join(decoys, 'dir'), { recursive: true });
      writeFileSync(join(decoys, 'precious.txt'), 'decoy: must never change\n');
      writeFileSync(join(decoys, 'dir', 'keep.txt'), 'decoy folder content\n');
      const fileFlagExt = (i: number): string | undefined => attack.command.flags[i]?.file;
      // A layout entry used as a file by a file flag gets that flag's extension, so it is the same name.
      const extOf = (entry: number): string => { const f = attack.targets.findIndex((t) => t.entry === entry); const ext = f >= 0 ? fileFlagExt(f) : undefined; return ext ? `.${ext}` : ''; };
      attack.layout.forEach((k, i) => build(k, join(work, `e${i}${extOf(i)}`), decoys));
      const paths = attack.targets.map((t, i) => { const base = join(work, `e${t.entry}${extOf(t.entry)}`); return t.under ? join(base, `sub${fileFlagExt(i) ? `.${fileFlagExt(i)}` : ''}`) : base; });
      const before = snapshot(root);
      const r = await ovc(attack.command.args(paths, fixtures), root, attack.command.serve ?? false);
      const after = snapshot(root);
      const lines = r.stderr.trim().split('\n');
      if (r.code === 2) {
        expect(r.stderr, 'a refusal has no stack trace').not.toMatch(/\n\s+at /);
        expect([...after.entries()], `exit 2 must change nothing; stderr: ${lines.at(-1)}`).toEqual([...before.entries()]);
        return;
      }
      expect([0, 1], `exit ${r.code}: ${r.stderr.slice(-400)}`).toContain(r.code);
      expect(r.stderr, 'no stack trace').not.toMatch(/\n\s+at /);
      expect(foreignChanges(before, after)).toEqual([]);
    }), { numRuns: Number(process.env.OVC_ATTACK_RUNS ?? 40), endOnFailure: false });
  }, 1_800_000);
});
